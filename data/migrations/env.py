"""Alembic environment. ``data.migrate`` passes a connection; the alembic CLI uses
FESTA_DATABASE_URL (see alembic.ini)."""

import os

from alembic import context
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import data.models  # noqa: F401  (registers the tables)
from data.engine import make_engine
from data.types import UTCDateTime

config = context.config
target_metadata = SQLModel.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = make_engine(os.environ.get("FESTA_DATABASE_URL", "sqlite:///data/local/festa.db"))
        with engine.connect() as conn:
            _migrate(conn)
        engine.dispose()
    else:
        _migrate(connection)


def _render_item(type_, obj, autogen_context):
    """Render Festa's column types as plain SQLAlchemy ones: migrations stay frozen."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})"
    return False


def _migrate(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
