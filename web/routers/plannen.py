"""Plannen: versions, background solves with live progress, result views, publish and re-plan.

The lifecycle of a version (``web.plans``): a solve lands as *concept* (compleet or onvolledig; a stopped
solve is onvolledig), a re-plan as *voorstel* that is kept or discarded after its diff, one version is
*gepubliceerd* after a confirmation step that asks a reason per open item, any draft can be discarded.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from sqlalchemy import select
from sqlalchemy.orm import load_only
from starlette.responses import RedirectResponse

from planner.plan import Plan
from web.app import render
from web.db.models import PlanEditRow, PlanRow
from web.freshness import changed_parts
from web.planviews import caseload, coverage, days_of, group_grid, oncall_calendar
from web.plans import (CONCEPT, PROPOSAL, PUBLISHED, SUMMARY_COLUMNS, NeedsReasons, StaleEdit, copy_as_draft, discard,
                       fill_summary, keep, list_versions, mark_overruled, open_items, overrides, publish)
from web.planviews import finding_category
from web.security import DbId, require, form_data

router = APIRouter(prefix="/plannen")
MAX_TIME_LIMIT = 600.0


class PlanStartForm(BaseModel):
    """The plan start form as the browser sends it (a FastAPI form model); :meth:`checked` validates it
    into :class:`PlanStart` with a Dutch message per field, shown next to the field."""

    model_config = ConfigDict(extra="ignore")
    periode_start: str = ""
    weken: str = "1"
    tijdslimiet: str = "20"

    def checked(self, default_start: date) -> tuple[PlanStart | None, dict[str, str]]:
        raw = {"periode_start": self.periode_start.strip() or default_start.isoformat(),
               "weken": self.weken.strip() or "1", "tijdslimiet": self.tijdslimiet.strip().replace(",", ".") or "20"}
        try:
            return PlanStart.model_validate(raw), {}
        except ValidationError as e:
            return None, {str(err["loc"][0]): _dutch(str(err["loc"][0]), err) for err in e.errors()}


START_MESSAGES = {"periode_start": "Geen geldige datum (JJJJ-MM-DD).", "weken": "Kies 1 tot en met 8 weken.",
                  "tijdslimiet": f"Kies een tijdslimiet van 1 tot {MAX_TIME_LIMIT:g} seconden."}


def _dutch(name: str, err: dict) -> str:
    if err.get("type") == "value_error" and name == "periode_start":
        return "Een planperiode begint op een maandag."
    return START_MESSAGES.get(name, "Ongeldige waarde.")


class PlanStart(BaseModel):
    periode_start: date
    weken: int
    tijdslimiet: float

    @field_validator("periode_start")
    @classmethod
    def _monday(cls, v: date) -> date:
        if v.weekday() != 0:
            raise ValueError("geen maandag")
        return v

    @field_validator("weken")
    @classmethod
    def _weeks(cls, v: int) -> int:
        if not 1 <= v <= 8:
            raise ValueError("buiten bereik")
        return v

    @field_validator("tijdslimiet")
    @classmethod
    def _limit(cls, v: float) -> float:
        if not 1 <= v <= MAX_TIME_LIMIT:
            raise ValueError("buiten bereik")
        return v


def _list_page(request: Request, form: PlanStartForm | None = None, errors: dict | None = None,
               status_code: int = 200):
    store = request.app.state.store
    bundle, _ = store.bundle()
    with store.session() as s:
        rows = list_versions(s)
    values = form or PlanStartForm(periode_start=bundle.manifest.period_start.isoformat())
    return render(request, "plannen.html", {"rows": rows, "jobs": request.app.state.jobs.running(),
                                            "start": bundle.manifest.period_start, "form": values,
                                            "errors": errors or {}}, status_code=status_code)


@router.get("")
def plannen(request: Request, user=Depends(require("view"))):
    return _list_page(request)


@router.post("/start")
def start(request: Request, form: Annotated[PlanStartForm, Form()], user=Depends(require("plan"))):
    bundle, _ = request.app.state.store.bundle()
    values, errors = form.checked(bundle.manifest.period_start)
    if errors:
        return _list_page(request, form, errors, status_code=422)
    job = request.app.state.jobs.start(values.periode_start, values.weken, values.tijdslimiet, user.username)
    return RedirectResponse(f"/plannen/taken/{job.id}", status_code=303)


def _job_ctx(request: Request, job) -> dict:
    """The job and, once it has stored a version, that version's summary columns (never its JSON)."""
    version = None
    if job.plan_id:
        with request.app.state.store.session() as s:
            version = s.scalar(select(PlanRow).options(load_only(*SUMMARY_COLUMNS, raiseload=True))
                               .where(PlanRow.id == job.plan_id))
    return {"job": job, "version": version}


