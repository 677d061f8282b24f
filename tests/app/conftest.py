from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.bootstrap import build_container
from app.config import Settings
from app.services import auth
from app.ui.container import _ready_container
from data import migrate

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


@pytest.fixture
def app_env(tmp_path, monkeypatch, db_url):
    """Point the console at a fresh database; returns a container on the same database."""
    for var in ("FESTA_DATABASE_URL", "FESTA_LANGUAGE", "FESTA_TIMEZONE", "FESTA_SECRET_KEY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("FESTA_DATA_DIR", str(tmp_path / "local"))
    monkeypatch.setenv("FESTA_DATABASE_URL", db_url)
    _ready_container.clear()
    c = build_container(Settings.from_env())
    yield c
    _ready_container.clear()
    c.engine.dispose()


@pytest.fixture
def migrated(app_env):
    migrate.upgrade(app_env.engine)
    return app_env


@pytest.fixture
def demo_app(migrated):
    from app.services.demo import seed_demo

    result = seed_demo(migrated)  # at the real "now", so the running campaign is running while the test runs
    migrated.demo_accounts = {role: (email, pw) for email, role, pw in result.accounts}
    return migrated


def token_for(c, role: str = "admin") -> str:
    """Sign in as the demo account of ``role`` (demo_app) and return the session token."""
    email, password = c.demo_accounts[role]
    return auth.sign_in(c, email, password).token


@pytest.fixture
def admin_app(migrated):
    """A migrated database with one admin (no demo data); ``migrated.admin_token`` signs in."""
    migrated.admin_token = auth.create_first_admin(migrated, "boss@example.com", "Boss", ADMIN_PASSWORD).token
    return migrated


ADMIN_PASSWORD = "correct horse battery"


def run_app(lang: str | None = None, token: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    if token:
        at.session_state["festa_token"] = token
    return at.run()


def visible_text(at: AppTest) -> str:
    parts = []
    for kind in ("title", "subheader", "caption", "markdown", "info", "error", "warning", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for df in at.dataframe:
        parts += [str(c) for c in df.value.columns] + [str(v) for v in df.value.to_numpy().ravel()]
    return "\n".join(parts)
