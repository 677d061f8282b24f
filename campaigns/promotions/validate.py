"""What is wrong with an offer, a set of offers or a cart, each problem at its field. An empty list
means it may be saved (or quoted). Codes are catalog keys; nothing here is an English sentence."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import Decimal
from itertools import combinations
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from campaigns.planning import Problem
from campaigns.promotions.cart import Cart
from campaigns.promotions.money import Rounding, TieBreak, known_currency
from campaigns.promotions.rules import (
    KINDS_BY_STAGE,
    AmountOff,
    Basis,
    BudgetMode,
    BuyGet,
    Deposit,
    EveryStep,
    FixedPrice,
    FreeShipping,
    Gift,
    Offer,
    PercentOff,
    Points,
    Scope,
    Tiers,
)


def _int(out: list[Problem], name: str, value: object, minimum: int | None = 0) -> bool:
    """Checks a whole number of minor units (or units) at or above ``minimum``; True when fine."""
    if isinstance(value, bool) or not isinstance(value, int):
        out.append(Problem(name, "not_whole"))
        return False
    if minimum is not None and value < minimum:
        out.append(Problem(name, "negative" if minimum == 0 else "not_positive"))
        return False
    return True


def _percent(out: list[Problem], name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or not Decimal(value).is_finite():
        out.append(Problem(name, "not_a_number"))
    elif value <= 0:
        out.append(Problem(name, "not_positive"))
    elif value > 100:
        out.append(Problem(name, "over_100"))


def _member(out: list[Problem], name: str, value: object, enum: type) -> None:
    try:
        enum(value)
    except ValueError:
        out.append(Problem(name, "unknown_choice", {"value": str(value)}))


def _benefit(out: list[Problem], b: object) -> None:
    match b:
        case PercentOff():
            _percent(out, "benefit.percent", b.percent)
        case AmountOff():
            _int(out, "benefit.amount_minor", b.amount_minor, 1)
        case FixedPrice():
            _int(out, "benefit.price_minor", b.price_minor)
        case Tiers():
            _tiers(out, b)
        case EveryStep():
            ok = _int(out, "benefit.step_minor", b.step_minor, 1) & _int(out, "benefit.off_minor", b.off_minor, 1)
            if ok and b.off_minor > b.step_minor:
                out.append(Problem("benefit.off_minor", "off_exceeds_step"))
            if b.cap_minor is not None and _int(out, "benefit.cap_minor", b.cap_minor, 1) and ok:
                if b.cap_minor < b.off_minor:
                    out.append(Problem("benefit.cap_minor", "below_one_step", {"off": b.off_minor}))
        case BuyGet():
            _int(out, "benefit.buy", b.buy, 1)
            _int(out, "benefit.get", b.get, 1)
            if b.max_free is not None:
                _int(out, "benefit.max_free", b.max_free, 1)
        case FreeShipping():
            if b.max_minor is not None:
                _int(out, "benefit.max_minor", b.max_minor, 1)
        case Gift():
            if not isinstance(b.product, str) or not b.product.strip():
                out.append(Problem("benefit.product", "required"))
            _int(out, "benefit.value_minor", b.value_minor)
            _int(out, "benefit.quantity", b.quantity, 1)
        case Deposit():
            ok = _int(out, "benefit.deposit_minor", b.deposit_minor, 1) & _int(
                out, "benefit.worth_minor", b.worth_minor
            )
            if ok and b.worth_minor < b.deposit_minor:
                out.append(Problem("benefit.worth_minor", "below_deposit"))
        case Points():
            _int(out, "benefit.points", b.points, 1)
            _int(out, "benefit.value_minor", b.value_minor, 1)
            _percent(out, "benefit.max_percent", b.max_percent)
        case _:
            out.append(Problem("benefit", "unknown_kind"))


def _tiers(out: list[Problem], b: Tiers) -> None:
    if not b.tiers:
        out.append(Problem("benefit.tiers", "required"))
        return
    prev = None
    for i, t in enumerate(b.tiers):
        ok = _int(out, f"benefit.tiers.{i}.threshold_minor", t.threshold_minor, 1)
        ok = _int(out, f"benefit.tiers.{i}.off_minor", t.off_minor, 1) and ok
        if not ok:
            prev = None
            continue
        if t.off_minor > t.threshold_minor:
            out.append(Problem(f"benefit.tiers.{i}.off_minor", "off_exceeds_threshold"))
        if prev is not None and t.threshold_minor <= prev.threshold_minor:
            out.append(Problem(f"benefit.tiers.{i}.threshold_minor", "not_ascending"))
        elif prev is not None and t.off_minor <= prev.off_minor:
            out.append(Problem(f"benefit.tiers.{i}.off_minor", "not_ascending"))
        prev = t


def _aware(value: object) -> bool:
    return isinstance(value, datetime) and value.utcoffset() is not None


def validate_offer(offer: Offer) -> list[Problem]:
    """Everything wrong with one offer, each at its field (``benefit.percent``, ``window.ends_at`` ...)."""
    out: list[Problem] = []
    if not isinstance(offer.key, str) or not offer.key.strip():
        out.append(Problem("key", "required"))
    if not isinstance(offer.name, str) or not offer.name.strip():
        out.append(Problem("name", "required"))
    if not known_currency(offer.currency):
        out.append(Problem("currency", "unknown_currency", {"currency": str(offer.currency)}))
    if offer.stage not in KINDS_BY_STAGE:
        out.append(Problem("stage", "unknown_choice", {"value": str(offer.stage)}))
    elif not isinstance(offer.benefit, KINDS_BY_STAGE[offer.stage]):
        out.append(Problem("benefit", "kind_not_in_stage", {"stage": str(offer.stage)}))
    _benefit(out, offer.benefit)
    if not isinstance(offer.scope, Scope):
        out.append(Problem("scope", "required"))
    if offer.window is not None:
        w = offer.window
        if not _aware(w.starts_at):
            out.append(Problem("window.starts_at", "naive"))
        if not _aware(w.ends_at):
            out.append(Problem("window.ends_at", "naive"))
        elif _aware(w.starts_at) and w.ends_at < w.starts_at:
            out.append(Problem("window.ends_at", "end_before_start"))
        try:
            ZoneInfo(w.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            out.append(Problem("window.timezone", "unknown_timezone", {"timezone": str(w.timezone)}))
    _int(out, "min_spend_minor", offer.min_spend_minor)
    _int(out, "min_quantity", offer.min_quantity)
    _member(out, "basis", offer.basis, Basis)
    _member(out, "rounding", offer.rounding, Rounding)
    _member(out, "ties", offer.ties, TieBreak)
    _member(out, "budget_mode", offer.budget_mode, BudgetMode)
    _int(out, "priority", offer.priority, None)
    for name in ("uses", "uses_per_customer", "units_per_order", "units_per_customer", "stock"):
        if getattr(offer.limits, name) is not None:
            _int(out, f"limits.{name}", getattr(offer.limits, name))
    if offer.budget_minor is not None:
        _int(out, "budget_minor", offer.budget_minor)
    if offer.key in offer.combines_with:
        out.append(Problem("combines_with", "names_itself"))
    return out


def _may_share_lines(a: Scope, b: Scope) -> bool:
    """False only when the scopes certainly share no line (disjoint shops, or disjoint product-only lists)."""
    if a.shops and b.shops and not (a.shops & b.shops):
        return False
    only_products = not (a.categories or a.tags or b.categories or b.tags)
    return not (
        only_products and a.products and b.products and not ((a.products - b.exclude) & (b.products - a.exclude))
    )


def validate_offers(offers: list[Offer]) -> list[Problem]:
    """Problems of each offer (``offers.3.benefit.percent``) and of the set: duplicate keys, and exclusive
    offers of equal priority that may meet in one cart (only the key would decide between them)."""
    out = [Problem(f"offers.{i}.{p.field}", p.code, p.params) for i, o in enumerate(offers) for p in validate_offer(o)]
    counts = Counter(o.key for o in offers)
    out += [Problem(f"offers.{i}.key", "duplicate", {"key": o.key}) for i, o in enumerate(offers) if counts[o.key] > 1]
    for (_, a), (j, b) in combinations(enumerate(offers), 2):
        if not (a.exclusive or b.exclusive) or a.priority != b.priority:
            continue
        if (a.exclusive and b.key in a.combines_with) or (b.exclusive and a.key in b.combines_with):
            continue
        if a.window and b.window and _aware(a.window.ends_at) and _aware(b.window.ends_at):
            if not a.window.overlaps(b.window):
                continue
        if a.currency == b.currency and _may_share_lines(a.scope, b.scope):
            out.append(Problem(f"offers.{j}", "exclusive_overlap", {"other": a.name}))
    return out


def validate_cart(cart: Cart) -> list[Problem]:
    """A cart fit to quote: known currency, unique line keys, whole positive quantities, no negative price."""
    out: list[Problem] = []
    if not known_currency(cart.currency):
        out.append(Problem("currency", "unknown_currency", {"currency": str(cart.currency)}))
    _int(out, "shipping_minor", cart.shipping_minor)
    seen: set[str] = set()
    for i, line in enumerate(cart.lines):
        if not isinstance(line.key, str) or not line.key.strip():
            out.append(Problem(f"lines.{i}.key", "required"))
        elif line.key in seen:
            out.append(Problem(f"lines.{i}.key", "duplicate", {"key": line.key}))
        seen.add(line.key)
        if not isinstance(line.product, str) or not line.product.strip():
            out.append(Problem(f"lines.{i}.product", "required"))
        _int(out, f"lines.{i}.quantity", line.quantity, 1)
        _int(out, f"lines.{i}.unit_minor", line.unit_minor)
    return out
