"""Medewerkers: list with filters, create, edit (with derived roles), delete; optimistic locking.

A medewerker's page also lists their shift wishes (dienstwensen) with an htmx add and delete form."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.responses import RedirectResponse

from planner.domain import Education, Registration
from planner.roles import derived_roles
from web.app import WEEKDAYS, render
from web.db.mapping import (
    absence_row,
    availability_rows,
    medewerker_fields,
    upsert_wish,
)
from web.db.models import (
    AbsenceRow,
    AvailabilityRow,
    MedewerkerRow,
    ToewijzingRow,
    WishRow,
)
from web.forms import format_absences, format_availability, parse_medewerker, parse_wish
from web.plans import STALE_MESSAGE
from web.security import DbId, can, form_data, log_access, may_edit_team, require

router = APIRouter(prefix="/medewerkers")
SHIFT_LABELS = {"D": "D (dag 07-15)", "A": "A (avond 15-23)", "N": "N (nacht 23-07)", "*": "hele dag"}
SHIFT_ORDER = list(SHIFT_LABELS)
KIND_LABELS = {"wel": "wel (wil deze dienst werken)", "niet": "niet (wil vrij)"}


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
    return render(request, "medewerker_form.html", _page_ctx(request, staff_id, user))


def _page_ctx(request: Request, staff_id: str, user, **wish_state) -> dict:
    """The medewerker page's context: the edit form and the wishes (404 for an unknown medewerker)."""
    bundle, _ = request.app.state.store.bundle()
    m = bundle.staff.get(staff_id)
    with request.app.state.store.session() as s:
        row = s.get(MedewerkerRow, staff_id)
        if m is None or row is None:
            raise HTTPException(404)
        version = row.version
    absences = [a for a in bundle.absences if a.staff_id == staff_id]
    return {**_form_ctx(request, m, absences, version), **_wish_ctx(request, m, user, **wish_state)}


def _wish_ctx(request: Request, m, user, **wish_state) -> dict:
    """The wishes block: the medewerker's wishes by date and shift, labels, and whether this user may edit."""
    bundle, _ = request.app.state.store.bundle()
    with request.app.state.store.session() as s:
        wishes = sorted(s.scalars(select(WishRow).where(WishRow.staff_id == m.id)),
                        key=lambda w: (w.day, SHIFT_ORDER.index(w.shift)))
    in_roster = any(g.team_id and g.team_id in m.teams for g in bundle.groups.values())
    return {"wishes": wishes, "wish_in_roster": in_roster, "shift_labels": SHIFT_LABELS, "kind_labels": KIND_LABELS,
            "may_edit": can(user, "edit") and may_edit_team(user, m.teams), "wish_errors": {}, "wish_values": {},
            "wish_message": "", **wish_state}


@router.post("/nieuw")
def create(request: Request, user=Depends(require("edit")), form=Depends(form_data)):
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
def update(request: Request, staff_id: str, user=Depends(require("edit")), form=Depends(form_data)):
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
        return render(request, "medewerker_form.html", {**_form_ctx(request, old, [], version, errors, dict(form)),
                                                        **_wish_ctx(request, old, user)}, status_code=422)
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
        ctx = {**_form_ctx(request, old, [], current, {"algemeen": STALE_MESSAGE}, dict(form)),
               **_wish_ctx(request, old, user)}
        ctx["stale"] = True
        return render(request, "medewerker_form.html", ctx, status_code=409)
    return RedirectResponse(f"/medewerkers/{staff_id}?opgeslagen=1", status_code=303)


def _references(s, staff_id: str) -> list[ToewijzingRow]:
    """Toewijzingen that name this medewerker as current executor or responsible."""
    return list(s.scalars(select(ToewijzingRow).where(or_(ToewijzingRow.current_executor_id == staff_id,
                                                           ToewijzingRow.current_responsible_id == staff_id))
                          .order_by(ToewijzingRow.id)))


