"""Login and logout."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse

from web.app import render
from web.security import authenticate

router = APIRouter()


@router.get("/login")
def login_page(request: Request):
    if request.session.get("uid"):
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html")


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form("")):
    with request.app.state.store.session() as s:
        user = authenticate(s, username.strip(), password)
        uid = user.id if user else None
    if uid is None:
        return render(request, "login.html", {"error": "Onjuiste gebruikersnaam of wachtwoord.",
                                               "username": username}, status_code=401)
    request.session.clear()  # a fresh session (and CSRF token) after login: no session fixation
    request.session["uid"] = uid
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
def logout(request: Request):
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
