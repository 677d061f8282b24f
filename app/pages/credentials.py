"""Channel credentials (admins): stored encrypted, never shown again after saving."""

import streamlit as st

from app.services import secrets
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, t

lang = language()
c = container()
actor = current_actor()
tz = c.settings.timezone

st.title(t("page.credentials"))
st.caption(t("credentials.help"))
rows = secrets.statuses(c, actor)


def _state(s) -> str:
    if not s.stored:
        return t("credentials.none")
    return ("✅ " + t("credentials.stored")) if s.readable else ("⚠️ " + t("credentials.unreadable"))


st.dataframe(
    [
        {
            t("col.account"): s.account,
            t("col.channel"): t(f"channel.{s.channel}"),
            t("col.connector"): s.connector,
            t("col.status"): _state(s),
            t("col.updated"): fmt.moment(s.updated_at, tz, lang) if s.updated_at else fmt.NONE,
        }
        for s in rows
    ],
    hide_index=True,
    width="stretch",
)
if any(s.stored and not s.readable for s in rows):
    st.warning(t("credentials.unreadable_help"))

if rows:
    st.subheader(t("credentials.set"))
    by_name = {f"{s.account} ({t(f'channel.{s.channel}')})": s for s in rows}
    with st.form("credentials", clear_on_submit=True):
        choice = st.selectbox(t("col.account"), list(by_name))
        fields = {}
        for i in range(3):
            left, right = st.columns([1, 2])
            name = left.text_input(t("credentials.field"), value=("access_token", "", "")[i], key=f"name{i}")
            value = right.text_input(t("credentials.value"), type="password", key=f"value{i}")
            if name.strip() and value:
                fields[name.strip()] = value
        save, clear = st.columns(2)
        saved = save.form_submit_button(t("credentials.save"), type="primary")
        cleared = clear.form_submit_button(t("credentials.clear"))
    if saved:
        try:
            if not fields:
                raise ValueError(t("credentials.nothing"))
            secrets.set_credentials(c, actor, by_name[choice].account_id, fields)
            st.success(t("credentials.saved"))
            st.rerun()
        except ValueError as err:
            st.error(str(err))
    if cleared:
        secrets.clear_credentials(c, actor, by_name[choice].account_id)
        st.rerun()
