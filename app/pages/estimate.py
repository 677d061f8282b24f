"""Promotion cost estimate: expected orders and typical baskets priced under a campaign's offers;
the cost, margin and break-even, and the cost committed to the campaign's budget."""

from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import streamlit as st

from app.services import planning, promotion_estimate
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.catalog import CATALOG
from app.ui.container import container
from app.ui.i18n import language, t
from app.ui.plan_forms import pick_campaign, to_minor
from campaigns.access import Permission, allows
from campaigns.planning import PhaseKind
from campaigns.promotions.cart import Cart, Line
from campaigns.promotions.estimate import Assumptions, Basket, EstimateRejected
from campaigns.promotions.money import Money, exponent

lang = language()
c = container()
actor = current_actor()
may_commit = allows(actor.role, Permission.EDIT_CAMPAIGNS)

st.title(t("page.estimate"))
st.caption(t("estimate.help"))
rows = planning.campaigns(c, actor)
if not rows:
    st.info(t("campaign.none"))
    st.stop()
k = pick_campaign(rows, t("campaigns.open"))
plan, cur = k.plan, k.plan.currency


def money(minor: int) -> str:
    return fmt.money(Money(int(minor), cur), lang)


def major(minor: int) -> float:
    return minor / 10 ** exponent(cur)


def label_of(field: str) -> str:
    """A problem's field in words: baskets.1.lines.0.unit_minor -> Unit price #2."""
    parts = field.split(".")
    leaf = parts[-1] if len(parts) > 2 else parts[0]
    key = next((x for x in (f"estimate.field_{leaf}", f"offer.field_{leaf}") if x in CATALOG), None)
    where = t(key) if key else field
    return f"{where} #{int(parts[1]) + 1}" if len(parts) > 1 and parts[0] == "baskets" else where


def show_problems(problems) -> None:
    for p in problems:
        st.error(t("campaigns.problem", field=label_of(p.field), message=t(f"promo_error.{p.code}", **p.params)))


offers = promotion_estimate.offers_for(c, actor, k.id)
if not offers:
    st.info(t("estimate.no_offers"))
else:
    st.caption(t("estimate.offers_are", names=", ".join(o.name for o in offers)))

# Start from a past campaign's imported orders.
past = {x.id: x.name for x in rows if x.id != k.id and x.plan.currency == cur}
state = st.session_state.setdefault(f"estimate_{k.id}", {"orders": 1000, "aov": 299.0})
if past:
    cols = st.columns([3, 2])
    source = cols[0].selectbox(t("estimate.from_past"), list(past), format_func=past.get)
    if cols[1].button(t("estimate.use_past")):
        h = promotion_estimate.history(c, actor, source)
        if h is None:
            st.warning(t("estimate.past_none"))
        else:
            state.update(orders=h.orders, aov=major(h.average_order_minor))
            st.success(t("estimate.past_used", orders=fmt.number(h.orders, lang), aov=money(h.average_order_minor)))

