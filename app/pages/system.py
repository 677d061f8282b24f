"""System status: database, migrations, worker heartbeats and configuration (masked)."""

import streamlit as st

from app.services import health
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, message, t

lang = language()
c = container()
tz = c.settings.timezone
status = health.status(c, current_actor())

st.title(t("page.system"))
st.dataframe(
    [
        {
            t("col.check"): t(f"system.{ch.name}"),
            t("col.status"): ("✅ " + t("system.ok")) if ch.ok else ("⚠️ " + t("system.problem")),
            t("col.detail"): message(ch.key, ch.detail, **ch.params),
        }
        for ch in status.checks
    ],
    hide_index=True,
    width="stretch",
)

st.subheader(t("system.workers"))
if not status.workers:
    st.warning(t("system.no_workers"))
else:
    st.dataframe(
        [
            {
                t("col.worker"): w.worker_id,
                t("col.started"): fmt.moment(w.started_at, tz, lang),
                t("col.last_beat"): fmt.moment(w.beat_at, tz, lang),
                t("col.ticks"): w.ticks,
                t("col.last_problem"): w.last_problem or fmt.NONE,
            }
            for w in status.workers
        ],
        hide_index=True,
        width="stretch",
    )

st.subheader(t("system.configuration"))
st.dataframe(
    [{t("col.setting"): k, t("col.value"): v} for k, v in status.settings.items()],
    hide_index=True,
    width="stretch",
)
