"""User accounts: an admin creates them, sets roles, resets passwords; everyone changes their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.bootstrap import Container
from app.services import audit
from app.services.auth import (
    HASHER,
    AccessDenied,
    Actor,
    _verify,
    hash_password,
    new_password,
    open_session,
    requires,
)
from campaigns.access import Permission, Role
from data.models import UserAccount


@dataclass(frozen=True)
class UserView:
    id: int
    email: str
    name: str
    role: str
    active: bool
    locked_until: datetime | None
    must_change_password: bool
    last_login_at: datetime | None


def _view(u: UserAccount) -> UserView:
    return UserView(
        u.id, u.email, u.display_name, u.role, u.active, u.locked_until, u.must_change_password, u.last_login_at
    )


class AccountError(ValueError):
    """A refused change with a reason code (catalog key ``account.<code>``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _valid_email(email: str) -> str:
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or any(ch.isspace() for ch in email) or len(email) > 254:
        raise AccountError("bad_email")
    return email


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise AccountError("bad_role") from None


@requires(Permission.MANAGE_USERS)
def list_users(c: Container, actor: Actor) -> list[UserView]:
    with c.uow() as uow:
        return [_view(u) for u in uow.users.all()]


@requires(Permission.MANAGE_USERS)
def create_user(c: Container, actor: Actor, email: str, name: str, role: str) -> tuple[UserView, str]:
    """Returns the account and its first password, shown once; it must be changed at first sign-in."""
    email, role = _valid_email(email), _role(role)
    password = new_password()
    with c.uow(write=True) as uow:
        if uow.users.by_email(email) is not None:
            raise AccountError("email_taken")
        user = uow.users.add(
            UserAccount(
                email=email,
                display_name=name.strip() or email,
                role=role,
                password_hash=HASHER.hash(password),
                must_change_password=True,
                created_at=c.clock(),
            )
        )
        audit.record_in(uow, c, actor.who, "user_created", entity=email, detail=f"role {role}", source=actor.source)
        return _view(user), password


@requires(Permission.MANAGE_USERS)
def set_role(c: Container, actor: Actor, user_id: int, role: str) -> UserView:
    role = _role(role)
    with c.uow(write=True) as uow:
        user = _get(uow, user_id)
        old = user.role
        if old == Role.ADMIN and role != Role.ADMIN and user.active and uow.users.count_active_admins() <= 1:
            raise AccountError("last_admin")
        user.role = role
        audit.record_in(
            uow, c, actor.who, "user_role_changed", entity=user.email, detail=f"{old} -> {role}", source=actor.source
        )
        return _view(user)


@requires(Permission.MANAGE_USERS)
def set_active(c: Container, actor: Actor, user_id: int, active: bool) -> UserView:
    with c.uow(write=True) as uow:
        user = _get(uow, user_id)
        if not active and user.id == actor.user_id:
            raise AccountError("not_yourself")
        if not active and user.role == Role.ADMIN and user.active and uow.users.count_active_admins() <= 1:
            raise AccountError("last_admin")
        user.active = active
        if not active:
            uow.sessions.revoke_all(user.id, c.clock())
        action = "user_reactivated" if active else "user_deactivated"
        audit.record_in(uow, c, actor.who, action, entity=user.email, source=actor.source)
        return _view(user)


@requires(Permission.MANAGE_USERS)
def reset_password(c: Container, actor: Actor, user_id: int) -> str:
    """A new one-time password (shown once); unlocks the account and signs it out everywhere."""
    password = new_password()
    with c.uow(write=True) as uow:
        user = _get(uow, user_id)
        user.password_hash = HASHER.hash(password)
        user.must_change_password = True
        user.failed_logins, user.locked_until = 0, None
        uow.sessions.revoke_all(user.id, c.clock())
        audit.record_in(uow, c, actor.who, "user_password_reset", entity=user.email, source=actor.source)
    return password


@requires(Permission.MANAGE_USERS)
def unlock(c: Container, actor: Actor, user_id: int) -> UserView:
    with c.uow(write=True) as uow:
        user = _get(uow, user_id)
        user.failed_logins, user.locked_until = 0, None
        audit.record_in(uow, c, actor.who, "user_unlocked", entity=user.email, source=actor.source)
        return _view(user)


def change_own_password(c: Container, actor: Actor, current: str, new: str) -> str:
    """Any signed-in person, also when a change is required (so not behind ``requires``).
    Every session of the account ends; the returned token is a fresh one for this browser."""
    if not isinstance(actor, Actor) or actor.user_id is None:
        raise AccessDenied("accounts.change_own_password", "not signed in")
    with c.uow(write=True) as uow:
        user = uow.users.get(actor.user_id)
        if user is None or not user.active:
            raise AccessDenied("accounts.change_own_password", "account inactive")
        wrong = not _verify(user.password_hash, current)
        if not wrong:
            if new == current:
                raise AccountError("same_password")
            user.password_hash = hash_password(new, user.email)
            user.must_change_password = False
            uow.sessions.revoke_all(user.id, c.clock())
            token = open_session(c, uow, user, "password")
            audit.record_in(uow, c, actor.who, "authn_password_change", detail="changed by the account holder")
    if wrong:  # recorded after the unit closed, so the refusal is kept
        audit.record(c, actor.who, "authn_password_change", result="failure", detail="wrong current password")
        raise AccountError("wrong_password")
    return token


def _get(uow, user_id: int) -> UserAccount:
    user = uow.users.get(user_id)
    if user is None:
        raise AccountError("no_such_user")
    return user
