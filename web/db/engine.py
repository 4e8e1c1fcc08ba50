"""Engine and sessions: SQLite (WAL, foreign keys on) by default, PostgreSQL through ``DATABASE_URL``.

The schema is owned by Alembic: :func:`upgrade` runs ``alembic upgrade head``
programmatically at start-up, so a fresh file or an older database is brought
up to date before the first request.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///./jeugdhulp.sqlite"
MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def database_url() -> str:
    """``DATABASE_URL`` from the environment, or the local SQLite file."""
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


def make_engine(url: str) -> Engine:
    """An engine; for SQLite every connection gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        # the solve thread and the request threads share the file: allow cross-thread use, wait on locks
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def alembic_config() -> Config:
    """Alembic configuration without an ini file (script location inside the package)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine) -> None:
    """``alembic upgrade head`` on this engine."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
