"""Apply and inspect Alembic migrations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from data.engine import shown
from data.errors import SetupError

MIGRATIONS = Path(__file__).with_name("migrations")


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@dataclass(frozen=True)
class MigrationState:
    current: str | None
    head: str
    known: bool  # the database's revision exists in this code's migrations

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    @property
    def ahead_of_code(self) -> bool:
        return self.current is not None and not self.known


def unreachable(engine: Engine, exc: Exception) -> SetupError:
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
    url = shown(engine.url)
    return SetupError(
        f"cannot reach the database {url} ({reason})",
        "start it, or correct FESTA_DATABASE_URL",
        "db_unreachable",
        url=url,
        reason=reason,
    )


def state(engine: Engine) -> MigrationState:
    script = ScriptDirectory.from_config(_config())
    head = script.get_current_head()
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except OperationalError as exc:
        raise unreachable(engine, exc) from None
    known = current is None or _exists(script, current)
    return MigrationState(current=current, head=head, known=known)


def _exists(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown id
        return False


def ahead_error(st: MigrationState) -> SetupError:
    return SetupError(
        f"the database is at migration {st.current}, newer than this Festa knows (latest {st.head})",
        "upgrade Festa to the version that wrote it, or point FESTA_DATABASE_URL at another database",
        "db_ahead",
        current=st.current,
        head=st.head,
    )


LOCK_KEY = 0x6665737461  # "festa": one migrator at a time on PostgreSQL


def upgrade(engine: Engine, target: str = "head") -> MigrationState:
    """Bring the database to the latest (or ``target``) migration; refuse a database from a newer
    Festa. Safe to run from several machines at once: they take turns, and the later ones find
    nothing to do."""
    st = state(engine)
    if st.ahead_of_code:
        raise ahead_error(st)
    if st.up_to_date:
        return st
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations copy a table and drop the old one; with foreign keys on, that drop
            # would cascade into every child table. The pragma only works outside a transaction.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.execution_options(festa_write=True).begin():  # SQLite: BEGIN IMMEDIATE
                if not sqlite:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
                _upgrade_locked(conn, target)
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
    return state(engine)


def _upgrade_locked(conn, target: str) -> None:
    script = ScriptDirectory.from_config(_config())
    current = MigrationContext.configure(conn).get_current_revision()
    if current is not None and not _exists(script, current):
        raise ahead_error(MigrationState(current, script.get_current_head(), False))
    cfg = _config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, target)
    if conn.dialect.name == "sqlite":
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise SetupError(
                f"the migration would leave {len(broken)} rows pointing at nothing; nothing was changed",
                "nothing was changed; report this with the output of `python -m app doctor`",
                "migration_broken",
                count=len(broken),
            )
