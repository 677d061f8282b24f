"""Channel credentials, encrypted at rest with MultiFernet under FESTA_SECRET_KEY.

Values are never returned to the console once saved, never logged and never audited (the
audit log names the fields that changed, not their values). Keys rotate with
`python -m app rotate-key`: the newest key encrypts, every listed key decrypts.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from app.bootstrap import Container
from app.services import audit
from app.services.auth import Actor, requires
from campaigns.access import Permission

MAX_VALUE = 4096


class CredentialsUnreadable(Exception):
    """The stored token does not open with any configured key: the key changed or is missing."""

    def __init__(self, account: str) -> None:
        super().__init__(
            f"the credentials of {account} cannot be decrypted with the configured FESTA_SECRET_KEY — "
            "put the previous key back in FESTA_SECRET_KEY (after the new one), or reconnect the account"
        )
        self.account = account


def box(c: Container) -> MultiFernet:
    """The newest key encrypts; every listed key decrypts (keys are checked by app.config)."""
    return MultiFernet([Fernet(key.encode()) for key in c.settings.secret_keys])


def clean(values: dict[str, str]) -> dict[str, str]:
    """Strip what a paste brings along (spaces, newlines); refuse empty or oversized values."""
    out = {}
    for name, value in values.items():
        v = (value or "").strip()
        if not v:
            raise ValueError(f"{name} is empty")
        if len(v) > MAX_VALUE or any(ch in v for ch in "\r\n\0"):
            raise ValueError(f"{name} is not a single-line value")
        out[name] = v
    return out


@dataclass(frozen=True)
class CredentialStatus:
    account_id: int
    account: str
    channel: str
    connector: str
    stored: bool
    readable: bool | None  # None when nothing is stored
    updated_at: datetime | None


@requires(Permission.MANAGE_CHANNELS)
def set_credentials(c: Container, actor: Actor, account_id: int, values: dict[str, str]) -> None:
    values = clean(values)
    token = box(c).encrypt(json.dumps(values, sort_keys=True).encode()).decode()
    with c.uow(write=True) as uow:
        acct = uow.channel_accounts.get(account_id)
        if acct is None:
            raise ValueError(f"no channel account {account_id}")
        acct.credentials, acct.credentials_updated_at = token, c.clock()
        acct.needs_reauth, acct.status_detail = False, None  # reconnected: its held posts may go out
        audit.record_in(
            uow,
            c,
            actor.who,
            "channel_credentials_set",
            entity=acct.name,
            detail="fields: " + ", ".join(sorted(values)),
            source=actor.source,
        )


@requires(Permission.MANAGE_CHANNELS)
def clear_credentials(c: Container, actor: Actor, account_id: int) -> None:
    with c.uow(write=True) as uow:
        acct = uow.channel_accounts.get(account_id)
        if acct is None:
            raise ValueError(f"no channel account {account_id}")
        acct.credentials, acct.credentials_updated_at = None, c.clock()
        audit.record_in(uow, c, actor.who, "channel_credentials_cleared", entity=acct.name, source=actor.source)


@requires(Permission.MANAGE_CHANNELS)
def statuses(c: Container, actor: Actor) -> list[CredentialStatus]:
    f = box(c)
    with c.uow() as uow:
        accounts = uow.channel_accounts.every()
    return [
        CredentialStatus(
            a.id,
            a.name,
            a.channel,
            a.connector,
            a.credentials is not None,
            _opens(f, a.credentials) if a.credentials else None,
            a.credentials_updated_at,
        )
        for a in accounts
    ]


def _opens(f: MultiFernet, token: str) -> bool:
    try:
        f.decrypt(token.encode())
        return True
    except InvalidToken:
        return False


def unreadable(c: Container) -> tuple[int, list[str]]:
    """How many credentials are stored, and the accounts whose credentials no key opens."""
    f = box(c)
    with c.uow() as uow:
        stored = [a for a in uow.channel_accounts.every() if a.credentials]
    return len(stored), [a.name for a in stored if not _opens(f, a.credentials)]


def credentials_for(c: Container, account_id: int) -> dict[str, str]:
    """For connectors only (never for pages): the decrypted values of one account."""
    with c.uow() as uow:
        acct = uow.channel_accounts.get(account_id)
    if acct is None or acct.credentials is None:
        return {}
    try:
        return json.loads(box(c).decrypt(acct.credentials.encode()))
    except InvalidToken:
        raise CredentialsUnreadable(acct.name) from None


@dataclass(frozen=True)
class Rotation:
    rotated: int
    unreadable: list[str]
    key_file: str | None


def rotate_key(c: Container, drop_old: bool = False) -> Rotation:
    """Re-encrypt every stored secret with the newest key. With the generated key file, a new key
    is written in front of the old ones first. The old keys stay in the file: a console or worker
    still running with them keeps encrypting with the old key, and that must stay readable.
    ``drop_old`` (only after every process has restarted since the last rotation) removes them
    once everything opens with the newest key."""
    key_file = None
    if c.settings.secret_source != "FESTA_SECRET_KEY":
        key_file = Path(c.settings.secret_source)
        if not drop_old:
            new = base64.urlsafe_b64encode(os.urandom(32)).decode()
            _write_keys(key_file, [new, *c.settings.secret_keys])
            c.settings = _with_keys(c, [new, *c.settings.secret_keys])
    f = box(c)
    rotated, unreadable = 0, []
    with c.uow(write=True) as uow:
        for acct in uow.channel_accounts.every():
            if acct.credentials is None:
                continue
            try:
                acct.credentials = f.rotate(acct.credentials.encode()).decode()
                rotated += 1
            except InvalidToken:
                unreadable.append(acct.name)  # left exactly as it was
        audit.record_in(
            uow,
            c,
            Actor.system().who,
            "secret_key_rotated",
            result="success",
            detail=f"{rotated} re-encrypted, {len(unreadable)} unreadable",
            source="cli",
        )
    if drop_old and key_file is not None and not unreadable:
        _write_keys(key_file, c.settings.secret_keys[:1])
        c.settings = _with_keys(c, c.settings.secret_keys[:1])
    return Rotation(rotated, unreadable, str(key_file) if key_file else None)


def new_key() -> str:
    return Fernet.generate_key().decode()


def _write_keys(path: Path, keys: list[str]) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(",".join(keys) + "\n")
    os.replace(tmp, path)


def _with_keys(c: Container, keys: list[str]):
    from dataclasses import replace

    return replace(c.settings, secret_key=",".join(keys))


def open_credentials(c: Container, token: str | None, account: str) -> dict[str, str]:
    """For the dispatcher: the decrypted values of a token it has already read with the account."""
    if not token:
        return {}
    try:
        return json.loads(box(c).decrypt(token.encode()))
    except InvalidToken:
        raise CredentialsUnreadable(account) from None
