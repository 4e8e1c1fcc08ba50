"""The teamleider's overview: coverage, unmet demand, open warnings, on-call gaps for the coming weeks."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select

from planner.bundle_warnings import staff_without_availability
from planner.plan import Plan
from web.app import render
from web.db.models import PlanRow
from planner.semantics.oncall import duty_teams
from web.planviews import CATEGORY_ORDER, CATEGORY_WORDS, active_toewijzingen, coverage, finding_category
from web.plans import latest_plan
from web.security import require

router = APIRouter()


def coming_weeks(s, first, count: int = 4) -> list[dict]:
    """The next ``count`` weeks from ``first`` and the newest plan version covering each."""
    rows = s.scalars(select(PlanRow).where(PlanRow.data.is_not(None)).order_by(PlanRow.id.desc())).all()
    weeks = []
    for i in range(count):
        monday = first + timedelta(weeks=i)
        cover = next((r for r in rows if r.period_start <= monday < r.period_start + timedelta(weeks=r.weeks)), None)
        weeks.append({"monday": monday, "plan": cover})
    return weeks


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
    ctx = {"empty": False, "bundle": bundle, "row": row, "weeks": weeks, "jobs": request.app.state.jobs.running(),
           "no_availability": [w.message for w in staff_without_availability(bundle, _pack)]}
    if row is not None:
        plan = Plan.from_json(row.data)
        ctx["cov"] = coverage(plan, row.report, bundle, _pack)
        ctx["warnings"] = sorted(({**v, "category": finding_category(v)} for v in (row.report or {}).get("violations", [])),
                                 key=lambda v: CATEGORY_ORDER.index(v["category"]))[:15]
        ctx["category_words"] = CATEGORY_WORDS
        ctx["unmet"] = (row.report or {}).get("unmet", [])[:15]
        # the teams that carry a 24/7 duty (from the product, planner.semantics.oncall) and, per team, the
        # checker's own oncall_coverage findings: a red gap here is always a listed finding
        active = active_toewijzingen(bundle, plan)
        findings = [v for v in (row.report or {}).get("violations", []) if v.get("kind") == "oncall_coverage"]
        ctx["gaps"] = {team.id: [v["message"] for v in findings if ["team", team.id] in v.get("entities", [])]
                       for team in duty_teams(bundle, _pack, active)}
    return render(request, "dashboard.html", ctx)
