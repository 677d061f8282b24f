"""The sign-in gate: first-admin screen, sign-in form, forced password change, sign-out."""

from __future__ import annotations

import streamlit as st

from app.bootstrap import Container
from app.services import accounts, auth
from app.ui.i18n import t

TOKEN = "festa_token"
COOKIE = "festa_session"  # lets a reload or a new tab resume the session; revoked server-side on sign-out
_COOKIE_TODO = "festa_cookie_todo"  # "set" | "clear": written on the next run (st.rerun ends this one)
_NOTICE = "festa_auth_notice"


def current_actor() -> auth.Actor:
    """The signed-in actor of this run (set by ``gate``)."""
    return st.session_state["festa_actor"]


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return False


def gate(c: Container) -> auth.Actor | None:
    """Resume the session or show the way in. Returns the actor, or None after drawing a form."""
    token = st.session_state.get(TOKEN)
    cookie = st.context.cookies.get(COOKIE)
    from_cookie = token is None and isinstance(cookie, str) and bool(cookie)
    if from_cookie:
        token = cookie
    actor = auth.resume(c, token)
    sso = _sso_configured() and bool(getattr(st.user, "is_logged_in", False))
    if actor is None and token:
        st.session_state.pop(TOKEN, None)
        st.session_state[_COOKIE_TODO] = "clear"
        if not from_cookie:
            st.session_state[_NOTICE] = "auth.expired"
        if sso:  # Festa's session ended: the identity provider is asked again, not trusted for 30 days
            st.logout()
            sso = False
    elif actor is not None:
        st.session_state[TOKEN] = token
    _write_cookie(c)
    if actor is None and sso:
        result = auth.sign_in_sso(c, st.user.get("email", ""), st.user.get("email_verified"))
        if result.outcome == "ok":
            st.session_state[TOKEN] = result.token
            st.session_state[_COOKIE_TODO] = "set"
            actor = result.actor
        else:
            st.session_state[_NOTICE] = "auth.sso_refused"
            st.logout()
    if actor is not None:
        st.session_state["festa_actor"] = actor
        return actor
    if auth.needs_first_admin(c):
        _first_admin(c)
    else:
        _sign_in(c)
    return None


def notice() -> None:
    key = st.session_state.pop(_NOTICE, None)
    if key:
        st.info(t(key))


def _sign_in(c: Container) -> None:
    st.title(t("auth.sign_in"))
    notice()
    with st.form("sign_in"):
        email = st.text_input(t("auth.email"), autocomplete="username")
        password = st.text_input(t("auth.password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("auth.sign_in"), type="primary")
    if submitted:
        result = auth.sign_in(c, email, password)
        if result.outcome == "ok":
            st.session_state[TOKEN] = result.token
            st.session_state[_COOKIE_TODO] = "set"
            st.rerun()
        st.error(t("auth.invalid"))  # the same words for an unknown e-mail, a wrong password, a lock
    if _sso_configured():
        st.button(t("auth.sso"), on_click=st.login)


def _first_admin(c: Container) -> None:
    st.title(t("auth.first_admin"))
    st.write(t("auth.first_admin_help"))
    with st.form("first_admin"):
        email = st.text_input(t("auth.email"), autocomplete="username")
        name = st.text_input(t("auth.name"))
        password = st.text_input(t("auth.password"), type="password", autocomplete="new-password")
        again = st.text_input(t("auth.password_again"), type="password", autocomplete="new-password")
        submitted = st.form_submit_button(t("auth.create_admin"), type="primary")
    if not submitted:
        return
    if password != again:
        st.error(t("auth.passwords_differ"))
        return
    try:
        result = auth.create_first_admin(c, email, name, password)
    except auth.PasswordRejected as err:
        show_password_problems(err)
        return
    except auth.AccessDenied:
        st.error(t("auth.admin_exists"))
        return
    st.session_state[TOKEN] = result.token
    st.session_state[_COOKIE_TODO] = "set"
    st.rerun()


def _write_cookie(c: Container) -> None:
    """Set or clear the session cookie in the browser (SameSite=Strict; Secure over https)."""
    todo = st.session_state.pop(_COOKIE_TODO, None)
    if todo is None:
        return
    token = st.session_state.get(TOKEN, "") if todo == "set" else ""
    max_age = c.settings.session_max_hours * 3600 if token else 0
    st.html(
        "<script>document.cookie = '" + f"{COOKIE}={token}; path=/; SameSite=Strict; max-age={max_age}"
        "' + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def show_password_problems(err: auth.PasswordRejected) -> None:
    st.error(t("password.rejected", problems="; ".join(t(f"password.{p}") for p in err.problems)))


def must_change_password(c: Container, actor: auth.Actor) -> None:
    st.title(t("account.change_required"))
    password_form(c, actor)


def password_form(c: Container, actor: auth.Actor) -> None:
    with st.form("change_password", clear_on_submit=True):
        current = st.text_input(t("account.current_password"), type="password", autocomplete="current-password")
        new = st.text_input(t("account.new_password"), type="password", autocomplete="new-password")
        again = st.text_input(t("auth.password_again"), type="password", autocomplete="new-password")
        submitted = st.form_submit_button(t("account.change_password"), type="primary")
    if not submitted:
        return
    if new != again:
        st.error(t("auth.passwords_differ"))
        return
    try:
        token = accounts.change_own_password(c, actor, current, new)
    except auth.PasswordRejected as err:
        show_password_problems(err)
    except accounts.AccountError as err:
        st.error(t(f"account.{err.code}"))
    else:
        st.session_state[TOKEN] = token  # every other session of this account has ended
        st.session_state[_COOKIE_TODO] = "set"
        st.session_state[_NOTICE] = "account.changed"
        st.rerun()


def sign_out_button(c: Container, actor: auth.Actor) -> None:
    st.sidebar.caption(t("auth.signed_in_as", name=actor.name, role=t(f"role.{actor.role}")))
    if st.sidebar.button(t("auth.sign_out")):
        auth.sign_out(c, st.session_state.pop(TOKEN, None))
        st.session_state.pop("festa_actor", None)
        st.session_state[_COOKIE_TODO] = "clear"
        if _sso_configured() and getattr(st.user, "is_logged_in", False):
            st.logout()
        st.rerun()