@router.get("/taken/{job_id}")
def job_page(request: Request, job_id: str, user=Depends(require("view"))):
    job = request.app.state.jobs.get(job_id)  # read from the database: any web process shows any job
    if job is None or job.kind != "plan":
        raise HTTPException(404)
    block = "progress" if request.headers.get("HX-Request") else None
    return render(request, "job.html", _job_ctx(request, job), block=block)


@router.post("/taken/{job_id}/stop")
def stop_job(request: Request, job_id: str, user=Depends(require("plan"))):
    job = request.app.state.jobs.get(job_id)
    if job is None or job.kind != "plan":
        raise HTTPException(404)
    job = request.app.state.jobs.stop(job_id)  # a flag in the job's row; the worker polls it
    block = "progress" if request.headers.get("HX-Request") else None
    return render(request, "job.html", _job_ctx(request, job), block=block)


def plan_row(request: Request, plan_id: int) -> tuple[PlanRow, Plan | None]:
    with request.app.state.store.session() as s:
        row = s.get(PlanRow, plan_id)
    if row is None:
        raise HTTPException(404)
    if not row.completeness:  # a version stored without summary columns: fill them in memory
        bundle, pack = request.app.state.store.bundle()
        fill_summary(row, bundle, pack)
    return row, (Plan.from_json(row.data) if row.data else None)


def lifecycle(request: Request, row: PlanRow, plan: Plan | None, bundle) -> dict:
    """What every plan page shows of a version: open items with their overrides, data changed since."""
    with request.app.state.store.session() as s:
        done = overrides(s, row.id)
    items = mark_overruled(open_items(row.report), done)
    return {"overruled": done, "open_items": items, "open_count": sum(1 for i in items if not i["overruled"]),
            "changed": changed_parts(row.fingerprint, bundle) if row.status in (CONCEPT, PUBLISHED, PROPOSAL) else [],
            "stale": stale_toewijzingen(plan, bundle)}


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
    ctx = lifecycle(request, row, plan, bundle)
    violations = [{**v, "category": finding_category(v)} for v in report.get("violations", [])]
    return render(request, "plan.html", {
        "row": row, "plan": plan, "tab": "overzicht", "cov": coverage(plan, report, bundle, pack) if plan else None,
        "violations": mark_overruled(violations, ctx["overruled"]), "unmet": report.get("unmet", []),
        "penalties": penalties, "rules": rules, "edits": edits,
        "unserved": {u.toewijzing_id: u.reason for u in plan.unserved} if plan else {}, **ctx})


def stale_toewijzingen(plan: Plan | None, bundle) -> list[str]:
    """Toewijzingen the plan still serves that the data no longer holds (withdrawn by a JW301, or removed)."""
    if plan is None:
        return []
    used = {c.toewijzing_id for c in plan.caseload} | {c.toewijzing_id for c in plan.contacts}
    return sorted(used - set(bundle.toewijzingen))


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
    with request.app.state.store.session() as s:
        done = overrides(s, row.id)
    calendar = oncall_calendar(bundle, pack, plan, row.report)
    for c in calendar:  # red is a checker finding; an overruled one says who overruled it and why
        c["findings"] = mark_overruled(c["findings"], done)
    return render(request, "plan_bereikbaarheid.html", {"row": row, "plan": plan, "tab": "bereikbaarheid",
                                                        "days": days_of(plan), "staff": bundle.staff,
                                                        "calendar": calendar})


@router.get("/{plan_id}/caseload")
def caseload_view(request: Request, plan_id: DbId, user=Depends(require("view"))):
    row, plan = _with_plan(request, plan_id)
    bundle, _ = request.app.state.store.bundle()
    return render(request, "plan_caseload.html", {"row": row, "plan": plan, "tab": "caseload",
                                                  "rows": caseload(bundle, plan, row.report),
                                                  "pinned": {a.toewijzing_id for a in plan.caseload if a.pinned}})


def _with_plan(request: Request, plan_id: int) -> tuple[PlanRow, Plan]:
    row, plan = plan_row(request, plan_id)
    if plan is None:
        raise HTTPException(404)
    return row, plan


def _publish_page(request: Request, row: PlanRow, plan: Plan, errors: dict | None = None, values: dict | None = None,
                  status_code: int = 200):
    bundle, _ = request.app.state.store.bundle()
    ctx = lifecycle(request, row, plan, bundle)
    return render(request, "plan_publiceren.html", {"row": row, "plan": plan, "tab": "overzicht", "errors": errors or {},
                                                    "values": values or {}, **ctx}, status_code=status_code)


