"""Coupon codes and flash-sale stock: batches of unique codes (create, export) and the stock an
offer may sell at its flash price, with what is reserved so far."""

import streamlit as st

from app.services import coupons, flash_sales
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, t
from campaigns.access import Permission, allows
from campaigns.promotions import codes

lang = language()
c = container()
actor = current_actor()
may_issue = allows(actor.role, Permission.ISSUE_COUPONS)
may_edit = allows(actor.role, Permission.EDIT_PROMOTIONS)
MODES = {m: t(f"coupons.mode_{m}") for m in codes.Mode}
FORMATS = {
    "csv": t("coupons.format_csv"),
    "shopify": t("coupons.format_shopify"),
    "woocommerce": t("coupons.format_woo"),
}


def bad_input(err: codes.InvalidInput) -> None:
    st.error(t("coupons.bad_input", field=t(f"coupons.field_{err.field}"), problem=err.problem))


def limit(n: int | None) -> str:
    return "–" if n is None else fmt.number(n, lang)


st.title(t("page.coupons"))
st.caption(t("coupons.help", alphabet=codes.ALPHABET, bits=codes.DEFAULT_BITS))
batches = coupons.batches(c, actor)
if batches:
    st.dataframe(
        [
            {
                t("col.name"): b.name,
                t("coupons.offer_key"): b.offer_key,
                t("coupons.mode"): MODES.get(b.mode, b.mode),
                t("coupons.count"): fmt.number(b.count, lang),
                t("coupons.max_uses"): limit(b.max_uses),
                t("coupons.per_customer"): limit(b.per_customer),
                t("coupons.uses"): fmt.number(b.uses, lang),
                t("coupons.used_codes"): fmt.number(b.used_codes, lang),
                t("col.time"): fmt.moment(b.created_at, c.settings.timezone, lang),
            }
            for b in batches
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.info(t("coupons.none"))

if may_issue:
    with st.expander(t("coupons.new"), expanded=not batches):
        with st.form("new_batch"):
            cols = st.columns(3)
            offer_key = cols[0].text_input(t("coupons.offer_key"), max_chars=100)
            name = cols[1].text_input(t("col.name"), max_chars=200)
            prefix = cols[2].text_input(t("coupons.prefix"), max_chars=codes.MAX_PREFIX)
            cols = st.columns(4)
            count = cols[0].number_input(t("coupons.count"), 1, 1_000_000, 100, step=100)
            mode = cols[1].selectbox(t("coupons.mode"), list(MODES), format_func=MODES.get)
            max_uses = cols[2].number_input(t("coupons.max_uses"), 0, 10_000_000, 0, help=t("coupons.zero_none"))
            per_customer = cols[3].number_input(t("coupons.per_customer"), 0, 1_000, 0, help=t("coupons.zero_none"))
            if st.form_submit_button(t("coupons.create"), type="primary"):
                try:
                    made = coupons.create_batch(
                        c, actor, offer_key, name, int(count), mode, int(max_uses) or None, int(per_customer) or None,
                        prefix,
                    )  # fmt: skip
                    st.session_state["coupons_flash"] = t("coupons.created", count=fmt.number(made.count, lang))
                    st.rerun()
                except codes.InvalidInput as err:
                    bad_input(err)
    if flash := st.session_state.pop("coupons_flash", None):
        st.success(flash)
    if batches:
        st.subheader(t("coupons.export"))
        cols = st.columns(3)
        labels = {b.id: f"{b.name} · {b.offer_key}" for b in batches}
        batch = cols[0].selectbox(t("coupons.batch"), list(labels), format_func=labels.get)
        kind = cols[1].selectbox(t("coupons.format"), list(FORMATS), format_func=FORMATS.get)
        if cols[2].button(t("coupons.prepare")):  # exporting is audited, so only when asked
            st.session_state["coupons_export"] = (batch, kind, coupons.export_batch(c, actor, batch, kind))
        ready = st.session_state.get("coupons_export")
        if ready and ready[:2] == (batch, kind):
            st.download_button(t("coupons.download"), ready[2], f"coupons-{batch}-{kind}.csv", "text/csv")
        st.caption(t("coupons.formats_help"))

st.subheader(t("flash.title"))
stocks = flash_sales.stocks(c, actor)
if stocks:
    st.dataframe(
        [
            {
                t("coupons.offer_key"): s.offer_key,
                t("flash.stock"): fmt.number(s.stock, lang),
                t("flash.reserved"): fmt.number(s.reserved, lang),
                t("flash.left"): fmt.number(s.stock - s.reserved, lang),
                t("flash.per_user"): limit(s.per_user_limit),
                t("flash.per_order"): limit(s.per_order_limit),
            }
            for s in stocks
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.caption(t("flash.none"))
if may_edit:
    with st.form("flash_stock"):
        cols = st.columns(4)
        key = cols[0].text_input(t("coupons.offer_key"), max_chars=100)
        stock = cols[1].number_input(t("flash.stock"), 0, 10_000_000, 100)
        per_user = cols[2].number_input(t("flash.per_user"), 0, 1_000, 1, help=t("coupons.zero_none"))
        per_order = cols[3].number_input(t("flash.per_order"), 0, 1_000, 1, help=t("coupons.zero_none"))
        if st.form_submit_button(t("flash.save")):
            try:
                flash_sales.set_stock(c, actor, key, int(stock), int(per_user) or None, int(per_order) or None)
                st.rerun()
            except codes.InvalidInput as err:
                bad_input(err)
