"""The way in: first admin, sign-in, lock-out, forced password change, sign-out, expiry."""

from datetime import timedelta

import pytest

from app.services import accounts, audit_log, auth
from app.services.auth import Actor
from tests.app.conftest import ADMIN_PASSWORD, run_app, visible_text


def _sign_in(at, email, password):
    at.text_input[0].input(email)
    at.text_input[1].input(password)
    at.button[0].click()
    return at.run()


def test_first_start_asks_for_the_first_admin_and_has_no_default_password(migrated):
    at = run_app("en")
    assert at.title[0].value == "Create the first admin"
    for value, text in zip(at.text_input, ["owner@example.com", "Owner", "short", "short"], strict=True):
        value.input(text)
    at.button[0].click()
    at.run()
    assert "shorter than 12 characters" in at.error[0].value
    good = "a good long passphrase"
    for value, text in zip(at.text_input, ["owner@example.com", "Owner", good, good], strict=True):
        value.input(text)
    at.button[0].click()
    at.run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert "Signed in as Owner (Admin)" in visible_text(at)


def test_wrong_passwords_then_lock_out(admin_app):
    at = run_app("en")
    assert at.title[0].value == "Sign in"
    for _ in range(5):
        at = _sign_in(at, "boss@example.com", "not the password")
        assert at.error[0].value.startswith("Wrong e-mail or password. After 5 failed attempts")
    at = _sign_in(at, "boss@example.com", ADMIN_PASSWORD)  # locked now: the same answer
    assert at.error[0].value.startswith("Wrong e-mail or password.") and at.title[0].value == "Sign in"
    with admin_app.uow() as uow:
        assert uow.users.by_email("boss@example.com").locked_until is not None


def test_sign_in_then_sign_out(admin_app):
    at = _sign_in(run_app("zh-CN"), "boss@example.com", ADMIN_PASSWORD)
    assert at.title[0].value == "概览"
    token = at.session_state["festa_token"]
    at.sidebar.button[0].click()
    at.run()
    assert at.title[0].value == "登录"
    assert auth.resume(admin_app, token) is None


def test_a_new_account_must_choose_its_own_password_first(admin_app):
    admin = auth.resume(admin_app, admin_app.admin_token)
    _, temp = accounts.create_user(admin_app, admin, "writer@example.com", "Writer", "content")
    at = _sign_in(run_app("en"), "writer@example.com", temp)
    assert at.title[0].value == "Choose your own password first"
    current, new, again = at.text_input
    current.input(temp)
    new.input("my own long passphrase")
    again.input("my own long passphrase")
    at.button[0].click()  # the form's submit button (the sidebar's sign-out is not in at.button[0])
    at.run()
    assert at.title[0].value == "Overview"
    assert "Your password has been changed." in visible_text(at)


def test_an_expired_session_goes_back_to_sign_in(admin_app):
    at = run_app("en", admin_app.admin_token)
    assert at.title[0].value == "Overview"
    later = admin_app.clock() + timedelta(hours=13)
    from app.ui.container import _ready_container

    _ready_container().clock = lambda: later
    at.run()
    assert at.title[0].value == "Sign in"
    assert "Your session has ended" in at.info[0].value


def test_a_token_from_elsewhere_is_refused_and_recorded(admin_app):
    sid, mac = admin_app.admin_token.split(".")
    at = run_app("en", f"{sid}.{'0' * len(mac)}")
    assert at.title[0].value == "Sign in"
    events = audit_log.events(admin_app, Actor.system(), audit_log.AuditFilter(action="authn_session_invalid"))
    assert len(events) == 1


def test_pages_a_role_may_not_use_are_not_registered_for_it(demo_app):
    from tests.app.conftest import token_for

    admin_pages = [
        ("app/pages/users.py", "Users"),
        ("app/pages/audit_log.py", "Audit log"),
        ("app/pages/credentials.py", "Channel credentials"),
        ("app/pages/system.py", "System status"),
        ("app/pages/data_protection.py", "Data protection"),
    ]
    content = run_app("en", token_for(demo_app, "content"))
    admin = run_app("en", token_for(demo_app, "admin"))
    for path, title in admin_pages:
        with pytest.raises(ValueError, match="Known pages") as err:
            content.switch_page(path)
        known = str(err.value).split("Known pages:")[1]
        assert "overview.py" in known and not any(p.split("/")[-1] in known for p, _ in admin_pages)
        admin.switch_page(path).run()
        assert not admin.exception
        assert admin.title[0].value == title


class FakeUser(dict):
    """What st.user holds after an OIDC sign-in through st.login."""

    @property
    def is_logged_in(self):
        return bool(self.get("email"))


def test_single_sign_on_maps_to_the_festa_account(demo_app, monkeypatch):
    import streamlit as st

    monkeypatch.setattr(st, "user", FakeUser(email="Manager@demo.festa.test"))
    at = AppTestWithSso()
    assert at.title[0].value == "Overview"
    assert "Signed in as Demo manager (Manager)" in visible_text(at)


def test_single_sign_on_without_a_festa_account_is_refused(demo_app, monkeypatch):
    import streamlit as st

    logged_out = []
    monkeypatch.setattr(st, "user", FakeUser(email="stranger@example.com"))
    monkeypatch.setattr(st, "logout", lambda: logged_out.append(True))
    at = AppTestWithSso()
    assert at.title[0].value == "Sign in"
    assert "has no Festa account" in at.info[0].value
    assert logged_out == [True]
    assert any(b.label == "Sign in with single sign-on" for b in at.button)


def AppTestWithSso():  # noqa: N802 - reads like the AppTest it builds
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x"}
    return at.run()
