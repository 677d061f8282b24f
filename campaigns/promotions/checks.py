"""The checks that do not depend on prices: currency, window, who is buying, usage limits, scope and
quantities. Done once per quote, before the pipeline prices anything."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from campaigns.promotions.cart import NO_USAGE, Context, Line
from campaigns.promotions.explain import Reason
from campaigns.promotions.rules import BuyGet, Offer, Window

Refusal = tuple[Reason, dict]


def _in_zone(w: Window, at: datetime) -> str:
    return at.astimezone(ZoneInfo(w.timezone)).isoformat()


def precheck(o: Offer, scoped: list[int], lines: list[Line], currency: str, ctx: Context) -> Refusal | None:
    """Why ``o`` cannot apply whatever the prices, or None; ``scoped`` are the positions of its lines."""
    if o.currency != currency:
        return Reason.CURRENCY_MISMATCH, {"currency": o.currency}
    w = o.window
    if w is not None and not (w.starts_at <= ctx.at <= w.ends_at):
        return Reason.NOT_IN_WINDOW, {
            "starts_at": _in_zone(w, w.starts_at),
            "ends_at": _in_zone(w, w.ends_at),
            "timezone": w.timezone,
        }
    el = o.eligibility
    if el.channels and ctx.channel not in el.channels:
        return Reason.NOT_ELIGIBLE_CHANNEL, {"channel": ctx.channel, "channels": sorted(el.channels)}
    if el.segments and not (el.segments & ctx.shopper.segments):
        return Reason.NOT_ELIGIBLE_SEGMENT, {"segments": sorted(el.segments)}
    if el.first_order_only and not ctx.shopper.first_order:
        return Reason.NOT_FIRST_ORDER, {}
    lim = o.limits
    u = ctx.usage.get(o.key, NO_USAGE)
    if lim.uses is not None and u.uses >= lim.uses:
        return Reason.LIMIT_REACHED, {"limit": lim.uses, "used": u.uses}
    if lim.uses_per_customer is not None and u.customer_uses >= lim.uses_per_customer:
        return Reason.CUSTOMER_LIMIT_REACHED, {"limit": lim.uses_per_customer, "used": u.customer_uses}
    if not scoped:
        return Reason.NO_MATCHING_ITEMS, {}
    units = 0
    for i in scoped:
        units += lines[i].quantity
    if lim.units_per_order is not None and units > lim.units_per_order:
        return Reason.OVER_ORDER_LIMIT, {"limit": lim.units_per_order, "quantity": units}
    if lim.units_per_customer is not None and u.customer_units + units > lim.units_per_customer:
        return Reason.CUSTOMER_UNITS_LIMIT_REACHED, {
            "limit": lim.units_per_customer,
            "bought": u.customer_units,
            "quantity": units,
        }
    if lim.stock is not None and units > lim.stock - u.units:
        return Reason.OUT_OF_STOCK, {"left": max(0, lim.stock - u.units), "quantity": units}
    need = o.min_quantity
    if isinstance(o.benefit, BuyGet) and o.benefit.buy + o.benefit.get > need:
        need = o.benefit.buy + o.benefit.get
    if units < need:
        return Reason.BELOW_MIN_QUANTITY, {"min_quantity": need, "quantity": units, "missing": need - units}
    return None
