"""The app factory: database (migrated at start), sessions, CSRF, routers, Dutch error pages."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import RedirectResponse, Response

from web.db.engine import database_url, make_engine, upgrade
from web.feeds import PublicFeed
from web.jobs import JobManager
from web.security import PERMISSIONS, ROLE_LABELS, LoginRequired, can, csrf_protect, csrf_token
from web.store import Store

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
log = logging.getLogger("jeugdhulp.web")
templates = Jinja2Blocks(directory=str(HERE / "templates"))
templates.env.globals.update(can=can, ROLE_LABELS=ROLE_LABELS, PERMISSIONS=PERMISSIONS)
WEEKDAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]
templates.env.globals["WEEKDAYS"] = WEEKDAYS


def seeds_dir() -> Path:
    """Seed documents: ``JHP_SEEDS_DIR`` or ``../shared/seeds`` beside the repository."""
    return Path(os.environ.get("JHP_SEEDS_DIR") or REPO.parent / "shared" / "seeds")


def render(request: Request, name: str, ctx: dict | None = None, status_code: int = 200,
           block: str | None = None) -> Response:
    """A page (or one block of it for htmx) with the user and CSRF token in its context."""
    csrf = csrf_token(request) if "session" in request.scope else ""  # error pages may lack a session
    context = {"user": getattr(request.state, "user", None), "csrf": csrf, **(ctx or {})}
    kw = {"block_name": block} if block else {}
    return templates.TemplateResponse(request, name, context, status_code=status_code, **kw)


def default_solver_workers() -> int:
    """``JHP_SOLVER_WORKERS``, else all cores but one: a running solve leaves a core for the pages."""
    raw = os.environ.get("JHP_SOLVER_WORKERS", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else max(1, (os.cpu_count() or 2) - 1)


def create_app(url: str | None = None, *, solver_workers: int | None = None,
               secret_key: str | None = None) -> FastAPI:
    """Build the app on ``url`` (default ``DATABASE_URL`` or ``sqlite:///./jeugdhulp.sqlite``)."""
    engine = make_engine(url or database_url())
    upgrade(engine)
    store = Store(engine)
    app = FastAPI(title="Jeugdhulp Planner", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(csrf_protect)])
    app.state.store = store
    app.state.jobs = JobManager(store, workers=solver_workers or default_solver_workers())
    # order: the session middleware wraps the login check, so the check can read the session
    app.add_middleware(LoginRequired)
    app.add_middleware(SessionMiddleware, secret_key=secret_key or os.environ.get("JHP_SECRET_KEY")
                       or store.secret_key(), session_cookie="jhp_sessie", same_site="lax",
                       https_only=os.environ.get("JHP_HTTPS_ONLY") == "1", max_age=12 * 3600)
    app.add_middleware(PublicFeed)  # outermost: the token-authorised iCal feed needs no login
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _include_routers(app)
    _error_pages(app)
    return app


def _include_routers(app: FastAPI) -> None:
    from web.routers import (auth, clienten, dashboard, groepen, medewerkers, plan_edit, plannen, regels, teams,
                             toegang)

    for module in (auth, dashboard, medewerkers, clienten, groepen, teams, regels, plannen, plan_edit, toegang):
        app.include_router(module.router)
    from web.routers import exporteren, importeren, roosters, whatif

    for module in (importeren, exporteren, whatif, roosters):
        app.include_router(module.router)


MESSAGES = {403: "U heeft geen toegang tot deze pagina of actie.", 404: "Deze pagina bestaat niet (meer).",
            405: "Deze actie is hier niet mogelijk.", 500: "Er ging iets mis aan onze kant."}


def _error_pages(app: FastAPI) -> None:
    """Dutch error pages in the app's style; never a stack trace."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code in (301, 302, 303, 307) and exc.headers and "Location" in exc.headers:
            if request.headers.get("HX-Request"):
                return Response(status_code=200, headers={"HX-Redirect": exc.headers["Location"]})
            return RedirectResponse(exc.headers["Location"], status_code=303)
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code in (400, 403, 409) else None
        message = detail or MESSAGES.get(exc.status_code, "Dit verzoek kon niet worden verwerkt.")
        return _error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 400, "Het formulier of adres bevat een ongeldige waarde.")

    @app.exception_handler(LookupError)
    async def no_data(request: Request, exc: LookupError) -> Response:
        # Store.bundle() on an empty database: say what to do instead of a 500
        return _error(request, 409, "Er zijn nog geen gegevens ingelezen. Start de app met "
                                    "'planner serve --sample' of lees een databundel in.")

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.error("fout bij %s %s", request.method, request.url.path, exc_info=exc)
        return _error(request, 500, MESSAGES[500])


def _error(request: Request, status: int, message: str) -> Response:
    try:
        if "session" in request.scope and not getattr(request.state, "user", None) and request.session.get("uid"):
            from web.db.models import UserRow

            with request.app.state.store.session() as s:  # the menu and logout button on error pages too
                request.state.user = s.get(UserRow, request.session["uid"])
        if request.headers.get("HX-Request"):
            return render(request, "error.html", {"status": status, "message": message}, status, block="content")
        return render(request, "error.html", {"status": status, "message": message}, status)
    except Exception:  # noqa: BLE001 - the error page itself must never fail with a trace
        return Response(f"Fout {status}: {message}", status_code=status, media_type="text/plain; charset=utf-8")
