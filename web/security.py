"""Login, roles, CSRF and the access log.

* Passwords: argon2id (``argon2-cffi``).
* Sessions: Starlette's signed cookie (itsdangerous), HttpOnly, SameSite=Lax;
  it holds only the user id and the CSRF token.
* Every route except ``/login`` and ``/static`` needs a logged-in user
  (:class:`LoginRequired` middleware, so a new router cannot forget it).
* Every POST/PUT/PATCH/DELETE carries the session's CSRF token, as form field
  ``csrf_token`` or header ``X-CSRF-Token`` (htmx sends it via ``hx-headers``).
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import HTTPException, Request
from sqlalchemy import select
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import RedirectResponse, Response

from web.db.models import AccessLogRow, UserRow

ROLES = ("teamleider", "planner", "viewer")
ROLE_LABELS = {"teamleider": "teamleider", "planner": "planner", "viewer": "alleen lezen"}
# what each role may do: view everything it can see; edit data and plans; admin = access log, publish
PERMISSIONS = {"teamleider": {"view", "edit", "plan", "admin"}, "planner": {"view", "edit", "plan"},
               "viewer": {"view"}}
PUBLIC_PREFIXES = ("/login", "/static/")
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_user(s, username: str, password: str, role: str, teams: list[str] | None = None) -> UserRow:
    """Add a user (raises ValueError with a Dutch message on a bad role, empty password or taken name)."""
    if role not in ROLES:
        raise ValueError(f"onbekende rol {role!r} (kies uit {', '.join(ROLES)})")
    if len(password) < 8:
        raise ValueError("wachtwoord moet minstens 8 tekens hebben")
    if s.scalar(select(UserRow).where(UserRow.username == username)) is not None:
        raise ValueError(f"gebruiker {username!r} bestaat al")
    user = UserRow(username=username, password_hash=hash_password(password), role=role, teams=teams or [],
                   active=True, created_at=datetime.now())
    s.add(user)
    s.flush()
    return user


def authenticate(s, username: str, password: str) -> UserRow | None:
    user = s.scalar(select(UserRow).where(UserRow.username == username, UserRow.active.is_(True)))
    if user is None:
        verify_password(_DUMMY_HASH, password)  # same work either way: no user enumeration by timing
        return None
    return user if verify_password(user.password_hash, password) else None


_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


# --- session user ---------------------------------------------------------
class LoginRequired(BaseHTTPMiddleware):
    """Redirect every request without a session user to the login page (htmx: HX-Redirect)."""

    async def dispatch(self, request: Request, call_next) -> Response:
        path = request.url.path
        if path.startswith(PUBLIC_PREFIXES) or request.session.get("uid"):
            return await call_next(request)
        if request.headers.get("HX-Request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse("/login", status_code=303)


def current_user(request: Request) -> UserRow:
    """The logged-in user (dependency); a removed or disabled user is logged out."""
    uid = request.session.get("uid")
    with request.app.state.store.session() as s:
        user = s.get(UserRow, uid) if uid else None
    if user is None or not user.active:
        request.session.clear()
        raise HTTPException(status_code=303, headers={"Location": "/login"})
    request.state.user = user
    return user


def can(user: UserRow | None, permission: str) -> bool:
    return user is not None and permission in PERMISSIONS.get(user.role, set())


def require(permission: str):
    """Dependency factory: the current user must hold ``permission`` (403 in Dutch otherwise)."""

    def dep(request: Request) -> UserRow:
        user = current_user(request)
        if not can(user, permission):
            raise HTTPException(status_code=403, detail="Uw rol mag dit niet doen.")
        return user
    return dep


def may_edit_team(user: UserRow, teams) -> bool:
    """A teamleider with a team list edits only records of those teams; others are not team-bound."""
    if user.role != "teamleider" or not user.teams:
        return True
    return bool(set(user.teams) & set(teams)) or not teams


# --- CSRF -----------------------------------------------------------------
def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def csrf_protect(request: Request) -> None:
    """App-wide dependency: refuse a mutating request without the session's CSRF token."""
    if request.method not in MUTATING:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get("X-CSRF-Token")
    if not sent:
        form = await request.form()  # cached by Starlette; the route reads the same parsed form
        sent = form.get("csrf_token")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise HTTPException(status_code=403, detail="De beveiligingscode (CSRF) ontbreekt of is verlopen. "
                                                    "Laad de pagina opnieuw en probeer het nog eens.")


# --- access log -----------------------------------------------------------
def log_access(s, user: UserRow, action: str, record_type: str, record_id: str) -> None:
    """Record who viewed or changed which client record (pseudonymous id only)."""
    s.add(AccessLogRow(at=datetime.now(), username=user.username, action=action, record_type=record_type,
                       record_id=record_id))
