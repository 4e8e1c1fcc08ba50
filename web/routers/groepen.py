"""Groepen with their weekly sessions and enrolments (jeugdigen by id and initials)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from web.app import render
from web.security import require

router = APIRouter()


@router.get("/groepen")
def groepen(request: Request, user=Depends(require("view"))):
    bundle, pack = request.app.state.store.bundle()
    groups = []
    for g in sorted(bundle.groups.values(), key=lambda g: g.id):
        groups.append({"g": g, "product": pack.product(g.product_code),
                       "sessions": sorted((s for s in bundle.sessions.values() if s.group_id == g.id),
                                          key=lambda s: (s.weekday, s.start)),
                       "enrolments": [(e, bundle.jeugdigen.get(e.jeugdige_id)) for e in bundle.enrolments
                                      if e.group_id == g.id]})
    return render(request, "groepen.html", {"groups": groups})


@router.get("/teams")
def teams(request: Request, user=Depends(require("view"))):
    from planner.plan import Plan
    from web.planviews import days_of, oncall_calendar
    from web.plans import latest_plan

    store = request.app.state.store
    bundle, _ = store.bundle()
    with store.session() as s:
        row = latest_plan(s)
    plan = Plan.from_json(row.data) if row is not None else None
    calendar = oncall_calendar(bundle, plan) if plan else []
    members = {t: sorted(m.id for m in bundle.staff.values() if t in m.teams) for t in bundle.teams}
    return render(request, "teams.html", {"teams": sorted(bundle.teams.values(), key=lambda t: t.id),
                                          "members": members, "calendar": calendar, "row": row,
                                          "staff": bundle.staff,
                                          "days": days_of(plan) if plan else []})
