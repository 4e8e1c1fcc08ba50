"""Login, roles, CSRF and the access log.

* Passwords: argon2id (``argon2-cffi``).
* Sessions: server-side (table ``web_sessies``, the SHA-256 of a random token); Starlette's signed
  cookie (itsdangerous), HttpOnly, SameSite=Lax, holds only that token and the CSRF token. Logout,
  disabling a user and a new password delete the rows, so a saved cookie stops working at once.
* Logins are throttled: 5 failures for one user name or 20 from one IP address within 15 minutes
  lock that name or address for 15 minutes (Dutch message, HTTP 429), the right password included.
* Every route except ``/login`` and ``/static`` needs a logged-in user
  (:class:`LoginRequired` middleware, so a new router cannot forget it).
* Every POST/PUT/PATCH/DELETE carries the session's CSRF token, as form field
  ``csrf_token`` or header ``X-CSRF-Token`` (htmx sends it via ``hx-headers``), and when the browser
  says where it comes from (``Origin``, else ``Referer``) that must be this site.
* Every response carries a Content-Security-Policy (scripts and styles from this site only, no
  framing), ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff`` and a Referrer-Policy.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import datetime, timedelta
from typing import Annotated
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import HTTPException, Path, Request
from sqlalchemy import delete, func, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import RedirectResponse, Response

from web.db.models import AccessLogRow, LoginAttemptRow, UserRow, WebSessionRow

ROLES = ("teamleider", "planner", "viewer")
MAX_ID = 2**31 - 1  # INTEGER on PostgreSQL; a larger id in a path is no record: 404 (see web.app)
DbId = Annotated[int, Path(ge=0, le=MAX_ID)]
ROLE_LABELS = {"teamleider": "teamleider", "planner": "planner", "viewer": "alleen lezen"}
# what each role may do: view everything it can see; edit data and plans; admin = access log, publish
PERMISSIONS = {"teamleider": {"view", "edit", "plan", "admin"}, "planner": {"view", "edit", "plan"},
               "viewer": {"view"}}
PUBLIC_PREFIXES = ("/login", "/static/")
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
_hasher = PasswordHasher()
SESSION_HOURS = 12
LOCK_WINDOW = timedelta(minutes=15)
USER_FAILURES, IP_FAILURES = 5, 20  # within LOCK_WINDOW
LOCKED_MESSAGE = ("Te veel mislukte inlogpogingen. Deze gebruikersnaam of dit adres is 15 minuten geblokkeerd; "
                  "probeer het daarna opnieuw of vraag de teamleider om hulp.")


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


def set_password(s, user: UserRow, password: str) -> None:
    """A new password (at least 8 characters); every session of the user ends."""
    if len(password) < 8:
        raise ValueError("wachtwoord moet minstens 8 tekens hebben")
    user.password_hash = hash_password(password)
    end_sessions(s, user.id)


def set_active(s, user: UserRow, active: bool) -> None:
    """Enable or disable a user; disabling ends every session of the user."""
    user.active = active
    if not active:
        end_sessions(s, user.id)


# --- login throttling -------------------------------------------------------
def _norm_name(username: str) -> str:
    return username.strip().lower()[:100]


def login_locked(s, username: str, ip: str, now: datetime | None = None) -> bool:
    """True while this user name (failures since its last success) or this IP address has too many failures."""
    now = now or datetime.now()
    since = now - LOCK_WINDOW
    name = _norm_name(username)
    last_ok = s.scalar(select(func.max(LoginAttemptRow.at)).where(LoginAttemptRow.username == name,
                                                                  LoginAttemptRow.ok.is_(True)))
    user_since = max(since, last_ok) if last_ok else since
    by_user = s.scalar(select(func.count()).select_from(LoginAttemptRow).where(
        LoginAttemptRow.username == name, LoginAttemptRow.ok.is_(False), LoginAttemptRow.at > user_since))
    if by_user >= USER_FAILURES:
        return True
    by_ip = s.scalar(select(func.count()).select_from(LoginAttemptRow).where(
        LoginAttemptRow.ip == ip[:64], LoginAttemptRow.ok.is_(False), LoginAttemptRow.at > since))
    return by_ip >= IP_FAILURES


def record_login(s, username: str, ip: str, ok: bool) -> None:
    now = datetime.now()
    s.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < now - timedelta(days=1)))
    s.add(LoginAttemptRow(at=now, username=_norm_name(username), ip=ip[:64], ok=ok))


# --- server-side sessions -------------------------------------------------
def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(s, user_id: int) -> str:
    """A new session for ``user_id``; returns the token for the cookie (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now()
    s.add(WebSessionRow(digest=_digest(token), user_id=user_id, created_at=now, last_seen=now))
    return token


def end_session(s, token: str | None) -> None:
    if token:
        s.execute(delete(WebSessionRow).where(WebSessionRow.digest == _digest(str(token))))


def end_sessions(s, user_id: int) -> None:
    s.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id))


