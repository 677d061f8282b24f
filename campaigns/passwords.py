"""Password policy and sign-in lock-out rules (hashing: app.services.auth; counting: data.repositories)."""

from __future__ import annotations

from datetime import datetime, timedelta

MIN_LENGTH = 12
MAX_LENGTH = 256
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)


def policy_problems(password: str, email: str = "") -> list[str]:
    """Problem codes (catalog keys under ``password.``); empty when the password is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append("too_short")
    if len(password) > MAX_LENGTH:
        problems.append("too_long")
    if password != password.strip():
        problems.append("whitespace")
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and local in password.lower():
        problems.append("contains_email")
    if len(set(password)) < 5:
        problems.append("too_simple")
    return problems


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until
