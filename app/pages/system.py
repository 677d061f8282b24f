"""System status: database, migrations, worker heartbeats and configuration (masked)."""

import streamlit as st

from app.services import health, workers
from app.ui import format as fmt
from app.ui.container import container
from app.ui.i18n import language, message, t

lang = language()
c = container()
tz = c.settings.timezone

st.title(t("page.system"))
checks = health.doctor(c)
st.dataframe(
    [
        {
            t("col.check"): t(f"system.{ch.name}"),
            t("col.status"): ("✅ " + t("system.ok")) if ch.ok else ("⚠️ " + t("system.problem")),
            t("col.detail"): message(ch.key, ch.detail, **ch.params),
        }
        for ch in checks
    ],
    hide_index=True,
    width="stretch",
)

st.subheader(t("system.workers"))
beats = workers.workers(c)
if not beats:
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
            for w in beats
        ],
        hide_index=True,
        width="stretch",
    )

st.subheader(t("system.configuration"))
st.dataframe(
    [{t("col.setting"): k, t("col.value"): v} for k, v in c.settings.masked().items()],
    hide_index=True,
    width="stretch",
)
