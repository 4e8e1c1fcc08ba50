"""Plannen: versions, background solves with live progress, result views, publish and re-plan."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy import select
from starlette.responses import RedirectResponse

from planner.plan import Plan
from web.app import render
from web.db.models import PlanEditRow, PlanRow
from web.planviews import caseload, coverage, days_of, group_grid, oncall_calendar, staff_grid
from web.plans import StaleEdit, copy_as_draft, publish
from web.security import DbId, require, form_data

router = APIRouter(prefix="/plannen")
MAX_TIME_LIMIT = 600.0


@router.get("")
def plannen(request: Request, user=Depends(require("view"))):
    store = request.app.state.store
    bundle, _ = store.bundle()
    with store.session() as s:
        rows = s.scalars(select(PlanRow).order_by(PlanRow.id.desc()).limit(100)).all()
    return render(request, "plannen.html", {"rows": rows, "jobs": request.app.state.jobs.running(),
                                            "start": bundle.manifest.period_start, "errors": {}})


def _parse_start_form(form, default_start: date) -> tuple[date | None, int, float, dict]:
    errors: dict[str, str] = {}
    try:
        start = date.fromisoformat((form.get("periode_start") or default_start.isoformat()).strip())
        if start.weekday() != 0:
            errors["periode_start"] = "Een planperiode begint op een maandag."
    except ValueError:
        start, errors["periode_start"] = None, "Geen geldige datum (JJJJ-MM-DD)."
    try:
        weeks = int(form.get("weken") or 1)
        if not 1 <= weeks <= 8:
            raise ValueError
    except ValueError:
        weeks, errors["weken"] = 1, "Kies 1 tot en met 8 weken."
    try:
        limit = float((form.get("tijdslimiet") or "20").replace(",", "."))
        if not 1 <= limit <= MAX_TIME_LIMIT:
            raise ValueError
    except ValueError:
        limit, errors["tijdslimiet"] = 20.0, f"Kies een tijdslimiet van 1 tot {MAX_TIME_LIMIT:g} seconden."
    return start, weeks, limit, errors


@router.post("/start")
def start(request: Request, user=Depends(require("plan")), form=Depends(form_data)):
    store = request.app.state.store
    bundle, _ = store.bundle()
    period_start, weeks, limit, errors = _parse_start_form(form, bundle.manifest.period_start)
    if errors:
        with store.session() as s:
            rows = s.scalars(select(PlanRow).order_by(PlanRow.id.desc()).limit(100)).all()
        return render(request, "plannen.html", {"rows": rows, "jobs": request.app.state.jobs.running(),
                                                "start": bundle.manifest.period_start, "errors": errors},
                      status_code=422)
    job = request.app.state.jobs.start(period_start, weeks, limit, user.username)
    return RedirectResponse(f"/plannen/taken/{job.id}", status_code=303)


@router.get("/taken/{job_id}")
def job_page(request: Request, job_id: str, user=Depends(require("view"))):
    job = request.app.state.jobs.get(job_id)  # read from the database: any web process shows any job
    if job is None or job.kind != "plan":
        raise HTTPException(404)
    block = "progress" if request.headers.get("HX-Request") else None
    return render(request, "job.html", {"job": job}, block=block)


@router.post("/taken/{job_id}/stop")
def stop_job(request: Request, job_id: str, user=Depends(require("plan"))):
    job = request.app.state.jobs.get(job_id)
    if job is None or job.kind != "plan":
        raise HTTPException(404)
    job = request.app.state.jobs.stop(job_id)  # a flag in the job's row; the worker polls it
    block = "progress" if request.headers.get("HX-Request") else None
    return render(request, "job.html", {"job": job}, block=block)


def plan_row(request: Request, plan_id: int) -> tuple[PlanRow, Plan | None]:
    with request.app.state.store.session() as s:
        row = s.get(PlanRow, plan_id)
    if row is None:
        raise HTTPException(404)
    return row, (Plan.from_json(row.data) if row.data else None)


@router.get("/{plan_id}")
def plan_overview(request: Request, plan_id: DbId, user=Depends(require("view"))):
    row, plan = plan_row(request, plan_id)
    bundle, pack = request.app.state.store.bundle()
    report = row.report or {}
    penalties = sorted(report.get("penalties_per_rule", {}).items(), key=lambda kv: -kv[1])
    rules = {r.id: r for r in pack.rules}
    with request.app.state.store.session() as s:
        edits = s.scalars(select(PlanEditRow).where(PlanEditRow.plan_id == plan_id)
                          .order_by(PlanEditRow.id.desc())).all()
    return render(request, "plan.html", {
        "row": row, "plan": plan, "tab": "overzicht", "cov": coverage(plan, report, bundle, pack) if plan else None,
        "violations": report.get("violations", []), "unmet": report.get("unmet", []), "penalties": penalties,
        "rules": rules, "edits": edits, "unserved": {u.toewijzing_id: u.reason for u in plan.unserved} if plan else {},
        "stale": stale_toewijzingen(plan, bundle)})


def stale_toewijzingen(plan: Plan | None, bundle) -> list[str]:
    """Toewijzingen the plan still serves that the data no longer holds (withdrawn by a JW301, or removed)."""
    if plan is None:
        return []
    used = {c.toewijzing_id for c in plan.caseload} | {c.toewijzing_id for c in plan.contacts}
    return sorted(used - set(bundle.toewijzingen))


@router.get("/{plan_id}/week")
def week_grid(request: Request, plan_id: DbId, team: str = "", user=Depends(require("view"))):
    row, plan = _with_plan(request, plan_id)
    bundle, _ = request.app.state.store.bundle()
    return render(request, "plan_week.html", {"row": row, "plan": plan, "tab": "week", "days": days_of(plan),
                                              "grid": staff_grid(bundle, plan, team or None), "team": team,
                                              "teams": sorted(bundle.teams.values(), key=lambda t: t.id)})


@router.get("/{plan_id}/groepen")
def groups_view(request: Request, plan_id: DbId, user=Depends(require("view"))):
    row, plan = _with_plan(request, plan_id)
    bundle, _ = request.app.state.store.bundle()
    return render(request, "plan_groepen.html", {"row": row, "plan": plan, "tab": "groepen", "days": days_of(plan),
                                                 "grid": group_grid(bundle, plan)})


@router.get("/{plan_id}/bereikbaarheid")
def oncall_view(request: Request, plan_id: DbId, user=Depends(require("view"))):
    row, plan = _with_plan(request, plan_id)
    bundle, pack = request.app.state.store.bundle()
    return render(request, "plan_bereikbaarheid.html", {"row": row, "plan": plan, "tab": "bereikbaarheid",
                                                        "days": days_of(plan), "staff": bundle.staff,
                                                        "calendar": oncall_calendar(bundle, pack, plan)})


@router.get("/{plan_id}/caseload")
def caseload_view(request: Request, plan_id: DbId, user=Depends(require("view"))):
    row, plan = _with_plan(request, plan_id)
    bundle, _ = request.app.state.store.bundle()
    return render(request, "plan_caseload.html", {"row": row, "plan": plan, "tab": "caseload",
                                                  "rows": caseload(bundle, plan),
                                                  "pinned": {a.toewijzing_id for a in plan.caseload if a.pinned}})


def _with_plan(request: Request, plan_id: int) -> tuple[PlanRow, Plan]:
    row, plan = plan_row(request, plan_id)
    if plan is None:
        raise HTTPException(404)
    return row, plan


@router.post("/{plan_id}/publiceren")
def publish_plan(request: Request, plan_id: DbId, user=Depends(require("admin")), form=Depends(form_data)):
    try:
        publish(request.app.state.store, plan_id, int(form.get("version") or -1))
    except (StaleEdit, ValueError):
        raise HTTPException(409, "Het plan is intussen gewijzigd; laad de pagina opnieuw.") from None
    return RedirectResponse(f"/plannen/{plan_id}", status_code=303)


@router.post("/{plan_id}/concept")
def new_draft(request: Request, plan_id: DbId, user=Depends(require("plan"))):
    plan_row(request, plan_id)
    new_id = copy_as_draft(request.app.state.store, plan_id, user.username)
    return RedirectResponse(f"/plannen/{new_id}", status_code=303)


@router.post("/{plan_id}/herplannen")
def replan(request: Request, plan_id: DbId, user=Depends(require("plan")), form=Depends(form_data)):
    """Solve again from this version: pinned parts stay, the rest is re-planned into a new draft."""
    row, _plan = _with_plan(request, plan_id)
    try:
        limit = min(max(float(form.get("tijdslimiet") or 20), 1.0), MAX_TIME_LIMIT)
    except ValueError:
        limit = 20.0
    job = request.app.state.jobs.start(row.period_start, row.weeks, limit, user.username, previous_id=plan_id)
    return RedirectResponse(f"/plannen/taken/{job.id}", status_code=303)