@router.get("/{plan_id}/publiceren")
def publish_confirm(request: Request, plan_id: DbId, user=Depends(require("admin"))):
    """The confirmation step: what is published, and a reason per open item nobody overruled yet."""
    row, plan = _with_plan(request, plan_id)
    if row.status != CONCEPT:
        return RedirectResponse(f"/plannen/{plan_id}", status_code=303)
    return _publish_page(request, row, plan)


@router.post("/{plan_id}/publiceren")
def publish_plan(request: Request, plan_id: DbId, user=Depends(require("admin")), form=Depends(form_data)):
    row, plan = _with_plan(request, plan_id)
    reasons = {k: v for k, v in form.items() if k.startswith("reden_") and k != "reden_alle"}
    try:
        version = int(form.get("version") or -1)
    except ValueError:
        version = -1
    try:
        publish(request.app.state.store, plan_id, version, user.username, reasons,
                confirmed=form.get("bevestigd") == "ja", default_reason=form.get("reden_alle") or "")
    except NeedsReasons as e:
        errors = {it["field"]: "Geef een reden om dit open punt te overrulen." for it in e.missing}
        if not e.confirmed:
            errors["bevestigd"] = "Vink aan dat u dit plan wilt publiceren."
        return _publish_page(request, row, plan, errors, dict(form), status_code=422)
    except (StaleEdit, ValueError) as e:
        raise HTTPException(409, str(e) or "Het plan is intussen gewijzigd; laad de pagina opnieuw.") from None
    return RedirectResponse(f"/plannen/{plan_id}?gepubliceerd=1", status_code=303)


@router.post("/{plan_id}/concept")
def new_draft(request: Request, plan_id: DbId, user=Depends(require("plan"))):
    row, _plan = plan_row(request, plan_id)
    if row.data is None:
        raise HTTPException(404)
    new_id = copy_as_draft(request.app.state.store, plan_id, user.username)
    return RedirectResponse(f"/plannen/{new_id}", status_code=303)


def _version_of(form) -> int:
    raw = form.get("version") or ""
    return int(raw) if raw.isdigit() else -1


def _version_step(request: Request, plan_id: int, form, user, step, then: str) -> RedirectResponse:
    """Discard or keep a version (``step`` from web.plans) if nobody changed it in between; then go to ``then``."""
    plan_row(request, plan_id)  # 404 for an unknown plan
    try:
        step(request.app.state.store, plan_id, _version_of(form), user.username)
    except StaleEdit as e:
        raise HTTPException(409, str(e)) from None
    return RedirectResponse(then, status_code=303)


@router.post("/{plan_id}/verwerpen")
def discard_version(request: Request, plan_id: DbId, user=Depends(require("plan")), form=Depends(form_data)):
    """Discard a draft or a re-plan's proposal (it is kept in the database, listed nowhere)."""
    return _version_step(request, plan_id, form, user, discard, "/plannen?verworpen=" + str(plan_id))


@router.post("/{plan_id}/bewaren")
def keep_version(request: Request, plan_id: DbId, user=Depends(require("plan")), form=Depends(form_data)):
    """Keep a re-plan's proposal after its diff: it becomes a draft."""
    return _version_step(request, plan_id, form, user, keep, f"/plannen/{plan_id}")


@router.get("/{plan_id}/verschil")
def diff_view(request: Request, plan_id: DbId, user=Depends(require("view"))):
    """What a re-plan changes against the version it came from, per medewerker: moved, added, removed."""
    from web.replan_diff import diff_per_person

    row, plan = _with_plan(request, plan_id)
    if row.parent_id is None:
        raise HTTPException(404)
    parent, before = plan_row(request, row.parent_id)
    if before is None:
        raise HTTPException(404)
    bundle, _ = request.app.state.store.bundle()
    ctx = lifecycle(request, row, plan, bundle)
    return render(request, "plan_verschil.html", {"row": row, "plan": plan, "parent": parent, "tab": "verschil",
                                                  "diff": diff_per_person(bundle, before, plan), **ctx})


@router.post("/{plan_id}/herplannen")
def replan(request: Request, plan_id: DbId, user=Depends(require("plan")), form=Depends(form_data)):
    """Solve again from this version: pinned parts stay, the rest is re-planned into a proposal."""
    row, _plan = _with_plan(request, plan_id)
    values, errors = PlanStartForm(tijdslimiet=form.get("tijdslimiet") or "20").checked(row.period_start)
    limit = values.tijdslimiet if values else 20.0
    job = request.app.state.jobs.start(row.period_start, row.weeks, limit, user.username, previous_id=plan_id)
    return RedirectResponse(f"/plannen/taken/{job.id}", status_code=303)
