"""The offer editor: common fields, the fields of the chosen rule kind, scope, eligibility, window,
limits and budget, read back as one Offer. Amounts are typed in major units."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

import streamlit as st

from app.ui.i18n import t
from app.ui.plan_forms import channel_name, segment_name, to_minor
from campaigns.planning import BUDGET_CHANNELS, Segment
from campaigns.promotions import rules as r
from campaigns.promotions.money import Rounding

KINDS = {name: cls for cls, name in r._KIND_NAMES.items()}


def _words(text: str) -> frozenset[str]:
    return frozenset(w.strip() for w in text.replace("，", ",").split(",") if w.strip())


def _dec(x: float) -> Decimal:
    return Decimal(str(x)).normalize()


def _opt(n: float | int) -> int | None:
    """0 in an optional limit means no limit."""
    return int(n) or None


def tiers_from_text(text: str, currency: str) -> tuple[r.Tier, ...]:
    """'300=50; 500=100' (major units) -> tiers; a part that is not 'a=b' raises ValueError."""
    out = []
    for part in text.replace("；", ";").split(";"):
        if part.strip():
            threshold, off = part.split("=")
            out.append(r.Tier(to_minor(threshold.strip(), currency), to_minor(off.strip(), currency)))
    return tuple(out)


def _benefit(kind: str, cur: str, key: str) -> r.Benefit:
    cols = st.columns(3)
    if kind == "percent_off":
        return r.PercentOff(_dec(cols[0].number_input(t("offer.percent"), 0.0, 1000.0, 10.0, key=f"{key}_pct")))
    if kind == "amount_off":
        amount = cols[0].number_input(t("offer.amount", cur=cur), 0.0, value=50.0, key=f"{key}_amt")
        return r.AmountOff(to_minor(amount, cur), cols[1].checkbox(t("offer.per_unit"), key=f"{key}_pu"))
    if kind == "fixed_price":
        return r.FixedPrice(to_minor(cols[0].number_input(t("offer.price", cur=cur), 0.0, value=99.0), cur))
    if kind == "tiers":
        text = cols[0].text_input(t("offer.tiers"), "300=50; 500=100", help=t("offer.tiers_help"), key=f"{key}_t")
        return r.Tiers(tiers_from_text(text, cur))
    if kind == "every_step":
        step = cols[0].number_input(t("offer.step", cur=cur), 0.0, value=300.0, key=f"{key}_st")
        off = cols[1].number_input(t("offer.off", cur=cur), 0.0, value=50.0, key=f"{key}_off")
        cap = cols[2].number_input(t("offer.cap", cur=cur), 0.0, value=0.0, help=t("coupons.zero_none"))
        return r.EveryStep(to_minor(step, cur), to_minor(off, cur), to_minor(cap, cur) or None)
    if kind == "buy_get":
        buy = cols[0].number_input(t("offer.buy"), 1, 100, 2, key=f"{key}_buy")
        get = cols[1].number_input(t("offer.get"), 1, 100, 1, key=f"{key}_get")
        return r.BuyGet(int(buy), int(get), _opt(cols[2].number_input(t("offer.max_free"), 0, 1000, 0)))
    if kind == "free_shipping":
        cap = cols[0].number_input(t("offer.cap", cur=cur), 0.0, value=0.0, help=t("coupons.zero_none"))
        return r.FreeShipping(to_minor(cap, cur) or None)
    if kind == "gift":
        product = cols[0].text_input(t("offer.gift_product"), key=f"{key}_gp")
        value = cols[1].number_input(t("offer.gift_value", cur=cur), 0.0, value=39.0, key=f"{key}_gv")
        return r.Gift(product.strip(), to_minor(value, cur), int(cols[2].number_input(t("offer.gift_qty"), 1, 100, 1)))
    if kind == "deposit":
        deposit = cols[0].number_input(t("offer.deposit", cur=cur), 0.0, value=100.0, key=f"{key}_dep")
        worth = cols[1].number_input(t("offer.worth", cur=cur), 0.0, value=150.0, key=f"{key}_worth")
        return r.Deposit(to_minor(deposit, cur), to_minor(worth, cur))
    points = cols[0].number_input(t("offer.points"), 1, 10_000_000, 100, key=f"{key}_pts")
    value = cols[1].number_input(t("offer.points_value", cur=cur), 0.0, value=1.0, key=f"{key}_pv")
    pct = cols[2].number_input(t("offer.points_max_percent"), 0.0, 100.0, 20.0, key=f"{key}_pm")
    return r.Points(int(points), to_minor(value, cur), _dec(pct))


def editor(kind: str, stage: str, currency: str, timezone: str, key: str = "offer") -> r.Offer:
    """The fields inside the caller's form; the offer they describe (checked by the service)."""
    cols = st.columns(3)
    offer_key = cols[0].text_input(t("coupons.offer_key"), max_chars=64, help=t("offer.key_help"))
    name = cols[1].text_input(t("col.name"), max_chars=200)
    priority = cols[2].number_input(t("offer.priority"), -1000, 1000, 0, help=t("offer.priority_help"))
    benefit = _benefit(kind, currency, key)
    with st.expander(t("offer.scope_and_who")):
        cols = st.columns(4)
        scope = r.Scope(
            products=_words(cols[0].text_input(t("offer.products"))),
            categories=_words(cols[1].text_input(t("offer.categories"))),
            tags=_words(cols[2].text_input(t("offer.tags"))),
            exclude=_words(cols[3].text_input(t("offer.exclude"))),
        )
        cols = st.columns(3)
        names = {str(s): segment_name(str(s)) for s in Segment}
        segments = cols[0].multiselect(
            t("campaigns.segments"), list(names), format_func=lambda s: names.get(s, s), accept_new_options=True
        )
        channel_names = {ch: channel_name(ch) for ch in BUDGET_CHANNELS}
        channels = cols[1].multiselect(t("offer.channels"), list(channel_names), format_func=channel_names.get)
        first = cols[2].checkbox(t("offer.first_order"))
        cols = st.columns(2)
        min_spend = cols[0].number_input(t("offer.min_spend", cur=currency), 0.0, value=0.0)
        min_qty = cols[1].number_input(t("offer.min_quantity"), 0, 1000, 0)
    with st.expander(t("offer.when_and_limits")):
        cols = st.columns(3)
        windowed = cols[0].checkbox(t("offer.has_window"))
        first_day = cols[1].date_input(t("calendar.start"), key=f"{key}_from")
        last_day = cols[2].date_input(t("calendar.end"), key=f"{key}_to")
        cols = st.columns(5)
        uses = cols[0].number_input(t("offer.uses"), 0, 10_000_000, 0, help=t("coupons.zero_none"))
        per_customer = cols[1].number_input(t("offer.uses_per_customer"), 0, 1000, 0, help=t("coupons.zero_none"))
        per_order = cols[2].number_input(t("flash.per_order"), 0, 1000, 0, help=t("coupons.zero_none"))
        stock = cols[3].number_input(t("flash.stock"), 0, 10_000_000, 0, help=t("coupons.zero_none"))
        budget = cols[4].number_input(t("offer.budget", cur=currency), 0.0, value=0.0, help=t("coupons.zero_none"))
        cols = st.columns(4)
        exclusive = cols[0].checkbox(t("offer.exclusive"))
        combines = cols[1].text_input(t("offer.combines_with"), help=t("offer.combines_help"))
        basis = cols[2].selectbox(
            t("offer.basis"), list(r.Basis), format_func={b: t(f"offer.basis_{b}") for b in r.Basis}.get
        )
        rounding = cols[3].selectbox(
            t("offer.rounding"), list(Rounding), format_func={x: t(f"offer.rounding_{x}") for x in Rounding}.get
        )
        partial = st.checkbox(t("offer.partial_fill"))
    window = (
        r.Window.local(datetime.combine(first_day, time.min), datetime.combine(last_day, time(23, 59, 59)), timezone)
        if windowed
        else None
    )
    return r.Offer(
        key=offer_key,
        name=name,
        currency=currency,
        stage=r.Stage(stage),
        benefit=benefit,
        scope=scope,
        eligibility=r.Eligibility(frozenset(segments), frozenset(channels), first),
        window=window,
        min_spend_minor=to_minor(min_spend, currency),
        min_quantity=int(min_qty),
        basis=r.Basis(basis),
        rounding=Rounding(rounding),
        priority=int(priority),
        exclusive=exclusive,
        combines_with=_words(combines),
        limits=r.Limits(
            uses=_opt(uses), uses_per_customer=_opt(per_customer), units_per_order=_opt(per_order), stock=_opt(stock)
        ),
        budget_minor=to_minor(budget, currency) or None,
        budget_mode=r.BudgetMode.PARTIAL_FILL if partial else r.BudgetMode.STRICT,
    )
