"""Plan versions in the database: store a solve, load, check, save an edit with optimistic locking.

The web keeps to the solver boundary: it calls ``solver.solve.solve`` (in
:mod:`web.jobs`) and stores ``Plan.to_json()``; it never touches CP-SAT.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from planner.checker import CheckReport, check_plan
from planner.domain import Bundle
from planner.plan import Plan
from planner.rules import RulePack
from web.db.models import PlanEditRow, PlanRow

STALE_MESSAGE = ("Iemand anders heeft dit intussen gewijzigd. Uw wijziging is niet opgeslagen; "
                 "laad de pagina opnieuw en voer de wijziging opnieuw in.")


class StaleEdit(Exception):
    """The record changed since the user loaded it: the save is refused."""

    def __init__(self, message: str = STALE_MESSAGE):
        super().__init__(message)


def load_plan_data(store, plan_id: int) -> Plan | None:
    with store.session() as s:
        row = s.get(PlanRow, plan_id)
        return Plan.from_json(row.data) if row is not None and row.data else None


def solve_meta(result) -> dict:
    """What the plan pages show of a solve: status, objective, bound, gap, seconds, explanation, stages."""
    return {"status": result.status, "objective": result.objective, "bound": result.bound,
            "gap": result.gap, "seconds": round(result.seconds, 2), "explanation": list(result.explanation),
            "stages": result.stages}


def save_solved(store, bundle: Bundle, pack: RulePack, result, job, on_saved=None) -> int:
    """Insert the solve's outcome as a new draft version (or a 'geen plan' row with the explanation).

    ``on_saved(session, plan_id)`` runs inside the same transaction (the job queue marks its job done
    there, so the plan row and the job's state commit together or not at all).
    """
    now = datetime.now()
    plan = result.plan
    report = check_plan(bundle, pack, plan).to_json() if plan is not None else None
    label = f"Plan {job.period_start:%d-%m-%Y}, {job.weeks} week" + ("" if job.weeks == 1 else "en")
    with store.session() as s:
        row = PlanRow(parent_id=job.parent_id, label=label, period_start=job.period_start, weeks=job.weeks,
                      status="concept" if plan is not None else "geen plan",
                      data=plan.to_json() if plan is not None else None, report=report, solve=solve_meta(result),
                      created_by=job.username, created_at=now, updated_at=now)
        s.add(row)
        s.flush()
        if on_saved is not None:
            on_saved(s, row.id)
        return row.id


def latest_plan(s) -> PlanRow | None:
    """The published plan if any, else the newest draft with data."""
    published = s.scalar(select(PlanRow).where(PlanRow.status == "gepubliceerd").order_by(PlanRow.id.desc()))
    return published or s.scalar(select(PlanRow).where(PlanRow.data.is_not(None)).order_by(PlanRow.id.desc()))


def new_hard(before: CheckReport | dict | None, after: CheckReport) -> list:
    """Hard violations the edit introduces (not present before it)."""
    old = set()
    if isinstance(before, dict):
        old = {(v["rule_id"], v["message"]) for v in before.get("violations", []) if v["severity"] == "hard"}
    elif before is not None:
        old = {(v.rule_id, v.message) for v in before.hard}
    return [v for v in after.hard if (v.rule_id, v.message) not in old]


def save_edit(store, plan_id: int, expected_version: int, plan: Plan, report: CheckReport, username: str,
              action: str, reason: str = "", override: list | None = None) -> int:
    """Store an edited plan if nobody saved in between; log the edit (and any override with its reason).

    Returns the new version.  Raises :class:`StaleEdit` when ``expected_version`` is old.
    """
    try:
        with store.session() as s:
            row = s.get(PlanRow, plan_id)
            if row is None or row.version != expected_version:
                raise StaleEdit()
            if row.status == "gepubliceerd":
                raise StaleEdit("Een gepubliceerd plan wijzigt u niet; maak eerst een nieuwe conceptversie.")
            row.data, row.report, row.updated_at = plan.to_json(), report.to_json(), datetime.now()
            s.add(PlanEditRow(plan_id=plan_id, at=datetime.now(), username=username, action=action,
                              override=bool(override), reason=reason,
                              violations=[v.to_json() for v in override or []]))
            s.flush()  # the UPDATE carries "WHERE version = loaded": a concurrent save raises here
            return row.version
    except StaleDataError:
        raise StaleEdit() from None


def copy_as_draft(store, plan_id: int, username: str) -> int:
    """A new draft version with the same data (to edit a published plan)."""
    now = datetime.now()
    with store.session() as s:
        src = s.get(PlanRow, plan_id)
        row = PlanRow(parent_id=src.id, label=src.label, period_start=src.period_start, weeks=src.weeks,
                      status="concept", data=src.data, report=src.report, solve=src.solve, created_by=username,
                      created_at=now, updated_at=now)
        s.add(row)
        s.flush()
        return row.id


def publish(store, plan_id: int, expected_version: int) -> None:
    """Publish one version; the previously published one goes back to draft."""
    try:
        with store.session() as s:
            row = s.get(PlanRow, plan_id)
            if row is None or row.version != expected_version or row.data is None:
                raise StaleEdit()
            for other in s.scalars(select(PlanRow).where(PlanRow.status == "gepubliceerd")):
                other.status = "concept"
            row.status = "gepubliceerd"
            s.flush()
    except StaleDataError:
        raise StaleEdit() from None
