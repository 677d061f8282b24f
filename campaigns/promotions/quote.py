"""The public entry: price a cart against offers at a moment, with explanations.

    book = OfferBook(offers, stacking={Stage.SHOP: Stacking.PARALLEL})   # once per set of offers
    q = quote(cart, book, Context(at=now, shopper=Shopper("c1", {"vip"}), channel="app"))

Lines are priced in the order of their keys and offers in the order of stage, priority and key, so
the same cart and offers give the same quote however they were listed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from campaigns.planning import Problem
from campaigns.promotions.book import OfferBook
from campaigns.promotions.cart import Cart, Context
from campaigns.promotions.checks import precheck
from campaigns.promotions.explain import Applied, Hint, Reason, Rejected
from campaigns.promotions.pipeline import run
from campaigns.promotions.rules import STAGES, Offer, Stage
from campaigns.promotions.validate import validate_cart


class CartRejected(ValueError):
    """The cart cannot be quoted; ``problems`` say where (``lines.2.quantity`` ...)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(", ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class LineQuote:
    key: str
    product: str
    quantity: int
    unit_minor: int
    original_minor: int
    discount_minor: int  # every merchandise stage together
    total_minor: int


@dataclass(frozen=True, slots=True)
class Quote:
    """A priced cart. Amounts are minor units of ``currency``; none is negative, and
    ``total = subtotal + shipping - shipping_discount`` with ``subtotal`` the sum of the line totals."""

    currency: str
    lines: tuple[LineQuote, ...]  # by line key
    original_minor: int  # list prices
    discount_minor: int  # merchandise discounts (sum of the line discounts)
    subtotal_minor: int
    shipping_minor: int
    shipping_discount_minor: int
    total_minor: int
    deposit_minor: int  # paid ahead for presale items; part of the total
    due_minor: int  # what is left to pay: total minus deposit, never negative
    stage_discounts: tuple[tuple[Stage, int], ...]
    applied: tuple[Applied, ...]
    rejected: tuple[Rejected, ...]
    hints: tuple[Hint, ...]

    @property
    def gifts(self) -> tuple[dict, ...]:
        return tuple(a.detail for a in self.applied if a.kind == "gift")

    def applied_offer(self, key: str) -> Applied | None:
        return next((a for a in self.applied if a.offer == key), None)

    def rejected_offer(self, key: str) -> Rejected | None:
        return next((r for r in self.rejected if r.offer == key), None)


def quote(cart: Cart, offers: OfferBook | Iterable[Offer], ctx: Context) -> Quote:
    """Price ``cart``; raises `CartRejected` for a cart `validate_cart` refuses and ValueError for a naive moment."""
    problems = validate_cart(cart)
    if problems:
        raise CartRejected(problems)
    if ctx.at.utcoffset() is None:
        raise ValueError("the moment of a quote must be timezone-aware")
    book = offers if isinstance(offers, OfferBook) else OfferBook(offers)
    lines = sorted(cart.lines, key=lambda line: line.key)
    hits = book.scoped(lines)
    refusals: list = [None] * len(book.entries)
    for stage in STAGES:
        for e in book.by_stage[stage]:
            refusals[e.index] = precheck(e.offer, hits[e.index], lines, cart.currency, ctx)
    out = run(book, lines, cart.shipping_minor, ctx, hits, refusals)

    invalid = tuple(
        Rejected(
            e.offer.key,
            e.offer.name,
            e.offer.stage,
            Reason.INVALID_RULE,
            {"problems": [[p.field, p.code] for p in e.problems]},
        )
        for e in book.invalid
    )
    line_quotes = tuple(
        LineQuote(
            line.key, line.product, line.quantity, line.unit_minor, line.amount_minor, line.amount_minor - left, left
        )
        for line, left in zip(lines, out.rem, strict=True)
    )
    by_stage = dict.fromkeys(STAGES, 0)
    for a in out.applied:
        by_stage[a.stage] += a.amount_minor
    original = sum(lq.original_minor for lq in line_quotes)
    subtotal = sum(out.rem)
    total = subtotal + out.shipping_left
    deposit = sum(a.detail.get("deposit_minor", 0) for a in out.applied)
    return Quote(
        currency=cart.currency,
        lines=line_quotes,
        original_minor=original,
        discount_minor=original - subtotal,
        subtotal_minor=subtotal,
        shipping_minor=cart.shipping_minor,
        shipping_discount_minor=cart.shipping_minor - out.shipping_left,
        total_minor=total,
        deposit_minor=deposit,
        due_minor=max(0, total - deposit),
        stage_discounts=tuple(by_stage.items()),
        applied=tuple(out.applied),
        rejected=invalid + tuple(out.rejected),
        hints=tuple(sorted(out.hints, key=lambda h: (h.missing_minor, -h.discount_minor, h.offer))),
    )
