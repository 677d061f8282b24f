"""What a campaign's promotions are expected to cost, before it starts.

The marketer describes the orders they expect: how many, and a few typical baskets with each one's
share of the orders. Every basket is quoted once against the campaign's offers; the figures are the
quotes weighted by their shares and multiplied by the orders:

- **cost**: what the offers give away — merchandise and shipping discounts, gifts at their value,
  points redeemed (each offer's ``cost_minor``);
- **revenue**: what customers pay (merchandise after discounts plus the shipping they are charged);
- **margin**: revenue − cost of goods (list value × (1 − gross margin %)) − shipping paid to the
  carrier (taken as the shipping fee) − gifts at their value;
- **break-even**: the extra orders, at the promoted margin per order, that earn the promotion's cost
  back. None when a promoted order earns nothing (every order loses money).

An offer's total budget, total uses and stock (units) cap its expected cost: past the cap the orders
are counted at full price (an approximation: they are not re-priced with the next-best offer). The
baskets are quoted for one shopper (segments, first order as given) with no usage so far.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from campaigns.planning import Problem
from campaigns.promotions.book import OfferBook
from campaigns.promotions.cart import Cart, Context, Shopper
from campaigns.promotions.quote import Quote, quote
from campaigns.promotions.rules import Offer
from campaigns.promotions.validate import validate_cart

HUNDRED = Decimal(100)
MAX_ORDERS = 100_000_000


@dataclass(frozen=True)
class Basket:
    """A typical order: ``share`` is its percentage of all orders (the shares add up to 100)."""

    label: str
    share: Decimal
    cart: Cart


@dataclass(frozen=True)
class Assumptions:
    orders: int
    baskets: tuple[Basket, ...]
    margin_percent: Decimal  # gross margin on list prices, 0–100
    at: datetime  # the moment the baskets are quoted at (aware)
    shopper: Shopper = Shopper()
    channel: str = ""


@dataclass(frozen=True)
class OfferCost:
    offer: str
    name: str
    orders: int  # expected orders it applies to, after its caps
    cost_minor: int
    capped: bool  # its budget or total uses cut it


@dataclass(frozen=True)
class BasketQuote:
    label: str
    share: Decimal
    quote: Quote


@dataclass(frozen=True)
class Estimate:
    currency: str
    orders: int
    gross_minor: int  # list value of the merchandise
    cost_minor: int  # what the promotions give away
    revenue_minor: int  # what customers pay
    margin_minor: int
    baseline_margin_minor: int  # the same orders at list prices
    break_even_orders: int | None
    offers: tuple[OfferCost, ...]
    baskets: tuple[BasketQuote, ...] = field(default=())

    @property
    def margin_rate(self) -> Decimal | None:
        """Margin as a share of revenue (0–1); None without revenue."""
        return Decimal(self.margin_minor) / self.revenue_minor if self.revenue_minor else None

    @property
    def average_order_minor(self) -> int:
        return _round(Decimal(self.revenue_minor) / self.orders) if self.orders else 0


class EstimateRejected(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = problems


def _round(x: Decimal) -> int:
    return int(x.to_integral_value(ROUND_HALF_UP))


def check(a: Assumptions) -> list[Problem]:
    out: list[Problem] = []
    if isinstance(a.orders, bool) or not isinstance(a.orders, int) or not 0 <= a.orders <= MAX_ORDERS:
        out.append(Problem("orders", "not_between", {"min": 0, "max": MAX_ORDERS}))
    if not Decimal(0) <= Decimal(a.margin_percent) <= HUNDRED:
        out.append(Problem("margin_percent", "not_between", {"min": 0, "max": 100}))
    if a.at.utcoffset() is None:
        out.append(Problem("at", "naive_time"))
    if not a.baskets:
        out.append(Problem("baskets", "required"))
    currencies = {b.cart.currency for b in a.baskets}
    if len(currencies) > 1:
        out.append(Problem("baskets", "mixed_currencies", {"currencies": ", ".join(sorted(currencies))}))
    for i, b in enumerate(a.baskets):
        if not Decimal(0) < Decimal(b.share) <= HUNDRED:
            out.append(Problem(f"baskets.{i}.share", "not_between", {"min": 0, "max": 100}))
        out += [Problem(f"baskets.{i}.{p.field}", p.code, p.params) for p in validate_cart(b.cart)]
    if a.baskets and sum(Decimal(b.share) for b in a.baskets) != HUNDRED:
        out.append(Problem("baskets", "shares_not_100", {"total": str(sum(Decimal(b.share) for b in a.baskets))}))
    return out


def estimate(a: Assumptions, offers: OfferBook | list[Offer], budgets: dict[str, int] | None = None) -> Estimate:
    """The expected cost and margin of ``a.orders`` orders shaped like ``a.baskets``. ``budgets``
    overrides an offer's remaining budget (what it has left after what it already cost)."""
    problems = check(a)
    if problems:
        raise EstimateRejected(problems)
    book = offers if isinstance(offers, OfferBook) else OfferBook(offers)
    known = {e.offer.key: e.offer for e in book.entries}
    ctx = Context(at=a.at, shopper=a.shopper, channel=a.channel)
    n = Decimal(a.orders)
    m = Decimal(a.margin_percent) / HUNDRED
    gross = revenue = margin = baseline = Decimal(0)
    applied_orders: dict[str, Decimal] = defaultdict(Decimal)
    applied_units: dict[str, Decimal] = defaultdict(Decimal)
    discount: dict[str, Decimal] = defaultdict(Decimal)  # off the price the customer pays
    gifts: dict[str, Decimal] = defaultdict(Decimal)  # given on top (gift value)
    quotes = []
    for b in a.baskets:
        q = quote(b.cart, book, ctx)
        quotes.append(BasketQuote(b.label, Decimal(b.share), q))
        k = n * Decimal(b.share) / HUNDRED  # orders like this basket
        gift = sum((x.cost_minor - x.amount_minor for x in q.applied), 0)
        gross += k * q.original_minor
        revenue += k * q.total_minor
        margin += k * (q.total_minor - q.shipping_minor - q.original_minor * (1 - m) - gift)
        baseline += k * q.original_minor * m
        qty = {line.key: line.quantity for line in b.cart.lines}
        for x in q.applied:
            applied_orders[x.offer] += k
            applied_units[x.offer] += k * sum(qty.get(line, 0) for line, amount in x.lines if amount)
            discount[x.offer] += k * x.amount_minor
            gifts[x.offer] += k * (x.cost_minor - x.amount_minor)
    costs = []
    for key in sorted(applied_orders, key=lambda k: known[k].rank):
        o = known[key]
        full = discount[key] + gifts[key]
        f = Decimal(1)
        budget = (budgets or {}).get(key, o.budget_minor)
        if budget is not None and full > budget:
            f = min(f, Decimal(budget) / full)
        if o.limits.uses is not None and applied_orders[key] > o.limits.uses:
            f = min(f, Decimal(o.limits.uses) / applied_orders[key])
        if o.limits.stock is not None and applied_units[key] > o.limits.stock:
            f = min(f, Decimal(o.limits.stock) / applied_units[key])
        # Past the cap, orders pay full price and get no gift.
        revenue += (1 - f) * discount[key]
        margin += (1 - f) * full
        costs.append(OfferCost(key, o.name, _round(applied_orders[key] * f), _round(full * f), f < 1))
    cost = sum(x.cost_minor for x in costs)
    per_order = margin / n if a.orders else Decimal(0)
    break_even = int((Decimal(cost) / per_order).to_integral_value(ROUND_CEILING)) if per_order > 0 else None
    return Estimate(
        currency=a.baskets[0].cart.currency,
        orders=a.orders,
        gross_minor=_round(gross),
        cost_minor=cost,
        revenue_minor=_round(revenue),
        margin_minor=_round(margin),
        baseline_margin_minor=_round(baseline),
        break_even_orders=break_even if cost else 0,
        offers=tuple(costs),
        baskets=tuple(quotes),
    )
