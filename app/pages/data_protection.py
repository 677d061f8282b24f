"""Data protection (admins): how long each dataset is kept."""

import streamlit as st

from app.services import privacy
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, t

lang = language()
c = container()
actor = current_actor()
tz = c.settings.timezone

st.title(t("page.data_protection"))
st.write(t("privacy.hashing"))
rows = privacy.retention(c, actor)
DATASETS = {r.dataset: t(f"dataset.{r.dataset}") for r in rows}
st.dataframe(
    [
        {
            t("privacy.dataset"): t(f"dataset.{r.dataset}"),
            t("privacy.keep"): t("privacy.days", n=r.days) if r.days else t("privacy.forever"),
            t("col.updated"): fmt.moment(r.updated_at, tz, lang) if r.updated_at else fmt.NONE,
            t("privacy.by"): r.updated_by or fmt.NONE,
        }
        for r in rows
    ],
    hide_index=True,
    width="stretch",
)
with st.form("retention"):
    dataset = st.selectbox(t("privacy.dataset"), [r.dataset for r in rows], format_func=DATASETS.get)
    forever = st.checkbox(t("privacy.forever"))
    days = st.number_input(t("privacy.keep_days"), min_value=1, max_value=privacy.MAX_DAYS, value=730, step=1)
    if st.form_submit_button(t("privacy.save"), type="primary"):
        privacy.set_retention(c, actor, dataset, None if forever else int(days))
        st.rerun()
st.caption(t("privacy.purge_note"))

st.subheader(t("privacy.erase"))
st.write(t("privacy.erase_help"))
with st.form("erase", clear_on_submit=True):
    identifier = st.text_input(t("privacy.identifier"))
    sure = st.checkbox(t("privacy.confirm"))
    if st.form_submit_button(t("privacy.erase_button")):
        if not sure or not identifier.strip():
            st.error(t("privacy.confirm_needed"))
        else:
            removed = sum(privacy.erase_customer(c, actor, identifier).values())
            if removed:
                st.success(t("privacy.erased", n=removed))
            else:
                st.warning(t("privacy.nothing_found"))
