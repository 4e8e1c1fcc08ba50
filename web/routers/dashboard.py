"""The teamleider's overview: coverage, unmet demand, open warnings, on-call gaps for the coming weeks.

Its cost does not grow with the number of plan versions: the coming weeks are read from the summary
columns of ``plannen`` (never a plan's JSON); only the one plan shown is loaded whole.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import load_only

from planner.bundle_warnings import staff_without_availability
from planner.plan import Plan
from web.app import render
from web.db.models import PlanRow
from planner.semantics.oncall import duty_teams
from web.planviews import (CATEGORY_ORDER, CATEGORY_WORDS, active_toewijzingen, coverage, finding_category,
                           oncall_findings)
from web.freshness import changed_parts
from web.plans import LIVE, fill_summary, latest_plan, mark_overruled, open_items, overrides
from web.security import require

router = APIRouter()


def coming_weeks(s, first, count: int = 4) -> list[dict]:
    """The next ``count`` weeks from ``first`` and the newest live plan version covering each.

    Reads only id, period and weeks to find them (columns stored before the plan JSON, so SQLite never walks
    a version's JSON pages), then the summary columns of the at most ``count`` versions shown.
    """
    last = first + timedelta(weeks=count)
    spans = s.execute(select(PlanRow.id, PlanRow.period_start, PlanRow.weeks)
                      .where(PlanRow.status.in_(LIVE), PlanRow.data.is_not(None), PlanRow.period_start < last,
                             PlanRow.period_start > first - timedelta(weeks=9))
                      .order_by(PlanRow.id.desc())).all()
    chosen: list[int | None] = []
    for i in range(count):
        monday = first + timedelta(weeks=i)
        chosen.append(next((pid for pid, start, weeks in spans if start <= monday < start + timedelta(weeks=weeks)),
                           None))
    ids = {pid for pid in chosen if pid is not None}
    rows = {r.id: r for r in s.scalars(select(PlanRow).options(load_only(
        PlanRow.id, PlanRow.label, PlanRow.period_start, PlanRow.weeks, PlanRow.status, PlanRow.completeness,
        PlanRow.stopped, raiseload=True)).where(PlanRow.id.in_(ids)))} if ids else {}
    return [{"monday": first + timedelta(weeks=i), "plan": rows.get(pid)} for i, pid in enumerate(chosen)]


@router.get("/")
def dashboard(request: Request, user=Depends(require("view"))):
    store = request.app.state.store
    try:
        bundle, _pack = store.bundle()
    except LookupError:
        return render(request, "dashboard.html", {"empty": True})
    with store.session() as s:
        row = latest_plan(s)
        weeks = coming_weeks(s, bundle.manifest.period_start)
        overruled = overrides(s, row.id) if row is not None else {}
    ctx = {"empty": False, "bundle": bundle, "row": row, "weeks": weeks, "jobs": request.app.state.jobs.running(),
           "no_availability": [w.message for w in staff_without_availability(bundle, _pack)]}
    if row is not None:
        fill_summary(row, bundle, _pack)
        plan = Plan.from_json(row.data)
        ctx["cov"] = coverage(plan, row.report, bundle, _pack)
        findings = mark_overruled([{**v, "category": finding_category(v)} for v in (row.report or {}).get("violations", [])],
                                  overruled)
        # open ones first, then the overruled ones (shown with their reason)
        ctx["warnings"] = sorted(findings, key=lambda v: (v["overruled"] is not None, CATEGORY_ORDER.index(v["category"])))[:15]
        ctx["open_count"] = sum(1 for i in open_items(row.report) if i["key"] not in overruled)
        ctx["overruled_count"] = len(overruled)
        ctx["changed"] = changed_parts(row.fingerprint, bundle)
        used = {c.toewijzing_id for c in plan.caseload} | {c.toewijzing_id for c in plan.contacts}
        ctx["stale"] = sorted(used - set(bundle.toewijzingen))
        ctx["category_words"] = CATEGORY_WORDS
        unmet = mark_overruled([{**u, "kind": "omvang"} for u in (row.report or {}).get("unmet", [])], overruled)
        ctx["unmet"] = unmet[:15]
        ctx["unmet_total"] = len(unmet)
        # the teams that carry a 24/7 duty (from the product, planner.semantics.oncall) and, per team, the
        # checker's own oncall_coverage findings: a red gap here is always a listed finding
        active = active_toewijzingen(bundle, plan)
        ctx["gaps"] = {team.id: mark_overruled(oncall_findings(row.report, team.id), overruled)
                       for team in duty_teams(bundle, _pack, active)}
    return render(request, "dashboard.html", ctx)
