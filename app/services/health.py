"""Is this installation ready? Used by `doctor`, `make run`, the worker and the console."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.bootstrap import Container
from data import migrate
from data.engine import describe
from data.errors import SetupError  # re-exported for the console

STALE_AFTER_TICKS = 3


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def database_check(c: Container) -> Check:
    try:
        with c.engine.connect() as conn:
            version = conn.execute(text("select sqlite_version()" if _sqlite(c) else "show server_version")).scalar()
    except DBAPIError as exc:
        err = migrate.unreachable(c.engine, exc)
        return Check("database", False, f"{err.what} — {err.todo}")
    return Check("database", True, f"{c.engine.dialect.name} {version} at {describe(c.engine)}")


def migration_check(c: Container) -> Check:
    try:
        st = migrate.state(c.engine)
    except SetupError as err:
        return Check("migrations", False, f"{err.what} — {err.todo}")
    if st.ahead_of_code:
        err = migrate.ahead_error(st)
        return Check("migrations", False, f"{err.what} — {err.todo}")
    if not st.up_to_date:
        return Check(
            "migrations", False, f"at {st.current or 'none'}, latest is {st.head} — run `python -m app migrate`"
        )
    return Check("migrations", True, f"at {st.current} (latest)")


def worker_check(c: Container, now: datetime | None = None) -> Check:
    now = now or c.clock()
    try:
        with c.uow() as uow:
            beats = uow.heartbeats.all()
    except (SetupError, DBAPIError):
        return Check("worker", False, "unknown: the database cannot be read")
    if not beats:
        return Check("worker", False, "no heartbeat — start it with `make run` or `python -m app worker`")
    newest = beats[0]
    age = now - newest.beat_at
    limit = timedelta(seconds=STALE_AFTER_TICKS * c.settings.worker_tick_seconds + 5)
    where = f"{newest.worker_id}, {int(age.total_seconds())} s ago"
    if age > limit:
        return Check("worker", False, f"last heartbeat {where} — is the worker running? `python -m app worker`")
    problem = f"; last problem: {newest.last_problem}" if newest.last_problem else ""
    return Check("worker", True, f"heartbeat {where}{problem}")


def doctor(c: Container) -> list[Check]:
    db = database_check(c)
    if not db.ok:
        return [db]
    mig = migration_check(c)
    return [db, mig, worker_check(c)] if mig.ok else [db, mig]


def ensure_ready(c: Container) -> None:
    """Raise a one-line SetupError unless the database is reachable and fully migrated."""
    st = migrate.state(c.engine)
    if st.ahead_of_code:
        raise migrate.ahead_error(st)
    if not st.up_to_date:
        raise SetupError(
            f"the database is at migration {st.current or 'none'}, this Festa needs {st.head}",
            "run `python -m app migrate` (make run does it)",
        )


def _sqlite(c: Container) -> bool:
    return c.engine.dialect.name == "sqlite"
