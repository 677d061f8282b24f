from datetime import timedelta

import pytest

from app.bootstrap import build_container
from app.services import accounts, auth
from app.services.auth import AccessDenied, Actor
from campaigns.passwords import MAX_FAILURES
from data.models import AuditEvent
from tests.conftest import NOW, make_settings

PASSWORD = "correct horse battery"


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self):
        return self.now


@pytest.fixture
def c(container):
    container.clock = Clock()
    auth.create_first_admin(container, "Boss@Example.com ", "Boss", PASSWORD)
    return container


def _events(c, action):
    with c.uow() as uow:
        return uow.session.query(AuditEvent).filter_by(action=action).order_by(AuditEvent.id).all()


def test_first_admin_only_once(c):
    assert not auth.needs_first_admin(c)
    with pytest.raises(AccessDenied):
        auth.create_first_admin(c, "intruder@example.com", "X", "another long password")
    assert [u.email for u in accounts.list_users(c, Actor.system())] == ["boss@example.com"]


def test_first_admin_needs_a_real_password(container):
    with pytest.raises(auth.PasswordRejected) as err:
        auth.create_first_admin(container, "boss@example.com", "Boss", "short")
    assert "too_short" in err.value.problems
    assert auth.needs_first_admin(container)


def test_sign_in_opens_a_session_and_sign_out_ends_it(c):
    result = auth.sign_in(c, "  BOSS@example.com", PASSWORD)
    assert result.outcome == "ok" and result.actor.role == "admin"
    assert auth.resume(c, result.token).email == "boss@example.com"
    auth.sign_out(c, result.token)
    assert auth.resume(c, result.token) is None
    assert [e.action for e in _events(c, "authn_logout")] == ["authn_logout"]


def _locked(c, email="boss@example.com"):
    with c.uow() as uow:
        return uow.users.by_email(email).locked_until is not None


def test_wrong_passwords_in_a_loop_lock_the_account(c):
    for i in range(MAX_FAILURES):
        assert auth.sign_in(c, "boss@example.com", f"wrong {i}").outcome == "invalid"
    assert _locked(c)
    # the right password is refused while locked, with the same answer as a wrong one
    assert auth.sign_in(c, "boss@example.com", PASSWORD).outcome == "invalid"
    assert len(_events(c, "authn_login_fail")) == MAX_FAILURES + 1
    assert len(_events(c, "authn_account_locked")) == 1
    c.clock.now += timedelta(minutes=16)  # the lock runs out, and the count starts again:
    assert auth.sign_in(c, "boss@example.com", "one more typo").outcome == "invalid"
    assert not _locked(c)  # one typo after a lock does not lock again
    assert auth.sign_in(c, "boss@example.com", PASSWORD).outcome == "ok"


