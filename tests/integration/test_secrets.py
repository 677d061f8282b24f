"""Channel credentials: encrypted at rest, never shown, logged, audited or exported; keys rotate."""

import logging
from dataclasses import replace

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from app.services import audit_log, secrets
from app.services.auth import Actor
from data.models import ChannelAccount, Workspace
from tests.conftest import NOW

TOKEN = "sk-live-7f3a9c2e-THIS-IS-THE-SECRET"
SYSTEM = Actor.system()


@pytest.fixture
def shop(container):
    with container.uow(write=True) as uow:
        ws = uow.workspaces.add(
            Workspace(slug="w", name="w", timezone="UTC", currency="CNY", created_at=NOW, salt="00" * 32)
        )
        acct = uow.channel_accounts.add(
            ChannelAccount(workspace_id=ws.id, connector="x", channel="x", name="=cmd|' /C calc'!A0", timezone="UTC")
        )
    return container, acct.id


def _raw(c):
    with c.engine.connect() as conn:
        return conn.execute(text("select credentials from channel_account")).scalar()


def _everything_written(c) -> str:
    """Every text the database holds, as one string."""
    parts = []
    with c.engine.connect() as conn:
        for table in ("audit_event", "channel_account", "festa_meta", "user_account"):
            parts += [str(row) for row in conn.execute(text(f"select * from {table}")).all()]
    return "\n".join(parts)


def test_a_pasted_token_is_trimmed_encrypted_and_never_shown_again(shop, caplog):
    c, acct = shop
    with caplog.at_level(logging.DEBUG):
        secrets.set_credentials(c, SYSTEM, acct, {"access_token": f"  {TOKEN}\n"})
        [status] = secrets.statuses(c, SYSTEM)
        exported = audit_log.export_csv(c, SYSTEM, audit_log.AuditFilter()).decode("utf-8-sig")
    assert secrets.credentials_for(c, acct) == {"access_token": TOKEN}
    assert status.stored and status.readable and not hasattr(status, "values")
    assert TOKEN not in _raw(c) and _raw(c).startswith("gAAAA")  # a Fernet token
    assert TOKEN not in caplog.text
    assert TOKEN not in _everything_written(c).replace(_raw(c), "")
    assert TOKEN not in exported
    assert "fields: access_token" in exported


def test_exports_neutralise_formulas(shop):
    c, acct = shop
    secrets.set_credentials(c, SYSTEM, acct, {"access_token": TOKEN})
    exported = audit_log.export_csv(c, SYSTEM, audit_log.AuditFilter()).decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in exported
    assert ",=cmd" not in exported


@pytest.mark.parametrize("bad", ["", "   ", "two\nlines"])
def test_empty_or_multiline_values_are_refused(shop, bad):
    c, acct = shop
    with pytest.raises(ValueError):
        secrets.set_credentials(c, SYSTEM, acct, {"access_token": bad})
    assert _raw(c) is None


def test_a_wrong_key_says_so_and_leaves_the_data_intact(shop):
    c, acct = shop
    secrets.set_credentials(c, SYSTEM, acct, {"access_token": TOKEN})
    stored = _raw(c)
    c.settings = replace(c.settings, secret_key=Fernet.generate_key().decode())  # the key was lost/changed
    [status] = secrets.statuses(c, SYSTEM)
    assert status.stored and status.readable is False
    with pytest.raises(secrets.CredentialsUnreadable, match="cannot be decrypted") as err:
        secrets.credentials_for(c, acct)
    assert TOKEN not in str(err.value)
    result = secrets.rotate_key(c)
    assert result.unreadable == ["=cmd|' /C calc'!A0"] and result.rotated == 0
    assert _raw(c) == stored  # untouched


def test_rotation_with_keys_in_the_environment(shop):
    c, acct = shop
    old = c.settings.secret_keys[0]
    secrets.set_credentials(c, SYSTEM, acct, {"access_token": TOKEN})
    new = Fernet.generate_key().decode()
    c.settings = replace(c.settings, secret_key=f"{new},{old}", secret_source="FESTA_SECRET_KEY")
    assert secrets.rotate_key(c).rotated == 1
    c.settings = replace(c.settings, secret_key=new)  # the old key can go now
    assert secrets.credentials_for(c, acct) == {"access_token": TOKEN}


def test_rotation_with_the_generated_key_file(shop):
    c, acct = shop
    key_file = c.settings.data_dir / "secret.key"
    before = key_file.read_text().strip()
    secrets.set_credentials(c, SYSTEM, acct, {"access_token": TOKEN})
    console = replace(c.settings)  # a console still running with the old key ...
    result = secrets.rotate_key(c)
    new, old = key_file.read_text().strip().split(",")
    assert result.rotated == 1 and result.key_file == str(key_file)
    assert old == before and new != before
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    c.settings = replace(c.settings, secret_key=f"{new},{old}")
    assert secrets.credentials_for(c, acct) == {"access_token": TOKEN}
    # ... saves a credential with the old key: after a restart it still opens
    running = replace(c, settings=console)
    secrets.set_credentials(running, SYSTEM, acct, {"access_token": "saved-by-the-old-console"})
    assert secrets.credentials_for(c, acct) == {"access_token": "saved-by-the-old-console"}
    # once everything has restarted, the old key can go
    assert secrets.rotate_key(c, drop_old=True).rotated == 1
    assert key_file.read_text().strip() == new
    c.settings = replace(c.settings, secret_key=new)
    assert secrets.credentials_for(c, acct) == {"access_token": "saved-by-the-old-console"}
    events = audit_log.events(c, SYSTEM, audit_log.AuditFilter(action="secret_key_rotated"))
    assert len(events) == 2 and not any(k in e.detail for e in events for k in (new, old))


def test_doctor_says_when_the_key_no_longer_opens_the_credentials(shop):
    from app.services import health

    c, acct = shop
    secrets.set_credentials(c, SYSTEM, acct, {"access_token": TOKEN})
    assert health.secrets_check(c).ok
    c.settings = replace(c.settings, secret_key=Fernet.generate_key().decode())  # the key file was lost
    check = health.secrets_check(c)
    assert not check.ok and "1 of 1 channel credentials cannot be decrypted" in check.detail
    assert "put the previous key back" in check.detail
