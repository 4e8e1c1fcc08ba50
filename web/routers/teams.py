"""Teams: members and bereikbaarheid duties (from the newest plan)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from planner.plan import Plan
from web.app import render
from web.planviews import days_of, oncall_calendar
from web.plans import latest_plan
from web.security import require

router = APIRouter()


@router.get("/teams")
def teams(request: Request, user=Depends(require("view"))):
    store = request.app.state.store
    bundle, pack = store.bundle()
    with store.session() as s:
        row = latest_plan(s)
    plan = Plan.from_json(row.data) if row is not None else None
    calendar = oncall_calendar(bundle, pack, plan, row.report) if plan else []
    members = {t: sorted(m.id for m in bundle.staff.values() if t in m.teams) for t in bundle.teams}
    return render(request, "teams.html", {"teams": sorted(bundle.teams.values(), key=lambda t: t.id),
                                          "members": members, "calendar": calendar, "row": row,
                                          "staff": bundle.staff,
                                          "days": days_of(plan) if plan else []})
