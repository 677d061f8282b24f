"""Who is acting: sign-in, sessions, and the permission check every service operation makes.

Sessions are server-side rows; the browser holds only ``<secret>.<HMAC>``. The HMAC is keyed
by this installation's secret key, so a token minted by another installation is refused
before the database is asked. The stored id is the SHA-256 of the secret.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError

from app.bootstrap import Container
from app.services import audit
from campaigns.access import Permission, Role, allows
from campaigns.passwords import LOCK_FOR, MAX_FAILURES, is_locked, policy_problems
from data.models import Meta, UserAccount, UserSession

HASHER = PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) defaults
SEEN_EVERY = timedelta(seconds=60)  # how often a live session's last_seen_at is written
OPERATIONS: dict[str, Permission] = {}  # every guarded service operation, for the role matrix test


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    email: str
    name: str
    role: str
    must_change_password: bool = False
    source: str = "console"

    @classmethod
    def system(cls, source: str = "cli") -> Actor:
        """The operator at the command line: whoever can run `python -m app` owns the installation."""
        return cls(None, "system", "system", Role.ADMIN, source=source)

    @property
    def who(self) -> audit.Who:
        return audit.Who(self.email, self.user_id)


ANONYMOUS = audit.Who("anonymous")


class AccessDenied(Exception):
    def __init__(self, operation: str, reason: str) -> None:
        super().__init__(f"{operation}: {reason}")
        self.operation = operation
        self.reason = reason


class PasswordRejected(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


F = TypeVar("F", bound=Callable)


def requires(permission: Permission) -> Callable[[F], F]:
    """Guard a service operation ``fn(c, actor, ...)``. The role is read from the database on
    every call, so a changed role or a deactivated account takes effect at once, and an actor
    object carrying a role it does not have gains nothing."""

    def decorate(fn: F) -> F:
        name = f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"
        OPERATIONS[name] = permission

        @functools.wraps(fn)
        def guarded(c: Container, actor: Actor, *args, **kwargs):
            reason = _refusal(c, actor, permission)
            if reason:
                who = actor.who if isinstance(actor, Actor) else ANONYMOUS
                audit.record(
                    c,
                    who,
                    "authz_fail",
                    entity=name,
                    result="denied",
                    detail=reason,
                    source=getattr(actor, "source", "console"),
                )
                raise AccessDenied(name, reason)
            return fn(c, actor, *args, **kwargs)

        guarded.permission = permission  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


def may(c: Container, actor: Actor, permission: Permission) -> bool:
    """Whether the actor holds ``permission`` now (for a service that needs a second one for part of its work)."""
    return _refusal(c, actor, permission) is None


def _refusal(c: Container, actor: Actor, permission: Permission) -> str | None:
    if not isinstance(actor, Actor):
        return "not signed in"
    if actor.user_id is None:
        return None if actor.email == "system" and actor.source in ("cli", "worker") else "unknown actor"
    with c.uow() as uow:
        user = uow.users.get(actor.user_id)
    if user is None or not user.active:
        return "account inactive"
    if user.must_change_password:
        return "password change required"
    if not allows(user.role, permission):
        return f"role {user.role} lacks {permission}"
    return None


# --- passwords ---------------------------------------------------------------------------


def hash_password(password: str, email: str = "") -> str:
    problems = policy_problems(password, email)
    if problems:
        raise PasswordRejected(problems)
    return HASHER.hash(password)


@functools.cache
def _dummy_hash() -> str:
    return HASHER.hash(secrets.token_urlsafe(16))


def _verify(stored: str | None, password: str) -> bool:
    try:
        return HASHER.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def new_password() -> str:
    """A generated password for new and reset accounts (about 96 bits)."""
    return secrets.token_urlsafe(12) + "-" + secrets.token_urlsafe(4)


# --- sessions ----------------------------------------------------------------------------


def _sign(key: str, sid: str) -> str:
    mac = hmac.new(key.encode(), b"festa-session-v1:" + sid.encode(), hashlib.sha256)
    return mac.hexdigest()


def _session_hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def open_session(c: Container, uow, user: UserAccount, method: str) -> str:
    sid = secrets.token_urlsafe(32)
    now = c.clock()
    uow.sessions.add(
        UserSession(
            id=_session_hash(sid),
            user_id=user.id,
            method=method,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=c.settings.session_max_hours),
        )
    )
    return f"{sid}.{_sign(c.settings.secret_keys[0], sid)}"


def _sid(c: Container, token: str) -> str | None:
    sid, _, mac = token.partition(".")
    if not sid or not mac or not (sid + mac).isascii():
        return None
    ok = any(hmac.compare_digest(_sign(k, sid).encode(), mac.encode()) for k in c.settings.secret_keys)
    return sid if ok else None


def _actor(user: UserAccount) -> Actor:
    return Actor(user.id, user.email, user.display_name, user.role, user.must_change_password)


def resume(c: Container, token: str | None) -> Actor | None:
    """The actor of a live session, or None (expired, signed out, revoked, forged, foreign)."""
    if not token or not isinstance(token, str):
        return None
    sid = _sid(c, token)
    if sid is None:
        audit.record(
            c,
            ANONYMOUS,
            "authn_session_invalid",
            result="denied",
            detail="session token not signed by this installation",
        )
        return None
    now = c.clock()
    idle = timedelta(minutes=c.settings.session_idle_minutes)
    with c.uow() as uow:  # every page run passes here: read only, no write lock
        row = uow.sessions.get(_session_hash(sid))
        if row is None or row.revoked_at is not None or now >= row.expires_at or now - row.last_seen_at >= idle:
            return None
        user = uow.users.get(row.user_id)
        if user is None or not user.active:  # a password lock-out does not end live sessions
            return None
    if now - row.last_seen_at >= SEEN_EVERY:  # at most one small write a minute per session
        with c.uow(write=True) as uow:
            uow.sessions.touch(row.id, now)
    return _actor(user)


def forget_expired_sessions(c: Container) -> int:
    """Sessions that ended more than a day ago are of no use to anyone (run by the worker)."""
    with c.uow(write=True) as uow:
        return uow.sessions.purge_expired(c.clock() - timedelta(days=1))


@dataclass(frozen=True)
class SignIn:
    outcome: str  # ok | invalid | locked
    token: str | None = None
    actor: Actor | None = None
    locked_until: object = None


def _login_name(raw: str) -> str:
    """What the audit log keeps of a typed login name: an e-mail as typed, anything else (say, a
    password typed into the wrong field) only as a short hash."""
    name = raw.strip().lower()
    looks_like_email = "@" in name and " " not in name and len(name) <= 254
    return name if looks_like_email else f"(not an e-mail, sha256 {hashlib.sha256(name.encode()).hexdigest()[:12]})"


def sign_in(c: Container, email: str, password: str) -> SignIn:
    """Unknown e-mails, wrong passwords and locked accounts get the same answer and take the same
    time; a person told "invalid" learns that an account locks after repeated failures. The
    password is checked outside any transaction; failures are counted with one atomic UPDATE,
    so parallel guesses cannot outrun the lock-out."""
    email = email.strip().lower()
    now = c.clock()
    with c.uow() as uow:
        user = uow.users.by_email(email)
    usable = user is not None and user.active and user.password_hash is not None
    locked = usable and is_locked(user.locked_until, now)
    correct = _verify(user.password_hash if usable else None, password)  # always one argon2 check
    if not usable:
        audit.record(
            c, audit.Who(_login_name(email)), "authn_login_fail", result="failure", detail="unknown or inactive account"
        )
        return SignIn("invalid")
    who = audit.Who(email, user.id)
    if locked:
        audit.record(c, who, "authn_login_fail", result="failure", detail="account locked")
        return SignIn("invalid")
    if not correct:
        with c.uow(write=True) as uow:
            failures, locked_until = uow.users.count_failure(user.id, now, MAX_FAILURES, LOCK_FOR)
            _log(uow, c, who, "authn_login_fail", "failure", f"attempt {failures}")
            if locked_until is not None:
                _log(uow, c, who, "authn_account_locked", "failure", f"locked until {locked_until.isoformat()}")
        return SignIn("invalid")
    with c.uow(write=True) as uow:
        user = uow.users.get(user.id)
        if HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = HASHER.hash(password)
        user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
        token = open_session(c, uow, user, "password")
        _log(uow, c, who, "authn_login_success", "success", "password")
        return SignIn("ok", token, _actor(user))


def sign_in_sso(c: Container, email: str, email_verified: bool | None = None) -> SignIn:
    """Single sign-on (st.login / OIDC): the identity provider vouched for ``email``; it must be
    verified (when the provider says), and belong to an active, unlocked Festa account, which
    decides the role."""
    email = (email or "").strip().lower()
    now = c.clock()
    with c.uow(write=True) as uow:
        user = uow.users.by_email(email) if email else None
        reason = None
        if email_verified is False:
            reason = "sso: e-mail not verified by the identity provider"
        elif user is None or not user.active:
            reason = "sso: no active Festa account"
        elif is_locked(user.locked_until, now):
            reason = "sso: account locked"
        if reason:
            _log(uow, c, audit.Who(_login_name(email) if email else "anonymous"), "authn_login_fail", "failure", reason)
            return SignIn("invalid")
        user.last_login_at = now
        token = open_session(c, uow, user, "sso")
        _log(uow, c, audit.Who(email, user.id), "authn_login_success", "success", "sso")
        return SignIn("ok", token, _actor(user))


def sign_out(c: Container, token: str | None) -> None:
    sid = _sid(c, token) if token else None
    if sid is None:
        return
    with c.uow(write=True) as uow:
        row = uow.sessions.get(_session_hash(sid))
        if row is not None and row.revoked_at is None:
            row.revoked_at = c.clock()
            user = uow.users.get(row.user_id)
            _log(uow, c, audit.Who(user.email if user else "?", row.user_id), "authn_logout", "success", "")


def needs_first_admin(c: Container) -> bool:
    with c.uow() as uow:
        return uow.users.count() == 0


def create_first_admin(c: Container, email: str, name: str, password: str) -> SignIn:
    """The first-start screen: only while no account exists, and only once even under a race."""
    email = email.strip().lower()
    hashed = hash_password(password, email)
    try:
        with c.uow(write=True) as uow:
            if uow.users.count() > 0:
                raise AccessDenied("auth.create_first_admin", "an account exists already")
            uow.meta.add(Meta(key="first_admin", value=email))  # a second racer fails here
            user = uow.users.add(
                UserAccount(
                    email=email,
                    display_name=name.strip() or email,
                    role=Role.ADMIN,
                    password_hash=hashed,
                    created_at=c.clock(),
                )
            )
            token = open_session(c, uow, user, "password")
            _log(uow, c, audit.Who(email, user.id), "user_created", "success", "first admin")
            return SignIn("ok", token, _actor(user))
    except IntegrityError:
        raise AccessDenied("auth.create_first_admin", "an account exists already") from None


def _log(uow, c: Container, who: audit.Who, action: str, result: str, detail: str) -> None:
    audit.record_in(uow, c, who, action, result=result, detail=detail)
