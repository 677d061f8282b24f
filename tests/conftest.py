"""Shared fixtures: real SQLite files and real PostgreSQL schemas, a fixed clock.

The PostgreSQL half runs when FESTA_TEST_POSTGRES_URL is set or PostgreSQL answers on
127.0.0.1:5432; with CI=true an unreachable PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from app.bootstrap import Container, build_container
from app.config import Settings
from data import migrate
from data.engine import parse_url

# A fixed "now" for tests that rely on the demo workspace: 2026-11-24 10:00 in Shanghai.
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_base_url() -> str | None:
    url = os.environ.get("FESTA_TEST_POSTGRES_URL")
    if url:
        return parse_url(url).render_as_string(hide_password=False)  # postgres:// works too
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return DEFAULT_PG
    except OSError:
        return None


def _no_postgres(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required in CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL not reachable: {reason}")


@pytest.fixture
def pg_url():
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    base = _pg_base_url()
    if base is None:
        _no_postgres("set FESTA_TEST_POSTGRES_URL or start PostgreSQL on 127.0.0.1:5432")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach it is the same answer
        admin.dispose()
        _no_postgres(str(exc).splitlines()[0])
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'festa.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'festa.db'}"
    return request.getfixturevalue("pg_url")


def make_settings(tmp_path, url: str, **extra) -> Settings:
    env = {"FESTA_DATA_DIR": str(tmp_path / "local"), "FESTA_DATABASE_URL": url, "FESTA_WORKER_TICK_SECONDS": "1"}
    env.update(extra)
    return Settings.from_env(env)


@pytest.fixture
def bare_container(tmp_path, db_url) -> Container:
    """A container on an empty (unmigrated) database."""
    c = build_container(make_settings(tmp_path, db_url), clock=lambda: NOW)
    yield c
    c.engine.dispose()


@pytest.fixture
def container(bare_container) -> Container:
    """A container on a migrated, empty database."""
    migrate.upgrade(bare_container.engine)
    return bare_container


@pytest.fixture
def demo(container) -> Container:
    """A container on the demo workspace seeded at NOW."""
    from app.services.demo import seed_demo

    seed_demo(container, now=NOW)
    return container


class Clock:
    """A clock a test moves by hand: ``c.test_clock.now += timedelta(hours=1)``."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clocked_shop(container) -> Container:
    """A bare workspace "s" (UTC, CNY) on a container whose clock the test moves (``c.test_clock``)."""
    from dataclasses import replace

    from data.models import Workspace

    clock = Clock()
    c = replace(container, clock=clock)
    with c.uow(write=True) as uow:
        uow.workspaces.add(
            Workspace(slug="s", name="s", timezone="UTC", currency="CNY", created_at=NOW, salt="00" * 32)
        )
    c.test_clock = clock
    return c
