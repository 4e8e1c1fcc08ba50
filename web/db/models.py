"""ORM classes (SQLAlchemy 2.0 typed declarative).

These are storage shapes only: the domain dataclasses in :mod:`planner.domain`
stay free of database code, and :mod:`web.db.mapping` is the one place that
converts between the two.  Editable records carry a ``version`` column that
SQLAlchemy uses for optimistic locking (``version_id_col``): an UPDATE whose
version no longer matches is refused instead of silently overwriting.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, Time,
                        UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Versioned:
    """Mixin: an integer version bumped on every UPDATE (optimistic locking)."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}


class Setting(Base):
    """Key/value settings: the data revision counter (never key material: see :mod:`web.keys`)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class DatasetRow(Base):
    """The provider's manifest: name, rule pack with overrides, default period."""

    __tablename__ = "dataset"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    rule_pack: Mapped[str] = mapped_column(String(100))
    rule_overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    period_start: Mapped[date] = mapped_column(Date)
    weeks: Mapped[int] = mapped_column(Integer, default=1)
    # the manifest's optional sections (instroom, feestdagen) as manifest.yaml has them
    settings: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)


class TeamRow(Base):
    __tablename__ = "teams"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    oncall_24_7: Mapped[bool] = mapped_column(Boolean, default=False)
    intervention: Mapped[str | None] = mapped_column(String(100))
    offers: Mapped[list[Any] | None] = mapped_column(JSON, default=list)  # aanbod: product codes


class MedewerkerRow(Versioned, Base):
    __tablename__ = "medewerkers"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    education: Mapped[str] = mapped_column(String(10))
    profession: Mapped[str] = mapped_column(String(100))
    registrations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    certifications: Mapped[list[Any]] = mapped_column(JSON, default=list)
    contract_hours: Mapped[float] = mapped_column(Float, default=36.0)
    teams: Mapped[list[Any]] = mapped_column(JSON, default=list)
    gemeenten: Mapped[list[Any]] = mapped_column(JSON, default=list)
    caseload_max: Mapped[int | None] = mapped_column(Integer)
    oncall_consent_required: Mapped[bool] = mapped_column(Boolean, default=False)
    oncall_consent: Mapped[bool] = mapped_column(Boolean, default=True)
    vog_date: Mapped[date | None] = mapped_column(Date)  # latest VOG on file (A:1213, A:4183)


class AvailabilityRow(Base):
    __tablename__ = "beschikbaarheid"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("medewerkers.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)


class AbsenceRow(Base):
    __tablename__ = "afwezigheid"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("medewerkers.id", ondelete="CASCADE"), index=True)
    start: Mapped[datetime] = mapped_column(DateTime)
    end: Mapped[datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(20), default="verlof")


