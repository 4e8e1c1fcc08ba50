"""Medewerkers: list with filters, create, edit (with derived roles), delete; optimistic locking.

A medewerker's page also lists their shift wishes (dienstwensen) with an htmx add and delete form."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.responses import RedirectResponse, Response

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
from web.forms import (AbsenceKind, FormValues, MedewerkerForm, NieuweMedewerkerForm, VerwijderenForm, WensForm,
                       absence_fields, availability_fields, form_page)
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


def _form_ctx(request: Request, m, absences, version: int | None, errors=None, form=None, new=False,
              extra: dict | None = None) -> dict:
    """The form's context; ``form``: the sent values (after an error), shown instead of the stored ones;
    ``extra``: empty rows to add ({"beschikbaarheid": 1, "afwezigheid": 1} by default)."""
    bundle, _ = request.app.state.store.bundle()
    extra = {"beschikbaarheid": 1, "afwezigheid": 1, **(extra or {})}
    return {"m": m, "roles": derived_roles(m) if m else [], "version": version, "errors": errors or {},
            "new": new, "teams": sorted(bundle.teams.values(), key=lambda t: t.id), "educations": list(Education),
            "registrations": list(Registration), "values": FormValues(form), "absence_kinds": list(AbsenceKind),
            "availability": availability_fields(m, form, extra["beschikbaarheid"]),
            "absences": absence_fields(absences, form, extra["afwezigheid"]),
            "absence_list": sorted(absences, key=lambda a: a.start)}


def _added_row(form) -> dict:
    """A "Rij toevoegen" button (no script): one empty row more in that section, nothing saved."""
    return {form.actie.removesuffix("-erbij"): 2}


def _invalid_new(request: Request, errors: dict, form) -> Response:
    return render(request, "medewerker_form.html", _form_ctx(request, None, [], None, errors, form, new=True),
                  status_code=422)


def _invalid_edit(request: Request, errors: dict, form) -> Response:
    user = request.state.user
    staff_id = request.path_params["staff_id"]
    old = request.app.state.store.bundle()[0].staff.get(staff_id)
    if old is None:
        raise HTTPException(404)
    if not may_edit_team(user, old.teams):
        raise HTTPException(403, "U mag alleen medewerkers van uw eigen teams wijzigen.")
    raw = str(form.get("version") or "")
    version = int(raw) if raw.isdigit() else -1
    return render(request, "medewerker_form.html", {**_form_ctx(request, old, [], version, errors, form),
                                                    **_wish_ctx(request, old, user)}, status_code=422)


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
@form_page(_invalid_new)
def create(request: Request, data: Annotated[NieuweMedewerkerForm, Form()], user=Depends(require("edit")),
           form=Depends(form_data)):
    if data.actie:
        return render(request, "medewerker_form.html",
                      _form_ctx(request, None, [], None, None, form, new=True, extra=_added_row(data)))
    staff_id = data.id
    bundle, _ = request.app.state.store.bundle()
    m, absences, errors = data.medewerker(staff_id), data.absences(staff_id), {}
    if staff_id in bundle.staff:
        errors["id"] = f"Medewerker {staff_id} bestaat al."
    if set(data.teams) - set(bundle.teams):
        errors["teams"] = "Onbekend team gekozen."
    elif not may_edit_team(user, m.teams):
        errors["teams"] = "U mag alleen medewerkers van uw eigen teams toevoegen."
    if errors:
        return _invalid_new(request, errors, form)
    store = request.app.state.store
    with store.session() as s:
        s.add(MedewerkerRow(**medewerker_fields(m)))
        s.flush()
        s.add_all(availability_rows(m))
        s.add_all(absence_row(a) for a in absences)
        store.bump(s)
    return RedirectResponse(f"/medewerkers/{m.id}?opgeslagen=1", status_code=303)


@router.post("/{staff_id}")
@form_page(_invalid_edit)
def update(request: Request, staff_id: str, data: Annotated[MedewerkerForm, Form()], user=Depends(require("edit")),
           form=Depends(form_data)):
    store = request.app.state.store
    bundle, _ = store.bundle()
    old = bundle.staff.get(staff_id)
    if old is None:
        raise HTTPException(404)
    if not may_edit_team(user, old.teams):
        raise HTTPException(403, "U mag alleen medewerkers van uw eigen teams wijzigen.")
    version = data.version
    if data.actie:
        return render(request, "medewerker_form.html", {
            **_form_ctx(request, old, [], version, None, form, extra=_added_row(data)), **_wish_ctx(request, old, user)})
    if set(data.teams) - set(bundle.teams):
        return _invalid_edit(request, {"teams": "Onbekend team gekozen."}, form)
    m, absences = data.medewerker(staff_id), data.absences(staff_id)
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
        ctx = {**_form_ctx(request, old, [], current, {"algemeen": STALE_MESSAGE}, form),
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
def remove(request: Request, staff_id: str, data: Annotated[VerwijderenForm, Form()], user=Depends(require("edit"))):
    """Delete a medewerker; one still named on toewijzingen first hands them over (``overdragen_aan``).

    Without that the bundle would hold unknown ids and every later import would be refused.
    """
    store = request.app.state.store
    target = data.overdragen_aan
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


def _invalid_wish(request: Request, errors: dict, form) -> Response:
    staff_id, user = request.path_params["staff_id"], request.state.user
    with request.app.state.store.session() as s:
        _wish_editable(s, user, staff_id)  # 404 / 403 before any field is judged
    return _wishes_response(request, staff_id, user, 422, wish_errors=errors, wish_values=dict(form))


@router.post("/{staff_id}/wensen")
@form_page(_invalid_wish)
def add_wish(request: Request, staff_id: str, data: Annotated[WensForm, Form()], user=Depends(require("edit")),
             form=Depends(form_data)):
    """Add a wish; a wish for the same datum and dienst gets the new soort and gewicht."""
    store = request.app.state.store
    wish = data.wish(staff_id)
    try:
        with store.session() as s:
            _wish_editable(s, user, staff_id)
            existed = upsert_wish(s, wish)
            store.bump(s)
    except IntegrityError:  # the same wish saved at the same moment, or the medewerker just removed
        errors = {"datum": "Deze wens kon niet worden opgeslagen (tegelijk gewijzigd); probeer het opnieuw."}
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
