"""Gebruikers (teamleider only): list, add, disable or enable, and set a new password.

Disabling a user or giving a new password ends every session of that user at once (server-side
sessions, :mod:`web.security`). A teamleider cannot disable themself (the last way in would go).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from sqlalchemy import select
from starlette.responses import RedirectResponse

from web.app import render
from web.db.models import UserRow
from web.forms import ActiefForm, FormValues, GebruikerForm, WachtwoordForm, form_page
from web.security import ROLES, DbId, create_user, require, set_active, set_password

router = APIRouter(prefix="/gebruikers")


def _page(request: Request, user, errors: dict | None = None, message: str = "", values=None,
          status_code: int = 200):
    with request.app.state.store.session() as s:
        users = s.scalars(select(UserRow).order_by(UserRow.username)).all()
    return render(request, "gebruikers.html", {"users": users, "roles": ROLES, "errors": errors or {},
                                               "message": message, "values": FormValues(values)},
                  status_code=status_code)


def _invalid_new(request: Request, errors: dict, form):
    """The add form again, each message next to its field (``nieuw-gebruikersnaam``, ...)."""
    return _page(request, request.state.user, {f"nieuw-{k}": v for k, v in errors.items()}, values=form,
                 status_code=422)


def _invalid_row(request: Request, errors: dict, form):
    """A user row's form again with its message (``<uid>-wachtwoord``)."""
    uid = request.path_params["uid"]
    return _page(request, request.state.user, {f"{uid}-{k}": v for k, v in errors.items()}, status_code=422)


@router.get("")
def gebruikers(request: Request, opgeslagen: str = "", user=Depends(require("admin"))):
    return _page(request, user, message="Opgeslagen." if opgeslagen else "")


@router.post("")
@form_page(_invalid_new)
def add(request: Request, data: Annotated[GebruikerForm, Form()], user=Depends(require("admin"))):
    try:
        with request.app.state.store.session() as s:
            create_user(s, data.gebruikersnaam, data.wachtwoord, data.rol, data.team_list)
    except ValueError as e:  # the name is taken
        return _page(request, user, {"nieuw-gebruikersnaam": f"Niet aangemaakt: {e}."},
                     values={**data.model_dump(), "wachtwoord": ""}, status_code=422)
    return RedirectResponse("/gebruikers?opgeslagen=1", status_code=303)


def _target(s, uid: int) -> UserRow:
    row = s.get(UserRow, uid)
    if row is None:
        raise HTTPException(404)
    return row


@router.post("/{uid}/actief")
@form_page(_invalid_row)
def toggle(request: Request, uid: DbId, data: Annotated[ActiefForm, Form()], user=Depends(require("admin"))):
    active = data.actief == "ja"
    if uid == user.id and not active:
        return _invalid_row(request, {"actief": "U kunt uzelf niet uitschakelen."}, None)
    with request.app.state.store.session() as s:
        set_active(s, _target(s, uid), active)
    return RedirectResponse("/gebruikers?opgeslagen=1", status_code=303)


@router.post("/{uid}/wachtwoord")
@form_page(_invalid_row)
def password(request: Request, uid: DbId, data: Annotated[WachtwoordForm, Form()], user=Depends(require("admin"))):
    try:
        with request.app.state.store.session() as s:
            set_password(s, _target(s, uid), data.wachtwoord)
    except ValueError as e:
        return _invalid_row(request, {"wachtwoord": f"Niet gewijzigd: {e}."}, None)
    if uid == user.id:
        request.session.clear()  # one's own sessions ended too: log in with the new password
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse("/gebruikers?opgeslagen=1", status_code=303)