@router.post("/{staff_id}/verwijderen")
def remove(request: Request, staff_id: str, user=Depends(require("edit")), form=Depends(form_data)):
    """Delete a medewerker; one still named on toewijzingen first hands them over (``overdragen_aan``).

    Without that the bundle would hold unknown ids and every later import would be refused.
    """
    store = request.app.state.store
    target = str(form.get("overdragen_aan") or "").strip()
    with store.session() as s:
        row = s.get(MedewerkerRow, staff_id)
        if row is None:
            raise HTTPException(404)
        if not may_edit_team(user, row.teams):
            raise HTTPException(403, "U mag alleen medewerkers van uw eigen teams verwijderen.")
        refs = _references(s, staff_id)
        error = ""
        if refs and target:
            other = s.get(MedewerkerRow, target)
            if other is None or target == staff_id:
                error = "Kies een andere, bestaande medewerker om de toewijzingen aan over te dragen."
        if refs and (not target or error):
            others = sorted((m for m in store.bundle()[0].staff.values() if m.id != staff_id), key=lambda m: m.id)
            return render(request, "medewerker_verwijderen.html", {
                "m": row, "refs": [r.id for r in refs], "others": others, "error": error}, status_code=409)
        for ref in refs:
            if ref.current_executor_id == staff_id:
                ref.current_executor_id = target
            if ref.current_responsible_id == staff_id:
                ref.current_responsible_id = target
            log_access(s, user, "gewijzigd", "toewijzing", ref.id)
        s.flush()
        s.delete(row)
        store.bump(s)
    return RedirectResponse("/medewerkers", status_code=303)


# --- dienstwensen ---------------------------------------------------------
def _wish_editable(s, user, staff_id: str) -> MedewerkerRow:
    row = s.get(MedewerkerRow, staff_id)
    if row is None:
        raise HTTPException(404)
    if not may_edit_team(user, row.teams):
        raise HTTPException(403, "U mag alleen wensen van medewerkers van uw eigen teams wijzigen.")
    return row


def _when(day, shift: str) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day:%d-%m-%Y}, {SHIFT_LABELS[shift]}"


def _wishes_response(request: Request, staff_id: str, user, status_code: int = 200, **wish_state):
    """htmx: the wishes block; otherwise the page after a redirect, or the whole page with the errors."""
    if request.headers.get("HX-Request"):
        return render(request, "medewerker_form.html", _page_ctx(request, staff_id, user, **wish_state),
                      status_code=status_code, block="wensen")
    if status_code >= 400:
        return render(request, "medewerker_form.html", _page_ctx(request, staff_id, user, **wish_state),
                      status_code=status_code)
    return RedirectResponse(f"/medewerkers/{staff_id}#wensen", status_code=303)


@router.post("/{staff_id}/wensen")
def add_wish(request: Request, staff_id: str, user=Depends(require("edit")), form=Depends(form_data)):
    """Add a wish; a wish for the same datum and dienst gets the new soort and gewicht."""
    store = request.app.state.store
    wish, errors = parse_wish(form, staff_id)
    try:
        with store.session() as s:
            _wish_editable(s, user, staff_id)  # 404 / 403 before any field is judged
            if not errors:
                existed = upsert_wish(s, wish)
                store.bump(s)
    except IntegrityError:  # the same wish saved at the same moment, or the medewerker just removed
        errors["datum"] = "Deze wens kon niet worden opgeslagen (tegelijk gewijzigd); probeer het opnieuw."
    if errors:
        return _wishes_response(request, staff_id, user, 422, wish_errors=errors, wish_values=dict(form))
    what = "bijgewerkt" if existed else "toegevoegd"
    return _wishes_response(request, staff_id, user, wish_message=f"Wens {what}: {_when(wish.date, wish.shift)}.")


@router.post("/{staff_id}/wensen/{wish_id}/verwijderen")
def remove_wish(request: Request, staff_id: str, wish_id: DbId, user=Depends(require("edit"))):
    store = request.app.state.store
    with store.session() as s:
        _wish_editable(s, user, staff_id)
        wish = s.get(WishRow, wish_id)
        if wish is None or wish.staff_id != staff_id:
            message = "Deze wens was al verwijderd."
        else:
            message = f"Wens verwijderd: {_when(wish.day, wish.shift)}."
            s.delete(wish)
            store.bump(s)
    return _wishes_response(request, staff_id, user, wish_message=message)
