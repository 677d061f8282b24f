"""Audit log (admins): who did what and when; filter and export."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from app.services import audit_log
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, t

lang = language()
c = container()
actor = current_actor()
tz = c.settings.timezone
zone = ZoneInfo(tz)

RESULTS = {r: t(f"audit.result_{r or 'any'}") for r in ("", "success", "failure", "denied")}
st.title(t("page.audit"))
today = datetime.now(zone).date()
cols = st.columns(4)
who = cols[0].text_input(t("audit.actor"))
action = cols[1].selectbox(
    t("audit.action"), ["", *audit_log.actions(c, actor)], format_func=lambda a, any_=t("audit.any"): a or any_
)
result = cols[2].selectbox(t("audit.result"), ["", "success", "failure", "denied"], format_func=RESULTS.get)
days = cols[3].date_input(t("audit.days"), value=(today - timedelta(days=30), today), max_value=today)
first, last = (days[0], days[-1]) if isinstance(days, tuple) and days else (today, today)
f = audit_log.AuditFilter(
    actor=who,
    action=action,
    result=result,
    since=datetime.combine(first, time.min, zone),
    until=datetime.combine(last, time.max, zone),
)
rows = audit_log.events(c, actor, f)
st.caption(t("audit.count", n=len(rows)) + (" " + t("audit.newest_only") if len(rows) == f.limit else ""))
st.dataframe(
    [
        {
            t("col.time"): fmt.moment(e.at, tz, lang),
            t("audit.actor"): e.actor,
            t("audit.action"): e.action,
            t("col.entity"): e.entity,
            t("audit.result"): t(f"audit.result_{e.result}"),
            t("col.detail"): e.detail,
            t("col.source"): e.source,
        }
        for e in rows
    ],
    hide_index=True,
    width="stretch",
)
if st.button(t("audit.prepare_export")):
    st.session_state["audit_csv"] = audit_log.export_csv(c, actor, f)
if "audit_csv" in st.session_state:
    st.download_button(t("audit.download"), st.session_state["audit_csv"], file_name="festa-audit.csv", mime="text/csv")
