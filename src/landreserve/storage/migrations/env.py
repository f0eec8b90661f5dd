"""Alembic environment: runs on the connection handed over by ``storage.migrate`` or on the URL."""

from alembic import context
from sqlalchemy import pool

from landreserve.storage.all_tables import metadata
from landreserve.storage.db import make_engine

config = context.config


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.begin() as conn:
        _run(conn)
