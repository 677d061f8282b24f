"""Engines for SQLite (embedded default) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError

from data.errors import SetupError

SQLITE_BUSY_TIMEOUT_MS = 5000
URL_EXAMPLES = "sqlite:///data/local/festa.db or postgresql://user@127.0.0.1:5432/festa"


def redact(text: str) -> str:
    """A URL fit to show: the password of ``user:password@`` and any ``password=`` value masked."""
    text = re.sub(r"(//[^:/@?#]*:)[^@/?#]*@", r"\1***@", text)
    return re.sub(r"(?i)(password=)[^&#]*", r"\1***", text)


def shown(url: URL) -> str:
    return redact(url.render_as_string(hide_password=True))


def parse_url(raw: str) -> URL:
    """Parse and normalise a database URL; PostgreSQL always goes through psycopg 3."""
    try:
        url = make_url(raw.strip())
    except (ArgumentError, ValueError):  # ValueError: e.g. a port that is not a number
        raise SetupError(
            f"FESTA_DATABASE_URL is not a database URL: {redact(raw)!r}",
            f"use {URL_EXAMPLES}",
            "url_malformed",
            value=redact(raw),
        ) from None
    backend = url.get_backend_name()
    if backend in ("postgres", "postgresql"):
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise SetupError(
                "FESTA_DATABASE_URL names an in-memory SQLite database, which the worker cannot share",
                "give a file path, e.g. sqlite:///data/local/festa.db",
                "url_memory",
            )
        return url.set(drivername="sqlite")
    raise SetupError(
        f"FESTA_DATABASE_URL uses {backend!r}; Festa runs on SQLite or PostgreSQL",
        f"use {URL_EXAMPLES}",
        "url_backend",
        backend=backend,
    )


def _prepare_sqlite_dir(url: URL) -> None:
    folder = Path(url.database).expanduser().resolve().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".festa-write-check"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise SetupError(
            f"cannot write the SQLite database folder {folder} ({exc.strerror or exc})",
            "make it writable for this user, or set FESTA_DATABASE_URL to a writable place",
            "sqlite_dir",
            folder=str(folder),
            reason=str(exc.strerror or exc),
        ) from None


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred only).
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        # Writers take the lock up front: a deferred read-then-write hits SQLITE_BUSY.
        immediate = conn.get_execution_options().get("festa_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(raw_url: str, *, create_dir: bool = True) -> Engine:
    url = parse_url(raw_url)
    if url.get_backend_name() == "sqlite":
        if create_dir:
            _prepare_sqlite_dir(url)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _install_sqlite_pragmas(engine)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 5, "application_name": "festa"},
    )


def describe(engine: Engine) -> str:
    """The database URL with any password masked."""
    return shown(engine.url)