def session_user(store, token: str | None) -> UserRow | None:
    """The active user of a session token, or None (unknown, ended, expired or disabled)."""
    if not token or not isinstance(token, str):
        return None
    with store.session() as s:
        row = s.get(WebSessionRow, _digest(token))
        if row is None:
            return None
        now = datetime.now()
        if now - row.created_at > timedelta(hours=SESSION_HOURS):
            s.delete(row)
            return None
        user = s.get(UserRow, row.user_id)
        if user is None or not user.active:
            return None
        if now - row.last_seen > timedelta(minutes=5):
            row.last_seen = now
        return user


# --- session user ---------------------------------------------------------
class LoginRequired(BaseHTTPMiddleware):
    """Redirect every request without a live server-side session to the login page (htmx: HX-Redirect).

    The session's user id and role go to ``request.state`` (``uid``, ``role``) for the routes.
    """

    async def dispatch(self, request: Request, call_next) -> Response:
        path = request.url.path
        if path.startswith(PUBLIC_PREFIXES):
            return await call_next(request)
        sid = request.session.get("sid")
        user = await run_in_threadpool(session_user, request.app.state.store, sid) if sid else None
        if user is not None:
            request.state.uid, request.state.role = user.id, user.role
            return await call_next(request)
        if sid:
            request.session.clear()  # an ended or expired session: the cookie is worthless now
        if request.headers.get("HX-Request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse("/login", status_code=303)


def current_user(request: Request) -> UserRow:
    """The logged-in user (dependency); a removed or disabled user is logged out."""
    uid = getattr(request.state, "uid", None)
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


async def form_data(request: Request):
    """The parsed form (dependency), so that routes can be plain ``def`` and run in the thread pool."""
    return await request.form()


def _allowed_origins(request: Request) -> set[str]:
    host = request.headers.get("host", "")
    extra = {o.strip().rstrip("/") for o in os.environ.get("JHP_ALLOWED_ORIGINS", "").split(",") if o.strip()}
    return {f"http://{host}", f"https://{host}", *extra}


def origin_ok(request: Request) -> bool:
    """A mutating request that names its origin (``Origin``, else ``Referer``) must come from this site."""
    origin = request.headers.get("origin")
    if origin is None:
        referer = request.headers.get("referer")
        if not referer:
            return True  # no header to judge (older clients, API tools): the CSRF token decides
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    return origin.rstrip("/") in _allowed_origins(request)


async def csrf_protect(request: Request) -> None:
    """App-wide dependency: refuse a mutating request from another site or without the session's CSRF token."""
    if request.method not in MUTATING:
        return
    if not origin_ok(request):
        raise HTTPException(status_code=403, detail="Dit verzoek komt van een andere website en is geweigerd. "
                                                    "Open de Jeugdhulp Planner zelf en probeer het opnieuw.")
    expected = request.session.get("csrf")
    sent = request.headers.get("X-CSRF-Token")
    if not sent:
        form = await request.form()  # cached by Starlette; the route reads the same parsed form
        sent = form.get("csrf_token")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise HTTPException(status_code=403, detail="De beveiligingscode (CSRF) ontbreekt of is verlopen. "
                                                    "Laad de pagina opnieuw en probeer het nog eens.")


# --- access log -----------------------------------------------------------
EXPORT_ACTION = "geëxporteerd"  # access-log action of a download (plan, roster or comparison)


def log_access(s, user: UserRow, action: str, record_type: str, record_id: str) -> None:
    """Record who viewed or changed which client record (pseudonymous id only)."""
    s.add(AccessLogRow(at=datetime.now(), username=user.username, action=action[:20], record_type=record_type[:20],
                       record_id=record_id[:64]))


# --- security headers -------------------------------------------------------
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin", "Cross-Origin-Opener-Policy": "same-origin"}


class SecurityHeaders:
    """ASGI layer (outermost): the security headers on every response, error pages and static files included."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
