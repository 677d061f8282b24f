"""Is this installation ready? Used by `doctor`, `make run`, the worker and the console."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.bootstrap import Container
from app.services import workers
from app.services.auth import Actor, requires
from campaigns.access import Permission
from data import migrate
from data.engine import describe
from data.errors import SetupError  # re-exported for the console

STALE_AFTER_TICKS = 3


@dataclass(frozen=True)
class Check:
    name: str  # database | migrations | worker
    ok: bool
    detail: str  # English, as `doctor` prints it
    key: str  # catalog key of the same message, for the console
    params: dict = field(default_factory=dict)


def _failed(name: str, err: SetupError) -> Check:
    return Check(name, False, str(err), f"setup.{err.code}", err.params)


def database_check(c: Container) -> Check:
    try:
        with c.engine.connect() as conn:
            version = conn.execute(text("select sqlite_version()" if _sqlite(c) else "show server_version")).scalar()
    except DBAPIError as exc:
        return _failed("database", migrate.unreachable(c.engine, exc))
    params = {"engine": f"{c.engine.dialect.name} {version}", "url": describe(c.engine)}
    return Check("database", True, "{engine} at {url}".format(**params), "check.database_ok", params)


def migration_check(c: Container) -> Check:
    try:
        ensure_ready(c)
    except SetupError as err:
        return _failed("migrations", err)
    head = migrate.state(c.engine).head
    return Check("migrations", True, f"at {head} (latest)", "check.migrations_ok", {"head": head})


def worker_check(c: Container, now: datetime | None = None) -> Check:
    now = now or c.clock()
    try:
        with c.uow() as uow:
            beats = uow.heartbeats.all()
    except (SetupError, DBAPIError):
        return Check("worker", False, "unknown: the database cannot be read", "check.worker_unknown")
    if not beats:
        return Check(
            "worker", False, "no heartbeat — start it with `make run` or `python -m app worker`", "check.worker_none"
        )
    newest = beats[0]
    params = {"worker": newest.worker_id, "seconds": int((now - newest.beat_at).total_seconds())}
    limit = timedelta(seconds=STALE_AFTER_TICKS * c.settings.worker_tick_seconds + 5)
    if now - newest.beat_at > limit:
        detail = "last heartbeat {worker}, {seconds} s ago — is the worker running? `python -m app worker`"
        return Check("worker", False, detail.format(**params), "check.worker_stale", params)
    return Check("worker", True, "heartbeat {worker}, {seconds} s ago".format(**params), "check.worker_ok", params)


def secrets_check(c: Container) -> Check:
    """Stored channel credentials that the configured key cannot open (a lost or changed key)."""
    from app.services.secrets import unreadable

    stored, bad = unreadable(c)
    params = {"stored": stored, "bad": len(bad), "accounts": ", ".join(bad), "source": c.settings.secret_source}
    if bad:
        detail = (
            "{bad} of {stored} channel credentials cannot be decrypted with FESTA_SECRET_KEY (from {source}): "
            "{accounts} — put the previous key back (newest first, comma-separated) or enter them again"
        )
        return Check("secrets", False, detail.format(**params), "check.secrets_unreadable", params)
    return Check("secrets", True, "{stored} stored, all readable".format(**params), "check.secrets_ok", params)


def doctor(c: Container) -> list[Check]:
    db = database_check(c)
    if not db.ok:
        return [db]
    mig = migration_check(c)
    return [db, mig, secrets_check(c), worker_check(c)] if mig.ok else [db, mig]


def ensure_ready(c: Container) -> None:
    """Raise a one-line SetupError unless the database is reachable and fully migrated."""
    st = migrate.state(c.engine)
    if st.ahead_of_code:
        raise migrate.ahead_error(st)
    if not st.up_to_date:
        raise SetupError(
            f"the database is at migration {st.current or 'none'}, this Festa needs {st.head}",
            "run `python -m app migrate` (make run does it)",
            "db_behind",
            current=st.current or "—",
            head=st.head,
        )


@dataclass(frozen=True)
class Status:
    checks: list[Check]
    workers: list[workers.WorkerInfo]
    settings: dict[str, str]


@requires(Permission.VIEW_SYSTEM)
def status(c: Container, actor: Actor) -> Status:
    """The System status page: what `doctor` checks, the worker heartbeats, the masked settings."""
    return Status(doctor(c), workers.workers(c), c.settings.masked())


def _sqlite(c: Container) -> bool:
    return c.engine.dialect.name == "sqlite"
