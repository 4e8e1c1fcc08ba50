"""Exporteren: plan downloads (XLSX, CSV, iCal, PDF, JSON) and the secret per-person iCal feeds.

Every roster view links here (``partials/plan_export.html``). Feeds are made and revoked by a
teamleider; the feed itself is served by :class:`web.feeds.PublicFeed` (token, no login).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request

from planner.export.roster import roster_items
from web.app import render
from web.exports import FORMATS, PER_PERSON, export_file
from web.feeds import PREFIX, active_feeds, feed_store
from web.routers.plannen import _with_plan
from web.security import EXPORT_ACTION, DbId, log_access, require

router = APIRouter()


@router.get("/plannen/{plan_id}/export")
def export_page(request: Request, plan_id: DbId, user=Depends(require("view"))):
    return _page(request, plan_id)


def _page(request: Request, plan_id: int, new_feed: tuple[str, str] | None = None, status_code: int = 200):
    row, plan = _with_plan(request, plan_id)
    bundle, _pack = request.app.state.store.bundle()
    ids = sorted({i.staff_id for i in roster_items(bundle, plan)} & set(bundle.staff))
    with request.app.state.store.session() as s:
        feeds = active_feeds(s)
    return render(request, "plan_export.html", {"row": row, "plan": plan, "tab": "export", "feeds": feeds,
                                                "staff": [bundle.staff[i] for i in ids], "new_feed": new_feed},
                  status_code=status_code)


@router.get("/plannen/{plan_id}/export/{fmt}")
def export(request: Request, plan_id: DbId, fmt: str, medewerker: str = "", user=Depends(require("view"))):
    if fmt not in FORMATS:
        raise HTTPException(404)
    row, plan = _with_plan(request, plan_id)
    bundle, _pack = request.app.state.store.bundle()
    if fmt in PER_PERSON and medewerker not in bundle.staff:
        raise HTTPException(404)
    with request.app.state.store.session() as s:  # an export holds client records: who took it, and when
        log_access(s, user, EXPORT_ACTION, "plan", f"{row.id} {fmt}" + (f" {medewerker}" if fmt in PER_PERSON else ""))
    return export_file(bundle, plan, row.id, fmt, medewerker if fmt in PER_PERSON else None)


@router.post("/plannen/{plan_id}/agenda/{staff_id}/maken")
def create_feed(request: Request, plan_id: DbId, staff_id: str, user=Depends(require("admin"))):
    bundle, _pack = request.app.state.store.bundle()
    if staff_id not in bundle.staff:
        raise HTTPException(404)
    with request.app.state.store.session() as s:
        token = feed_store(s).create(staff_id)  # revokes an earlier token of this medewerker
    url = str(request.base_url).rstrip("/") + f"{PREFIX}{token}.ics"
    return _page(request, plan_id, new_feed=(staff_id, url))


@router.post("/plannen/{plan_id}/agenda/{staff_id}/intrekken")
def revoke_feed(request: Request, plan_id: DbId, staff_id: str, user=Depends(require("admin"))):
    with request.app.state.store.session() as s:
        feed_store(s).revoke(staff_id=staff_id)
    return _page(request, plan_id)
