"""Medewerkers: list with filters, create, edit (with derived roles), delete; optimistic locking."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy import delete
from sqlalchemy.orm.exc import StaleDataError
from starlette.responses import RedirectResponse

from planner.domain import Education, Registration
from planner.roles import derived_roles
from web.app import render
from web.db.mapping import absence_row, availability_rows, medewerker_fields
from web.db.models import AbsenceRow, AvailabilityRow, MedewerkerRow
from web.forms import format_absences, format_availability, parse_medewerker
from web.plans import STALE_MESSAGE
from web.security import may_edit_team, require

router = APIRouter(prefix="/medewerkers")


@router.get("")
def medewerkers(request: Request, q: str = "", team: str = "", rol: str = "", user=Depends(require("view"))):
    bundle, _ = request.app.state.store.bundle()
    rows = []
    for m in sorted(bundle.staff.values(), key=lambda m: m.id):
        roles = derived_roles(m)
        if q and q.lower() not in f"{m.id} {m.name} {m.profession}".lower():
            continue
        if (team and team not in m.teams) or (rol and rol not in roles):
            continue
        rows.append({"m": m, "roles": roles})
    ctx = {"rows": rows, "teams": sorted(bundle.teams.values(), key=lambda t: t.id), "q": q, "team": team, "rol": rol}
    block = "table" if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "lijst" else None
    return render(request, "medewerkers.html", ctx, block=block)


def _form_ctx(request: Request, m, absences, version: int | None, errors=None, values=None, new=False) -> dict:
    bundle, _ = request.app.state.store.bundle()
    return {"m": m, "roles": derived_roles(m) if m else [], "version": version, "errors": errors or {},
            "new": new, "teams": sorted(bundle.teams.values(), key=lambda t: t.id), "educations": list(Education),
            "registrations": list(Registration), "values": values,
            "availability": values.get("beschikbaarheid") if values else format_availability(m),
            "absences": values.get("afwezigheid") if values else format_absences(absences)}


@router.get("/nieuw")
def new_form(request: Request, user=Depends(require("edit"))):
    return render(request, "medewerker_form.html", _form_ctx(request, None, [], None, new=True))


@router.get("/{staff_id}")
def edit_form(request: Request, staff_id: str, user=Depends(require("view"))):
    bundle, _ = request.app.state.store.bundle()
    m = bundle.staff.get(staff_id)
    if m is None:
        raise HTTPException(404)
    with request.app.state.store.session() as s:
        version = s.get(MedewerkerRow, staff_id).version
    absences = [a for a in bundle.absences if a.staff_id == staff_id]
    return render(request, "medewerker_form.html", _form_ctx(request, m, absences, version))


@router.post("/nieuw")
async def create(request: Request, user=Depends(require("edit"))):
    form = await request.form()
    staff_id = (form.get("id") or "").strip()
    bundle, _ = request.app.state.store.bundle()
    m, absences, errors = parse_medewerker(form, staff_id, set(bundle.teams))
    if staff_id in bundle.staff:
        errors["id"] = f"Medewerker {staff_id} bestaat al."
    if m is not None and not may_edit_team(user, m.teams):
        errors["teams"] = "U mag alleen medewerkers van uw eigen teams toevoegen."
    if errors:
        return render(request, "medewerker_form.html",
                      _form_ctx(request, None, [], None, errors, dict(form), new=True), status_code=422)
    store = request.app.state.store
    with store.session() as s:
        s.add(MedewerkerRow(**medewerker_fields(m)))
        s.flush()
        s.add_all(availability_rows(m))
        s.add_all(absence_row(a) for a in absences)
        store.bump(s)
    return RedirectResponse(f"/medewerkers/{m.id}?opgeslagen=1", status_code=303)


@router.post("/{staff_id}")
async def update(request: Request, staff_id: str, user=Depends(require("edit"))):
    form = await request.form()
    store = request.app.state.store
    bundle, _ = store.bundle()
    old = bundle.staff.get(staff_id)
    if old is None:
        raise HTTPException(404)
    if not may_edit_team(user, old.teams):
        raise HTTPException(403, "U mag alleen medewerkers van uw eigen teams wijzigen.")
    m, absences, errors = parse_medewerker(form, staff_id, set(bundle.teams))
    try:
        version = int(form.get("version") or -1)
    except ValueError:
        version = -1
    if errors:
        return render(request, "medewerker_form.html",
                      _form_ctx(request, old, [], version, errors, dict(form)), status_code=422)
    try:
        with store.session() as s:
            row = s.get(MedewerkerRow, staff_id)
            if row.version != version:
                raise StaleDataError()
            for key, value in medewerker_fields(m).items():
                setattr(row, key, value)
            s.flush()  # UPDATE ... WHERE version = loaded: a concurrent save raises StaleDataError
            s.execute(delete(AvailabilityRow).where(AvailabilityRow.staff_id == staff_id))
            s.execute(delete(AbsenceRow).where(AbsenceRow.staff_id == staff_id))
            s.add_all(availability_rows(m))
            s.add_all(absence_row(a) for a in absences)
            store.bump(s)
    except StaleDataError:
        with store.session() as s:
            current = s.get(MedewerkerRow, staff_id).version
        ctx = _form_ctx(request, old, [], current, {"algemeen": STALE_MESSAGE}, dict(form))
        ctx["stale"] = True
        return render(request, "medewerker_form.html", ctx, status_code=409)
    return RedirectResponse(f"/medewerkers/{staff_id}?opgeslagen=1", status_code=303)


@router.post("/{staff_id}/verwijderen")
async def remove(request: Request, staff_id: str, user=Depends(require("edit"))):
    store = request.app.state.store
    with store.session() as s:
        row = s.get(MedewerkerRow, staff_id)
        if row is None:
            raise HTTPException(404)
        if not may_edit_team(user, row.teams):
            raise HTTPException(403, "U mag alleen medewerkers van uw eigen teams verwijderen.")
        s.delete(row)
        store.bump(s)
    return RedirectResponse("/medewerkers", status_code=303)