peak = next((p for p in plan.phases if p.kind == PhaseKind.PEAK), plan.phases[0] if plan.phases else None)
start_day = (peak.starts_at if peak else plan.starts_at).astimezone(ZoneInfo(plan.timezone)).date()
with st.form(f"estimate_form_{k.id}_{state['orders']}_{state['aov']}"):
    cols = st.columns(3)
    orders = cols[0].number_input(t("estimate.orders"), 0, 100_000_000, int(state["orders"]), step=100)
    margin = cols[1].number_input(t("estimate.margin"), 0.0, 100.0, 40.0, step=1.0)
    shipping = cols[2].number_input(t("estimate.shipping", cur=cur), 0.0, value=0.0)
    aov = float(state["aov"])  # two baskets whose weighted mean is the average order
    grid = st.data_editor(
        [
            {
                "label": "A",
                "share": 60.0,
                "product": "item",
                "category": "",
                "price": round(aov * 0.6, 2),
                "quantity": 1,
            },
            {
                "label": "B",
                "share": 40.0,
                "product": "item",
                "category": "",
                "price": round(aov * 1.6, 2),
                "quantity": 1,
            },
        ],
        key=f"baskets_{k.id}_{state['aov']}",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "label": st.column_config.TextColumn(t("estimate.col_label"), required=True),
            "share": st.column_config.NumberColumn(t("estimate.col_share"), min_value=0.0, max_value=100.0),
            "product": st.column_config.TextColumn(t("offer.col_product"), required=True),
            "category": st.column_config.TextColumn(t("offer.col_category")),
            "price": st.column_config.NumberColumn(t("offer.col_price", cur=cur), min_value=0.0, format="%.2f"),
            "quantity": st.column_config.NumberColumn(t("offer.col_quantity"), min_value=1, step=1),
        },
    )
    cols = st.columns(2)
    day = cols[0].date_input(t("offer.at_day"), start_day, help=t("estimate.at_help"))
    clock = cols[1].time_input(t("offer.at_time"), time(10, 0))
    cols = st.columns(2)
    asked = cols[0].form_submit_button(t("estimate.run"), type="primary")
    commit = cols[1].form_submit_button(t("estimate.commit")) if may_commit else False

if not (asked or commit):
    st.stop()


def share(value) -> Decimal:
    try:
        return Decimal(str(value if value is not None else 0))
    except InvalidOperation:
        return Decimal(0)


baskets = tuple(
    Basket(
        str(row.get("label") or f"#{i + 1}"),
        share(row.get("share")),
        Cart(
            cur,
            (
                Line(
                    "1",
                    str(row.get("product") or "").strip(),
                    to_minor(row.get("price"), cur),
                    int(row.get("quantity") or 0),
                    str(row.get("category") or "").strip(),
                ),
            ),
            to_minor(shipping, cur),
        ),
    )
    for i, row in enumerate(grid)
)
a = Assumptions(int(orders), baskets, Decimal(str(margin)), datetime.combine(day, clock, ZoneInfo(plan.timezone)))
try:
    if commit:
        amount = promotion_estimate.commit(c, actor, k.id, a)
        st.success(t("estimate.committed", amount=money(amount)))
    e = promotion_estimate.run(c, actor, k.id, a)
except EstimateRejected as err:
    show_problems(err.problems)
    st.stop()

cols = st.columns(4)
cols[0].metric(t("estimate.cost"), money(e.cost_minor))
cols[1].metric(t("estimate.revenue"), money(e.revenue_minor), help=f"{t('estimate.gross')}: {money(e.gross_minor)}")
cols[2].metric(
    t("estimate.margin_after"),
    money(e.margin_minor),
    delta=money(e.margin_minor - e.baseline_margin_minor),
    help=t("estimate.margin_before", amount=money(e.baseline_margin_minor)),
)
cols[3].metric(
    t("estimate.break_even"),
    "–" if e.break_even_orders is None else fmt.number(e.break_even_orders, lang),
    help=t("estimate.break_even_help"),
)
if e.break_even_orders is None:
    st.warning(t("estimate.loses"))
if e.offers:
    st.dataframe(
        [
            {
                t("estimate.col_offer"): o.name,
                t("estimate.col_orders"): o.orders,
                t("estimate.cost"): money(o.cost_minor),
                t("estimate.capped"): "⚠️" if o.capped else "",
            }
            for o in e.offers
        ],
        hide_index=True,
        width="stretch",
    )
    if any(o.capped for o in e.offers):
        st.caption(t("estimate.caps_note"))
st.dataframe(
    [
        {
            t("estimate.col_label"): b.label,
            t("estimate.col_share"): f"{b.share}",
            t("estimate.col_paid"): money(b.quote.total_minor),
            t("estimate.col_discount"): money(sum(x.cost_minor for x in b.quote.applied)),
        }
        for b in e.baskets
    ],
    hide_index=True,
    width="stretch",
)
