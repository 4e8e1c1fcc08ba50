"""Groepen with their weekly sessions and enrolments (jeugdigen by id and initials)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from web.app import render
from web.security import log_access, require

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
    with request.app.state.store.session() as s:  # the page lists enrolled jeugdigen: a view of client records
        log_access(s, user, "bekeken", "groepenlijst", "*")
    return render(request, "groepen.html", {"groups": groups})

