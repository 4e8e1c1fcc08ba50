"""Cliënten (jeugdigen by pseudonymous id and initials only), gezinnen and toewijzingen.

Every view or change of a client record writes an access-log row.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from sqlalchemy.orm.exc import StaleDataError
from starlette.responses import RedirectResponse, Response

from planner.plan import Plan
from web.app import render
from web.db.models import ToewijzingRow
from web.forms import ToewijzingForm, form_page
from web.plans import STALE_MESSAGE, latest_plan
from web.security import log_access, require

router = APIRouter(prefix="/clienten")


@router.get("")
def clienten(request: Request, gemeente: str = "", user=Depends(require("view"))):
    store = request.app.state.store
    bundle, _ = store.bundle()
    per_gezin: dict[str, list] = {}
    for j in sorted(bundle.jeugdigen.values(), key=lambda j: j.id):
        per_gezin.setdefault(j.gezin_id, []).append(j)
    gezinnen = [g for g in sorted(bundle.gezinnen.values(), key=lambda g: g.id)
                if not gemeente or g.gemeente == gemeente]
    with store.session() as s:
        log_access(s, user, "bekeken", "cliëntenlijst", gemeente or "*")
    return render(request, "clienten.html", {"gezinnen": gezinnen, "per_gezin": per_gezin, "gemeente": gemeente,
                                             "gemeenten": sorted({g.gemeente for g in bundle.gezinnen.values()})})


def _detail_ctx(request: Request, jeugdige_id: str) -> dict:
    store = request.app.state.store
    bundle, pack = store.bundle()
    j = bundle.jeugdigen.get(jeugdige_id)
    if j is None:
        raise HTTPException(404)
    tws = sorted((t for t in bundle.toewijzingen.values() if t.jeugdige_id == j.id), key=lambda t: t.id)
    with store.session() as s:
        versions = {t.id: s.get(ToewijzingRow, t.id).version for t in tws}
        row = latest_plan(s)
    assigned = {}
    if row is not None:
        assigned = {a.toewijzing_id: a for a in Plan.from_json(row.data).caseload}
    return {"j": j, "gezin": bundle.gezinnen.get(j.gezin_id), "toewijzingen": tws, "versions": versions,
            "assigned": assigned, "pack": pack, "teams": sorted(bundle.teams),
            "enrolments": [e for e in bundle.enrolments if e.jeugdige_id == j.id],
            "siblings": [x.id for x in bundle.jeugdigen.values() if x.gezin_id == j.gezin_id and x.id != j.id]}


@router.get("/{jeugdige_id}")
def jeugdige(request: Request, jeugdige_id: str, user=Depends(require("view"))):
    ctx = _detail_ctx(request, jeugdige_id)
    with request.app.state.store.session() as s:
        log_access(s, user, "bekeken", "jeugdige", jeugdige_id)
    return render(request, "jeugdige.html", ctx)


def _jeugdige_of(request: Request, tid: str) -> str:
    with request.app.state.store.session() as s:
        row = s.get(ToewijzingRow, tid)
        if row is None:
            raise HTTPException(404)
        return row.jeugdige_id


def _invalid_toewijzing(request: Request, errors: dict, form=None) -> Response:
    """The client record again with the messages next to the toewijzing's fields (``einddatum-<id>``)."""
    tid, user = request.path_params["tid"], request.state.user
    jeugdige_id = _jeugdige_of(request, tid)
    names = {"team_id": "team", "version": "algemeen"}
    errors = {f"{names.get(k, k)}-{tid}" if not k.endswith(f"-{tid}") else k: v for k, v in errors.items()}
    ctx = _detail_ctx(request, jeugdige_id)
    with request.app.state.store.session() as s:  # the answer shows the client record again: that is a view too
        log_access(s, user, "bekeken", "jeugdige", jeugdige_id)
    stale = any(k.startswith("algemeen") for k in errors)
    return render(request, "jeugdige.html", {**ctx, "errors": errors}, status_code=409 if stale else 422)


@router.post("/toewijzingen/{tid}")
@form_page(_invalid_toewijzing)
def edit_toewijzing(request: Request, tid: str, data: Annotated[ToewijzingForm, Form()],
                    user=Depends(require("edit"))):
    """Change end date and team of a toewijzing (optimistic locking on its version)."""
    store = request.app.state.store
    jeugdige_id = _jeugdige_of(request, tid)
    errors: dict[str, str] = {}
    team, end = data.team_id or None, data.einddatum
    if team is not None and team not in store.bundle()[0].teams:  # an unknown id would block every later import
        errors["team"] = "Onbekend team: kies een team uit de lijst."
    with store.session() as s:
        if end < s.get(ToewijzingRow, tid).start:
            errors["einddatum"] = "De einddatum ligt voor de begindatum."
    if not errors:
        try:
            with store.session() as s:
                row = s.get(ToewijzingRow, tid)
                if row.version != data.version:
                    raise StaleDataError()
                row.end, row.team_id = end, team
                s.flush()
                log_access(s, user, "gewijzigd", "toewijzing", tid)
                store.bump(s)
        except StaleDataError:
            errors["algemeen"] = STALE_MESSAGE
    if errors:
        return _invalid_toewijzing(request, errors)
    return RedirectResponse(f"/clienten/{jeugdige_id}?opgeslagen=1", status_code=303)
