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
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), SQLModel.metadata)
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
