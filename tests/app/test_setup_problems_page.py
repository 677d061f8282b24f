"""Bad configuration reaches the page as one line, never a traceback."""

import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from app.ui.container import _ready_container
from data import migrate
from tests.app.conftest import APP


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    monkeypatch.setenv("FESTA_DATA_DIR", str(tmp_path / "local"))
    _ready_container.clear()
    yield tmp_path
    _ready_container.clear()


def _error(lang="en"):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    assert len(at.error) == 1
    return at.error[0].value


def test_malformed_database_url(fresh, monkeypatch):
    monkeypatch.setenv("FESTA_DATABASE_URL", "postgres//oops")
    assert "FESTA_DATABASE_URL is not a database URL" in _error()


def test_unreachable_postgres(fresh, monkeypatch):
    monkeypatch.setenv("FESTA_DATABASE_URL", "postgresql://festa@127.0.0.1:1/festa")
    message = _error("zh-CN")
    assert message.startswith("Festa 还不能启动：无法连接数据库 postgresql+psycopg://festa@127.0.0.1:1/festa")
    assert "FESTA_DATABASE_URL" in message


def test_database_newer_than_the_code(fresh, monkeypatch):
    url = f"sqlite:///{fresh / 'x.db'}"
    monkeypatch.setenv("FESTA_DATABASE_URL", url)
    from data.engine import make_engine

    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    db = sqlite3.connect(fresh / "x.db")
    db.execute("UPDATE alembic_version SET version_num = '9999_future'")
    db.commit()
    db.close()
    assert "newer than this Festa knows" in _error()


def test_unwritable_data_folder(fresh, monkeypatch):
    blocker = fresh / "blocked"
    blocker.write_text("a file, not a folder")
    monkeypatch.setenv("FESTA_DATA_DIR", str(blocker))
    assert "cannot create the secret key" in _error()
