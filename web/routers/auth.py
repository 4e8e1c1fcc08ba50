"""Login and logout (server-side sessions, throttled logins: see :mod:`web.security`)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse

from web.app import render
from web.security import (
    LOCKED_MESSAGE,
    authenticate,
    end_session,
    login_locked,
    record_login,
    session_user,
    start_session,
)

router = APIRouter()


def _ip(request: Request) -> str:
    return request.client.host if request.client else "onbekend"


@router.get("/login")
def login_page(request: Request):
    if session_user(request.app.state.store, request.session.get("sid")) is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html")


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form("")):
    name, ip = username.strip(), _ip(request)
    store = request.app.state.store
    with store.session() as s:
        if login_locked(s, name, ip):
            locked = True
        else:
            locked = False
            user = authenticate(s, name, password)
            uid = user.id if user else None
            record_login(s, name, ip, uid is not None)
            token = start_session(s, uid) if uid is not None else None
    if locked:
        return render(request, "login.html", {"error": LOCKED_MESSAGE, "username": username}, status_code=429)
    if uid is None:
        return render(request, "login.html", {"error": "Onjuiste gebruikersnaam of wachtwoord.",
                                               "username": username}, status_code=401)
    old = request.session.get("sid")
    if old:
        with store.session() as s:
            end_session(s, old)
    request.session.clear()  # a fresh session (and CSRF token) after login: no session fixation
    request.session["sid"] = token
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
def logout(request: Request):
    with request.app.state.store.session() as s:
        end_session(s, request.session.get("sid"))  # the saved cookie is worthless from now on
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
