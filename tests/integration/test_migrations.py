import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from data import migrate
from data.errors import SetupError


def test_upgrade_creates_every_table_and_is_idempotent(bare_container):
    engine = bare_container.engine
    before = migrate.state(engine)
    assert before.current is None and not before.up_to_date
    after = migrate.upgrade(engine)
    assert after.up_to_date and after.current == after.head
    assert set(SQLModel.metadata.tables) <= set(inspect(engine).get_table_names())
    assert migrate.upgrade(engine).current == after.current


def test_migrations_match_the_models(container):
    """A model change without a migration fails here, before it can lose anyone's data."""
    with container.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == []


def test_a_database_from_a_newer_festa_is_refused_with_one_clear_line(container):
    with container.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    with pytest.raises(SetupError) as err:
        migrate.upgrade(container.engine)
    assert "newer than this Festa knows" in err.value.what
    assert "ffff_future" in err.value.what
    # nothing was touched
    with container.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "ffff_future"


def _seed_at_0001(engine):
    """Rows in every table of the first schema, written as that version would have written them."""
    from tests.conftest import NOW

    rows = [
        "INSERT INTO workspace (id, slug, name, timezone, currency, created_at) VALUES (1, 'w', 'w', 'UTC', 'CNY', :t)",
        "INSERT INTO campaign (id, workspace_id, name, objective, status, timezone, starts_at, ends_at, budget_minor,"
        " currency) VALUES (1, 1, 'c', 'gmv', 'running', 'UTC', :t, :t, 100, 'CNY')",
        "INSERT INTO campaign_phase (campaign_id, kind, name, starts_at, ends_at, budget_minor)"
        " VALUES (1, 'peak', 'peak', :t, :t, 10)",
        "INSERT INTO channel_account (id, workspace_id, connector, channel, name, timezone)"
        " VALUES (1, 1, 'sandbox', 'x', '@x', 'UTC')",
        "INSERT INTO partner (id, workspace_id, name, platform, handle) VALUES (1, 1, 'p', 'douyin', 'p')",
        "INSERT INTO post (workspace_id, campaign_id, channel_account_id, title, body, state, created_at)"
        " VALUES (1, 1, 1, 't', 'b', 'draft', :t)",
        "INSERT INTO metric_daily (workspace_id, campaign_id, channel, partner_id, day, impressions, engagements,"
        " clicks, conversions, revenue_minor, spend_minor, currency) VALUES (1, 1, 'x', 1, '2026-11-11', 1, 1, 1, 1,"
        " 1, 1, 'CNY')",
    ]
    with engine.begin() as conn:
        for sql in rows:
            conn.execute(text(sql), {"t": NOW})


TABLES = ("workspace", "campaign", "campaign_phase", "channel_account", "partner", "post", "metric_daily")  # at 0001


def _counts(engine):
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES}


def test_upgrading_keeps_every_row(bare_container):
    """Batch migrations on SQLite recreate tables; nothing may cascade away on the way."""
    engine = bare_container.engine
    migrate.upgrade(engine, "0001")
    _seed_at_0001(engine)
    before = _counts(engine)
    assert set(before.values()) == {1}
    migrate.upgrade(engine)
    assert _counts(engine) == before
    with engine.connect() as conn:  # foreign keys are back on for everyone else
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_several_machines_migrating_at_once_take_turns(bare_container):
    import threading

    errors = []

    def run():
        try:
            migrate.upgrade(bare_container.engine)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert migrate.state(bare_container.engine).up_to_date


def test_constraints_are_named_so_later_migrations_can_change_them(container):
    insp = inspect(container.engine)
    assert insp.get_pk_constraint("workspace")["name"] == "pk_workspace"
    assert [u["name"] for u in insp.get_unique_constraints("user_account")] == ["uq_user_account_email"]
    assert "fk_post_channel_account_id_channel_account" in [f["name"] for f in insp.get_foreign_keys("post")]
