"""Gebruikers (teamleider only): list, add, disable or enable, and set a new password.

Disabling a user or giving a new password ends every session of that user at once (server-side
sessions, :mod:`web.security`). A teamleider cannot disable themself (the last way in would go).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy import select
from starlette.responses import RedirectResponse

from web.app import render
from web.db.models import UserRow
from web.security import (
    ROLES,
    DbId,
    create_user,
    form_data,
    require,
    set_active,
    set_password,
)

router = APIRouter(prefix="/gebruikers")


def _page(request: Request, user, errors: dict | None = None, message: str = "", values: dict | None = None,
          status_code: int = 200):
    with request.app.state.store.session() as s:
        users = s.scalars(select(UserRow).order_by(UserRow.username)).all()
    return render(request, "gebruikers.html", {"users": users, "roles": ROLES, "errors": errors or {},
                                               "message": message, "values": values or {}}, status_code=status_code)


@router.get("")
def gebruikers(request: Request, opgeslagen: str = "", user=Depends(require("admin"))):
    return _page(request, user, message="Opgeslagen." if opgeslagen else "")


@router.post("")
def add(request: Request, user=Depends(require("admin")), form=Depends(form_data)):
    name, role = str(form.get("gebruikersnaam") or "").strip(), str(form.get("rol") or "")
    teams = [t.strip() for t in str(form.get("teams") or "").split(";") if t.strip()]
    try:
        with request.app.state.store.session() as s:
            if not name or len(name) > 100:
                raise ValueError("geef een gebruikersnaam (hoogstens 100 tekens)")
            create_user(s, name, str(form.get("wachtwoord") or ""), role, teams)
    except ValueError as e:
        return _page(request, user, {"nieuw": f"Niet aangemaakt: {e}."}, values=dict(form), status_code=422)
    return RedirectResponse("/gebruikers?opgeslagen=1", status_code=303)


def _target(s, uid: int) -> UserRow:
    row = s.get(UserRow, uid)
    if row is None:
        raise HTTPException(404)
    return row


@router.post("/{uid}/actief")
def toggle(request: Request, uid: DbId, user=Depends(require("admin")), form=Depends(form_data)):
    active = form.get("actief") == "ja"
    if uid == user.id and not active:
        return _page(request, user, {str(uid): "U kunt uzelf niet uitschakelen."}, status_code=422)
    with request.app.state.store.session() as s:
        set_active(s, _target(s, uid), active)
    return RedirectResponse("/gebruikers?opgeslagen=1", status_code=303)


@router.post("/{uid}/wachtwoord")
def password(request: Request, uid: DbId, user=Depends(require("admin")), form=Depends(form_data)):
    try:
        with request.app.state.store.session() as s:
            set_password(s, _target(s, uid), str(form.get("wachtwoord") or ""))
    except ValueError as e:
        return _page(request, user, {str(uid): f"Niet gewijzigd: {e}."}, status_code=422)
    if uid == user.id:
        request.session.clear()  # one's own sessions ended too: log in with the new password
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse("/gebruikers?opgeslagen=1", status_code=303)
