"""Festival calendar: a year of festivals, China's holidays and 调休, custom festivals, campaigns."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from app.services import campaign_detail, festivals
from app.ui import charts
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, t
from app.ui.plan_forms import line_name
from campaigns.access import Permission, allows
from campaigns.calendar import LAST_YEAR, REGIONS, Windows

FIRST_YEAR = 1990
lang = language()
c = container()
actor = current_actor()

st.title(t("page.calendar"))
left, right = st.columns([1, 3])
year = left.number_input(t("calendar.year"), FIRST_YEAR, LAST_YEAR, value=date.today().year, step=1)
regions = right.multiselect(t("calendar.regions"), list(REGIONS), default=["CN", "US"])
view = festivals.year_view(c, actor, int(year), tuple(regions) or ("CN",))
partners = campaign_detail.choices(c, actor).partners


def _name(f) -> str:
    return f.name or t(f"festival.{f.key}")


def _local(moment: datetime, tz: str) -> datetime:
    """Wall-clock time in ``tz``: campaigns are drawn in their own zone, as festivals are."""
    return moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


festival_rows = [
    {
        "lane": t(f"calendar.kind_{f.kind}"),
        "label": _name(f),
        "start": datetime.combine(f.start, datetime.min.time()),
        "end": datetime.combine(f.end + timedelta(days=1), datetime.min.time()),
        "last": f.end,
        "group": t(f"calendar.kind_{f.kind}"),
    }
    for f in view.festivals
]
clashing = {k.a for k in view.clashes} | {k.b for k in view.clashes}
campaign_rows = [
    {
        "lane": f"⚠️ {b.name}" if b.id in clashing else b.name,
        "label": t(f"phase.{b.phase}") if b.phase else b.name,
        "start": _local(b.starts_at, b.timezone),
        "end": _local(b.ends_at, b.timezone) + timedelta(seconds=1),
        "last": _local(b.ends_at, b.timezone),
        "group": t(f"status.{b.status}"),
    }
    for b in view.campaigns
]
st.plotly_chart(charts.year_timeline(festival_rows, campaign_rows, int(year), t("calendar.legend")), width="stretch")
names = {b.id: b.name for b in view.campaigns}
for k in view.clashes:
    args = {
        "a": names[k.a],
        "b": names[k.b],
        "first": fmt.day(k.first.astimezone(ZoneInfo(view.timezone)).date(), lang),
        "last": fmt.day(k.last.astimezone(ZoneInfo(view.timezone)).date(), lang),
    }
    if k.is_budget_clash:
        shared = ", ".join(line_name(key, partners) for key in k.shared)
        st.warning(t("calendar.budget_clash", shared=shared, **args))
    else:
        st.info(t("calendar.overlap", **args))
first, last = view.holiday_years
st.caption(t("calendar.holiday_years", first=first, last=last) + " " + t("calendar.inclusive"))

st.dataframe(
    [
        {
            t("col.festival"): _name(f),
            t("col.date"): fmt.day(f.start, lang)
            if f.start == f.end
            else f"{fmt.day(f.start, lang)} – {fmt.day(f.end, lang)}",
            t("calendar.kind"): t(f"calendar.kind_{f.kind}"),
            t("calendar.region"): f.region,
            t("col.timezone"): f.timezone,
        }
        for f in view.festivals
    ],
    hide_index=True,
    width="stretch",
)

if allows(actor.role, Permission.EDIT_CAMPAIGNS):
    st.subheader(t("calendar.custom"))
    with st.form("custom_festival", clear_on_submit=True):
        name = st.text_input(t("col.name"))
        cols = st.columns(4)
        start = cols[0].date_input(t("calendar.start"), value=date(int(year), 1, 1))
        end = cols[1].date_input(t("calendar.end"), value=date(int(year), 1, 1))
        tz = cols[2].text_input(t("col.timezone"), value=view.timezone)
        region = cols[3].selectbox(t("calendar.region"), list(REGIONS))
        if st.form_submit_button(t("calendar.add"), type="primary"):
            try:
                festivals.add_custom(c, actor, name, start, end, tz.strip(), region)
                st.rerun()
            except festivals.FestivalRejected as err:
                st.error(t(f"festival_error.{err.code}"))
    own = {f.name: int(f.key.removeprefix("custom_")) for f in view.festivals if f.kind == "custom"}
    if own:
        gone = st.selectbox(t("calendar.remove_which"), list(own))
        if st.button(t("calendar.remove")):
            festivals.remove_custom(c, actor, own[gone])
            st.rerun()

    st.subheader(t("calendar.windows"))
    w = view.windows
    with st.form("windows"):
        st.caption(t("calendar.windows_help"))
        cols = st.columns(5)
        p618 = (
            cols[0].number_input(t("calendar.presale_618_month"), 1, 12, w.presale_618[0], key="presale_618_month"),
            cols[1].number_input(t("calendar.presale_618_day"), 1, 31, w.presale_618[1], key="presale_618_day"),
        )
        p1111 = (
            cols[2].number_input(
                t("calendar.presale_double_11_month"), 1, 12, w.presale_double_11[0], key="presale_double_11_month"
            ),
            cols[3].number_input(
                t("calendar.presale_double_11_day"), 1, 31, w.presale_double_11[1], key="presale_double_11_day"
            ),
        )
        nianhuo = cols[4].slider(t("calendar.nianhuo"), 0, 90, (w.nianhuo_days_before[1], w.nianhuo_days_before[0]))
        if st.form_submit_button(t("calendar.save_windows")):
            try:
                festivals.set_windows(
                    c,
                    actor,
                    Windows(tuple(map(int, p618)), tuple(map(int, p1111)), (nianhuo[1], nianhuo[0])),
                )
                st.rerun()
            except festivals.WindowsRejected as err:
                for field, code in err.problems:
                    st.error(t("campaigns.problem", field=t(f"calendar.{field}"), message=t(f"window_error.{code}")))
