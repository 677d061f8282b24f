"""Offers: the workspace's promotion rules (add, change, pause) and a quote simulator that shows
what a cart costs under them, which offers applied, which did not and why, and what to add."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import streamlit as st

from app.services import offers, planning
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.catalog import CATALOG
from app.ui.container import container
from app.ui.i18n import language, t
from app.ui.offer_form import KINDS, editor
from app.ui.plan_forms import channel_name, segment_name, to_minor
from campaigns.access import Permission, allows
from campaigns.planning import BUDGET_CHANNELS, Segment
from campaigns.promotions import rules as r
from campaigns.promotions.cart import Cart, Context, Line, Shopper
from campaigns.promotions.money import Money

lang = language()
c = container()
actor = current_actor()
may_edit = allows(actor.role, Permission.EDIT_PROMOTIONS)
cur, tz = c.settings.currency, c.settings.timezone
MONEY_PARAMS = {"threshold", "amount", "missing", "budget", "spent", "needed"}
KIND_NAMES = {k: t(f"offer.kind_{k}") for k in KINDS}
STAGE_NAMES = {s: t(f"offer.stage_{s}") for s in r.Stage}
SEGMENT_NAMES = {str(s): segment_name(str(s)) for s in Segment}
CHANNEL_NAMES = {"": "–", **{ch: channel_name(ch) for ch in BUDGET_CHANNELS}}


def money(minor: int) -> str:
    return fmt.money(Money(int(minor), cur), lang)


def params(values: dict) -> dict:
    out = {}
    for k, v in values.items():
        if k == "key":  # t()'s own first argument is called key
            out["offer_key"] = v
        elif k in MONEY_PARAMS and isinstance(v, int):
            out[k] = money(v)
        elif isinstance(v, list | tuple | set | frozenset):
            out[k] = ", ".join(str(x) for x in v)
        else:
            out[k] = v
    return out


def show_problems(problems) -> None:
    for p in problems:
        leaf = p.field.split(".")[-1] if p.field else "key"
        where = t(f"offer.field_{leaf}") if f"offer.field_{leaf}" in CATALOG else p.field
        st.error(t("campaigns.problem", field=where, message=t(f"promo_error.{p.code}", **params(p.params))))


st.title(t("page.promotions"))
stored = offers.offers(c, actor)
CAMPAIGNS = {None: t("offer.all_campaigns"), **{k.id: k.name for k in planning.campaigns(c, actor)}}
if stored:
    st.dataframe(
        [
            {
                t("coupons.offer_key"): s.offer.key,
                t("col.name"): s.offer.name,
                t("offer.stage"): STAGE_NAMES[s.offer.stage],
                t("offer.kind"): KIND_NAMES.get(s.offer.kind, s.offer.kind),
                t("offer.campaign"): CAMPAIGNS.get(s.campaign_id, "–"),
                t("offer.priority"): s.offer.priority,
                t("offer.exclusive"): "✓" if s.offer.exclusive else "",
                t("col.window"): (
                    f"{fmt.moment(s.offer.window.starts_at, s.offer.window.timezone, lang)} – "
                    f"{fmt.moment(s.offer.window.ends_at, s.offer.window.timezone, lang)}"
                )
                if s.offer.window
                else "–",
                t("coupons.uses"): s.uses,
                t("col.status"): t("offer.active") if s.active else t("offer.paused"),
            }
            for s in stored
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.info(t("offer.none"))

if may_edit:
    with st.expander(t("offer.new"), expanded=not stored):
        cols = st.columns(2)
        kind = cols[0].selectbox(t("offer.kind"), list(KINDS), format_func=KIND_NAMES.get)
        stages = [s for s in r.Stage if KINDS[kind] in r.KINDS_BY_STAGE[s]]
        stage = cols[1].selectbox(t("offer.stage"), stages, format_func=STAGE_NAMES.get)
        with st.form("offer"):
            campaign = st.selectbox(t("offer.campaign"), list(CAMPAIGNS), format_func=CAMPAIGNS.get)
            try:
                offer = editor(kind, stage, cur, tz)
            except ValueError:  # tiers typed in another shape
                offer = None
            if st.form_submit_button(t("offer.save"), type="primary"):
                if offer is None:
                    st.error(
                        t("campaigns.problem", field=t("offer.field_tiers"), message=t("promo_error.tiers_format"))
                    )
                else:
                    try:
                        offers.save(c, actor, offer, campaign)
                        st.session_state["offers_flash"] = t("offer.saved", offer_key=offer.key)
                        st.rerun()
                    except offers.OfferRejected as err:
                        show_problems(err.problems)
    if flash := st.session_state.pop("offers_flash", None):
        st.success(flash)
    if stored:
        cols = st.columns(2)
        which = cols[0].selectbox(t("offer.which"), [s.offer.key for s in stored])
        now_active = next(s.active for s in stored if s.offer.key == which)
        if cols[1].button(t("offer.pause") if now_active else t("offer.resume")):
            offers.set_active(c, actor, which, not now_active)
            st.rerun()

st.subheader(t("offer.simulator"))
st.caption(t("offer.simulator_help"))
with st.form("quote"):
    rows = st.data_editor(
        [
            {"product": "sneakers", "category": "shoes", "tags": "", "price": 399.0, "quantity": 1},
            {"product": "socks", "category": "accessories", "tags": "", "price": 29.0, "quantity": 3},
        ],
        key="cart",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "product": st.column_config.TextColumn(t("offer.col_product"), required=True),
            "category": st.column_config.TextColumn(t("offer.col_category")),
            "tags": st.column_config.TextColumn(t("offer.col_tags")),
            "price": st.column_config.NumberColumn(t("offer.col_price", cur=cur), min_value=0.0, format="%.2f"),
            "quantity": st.column_config.NumberColumn(t("offer.col_quantity"), min_value=1, step=1),
        },
    )
    cols = st.columns(4)
    segments = cols[0].multiselect(
        t("campaigns.segments"), list(SEGMENT_NAMES), format_func=SEGMENT_NAMES.get, accept_new_options=True
    )
    channel = cols[1].selectbox(t("offer.channel"), list(CHANNEL_NAMES), format_func=CHANNEL_NAMES.get)
    first_order = cols[2].checkbox(t("offer.first_order"))
    shipping = cols[3].number_input(t("offer.shipping", cur=cur), 0.0, value=10.0)
    cols = st.columns(3)
    day = cols[0].date_input(t("offer.at_day"))
    clock = cols[1].time_input(t("offer.at_time"), time(10, 0))
    customer = cols[2].text_input(t("offer.customer"), help=t("offer.customer_help"))
    asked = st.form_submit_button(t("offer.quote"), type="primary")

if asked:
    lines = tuple(
        Line(
            f"{i + 1}",
            str(row.get("product") or "").strip(),
            to_minor(row.get("price"), cur),
            int(row.get("quantity") or 0),
            str(row.get("category") or "").strip(),
            frozenset(x.strip() for x in str(row.get("tags") or "").split(",") if x.strip()),
        )
        for i, row in enumerate(rows)
    )
    at = datetime.combine(day, clock, ZoneInfo(tz))
    ctx = Context(at, Shopper(customer.strip(), frozenset(segments), first_order), channel)
    try:
        q = offers.quote_cart(c, actor, Cart(cur, lines, to_minor(shipping, cur)), ctx)
    except offers.OfferRejected as err:
        show_problems(err.problems)
        st.stop()
    cols = st.columns(4)
    cols[0].metric(t("offer.original"), money(q.original_minor))
    cols[1].metric(t("offer.discount"), money(q.discount_minor + q.shipping_discount_minor))
    cols[2].metric(t("offer.shipping_after"), money(q.shipping_minor - q.shipping_discount_minor))
    cols[3].metric(t("offer.total"), money(q.total_minor))
    st.dataframe(
        [
            {
                t("offer.col_product"): x.product,
                t("offer.col_quantity"): x.quantity,
                t("offer.original"): money(x.original_minor),
                t("offer.discount"): money(x.discount_minor),
                t("offer.total"): money(x.total_minor),
            }
            for x in q.lines
        ],
        hide_index=True,
        width="stretch",
    )
    for a in q.applied:
        st.success(t("offer.applied", name=a.name, amount=money(a.amount_minor), stage=STAGE_NAMES[a.stage]))
    for x in q.rejected:
        st.info(t("offer.not_applied", name=x.name, why=t(f"reason.{x.code}", **params(x.params))))
    for h in q.hints:
        st.warning(t("offer.hint", missing=money(h.missing_minor), discount=money(h.discount_minor), name=h.name))
