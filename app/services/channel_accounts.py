"""Channel accounts (Admin): connect an account on a connector, its time zone and Festa's own posting
limits, and a "test connection" that asks the platform without posting. Credentials: app.services.secrets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.bootstrap import Container
from app.services import audit, secrets
from app.services.auth import Actor, requires
from campaigns import schedule_time as st
from campaigns.access import Permission
from campaigns.planning import Problem
from campaigns.publishing import Channel
from connectors import registry
from connectors.base import ConfigError, Outcome
from data.models import ChannelAccount

MAX_NAME = 200


class AccountRejected(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{x.field}: {x.code}" for x in problems))
        self.problems = problems


@dataclass(frozen=True)
class AccountView:
    id: int
    name: str
    connector: str
    channel: str
    timezone: str
    max_per_hour: int | None
    max_per_day: int | None
    max_lateness_minutes: int | None
    needs_reauth: bool
    status_detail: str | None
    paused_until: datetime | None
    fields: tuple[str, ...]  # the credential fields its connector needs


def connectors() -> list[str]:
    return sorted(registry.CONNECTORS)


def channels() -> list[str]:
    return [ch.value for ch in Channel]


def _view(a: ChannelAccount) -> AccountView:
    fields = registry.fields(a.connector) if a.connector in registry.CONNECTORS else ()
    return AccountView(
        a.id,
        a.name,
        a.connector,
        a.channel,
        a.timezone,
        a.max_per_hour,
        a.max_per_day,
        a.max_lateness_minutes,
        a.needs_reauth,
        a.status_detail,
        a.paused_until,
        fields,
    )


@requires(Permission.VIEW_OVERVIEW)
def accounts(c: Container, actor: Actor) -> list[AccountView]:
    with c.uow() as uow:
        ws = uow.workspaces.current()
        return [_view(a) for a in uow.channel_accounts.all(ws.id)] if ws else []


def _check(name: str, connector: str, channel: str, timezone: str) -> list[Problem]:
    problems = []
    if not name.strip() or len(name.strip()) > MAX_NAME:
        problems.append(Problem("name", "required" if not name.strip() else "too_long", {"limit": MAX_NAME}))
    if connector not in registry.CONNECTORS:
        problems.append(Problem("connector", "unknown", {"connector": connector}))
    if channel not in channels():
        problems.append(Problem("channel", "unknown", {"channel": channel}))
    try:
        st.zone_info(timezone)
    except st.ScheduleTimeError:
        problems.append(Problem("timezone", "unknown_zone", {"zone": timezone}))
    return problems


@requires(Permission.MANAGE_CHANNELS)
def add_account(c: Container, actor: Actor, name: str, connector: str, channel: str, timezone: str) -> int:
    if problems := _check(name, connector, channel, timezone):
        raise AccountRejected(problems)
    with c.uow(write=True) as uow:
        ws = uow.workspaces.current()
        if any(a.name == name.strip() for a in uow.channel_accounts.all(ws.id)):
            raise AccountRejected([Problem("name", "taken", {"name": name.strip()})])
        acct = ChannelAccount(
            workspace_id=ws.id, connector=connector, channel=channel, name=name.strip(), timezone=timezone
        )
        uow.session.add(acct)
        uow.session.flush()
        audit.record_in(
            uow, c, actor.who, "channel_account_added", entity=acct.name, detail=connector, source=actor.source
        )
        return acct.id


def _limit(field: str, value: int | None, top: int) -> list[Problem]:
    if value is not None and not 1 <= value <= top:
        return [Problem(field, "out_of_range", {"min": 1, "max": top})]
    return []


@requires(Permission.MANAGE_CHANNELS)
def update_settings(
    c: Container,
    actor: Actor,
    account_id: int,
    *,
    timezone: str,
    max_per_hour: int | None,
    max_per_day: int | None,
    max_lateness_minutes: int | None,
) -> None:
    problems = (
        _limit("max_per_hour", max_per_hour, 10_000)
        + _limit("max_per_day", max_per_day, 100_000)
        + _limit("max_lateness_minutes", max_lateness_minutes, 7 * 24 * 60)
    )
    try:
        st.zone_info(timezone)
    except st.ScheduleTimeError:
        problems.append(Problem("timezone", "unknown_zone", {"zone": timezone}))
    if problems:
        raise AccountRejected(problems)
    with c.uow(write=True) as uow:
        acct = uow.channel_accounts.get(account_id)
        if acct is None or acct.workspace_id != uow.workspaces.current().id:
            raise AccountRejected([Problem("account", "no_such_account", {"account": str(account_id)})])
        acct.timezone, acct.max_per_hour, acct.max_per_day = timezone, max_per_hour, max_per_day
        acct.max_lateness_minutes = max_lateness_minutes
        audit.record_in(
            uow,
            c,
            actor.who,
            "channel_account_settings",
            entity=acct.name,
            detail=f"tz {timezone}, {max_per_hour}/h, {max_per_day}/day, late {max_lateness_minutes} min",
            source=actor.source,
        )


@dataclass(frozen=True)
class ConnectionTest:
    ok: bool
    outcome: str  # connectors.base.Outcome, or "config" when the stored values are incomplete
    message: str


@requires(Permission.MANAGE_CHANNELS)
def test_connection(c: Container, actor: Actor, account_id: int, connect=registry.build) -> ConnectionTest:
    """Ask the platform whether the stored credentials work, without posting anything."""
    with c.uow() as uow:
        acct = uow.channel_accounts.get(account_id)
        ws = uow.workspaces.current()
    if acct is None or ws is None or acct.workspace_id != ws.id:
        raise AccountRejected([Problem("account", "no_such_account", {"account": str(account_id)})])
    try:
        creds = secrets.open_credentials(c, acct.credentials, acct.name)
        result = connect(acct.connector, creds).check()
    except (ConfigError, secrets.CredentialsUnreadable) as exc:
        test = ConnectionTest(False, "config", str(exc)[:500])
    except KeyError:
        test = ConnectionTest(False, "config", f"no connector named {acct.connector!r}")
    except Exception as exc:  # a connector's check must not take the page down
        test = ConnectionTest(False, str(Outcome.UNKNOWN), type(exc).__name__)
    else:
        test = ConnectionTest(result.outcome is Outcome.SENT, str(result.outcome), result.message[:500])
    audit.record(
        c,
        actor.who,
        "channel_connection_test",
        entity=acct.name,
        result="success" if test.ok else "failure",
        detail=test.outcome,
        source=actor.source,
    )
    return test
