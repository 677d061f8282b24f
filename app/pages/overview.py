"""Overview: the signed-in person's hand-offs and KOL deliverables (due within 48 hours or overdue in the deals
they own), upcoming festivals, running campaigns, next posts, last campaign's headline."""

import streamlit as st

from app.services import handoffs, kol_schedule, posts
from app.services.overview import get_overview
from app.ui import charts
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, message, t
from campaigns.access import Permission, allows
from campaigns.promotions.money import exponent

lang = language()
c, actor = container(), current_actor()
ov = get_overview(c, actor)
tz = ov.timezone
_FLASH = "overview_flash"

st.title(t("page.overview"))
if ov.workspace is None:
    st.info(t("overview.no_workspace"))
else:
    st.caption(t("overview.workspace", name=ov.workspace, tz=tz))
if flash := st.session_state.pop(_FLASH, None):
    st.success(flash)

# The reminder for hand-offs: posts this person must post by hand, each marked published here with its URL
mine = handoffs.mine(c, actor) if ov.workspace is not None else []
if mine:
    st.subheader(message("overview.handoffs", "Waiting for you to post by hand"))
    st.caption(message("overview.handoffs_help", "Post each on its platform, then mark it published with its link."))
can_mark = allows(actor.role, Permission.COMPOSE_POSTS)
for h in mine:
    p = h.post
    with st.container(border=True):
        when = fmt.moment(p.scheduled_at, p.timezone, lang) if p.scheduled_at else fmt.NONE
        state = t(f"post_state.{p.state}")
        st.markdown(t("health.post_line", post=p.id, title=p.title, account=p.account, state=state, when=when))
        st.text("\n".join(x for x in (p.body, p.link) if x))
        st.page_link("app/pages/review.py", label=t("health.open_review"), icon="🔎", query_params={"post": p.id})
        if not can_mark:
            continue
        url = st.text_input(t("health.url"), key=f"handoff_url_{p.id}", placeholder="https://")
        if st.button(t("health.went_out"), key=f"handoff_done_{p.id}"):
            try:
                done = posts.resolve(c, actor, p.id, went_out=True, url=url)
            except posts.PostRejected as err:
                why = [message(f"health_error.{x.code}", str(err), **dict(x.params)) for x in err.problems]
                st.error("\n\n".join(why))
            else:
                st.session_state[_FLASH] = t("health.retried", post=p.id, state=t(f"post_state.{done}"))
                st.rerun()

# The reminder for KOL deliverables: the deals this person owns; published links are recorded on the deal
kol_mine = kol_schedule.mine(c, actor) if ov.workspace is not None else []
if kol_mine:
    st.subheader(t("overview.kol_mine"))
    st.caption(t("overview.kol_mine_help"))
    st.dataframe(
        [
            {
                t("kolcal.col_partner"): r.item.partner,
                t("posts.campaign"): r.item.campaign,
                t("kolcal.col_kind"): t(f"kol.deliv_{r.item.kind}"),
                t("kolcal.col_platform"): t(f"kol.platform_{r.item.platform}"),
                t("kolcal.col_due"): fmt.moment(r.item.due_at, tz, lang),
                t("kolcal.col_status"): t(f"deal.status_{r.item.status}"),
                t("kolcal.col_overdue"): t("posts.kol_overdue") if r.item.overdue else "",
            }
            for r in kol_mine
        ],
        hide_index=True,
        width="stretch",
    )
    st.page_link("app/pages/kol_deals.py", label=t("posts.kol_open_deals"), icon="📝")

# Headline figures of the last finished campaign
h = ov.last_finished
if ov.workspace is not None and h is None:
    st.info(t("overview.no_finished"))
if h is not None:
    st.subheader(t("overview.last_finished", name=h.campaign))
    st.caption(t("overview.window", start=fmt.moment(h.starts_at, tz, lang), end=fmt.moment(h.ends_at, tz, lang)))
    row1 = st.columns(5)
    row1[0].metric(t("metric.impressions"), fmt.compact(h.totals.impressions, lang))
    row1[1].metric(t("metric.engagements"), fmt.compact(h.totals.engagements, lang))
    row1[2].metric(t("metric.clicks"), fmt.compact(h.totals.clicks, lang))
    row1[3].metric(t("metric.conversions"), fmt.number(h.totals.conversions, lang))
    row1[4].metric(t("metric.revenue"), fmt.compact_money(h.revenue, lang), help=fmt.money(h.revenue, lang))
    row2 = st.columns(5)
    row2[0].metric(t("metric.spend"), fmt.compact_money(h.spend, lang), help=fmt.money(h.spend, lang))
    row2[1].metric(t("metric.roi"), fmt.percent(h.roi, lang))
    row2[2].metric(t("metric.roas"), fmt.ratio(h.roas, lang))
    row2[3].metric(t("metric.ctr"), fmt.percent(h.ctr, lang))
    row2[4].metric(t("metric.conversion_rate"), fmt.percent(h.conversion_rate, lang))
    st.caption(t("overview.ratios_note"))
    if h.daily_revenue:
        st.markdown(f"**{t('overview.daily_revenue')}**")
        labels = {c: t(f"channel.{c}") for _, c, _ in h.daily_revenue}
        fig = charts.daily_revenue(h.daily_revenue, exponent(h.currency), labels, f"{t('col.revenue')} ({h.currency})")
        st.plotly_chart(fig, width="stretch")

left, right = st.columns(2)
with left:
    st.subheader(t("overview.running"))
    if not ov.running:
        st.info(t("overview.no_running"))
    else:
        st.dataframe(
            [
                {
                    t("col.name"): k.name,
                    t("col.phase"): t(f"phase.{k.phase}") if k.phase else fmt.NONE,
                    t("col.window"): f"{fmt.moment(k.starts_at, tz, lang)} – {fmt.moment(k.ends_at, tz, lang)}",
                    t("col.budget"): fmt.money(k.budget, lang),
                }
                for k in ov.running
            ],
            hide_index=True,
            width="stretch",
        )
    st.subheader(t("overview.next_posts"))
    if not ov.next_posts:
        st.info(t("overview.no_posts"))
    else:
        st.dataframe(
            [
                {
                    t("col.time"): fmt.moment(p.scheduled_at, tz, lang),
                    t("col.channel"): t(f"channel.{p.channel}"),
                    t("col.account"): p.account,
                    t("col.title"): p.title,
                }
                for p in ov.next_posts
            ],
            hide_index=True,
            width="stretch",
        )
with right:
    st.subheader(t("overview.festivals"))
    st.dataframe(
        [
            {
                t("col.festival"): f.name or t(f"festival.{f.key}"),
                t("col.date"): fmt.day(f.start, lang)
                if f.start == f.end
                else f"{fmt.day(f.start, lang)} – {fmt.day(f.end, lang)}",
                t("col.when"): fmt.days_ahead(f.days_until, lang) if f.days_until else t("overview.today"),
                t("col.timezone"): f.timezone,
            }
            for f in ov.festivals
        ],
        hide_index=True,
        width="stretch",
    )
