"""Alembic environment: runs on the connection handed over by :func:`web.db.engine.upgrade`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from web.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # command-line use: alembic -x url=...
        from web.db.engine import database_url

        url = context.get_x_argument(as_dictionary=True).get("url") or database_url()
        with create_engine(url).connect() as conn:
            _run(conn)
            conn.commit()
        return
    _run(connection)


def _run(connection) -> None:
    # batch mode: SQLite cannot ALTER most things in place
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