def test_parallel_guesses_cannot_outrun_the_lock_out(c):
    import threading

    threads = [threading.Thread(target=auth.sign_in, args=(c, "boss@example.com", f"guess {i}")) for i in range(12)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    with c.uow() as uow:
        user = uow.users.by_email("boss@example.com")
    assert user.locked_until is not None
    assert user.failed_logins >= MAX_FAILURES  # no count lost (guesses after the lock are not counted)
    assert len(_events(c, "authn_login_fail")) == 12


def test_a_lock_out_does_not_end_live_sessions(c):
    token = auth.sign_in(c, "boss@example.com", PASSWORD).token
    for i in range(MAX_FAILURES):
        auth.sign_in(c, "boss@example.com", f"attacker {i}")
    assert _locked(c) and auth.resume(c, token) is not None


def test_a_password_typed_as_the_login_name_is_not_recorded(c):
    auth.sign_in(c, "MySecretPassw0rd!", PASSWORD)
    [event] = _events(c, "authn_login_fail")
    assert "MySecretPassw0rd" not in event.actor and "mysecretpassw0rd" not in event.actor
    assert event.actor.startswith("(not an e-mail")


def test_a_non_ascii_token_is_just_refused(c):
    assert auth.resume(c, "é.ü") is None
    auth.sign_out(c, "é.ü")


def test_unknown_accounts_get_the_same_answer_and_are_recorded(c):
    assert auth.sign_in(c, "nobody@example.com", PASSWORD).outcome == "invalid"
    [event] = _events(c, "authn_login_fail")
    assert event.actor == "nobody@example.com" and event.result == "failure"
    assert PASSWORD not in event.detail


def test_an_admin_unlocks_and_resets(c):
    admin = auth.sign_in(c, "boss@example.com", PASSWORD).actor
    user, first = accounts.create_user(c, admin, "writer@example.com", "Writer", "content")
    for _ in range(MAX_FAILURES):
        auth.sign_in(c, "writer@example.com", "nope nope nope")
    assert auth.sign_in(c, "writer@example.com", first).outcome == "invalid"
    accounts.unlock(c, admin, user.id)
    assert auth.sign_in(c, "writer@example.com", first).outcome == "ok"
    session = auth.sign_in(c, "writer@example.com", first).token
    temp = accounts.reset_password(c, admin, user.id)
    assert auth.resume(c, session) is None  # a reset signs the account out everywhere
    assert auth.sign_in(c, "writer@example.com", first).outcome == "invalid"
    assert auth.sign_in(c, "writer@example.com", temp).actor.must_change_password


def test_sessions_expire_when_idle_and_at_their_maximum_age(c):
    token = auth.sign_in(c, "boss@example.com", PASSWORD).token
    c.clock.now += timedelta(minutes=119)
    assert auth.resume(c, token) is not None  # activity keeps it alive
    c.clock.now += timedelta(minutes=121)
    assert auth.resume(c, token) is None  # idle too long
    token = auth.sign_in(c, "boss@example.com", PASSWORD).token
    for _ in range(13):  # active every hour, but 12 h is the most a session lives
        c.clock.now += timedelta(hours=1)
        alive = auth.resume(c, token)
    assert alive is None


def test_a_session_token_from_another_installation_is_refused(c, tmp_path):
    other = build_container(make_settings(tmp_path / "other", f"sqlite:///{tmp_path / 'other.db'}"))
    from data import migrate

    migrate.upgrade(other.engine)
    auth.create_first_admin(other, "boss@example.com", "Boss", PASSWORD)
    foreign = auth.sign_in(other, "boss@example.com", PASSWORD).token
    assert auth.resume(c, foreign) is None
    assert auth.resume(c, "garbage") is None
    assert len(_events(c, "authn_session_invalid")) == 2
    other.engine.dispose()


def test_a_tampered_token_is_refused(c):
    token = auth.sign_in(c, "boss@example.com", PASSWORD).token
    sid, mac = token.split(".")
    assert auth.resume(c, f"{sid[:-1]}{'A' if sid[-1] != 'A' else 'B'}.{mac}") is None


def test_the_last_admin_cannot_be_demoted_or_deactivated(c):
    admin = auth.sign_in(c, "boss@example.com", PASSWORD).actor
    with pytest.raises(accounts.AccountError, match="last_admin"):
        accounts.set_role(c, admin, admin.user_id, "manager")
    with pytest.raises(accounts.AccountError, match="not_yourself"):
        accounts.set_active(c, admin, admin.user_id, False)


def test_sso_maps_to_an_existing_account_by_email(c):
    assert auth.sign_in_sso(c, "Boss@Example.com").actor.role == "admin"
    assert auth.sign_in_sso(c, "Boss@Example.com", email_verified=True).outcome == "ok"
    assert auth.sign_in_sso(c, "boss@example.com", email_verified=False).outcome == "invalid"
    assert auth.sign_in_sso(c, "stranger@example.com").outcome == "invalid"
    assert auth.sign_in_sso(c, "").outcome == "invalid"
    for i in range(MAX_FAILURES):
        auth.sign_in(c, "boss@example.com", f"guess {i}")
    assert auth.sign_in_sso(c, "boss@example.com").outcome == "invalid"  # locked


def test_changing_your_password(c):
    me = auth.sign_in(c, "boss@example.com", PASSWORD).actor
    with pytest.raises(accounts.AccountError, match="wrong_password"):
        accounts.change_own_password(c, me, "not it", "a brand new passphrase")
    assert _events(c, "authn_password_change")[-1].result == "failure"
    with pytest.raises(auth.PasswordRejected):
        accounts.change_own_password(c, me, PASSWORD, "tiny")
    other_browser = auth.sign_in(c, "boss@example.com", PASSWORD).token
    fresh = accounts.change_own_password(c, me, PASSWORD, "a brand new passphrase")
    assert auth.resume(c, other_browser) is None  # a stolen session does not survive the change
    assert auth.resume(c, fresh).email == "boss@example.com"
    assert auth.sign_in(c, "boss@example.com", "a brand new passphrase").outcome == "ok"


def test_passwords_are_stored_as_argon2id(c):
    with c.uow() as uow:
        stored = uow.users.by_email("boss@example.com").password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_ended_sessions_are_forgotten_after_a_day(c):
    auth.sign_in(c, "boss@example.com", PASSWORD)
    c.clock.now += timedelta(hours=13)
    assert auth.forget_expired_sessions(c) == 0  # ended an hour ago: kept a little longer
    c.clock.now += timedelta(days=1)
    assert auth.forget_expired_sessions(c) == 2  # the first admin's session and this one
