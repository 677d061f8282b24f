"""Carts, contexts, quotes and rule sets as plain JSON, for files, the CLI and other systems.

Amounts are integer minor units of the currency (fen for CNY, yen for JPY); a cart line may give its price
as decimal text instead (``"128.00"``), and a quote gives every amount both ways. Reading is strict: unknown
fields, bools for numbers, fractional or negative quantities and unknown currencies are refused, every
problem at once and at its field (``lines.2.quantity``, ``offers.1.benefit.kind``), by `JsonRejected`."""

from __future__ import annotations

import re
from dataclasses import MISSING, fields
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import Enum

from campaigns.planning import Problem
from campaigns.promotions import rules as r
from campaigns.promotions import serialize
from campaigns.promotions.cart import Cart, Context, Line, Shopper
from campaigns.promotions.money import Rounding, TieBreak, exponent, known_currency
from campaigns.promotions.quote import Quote
from campaigns.promotions.validate import validate_cart, validate_offer, validate_offers

RULES_FORMAT, QUOTE_FORMAT, VERSION = "festa.rules", "festa.quote", 1
CART_FIELDS = {"currency", "lines", "shipping_minor", "shipping", "context"}  # context: see context_from_json
LINE_FIELDS = {"key", "product", "unit_minor", "price", "quantity", "category", "tags", "shop"}
CONTEXT_FIELDS = {"at", "customer", "channel"}
CUSTOMER_FIELDS = {"id", "segments", "first_order", "points"}
_DECIMAL_TEXT = re.compile(r"[0-9]+(\.[0-9]+)?")


