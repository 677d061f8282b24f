"""拼团 simulator: a group opened by its leader, members joining over time, and what happens at
expiry under the chosen rule (refund, continue, virtual fill) — states, refunds and revenue."""

from datetime import UTC, datetime, timedelta

import streamlit as st

from app.services import group_buys
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, t
from app.ui.plan_forms import to_minor
from campaigns.access import Permission, allows
from campaigns.promotions import groupbuy as g
from campaigns.promotions.money import Money

lang = language()
c = container()
actor = current_actor()
may_edit = allows(actor.role, Permission.EDIT_PROMOTIONS)
cur = c.settings.currency
ON_FAIL = {m: t(f"group.on_fail_{m}") for m in g.OnFail}
START = datetime(2027, 11, 11, 20, 0, tzinfo=UTC)  # any moment: the simulator counts minutes from it


def money(minor: int) -> str:
    return fmt.money(Money(minor, cur), lang)


st.title(t("page.group_buy"))
st.caption(t("group.help"))
with st.form("group"):
    cols = st.columns(3)
    size = cols[0].number_input(t("group.size"), 2, 100, 3)
    hours = cols[1].number_input(t("group.hours"), 1, 720, 24)
    on_fail = cols[2].selectbox(t("group.on_fail"), list(ON_FAIL), format_func=ON_FAIL.get)
    cols = st.columns(3)
    leader_price = cols[0].number_input(t("group.leader_price", cur=cur), 0.0, value=59.0)
    member_price = cols[1].number_input(t("group.member_price", cur=cur), 0.0, value=69.0)
    min_real = cols[2].number_input(t("group.min_real"), 2, 100, 2, help=t("group.min_real_help"))
    joins = st.data_editor(
        [{"customer": "B", "minutes": 30}, {"customer": "C", "minutes": 600}],
        key="joins",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "customer": st.column_config.TextColumn(t("group.customer"), required=True),
            "minutes": st.column_config.NumberColumn(t("group.minutes"), min_value=0, step=1, required=True),
        },
    )
    if may_edit:
        st.caption(t("group.save_help"))
        cols = st.columns(3)
        rule_key = cols[0].text_input(t("group.rule_key"), max_chars=64)
        rule_name = cols[1].text_input(t("col.name"), max_chars=200)
        per_user = cols[2].number_input(t("group.per_user"), 0, 100, 1, help=t("coupons.zero_none"))
    cols = st.columns(2)
    played = cols[0].form_submit_button(t("group.play"), type="primary")
    saved = cols[1].form_submit_button(t("group.save")) if may_edit else False

if saved:
    try:
        group_buys.define_rule(
            c, actor, rule_key, rule_name, int(size), int(hours) * 60, to_minor(leader_price, cur),
            to_minor(member_price, cur), on_fail, int(min_real), int(per_user) or None,
        )  # fmt: skip
        st.success(t("group.saved", rule=rule_key.strip()))
    except group_buys.GroupRejected as err:
        for p in err.problems:
            st.error(
                t(
                    "campaigns.problem",
                    field=t(f"group.field_{p.field}"),
                    message=t(f"promo_error.{p.code}", **p.params),
                )
            )

if played:
    rule = g.GroupBuy(
        int(size),
        timedelta(hours=int(hours)),
        to_minor(leader_price, cur),
        to_minor(member_price, cur),
        g.OnFail(on_fail),
        int(min_real),
    )
    problems = g.validate_group_buy(rule)
    for p in problems:
        st.error(t("campaigns.problem", field=t(f"group.field_{p.field}"), message=t(f"promo_error.{p.code}")))
    if problems:
        st.stop()
    group = g.open_group(rule, "A", START)
    log = [(0, t("group.opened", customer="A", price=money(rule.leader_price_minor)), group.state)]
    steps = sorted((int(j.get("minutes") or 0), str(j.get("customer") or "").strip()) for j in joins)
    for minutes, who in steps:
        if not who:
            continue
        try:
            group = g.join(group, who, START + timedelta(minutes=minutes))
            log.append((minutes, t("group.joined", customer=who, price=money(rule.member_price_minor)), group.state))
        except g.GroupRefused as err:
            log.append((minutes, t("group.refused", customer=who, why=t(f"group.refused_{err.code}")), group.state))
    end = int(hours) * 60 + 1
    group = g.expire(group, START + timedelta(minutes=end))
    log.append((end, t("group.expiry"), group.state))
    st.dataframe(
        [
            {t("group.minutes"): m, t("group.event"): what, t("col.status"): t(f"group.state_{state}")}
            for m, what, state in log
        ],
        hide_index=True,
        width="stretch",
    )
    cols = st.columns(3)
    cols[0].metric(t("col.status"), t(f"group.state_{group.state}"))
    cols[1].metric(t("group.virtual"), group.virtual_members)
    cols[2].metric(t("group.revenue"), money(group.revenue_minor))
    if group.refunds:
        st.dataframe(
            [{t("group.customer"): r.customer, t("group.refund"): money(r.amount_minor)} for r in group.refunds],
            hide_index=True,
        )
    st.caption(t("group.ships_to", customers=", ".join(group.ships_to) or "–"))

st.subheader(t("group.rules"))
kept = group_buys.rules(c, actor)
if kept:
    st.dataframe(
        [
            {
                t("group.rule_key"): x.key,
                t("col.name"): x.name,
                t("group.size"): x.size,
                t("group.hours"): round(x.duration_minutes / 60, 1),
                t("group.leader_price", cur=x.currency): fmt.money(Money(x.leader_price_minor, x.currency), lang),
                t("group.member_price", cur=x.currency): fmt.money(Money(x.member_price_minor, x.currency), lang),
                t("group.on_fail"): ON_FAIL.get(x.on_fail, x.on_fail),
                t("group.per_user"): x.per_user_limit or "–",
            }
            for x in kept
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.caption(t("group.no_rules"))

st.subheader(t("group.stored"))
stored = group_buys.groups(c, actor)
if stored:
    st.dataframe(
        [
            {
                t("group.rule"): x.rule_key,
                t("col.status"): t(f"group.state_{x.state}"),
                t("group.members"): f"{x.members} / {x.size}",
                t("group.virtual"): x.virtual_members,
                t("group.expires"): fmt.moment(x.expires_at, c.settings.timezone, lang),
                t("group.refund"): money(x.refunded_minor),
            }
            for x in stored
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.caption(t("group.none_stored"))
