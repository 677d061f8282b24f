"""One campaign: its plan, targets against results, budget (planned vs committed vs actual) and posts."""

from zoneinfo import ZoneInfo

import streamlit as st

from app.services import budgets, campaign_detail, planning
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, t
from app.ui.plan_forms import channel_name, line_name, phase_label, pick_campaign, segment_name, show_problems, to_minor
from campaigns.access import Permission, allows
from campaigns.planning import BUDGET_CHANNELS, KOL, Target, results_for_targets
from campaigns.promotions.money import Money

lang = language()
c = container()
actor = current_actor()
may_edit = allows(actor.role, Permission.EDIT_CAMPAIGNS)

st.title(t("page.campaign"))
rows = planning.campaigns(c, actor)
if not rows:
    st.info(t("campaign.none"))
    st.stop()
chosen = pick_campaign(rows, t("campaigns.open")).id
d = campaign_detail.detail(c, actor, chosen)
plan, view = d.plan, d.budget
cur = plan.currency


def money(minor: int) -> str:
    return fmt.money(Money(minor, cur), lang)


def phase_name(i: int) -> str:
    return phase_label(plan.phases[i])


st.subheader(plan.name)
st.caption(
    " · ".join(
        [
            t(f"status.{d.status}"),
            t(f"objective.{plan.objective}"),
            t("campaign.owner_is", owner=d.owner or t("campaigns.no_owner")),
            f"{fmt.moment(plan.starts_at, plan.timezone, lang)} – {fmt.moment(plan.ends_at, plan.timezone, lang)}"
            f" ({plan.timezone})",
        ]
        + (
            [t("campaign.segments_are", segments=", ".join(segment_name(s) for s in plan.segments))]
            if plan.segments
            else []
        )
    )
)
cols = st.columns(4)
cols[0].metric(t("budget.planned"), money(view.total.planned))
cols[1].metric(t("budget.committed"), money(view.total.committed))
cols[2].metric(t("budget.actual"), money(view.total.actual))
cols[3].metric(t("col.revenue"), money(d.results.revenue_minor))

for row in view.warnings:
    where = (
        t("budget.total")
        if row.key == "total"
        else (
            phase_name(int(row.key.split(":")[1])) if row.key.startswith("phase:") else line_name(row.key, d.partners)
        )
    )
    st.warning(t("budget.over", where=where, committed=money(row.committed), planned=money(row.planned)))

st.subheader(t("campaign.targets"))
got = results_for_targets(d.results)


def shown(target: str, value) -> str:
    if value is None:
        return "–"
    if target == Target.GMV:
        return money(int(value))
    if target == Target.ROI:
        return fmt.percent(value, lang)
    return fmt.number(value, lang)


if plan.targets:
    st.dataframe(
        [
            {
                t("campaign.target"): t(f"target.{k}"),
                t("campaign.goal"): shown(k, v),
                t("campaign.so_far"): shown(k, got[k]),
            }
            for k, v in plan.targets.items()
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.caption(t("campaign.no_targets"))


def budget_table(budget_rows, name) -> None:
    st.dataframe(
        [
            {
                t("budget.line"): name(r.key),
                t("budget.planned"): money(r.planned),
                t("budget.committed"): money(r.committed),
                t("budget.actual"): money(r.actual),
                t("budget.remaining"): money(r.remaining),
                "": "⚠️" if r.over_committed else "",
            }
            for r in budget_rows
        ],
        hide_index=True,
        width="stretch",
    )


st.subheader(t("campaign.budget"))
st.caption(t("budget.help"))
st.markdown(f"**{t('budget.by_line')}**")
budget_table(view.lines, lambda key: line_name(key, d.partners))
st.markdown(f"**{t('budget.by_phase')}**")
budget_table(
    view.phases,
    lambda key: phase_name(int(key.split(":")[1])) if key.startswith("phase:") else line_name(key, d.partners),
)

st.markdown(f"**{t('budget.commitments')}**")
if view.commitments:
    st.dataframe(
        [
            {
                t("col.day"): fmt.day(x.day, lang),
                t("col.channel"): channel_name(x.channel),
                t("col.partner"): d.partners.get(x.partner_id, "") if x.partner_id else "",
                t("budget.amount"): money(x.amount_minor),
                t("col.source"): t(f"budget.source_{x.source}"),
                t("budget.note"): x.note,
            }
            for x in view.commitments
        ],
        hide_index=True,
        width="stretch",
    )
if may_edit:
    with st.form(f"commit_{chosen}", clear_on_submit=True):
        cols = st.columns(4)
        channel = cols[0].selectbox(
            t("col.channel"), list(BUDGET_CHANNELS), format_func={ch: channel_name(ch) for ch in BUDGET_CHANNELS}.get
        )
        partner = cols[1].selectbox(t("col.partner"), [None, *d.partners], format_func={None: "–", **d.partners}.get)
        day = cols[2].date_input(t("budget.day"), plan.starts_at.astimezone(ZoneInfo(plan.timezone)).date())
        amount = cols[3].number_input(f"{t('budget.amount')} ({cur})", min_value=0.0, step=1_000.0)
        note = st.text_input(t("budget.note"), max_chars=200)
        if st.form_submit_button(t("budget.commit"), type="primary"):
            try:
                budgets.commit(c, actor, chosen, KOL if partner else channel, partner, day, to_minor(amount, cur), note)
                st.rerun()
            except planning.PlanRejected as err:
                show_problems(err.problems, currency=cur, lang=lang)
    own = [x for x in view.commitments if x.kol_deal_id is None]  # a deal's fees change on the deal
    if own:
        labels = {
            x.id: f"{fmt.day(x.day, lang)} · {channel_name(x.channel)} · {money(x.amount_minor)} {x.note}" for x in own
        }
        gone = st.selectbox(t("budget.remove_which"), list(labels), format_func=labels.get)
        if st.button(t("budget.remove")):
            budgets.uncommit(c, actor, chosen, gone)
            st.rerun()

st.subheader(t("campaign.results"))
st.dataframe(
    [
        {
            t("col.channel"): channel_name(ch),
            t("metric.impressions"): fmt.number(x.impressions, lang),
            t("metric.clicks"): fmt.number(x.clicks, lang),
            t("metric.conversions"): fmt.number(x.conversions, lang),
            t("col.revenue"): money(x.revenue_minor),
            t("metric.spend"): money(x.spend_minor),
        }
        for ch, x in sorted(d.by_channel.items())
    ],
    hide_index=True,
    width="stretch",
)

st.subheader(t("campaign.posts"))
if d.posts:
    st.dataframe(
        [
            {
                t("col.title"): p.title,
                t("col.channel"): channel_name(p.channel),
                t("col.account"): p.account,
                t("col.status"): t(f"post_state.{p.state}"),
                t("col.time"): fmt.moment(p.published_at or p.scheduled_at, plan.timezone, lang)
                if (p.published_at or p.scheduled_at)
                else "–",
            }
            for p in d.posts
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.caption(t("campaign.no_posts"))