class JsonRejected(ValueError):
    """``problems``: each at its field, as a catalog code with parameters."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field or '(document)'}: {p.code}" for p in problems))
        self.problems = problems


# --- shape checks: each appends its problems to ``out`` -------------------------------------------


def _at(path: str, name: object) -> str:
    return f"{path}.{name}" if path else str(name)


def _obj(out: list[Problem], path: str, value: object) -> bool:
    if isinstance(value, dict):
        return True
    out.append(Problem(path, "not_an_object"))
    return False


def _fields(out: list[Problem], path: str, data: dict, allowed: set[str], required=()) -> None:
    out += [Problem(_at(path, k), "unknown_field") for k in data if k not in allowed]
    out += [Problem(_at(path, k), "required") for k in required if k not in data]


def _text(out: list[Problem], path: str, value: object) -> str:
    if isinstance(value, str):
        return value
    out.append(Problem(path, "not_text"))
    return ""


def _names(out: list[Problem], path: str, value: object) -> frozenset[str]:
    if not isinstance(value, list):
        out.append(Problem(path, "not_a_list"))
        return frozenset()
    return frozenset(_text(out, f"{path}.{i}", v) for i, v in enumerate(value))


def _flag(out: list[Problem], path: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    out.append(Problem(path, "not_bool"))
    return False


def _time(out: list[Problem], path: str, value: object) -> datetime | None:
    """An ISO 8601 moment with its UTC offset."""
    try:
        at = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        at = None
    if at is None:
        out.append(Problem(path, "not_a_time", {"value": str(value)}))
    elif at.utcoffset() is None:
        out.append(Problem(path, "naive", {"value": value}))
        return None
    return at


def _minor_of(out: list[Problem], path: str, text: object, digits: int) -> int:
    """Decimal text in major units (``"128.5"``) as minor units; more decimals than the currency has are refused."""
    if not isinstance(text, str):
        out.append(Problem(path, "not_text"))
    elif not _DECIMAL_TEXT.fullmatch(text):
        out.append(Problem(path, "negative" if text.startswith("-") else "not_a_number", {"value": text}))
    elif len(text.partition(".")[2]) > digits:
        out.append(Problem(path, "too_precise", {"digits": digits}))
    else:
        whole, _, part = text.partition(".")
        return int(whole) * 10**digits + int(part.ljust(digits, "0") or "0")
    return 0


def _amount(out: list[Problem], path: str, data: dict, minor: str, text: str, digits: int | None, required: bool):
    """``minor`` (whole minor units, passed on as given for `validate_cart` to judge) or ``text`` (decimal
    text in major units): one of them, not both. 0 stands in for what is missing or wrong."""
    if minor in data and text in data:
        out.append(Problem(_at(path, text), "both_given", {"other": minor}))
    elif minor in data:
        return data[minor]
    elif text in data:
        return _minor_of(out, _at(path, text), data[text], digits) if digits is not None else 0
    elif required:
        out.append(Problem(_at(path, minor), "required"))
    return 0


def _first_per_field(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    return [p for p in problems if not (p.field in seen or seen.add(p.field))]


# --- carts and contexts ----------------------------------------------------------------------------


def cart_from_json(data: object) -> Cart:
    """A cart from ``{"currency", "lines": [{key, product, unit_minor | price, quantity, category?, tags?,
    shop?}], "shipping_minor" | "shipping"?}``; a ``context`` member is left to `context_from_json`."""
    out: list[Problem] = []
    if not _obj(out, "", data):
        raise JsonRejected(out)
    _fields(out, "", data, CART_FIELDS, ("currency", "lines"))
    currency = data.get("currency")
    digits = exponent(currency) if known_currency(currency) else None
    lines = []
    raw = data.get("lines", [])
    if not isinstance(raw, list):
        out.append(Problem("lines", "not_a_list"))
    elif not raw and "lines" in data:
        out.append(Problem("lines", "required"))
    for i, line in enumerate(raw if isinstance(raw, list) else ()):
        p = f"lines.{i}"
        if not _obj(out, p, line):
            continue
        _fields(out, p, line, LINE_FIELDS, ("key", "product", "quantity"))
        lines.append(
            Line(
                key=_text(out, f"{p}.key", line["key"]) if "key" in line else "",
                product=_text(out, f"{p}.product", line["product"]) if "product" in line else "",
                unit_minor=_amount(out, p, line, "unit_minor", "price", digits, True),
                quantity=line.get("quantity"),
                category=_text(out, f"{p}.category", line.get("category", "")),
                tags=_names(out, f"{p}.tags", line.get("tags", [])),
                shop=_text(out, f"{p}.shop", line.get("shop", "")),
            )
        )
    cart = Cart(currency, tuple(lines), _amount(out, "", data, "shipping_minor", "shipping", digits, False))
    out = _first_per_field(out + validate_cart(cart))
    if out:
        raise JsonRejected(out)
    return cart


def cart_to_json(cart: Cart) -> dict:
    return {
        "currency": cart.currency,
        "lines": [
            {
                "key": x.key,
                "product": x.product,
                "unit_minor": x.unit_minor,
                "quantity": x.quantity,
                "category": x.category,
                "tags": sorted(x.tags),
                "shop": x.shop,
            }
            for x in cart.lines
        ],
        "shipping_minor": cart.shipping_minor,
    }


def context_from_json(data: object, now: datetime | None = None) -> Context:
    """A quote's context from ``{"at", "customer": {id, segments, first_order, points}, "channel"}``, every
    member optional except ``at`` when no ``now`` is given. ``at`` is ISO 8601 with a UTC offset."""
    out: list[Problem] = []
    if not _obj(out, "", data):
        raise JsonRejected(out)
    _fields(out, "", data, CONTEXT_FIELDS, ("at",) if now is None else ())
    at = _time(out, "at", data["at"]) if "at" in data else now
    shopper = Shopper()
    who = data.get("customer", {})
    if _obj(out, "customer", who):
        _fields(out, "customer", who, CUSTOMER_FIELDS)
        points = who.get("points", 0)
        if isinstance(points, bool) or not isinstance(points, int) or points < 0:
            code = "negative" if isinstance(points, int) and not isinstance(points, bool) else "not_whole"
            out.append(Problem("customer.points", code))
            points = 0
        shopper = Shopper(
            id=_text(out, "customer.id", who.get("id", "")),
            segments=_names(out, "customer.segments", who.get("segments", [])),
            first_order=_flag(out, "customer.first_order", who.get("first_order", False)),
            points=points,
        )
    channel = _text(out, "channel", data.get("channel", ""))
    if out:
        raise JsonRejected(out)
    return Context(at=at, shopper=shopper, channel=channel)


# --- quotes ----------------------------------------------------------------------------------------


def _decimal(minor: int, digits: int) -> str:
    return format(Decimal(minor).scaleb(-digits), "f")


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal | datetime):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    return value


def quote_to_json(q: Quote) -> dict:
    """The priced cart: every amount as ``{name}_minor`` (int) and ``{name}`` (decimal text, e.g. "128.00");
    each line with its discount per offer; applied offers with their split per line; rejected offers with
    a reason code and its parameters (amounts in minor units); upsell hints."""
    digits = exponent(q.currency)

    def money(name: str, minor: int) -> dict:
        return {f"{name}_minor": minor, name: _decimal(minor, digits)}

    per_line: dict[str, list[dict]] = {}
    for a in q.applied:
        for key, minor in a.lines:
            per_line.setdefault(key, []).append({"offer": a.offer, **money("amount", minor)})
    return {
        "format": QUOTE_FORMAT,
        "version": VERSION,
        "currency": q.currency,
        "exponent": digits,
        "lines": [
            {
                "key": x.key,
                "product": x.product,
                "quantity": x.quantity,
                **money("unit", x.unit_minor),
                **money("original", x.original_minor),
                **money("discount", x.discount_minor),
                **money("total", x.total_minor),
                "discounts": per_line.get(x.key, []),
            }
            for x in q.lines
        ],
        **money("original", q.original_minor),
        **money("discount", q.discount_minor),
        **money("subtotal", q.subtotal_minor),
        **money("shipping", q.shipping_minor),
        **money("shipping_discount", q.shipping_discount_minor),
        **money("total", q.total_minor),
        **money("deposit", q.deposit_minor),
        **money("due", q.due_minor),
        "stage_discounts": [{"stage": str(s), **money("amount", m)} for s, m in q.stage_discounts],
        "applied": [
            {
                "offer": a.offer,
                "name": a.name,
                "stage": str(a.stage),
                "kind": a.kind,
                **money("amount", a.amount_minor),
                **money("cost", a.cost_minor),
                "partial": a.partial,
                "lines": [{"key": k, **money("amount", m)} for k, m in a.lines],
                "detail": _plain(a.detail),
            }
            for a in q.applied
        ],
        "rejected": [
            {"offer": x.offer, "name": x.name, "stage": str(x.stage), "reason": str(x.code), "params": _plain(x.params)}
            for x in q.rejected
        ],
        "hints": [
            {
                "offer": h.offer,
                "name": h.name,
                **money("missing", h.missing_minor),
                **money("discount", h.discount_minor),
            }
            for h in q.hints
        ],
    }


# --- rule sets -------------------------------------------------------------------------------------

_OFFER_FIELDS = {f.name for f in fields(r.Offer)}
_CHOICES = {"stage": r.Stage, "basis": r.Basis, "rounding": Rounding, "ties": TieBreak, "budget_mode": r.BudgetMode}
_NAME_SETS = {"scope": {f.name for f in fields(r.Scope)}, "eligibility": {"segments", "channels"}}


def _required(cls: type) -> list[str]:
    return [f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING]


def _benefit_shape(out: list[Problem], p: str, data: object) -> None:
    if not _obj(out, p, data):
        return
    kind = data.get("kind")
    cls = serialize.KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        out.append(Problem(f"{p}.kind", "unknown_kind" if "kind" in data else "required", {"value": str(kind)}))
        return
    _fields(out, p, data, {f.name for f in fields(cls)} | {"kind"}, _required(cls))
    if "per_unit" in data:
        _flag(out, f"{p}.per_unit", data["per_unit"])
    for name in ("percent", "max_percent"):
        text = data.get(name)
        if isinstance(text, str):
            try:
                ok = Decimal(text).is_finite()
            except InvalidOperation:
                ok = False
            if not ok:
                out.append(Problem(f"{p}.{name}", "not_a_number", {"value": text}))
    tiers = data.get("tiers", [])
    if cls is r.Tiers and not isinstance(tiers, list):
        out.append(Problem(f"{p}.tiers", "not_a_list"))
    elif cls is r.Tiers:
        for i, t in enumerate(tiers):
            if _obj(out, f"{p}.tiers.{i}", t):
                _fields(out, f"{p}.tiers.{i}", t, {"threshold_minor", "off_minor"}, ("threshold_minor", "off_minor"))


def _offer_shape(out: list[Problem], p: str, data: object) -> bool:
    """True when ``serialize.from_json`` can read ``data``; what it cannot read is named in ``out``."""
    n = len(out)
    if not _obj(out, p, data):
        return False
    _fields(out, p, data, _OFFER_FIELDS, ("key", "name", "currency", "stage", "benefit"))
    for name in ("key", "name", "currency"):
        if name in data:
            _text(out, f"{p}.{name}", data[name])
    for name, enum in _CHOICES.items():
        if name in data:
            try:
                enum(data[name])
            except (ValueError, TypeError):
                out.append(Problem(f"{p}.{name}", "unknown_choice", {"value": str(data[name])}))
    if "benefit" in data:
        _benefit_shape(out, f"{p}.benefit", data["benefit"])
    for name, members in _NAME_SETS.items():
        part = data.get(name, {})
        if _obj(out, f"{p}.{name}", part):
            _fields(out, f"{p}.{name}", part, members | ({"first_order_only"} if name == "eligibility" else set()))
            for m in members & part.keys():
                _names(out, f"{p}.{name}.{m}", part[m])
            if "first_order_only" in part:
                _flag(out, f"{p}.{name}.first_order_only", part["first_order_only"])
    window = data.get("window")
    if window is not None and _obj(out, f"{p}.window", window):
        _fields(out, f"{p}.window", window, {"starts_at", "ends_at", "timezone"}, ("starts_at", "ends_at", "timezone"))
        for end in ("starts_at", "ends_at"):
            if end in window:
                _time(out, f"{p}.window.{end}", window[end])
        if "timezone" in window:
            _text(out, f"{p}.window.timezone", window["timezone"])
    if "exclusive" in data:
        _flag(out, f"{p}.exclusive", data["exclusive"])
    if "combines_with" in data:
        _names(out, f"{p}.combines_with", data["combines_with"])
    limits = data.get("limits", {})
    if _obj(out, f"{p}.limits", limits):
        _fields(out, f"{p}.limits", limits, {f.name for f in fields(r.Limits)})
    return len(out) == n


def rules_to_json(offers: list[r.Offer]) -> dict:
    return {"format": RULES_FORMAT, "version": VERSION, "offers": [serialize.to_json(o) for o in offers]}


def rules_from_json(data: object) -> list[r.Offer]:
    """The offers of a rules document, checked one by one (`validate_offer`) and as a set
    (`validate_offers`: duplicate keys, exclusive offers that would meet); problems at ``offers.N.field``."""
    out: list[Problem] = []
    if not _obj(out, "", data):
        raise JsonRejected(out)
    if data.get("format") != RULES_FORMAT:  # another kind of file: say only that
        wrong = {"value": str(data["format"])} if "format" in data else {}
        code = "unknown_format" if wrong else "required"
        raise JsonRejected([Problem("format", code, {**wrong, "expected": RULES_FORMAT})])
    _fields(out, "", data, {"format", "version", "offers"}, ("version", "offers"))
    if "version" in data and (isinstance(data["version"], bool) or data["version"] != VERSION):
        out.append(Problem("version", "unsupported_version", {"value": str(data["version"]), "expected": VERSION}))
    raw = data.get("offers", [])
    if not isinstance(raw, list):
        out.append(Problem("offers", "not_a_list"))
        raw = []
    offers = []
    for i, item in enumerate(raw):
        if not _offer_shape(out, f"offers.{i}", item):
            continue
        try:
            offer = serialize.from_json(item)
        except (ValueError, KeyError, TypeError, ArithmeticError):  # the shape checks should leave none
            out.append(Problem(f"offers.{i}", "unreadable"))
            continue
        out += [Problem(f"offers.{i}.{p.field}", p.code, p.params) for p in validate_offer(offer)]
        offers.append(offer)
    if not out:
        out = validate_offers(offers)
    if out:
        raise JsonRejected(out)
    return offers
