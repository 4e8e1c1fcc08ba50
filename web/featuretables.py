"""ORM tables of the import, export and what-if features (migration ``0002``).

They live on the same declarative ``Base`` as :mod:`web.db.models`, so Alembic
and ``Base.metadata`` see them; only these features read or write them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from web.db.models import Base, Versioned


class FeedTokenRow(Base):
    """A per-person iCal feed token, stored as its SHA-256 only (``planner.export.feeds``)."""

    __tablename__ = "agenda_tokens"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(64), index=True)
    created: Mapped[str] = mapped_column(String(40))
    revoked: Mapped[str | None] = mapped_column(String(40))


class ImportSideFileRow(Base):
    """Bundle files outside the tables that later imports need (BSN index, message log, open list)."""

    __tablename__ = "import_bestanden"
    path: Mapped[str] = mapped_column(String(200), primary_key=True)
    content: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ScenarioRow(Versioned, Base):
    """A named what-if scenario: the YAML of its changes, optionally on top of another scenario."""

    __tablename__ = "scenarios"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    base_id: Mapped[int | None] = mapped_column(ForeignKey("scenarios.id", ondelete="SET NULL"))
    yaml_text: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ScenarioRunRow(Base):
    """One comparison run: which scenarios, its settings and the results (``ScenarioResult.to_json()``)."""

    __tablename__ = "scenario_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    label: Mapped[str] = mapped_column(String(400), default="")
    weeks: Mapped[int] = mapped_column(Integer, default=52)
    results: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