class WishRow(Base):
    """A shift wish (``wensen.csv``, :class:`planner.domain.ShiftWish`): one per medewerker, day and shift."""

    __tablename__ = "dienstwensen"
    __table_args__ = (UniqueConstraint("staff_id", "day", "shift", name="uq_dienstwensen_staff_id_day_shift"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    staff_id: Mapped[str] = mapped_column(ForeignKey("medewerkers.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    shift: Mapped[str] = mapped_column(String(1))  # D | A | N | * (the whole day, only with niet)
    kind: Mapped[str] = mapped_column(String(10))  # wel | niet
    weight: Mapped[int] = mapped_column(Integer, default=10)  # 1-100


class RealisatieRow(Base):
    """Care delivered before the period (``realisatie.csv``, :class:`planner.domain.Realisatie`)."""

    __tablename__ = "realisatie"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    toewijzing_id: Mapped[str] = mapped_column(ForeignKey("toewijzingen.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10), default="contact")  # contact | regie | intake
    staff_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # may have left since


class GezinRow(Base):
    __tablename__ = "gezinnen"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    gemeente: Mapped[str] = mapped_column(String(100))


class JeugdigeRow(Base):
    __tablename__ = "jeugdigen"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    gezin_id: Mapped[str] = mapped_column(ForeignKey("gezinnen.id"), index=True)
    initials: Mapped[str] = mapped_column(String(20))
    birth_year: Mapped[int] = mapped_column(Integer)
    gemeente: Mapped[str] = mapped_column(String(100))


class ToewijzingRow(Versioned, Base):
    __tablename__ = "toewijzingen"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    jeugdige_id: Mapped[str] = mapped_column(ForeignKey("jeugdigen.id"), index=True)
    product_code: Mapped[str] = mapped_column(String(20))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    volume: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(20))
    frequency: Mapped[str | None] = mapped_column(String(20))
    intervention: Mapped[str | None] = mapped_column(String(100))
    team_id: Mapped[str | None] = mapped_column(String(64))
    referral_date: Mapped[date | None] = mapped_column(Date)
    current_executor_id: Mapped[str | None] = mapped_column(String(64))
    current_responsible_id: Mapped[str | None] = mapped_column(String(64))
    last_regie_contact: Mapped[date | None] = mapped_column(Date)


class GroepRow(Base):
    __tablename__ = "groepen"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    product_code: Mapped[str] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(String(200), default="")
    team_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # residential groups' fixed team


class SessieRow(Base):
    __tablename__ = "sessies"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("groepen.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)
    location: Mapped[str] = mapped_column(String(200), default="")


class InschrijvingRow(Base):
    __tablename__ = "inschrijvingen"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("groepen.id", ondelete="CASCADE"), index=True)
    jeugdige_id: Mapped[str] = mapped_column(ForeignKey("jeugdigen.id"), index=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)


class UserRow(Base):
    __tablename__ = "gebruikers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # teamleider | planner | viewer
    teams: Mapped[list[Any]] = mapped_column(JSON, default=list)  # empty = all teams
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PlanRow(Versioned, Base):
    """One version of a plan.  Solves always insert a new draft; edits update a draft in place."""

    __tablename__ = "plannen"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plannen.id", ondelete="SET NULL"))
    label: Mapped[str] = mapped_column(String(200), default="")
    period_start: Mapped[date] = mapped_column(Date)
    weeks: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="concept")  # concept | gepubliceerd | geen plan | voorstel | verworpen
    # none_as_null: "no plan" is SQL NULL (not JSON null), so "data IS NOT NULL" finds the real plans
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))  # Plan.to_json()
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))  # CheckReport.to_json() of the stored data
    solve: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # status, objective, bound, gap, explanation
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # summary columns (migration 0008): lists and the dashboard read these, never ``data`` or ``report``
    completeness: Mapped[str] = mapped_column(String(20), default="")  # compleet | onvolledig | geen plan
    stopped: Mapped[bool] = mapped_column(Boolean, default=False)  # the solve was stopped before it finished
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))  # web.plans.summarize
    fingerprint: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))  # web.freshness


class PlanEditRow(Base):
    """Every manual edit of a plan; an override of a hard rule carries its reason."""

    __tablename__ = "planwijzigingen"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plannen.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    username: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(Text)
    override: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    violations: Mapped[list[Any]] = mapped_column(JSON, default=list)


class AccessLogRow(Base):
    """Who viewed or changed which client record, and when (pseudonymous ids only)."""

    __tablename__ = "toegangslog"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))  # bekeken | gewijzigd
    record_type: Mapped[str] = mapped_column(String(20))  # jeugdige | gezin | toewijzing
    record_id: Mapped[str] = mapped_column(String(64))


class WebSessionRow(Base):
    """A server-side login session: the cookie holds a random token, the database its SHA-256 only.

    Logout, disabling the user or changing the password deletes the row, so a saved cookie stops working.
    """

    __tablename__ = "web_sessies"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("gebruikers.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)


class LoginAttemptRow(Base):
    """One login attempt (throttling and lock-out per user and per IP address)."""

    __tablename__ = "inlogpogingen"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    ok: Mapped[bool] = mapped_column(Boolean, default=False)


class JobRow(Base):
    """A background job (``web.jobs``): a solve, a what-if run or one scenario of it, on the task queue.

    The queue (Huey) only carries the job's id; everything the pages show lives here, so any web process
    shows any job and a restart loses none. ``state``: wacht (in the queue) | bezig | klaar | mislukt |
    gestopt. A running job's worker writes ``heartbeat`` and ``progress`` about every second and polls
    ``stop_requested``; a job whose heartbeat goes stale is marked mislukt (its worker died).
    """

    __tablename__ = "taken"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # plan | wat-als | scenario
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("taken.id", ondelete="CASCADE"), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), deferred=True)
    state: Mapped[str] = mapped_column(String(10), default="wacht", index=True)
    progress: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    stop_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plannen.id", ondelete="SET NULL"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("scenario_runs.id", ondelete="SET NULL"))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), deferred=True)
    status: Mapped[str] = mapped_column(String(40), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    heartbeat: Mapped[datetime | None] = mapped_column(DateTime)
    worker: Mapped[str] = mapped_column(String(200), default="")
