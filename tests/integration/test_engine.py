import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from data.engine import make_engine
from data.models import ChannelAccount


def test_sqlite_sets_wal_busy_timeout_and_foreign_keys_on_every_connection(sqlite_url):
    engine = make_engine(sqlite_url)
    conns = [engine.connect() for _ in range(3)]  # several pooled connections, each configured
    for conn in conns:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        conn.close()
    engine.dispose()


def test_foreign_keys_are_enforced(container):
    with pytest.raises(IntegrityError):
        with container.uow(write=True) as uow:
            uow.channel_accounts.add(
                ChannelAccount(workspace_id=9999, connector="sandbox", channel="x", name="ghost", timezone="UTC")
            )


def test_sqlite_writers_queue_instead_of_failing(tmp_path):
    """A writing unit takes the lock at BEGIN, so a second writer waits (busy_timeout) and succeeds."""
    from app.bootstrap import build_container
    from data import migrate
    from tests.conftest import make_settings

    c = build_container(make_settings(tmp_path, f"sqlite:///{tmp_path / 'w.db'}"))
    migrate.upgrade(c.engine)
    order, errors = [], []

    def writer(name, hold):
        try:
            with c.uow(write=True) as uow:
                uow.meta.get("x")  # read first: the pattern that hits SQLITE_BUSY under deferred BEGIN
                order.append(f"{name} in")
                time.sleep(hold)
                uow.meta.put(name, "1")
                order.append(f"{name} out")
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    first = threading.Thread(target=writer, args=("a", 0.5))
    first.start()
    time.sleep(0.1)
    second = threading.Thread(target=writer, args=("b", 0))
    second.start()
    first.join()
    second.join()
    assert errors == []
    assert order == ["a in", "a out", "b in", "b out"]
    with c.uow() as uow:
        assert (uow.meta.get("a"), uow.meta.get("b")) == ("1", "1")
    c.engine.dispose()


@pytest.mark.postgres
def test_postgres_goes_through_psycopg_3(pg_url):
    engine = make_engine(pg_url)
    assert engine.dialect.driver == "psycopg"
    with engine.connect() as conn:
        assert conn.execute(text("select 1")).scalar() == 1
    engine.dispose()
