"""Users (admins): accounts, roles, password resets, lock-outs."""

import streamlit as st

from app.services import accounts
from app.ui import format as fmt
from app.ui.auth import current_actor
from app.ui.container import container
from app.ui.i18n import language, t
from campaigns.access import Role

lang = language()
c = container()
actor = current_actor()
tz = c.settings.timezone
roles = [str(r) for r in Role]
ROLE_NAMES = {r: t(f"role.{r}") for r in roles}  # labels fixed for this run (widgets call format_func later)

st.title(t("page.users"))
users = accounts.list_users(c, actor)
st.dataframe(
    [
        {
            t("col.email"): u.email,
            t("col.name"): u.name,
            t("col.role"): t(f"role.{u.role}"),
            t("col.active"): "✅" if u.active else "—",
            t("col.locked_until"): fmt.moment(u.locked_until, tz, lang) if u.locked_until else fmt.NONE,
            t("col.must_change"): "✅" if u.must_change_password else "—",
            t("col.last_login"): fmt.moment(u.last_login_at, tz, lang) if u.last_login_at else fmt.NONE,
        }
        for u in users
    ],
    hide_index=True,
    width="stretch",
)


def _once(password: str, email: str) -> None:
    st.success(t("users.password_once", email=email))
    st.code(password, language=None)


left, right = st.columns(2)
with left:
    st.subheader(t("users.add"))
    with st.form("add_user", clear_on_submit=True):
        email = st.text_input(t("auth.email"))
        name = st.text_input(t("auth.name"))
        role = st.selectbox(t("col.role"), roles, format_func=ROLE_NAMES.get, index=roles.index("content"))
        if st.form_submit_button(t("users.add"), type="primary"):
            try:
                user, password = accounts.create_user(c, actor, email, name, role)
                _once(password, user.email)
            except accounts.AccountError as err:
                st.error(t(f"account.{err.code}"))

with right:
    st.subheader(t("users.change"))
    by_email = {u.email: u for u in users}
    chosen = st.selectbox(t("auth.email"), list(by_email))
    if chosen:
        user = by_email[chosen]
        new_role = st.selectbox(
            t("col.role"), roles, index=roles.index(user.role), format_func=ROLE_NAMES.get, key="role"
        )
        cols = st.columns(4)
        try:
            if cols[0].button(t("users.save_role")):
                accounts.set_role(c, actor, user.id, new_role)
                st.rerun()
            if cols[1].button(t("users.reset_password")):
                _once(accounts.reset_password(c, actor, user.id), user.email)
            if cols[2].button(t("users.deactivate") if user.active else t("users.reactivate")):
                accounts.set_active(c, actor, user.id, not user.active)
                st.rerun()
            if cols[3].button(t("users.unlock"), disabled=user.locked_until is None):
                accounts.unlock(c, actor, user.id)
                st.rerun()
        except accounts.AccountError as err:
            st.error(t(f"account.{err.code}"))
