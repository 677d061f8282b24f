"""Festival calendar: a year of festivals, China's holidays and 调休, custom festivals, campaigns."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from app.services import festivals
from app.ui import charts
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, t
from campaigns.access import Permission, allows
from campaigns.calendar import LAST_YEAR, REGIONS

FIRST_YEAR = 1990
lang = language()
c = container()
actor = current_actor()

st.title(t("page.calendar"))
left, right = st.columns([1, 3])
year = left.number_input(t("calendar.year"), FIRST_YEAR, LAST_YEAR, value=date.today().year, step=1)
regions = right.multiselect(t("calendar.regions"), list(REGIONS), default=["CN", "US"])
view = festivals.year_view(c, actor, int(year), tuple(regions) or ("CN",))


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
campaign_rows = [
    {
        "lane": b.name,
        "label": t(f"phase.{b.phase}") if b.phase else b.name,
        "start": _local(b.starts_at, b.timezone),
        "end": _local(b.ends_at, b.timezone) + timedelta(seconds=1),
        "last": _local(b.ends_at, b.timezone),
        "group": t(f"status.{b.status}"),
    }
    for b in view.campaigns
]
st.plotly_chart(charts.year_timeline(festival_rows, campaign_rows, int(year), t("calendar.legend")), width="stretch")
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
