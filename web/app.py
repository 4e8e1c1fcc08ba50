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
from web.security import (PERMISSIONS, ROLE_LABELS, LoginRequired, SecurityHeaders, can, csrf_protect,
                          csrf_token)
from web.store import Store

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
log = logging.getLogger("jeugdhulp.web")
templates = Jinja2Blocks(directory=str(HERE / "templates"))
templates.env.globals.update(can=can, ROLE_LABELS=ROLE_LABELS, PERMISSIONS=PERMISSIONS)
WEEKDAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]
templates.env.globals["WEEKDAYS"] = WEEKDAYS
MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def getal(value) -> str:
    """Jinja filter ``getal``: a number with a decimal comma, a whole one without ",0" (32.0 -> "32")."""
    from planner.rulesdoc import number_nl

    return "" if value is None or value == "" else number_nl(value)


def datum(value) -> str:
    """Jinja filter ``datum``: "ma 7 dec 2026" (a date or datetime; a datetime's time is left out)."""
    return "" if value is None else f"{WEEKDAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]} {value.year}"


def datumtijd(value) -> str:
    """Jinja filter ``datumtijd``: "ma 7 dec 2026 09:00"."""
    return "" if value is None else f"{datum(value)} {value:%H:%M}"


templates.env.filters.update(getal=getal, datum=datum, datumtijd=datumtijd)


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
               secret_key: str | None = None, embedded_worker: bool | None = None) -> FastAPI:
    """Build the app on ``url`` (default ``DATABASE_URL`` or ``sqlite:///./jeugdhulp.sqlite``).

    Start-up also removes temporary import folders a killed process left behind, moves a BSN key an
    older version kept in the database to its key file, and reads (or generates, with a warning) the
    session secret from ``JHP_SECRET_KEY`` or the key file (:mod:`web.keys`), never the database.
    """
    from web.importer import UploadLimit, UploadTooLarge, remove_stale_temp_dirs
    from web.keys import bsn_key_text, move_bsn_key_out_of_database, session_secret

    engine = make_engine(url or database_url())
    upgrade(engine)
    store = Store(engine)
    remove_stale_temp_dirs()
    move_bsn_key_out_of_database(store)
    bsn_key_text()  # generated now (with its warning) rather than at the first JW301 import
    app = FastAPI(title="Jeugdhulp Planner", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(csrf_protect)])
    app.state.store = store
    # jobs run on the task queue (web/queue.py); embedded_worker (or JHP_WORKER=ingebouwd): this process
    # consumes them too, in threads, from first use on; otherwise `planner worker` (or serve's child) does
    embedded = os.environ.get("JHP_WORKER") == "ingebouwd" if embedded_worker is None else embedded_worker
    app.state.jobs = JobManager(store, workers=solver_workers or default_solver_workers(), embedded=embedded)
    # order (outermost last): headers > feed > session > login check > upload limit > routes
    app.add_middleware(UploadLimit)  # inside the login check: it knows the user's role before the body is read
    app.add_middleware(LoginRequired)
    app.add_middleware(SessionMiddleware, secret_key=secret_key or session_secret(), session_cookie="jhp_sessie",
                       same_site="lax", https_only=os.environ.get("JHP_HTTPS_ONLY") == "1", max_age=12 * 3600)
    app.add_middleware(PublicFeed)  # the token-authorised iCal feed needs no login
    app.add_middleware(SecurityHeaders)  # outermost: every response, the feed and static files included
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _include_routers(app)
    _error_pages(app)

    @app.exception_handler(UploadTooLarge)
    async def too_large(request: Request, exc: UploadTooLarge) -> Response:
        from web.importer import TOO_LARGE

        response = _error(request, 413, TOO_LARGE)
        response.headers["Connection"] = "close"
        return response

    return app


def _include_routers(app: FastAPI) -> None:
    from web.routers import (auth, clienten, dashboard, gebruikers, groepen, medewerkers, plan_edit, plannen, regels,
                             teams, toegang)

    for module in (auth, dashboard, medewerkers, clienten, groepen, teams, regels, plannen, plan_edit, toegang,
                   gebruikers):
        app.include_router(module.router)
    from web.routers import exporteren, importeren, roosters, whatif

    for module in (importeren, exporteren, whatif, roosters):
        app.include_router(module.router)
    from web.routers import board  # the planning board: week board, day view, picker (web/board.py)
    app.include_router(board.router)


OUT_OF_RANGE = {"less_than_equal", "greater_than_equal", "less_than", "greater_than"}
MESSAGES = {403: "U heeft geen toegang tot deze pagina of actie.", 404: "Deze pagina bestaat niet (meer).",
            405: "Deze actie is hier niet mogelijk.", 413: "Het verzoek is te groot.",
            429: "Te veel verzoeken; probeer het later opnieuw.", 500: "Er ging iets mis aan onze kant."}


def _error_pages(app: FastAPI) -> None:
    """Dutch error pages in the app's style; never a stack trace."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code in (301, 302, 303, 307) and exc.headers and "Location" in exc.headers:
            if request.headers.get("HX-Request"):
                return Response(status_code=200, headers={"HX-Redirect": exc.headers["Location"]})
            return RedirectResponse(exc.headers["Location"], status_code=303)
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code in (400, 403, 409, 413, 429) else None
        message = detail or MESSAGES.get(exc.status_code, "Dit verzoek kon niet worden verwerkt.")
        return _error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        show = getattr(request.scope.get("endpoint"), "form_page", None)  # web.forms.form_page
        if show is not None and request.method == "POST" and all(e.get("loc", ("",))[0] == "body" for e in errors):
            from starlette.concurrency import run_in_threadpool

            from web.forms import dutch_errors

            try:  # the form again, each Dutch message next to its field
                return await run_in_threadpool(show, request, dutch_errors(errors), exc.body)
            except StarletteHTTPException as e:  # 403/404 of the page itself (an unknown id)
                return await http_error(request, e)
        if errors and all(e.get("loc", ("",))[0] == "path" and e.get("type") in OUT_OF_RANGE for e in errors):
            return _error(request, 404, MESSAGES[404])  # /plannen/99999999999999999999999: no such record
        return _error(request, 400, "Het formulier of adres bevat een ongeldige waarde.")

    from web.db.mapping import NoDataError

    @app.exception_handler(NoDataError)  # only this one: a KeyError elsewhere is a bug, not "no data" (a 409 lied)
    async def no_data(request: Request, exc: NoDataError) -> Response:
        # Store.bundle() on an empty database: say what to do instead of a 500
        return _error(request, 409, "Er zijn nog geen gegevens ingelezen. Start de app met "
                                    "'planner serve --sample' of lees een databundel in.")

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.error("fout bij %s %s", request.method, request.url.path, exc_info=exc)
        return _error(request, 500, MESSAGES[500])


def _error(request: Request, status: int, message: str) -> Response:
    try:
        uid = getattr(request.state, "uid", None)
        if "session" in request.scope and not getattr(request.state, "user", None) and uid:
            from web.db.models import UserRow

            with request.app.state.store.session() as s:  # the menu and logout button on error pages too
                request.state.user = s.get(UserRow, uid)
        if request.headers.get("HX-Request"):
            return render(request, "error.html", {"status": status, "message": message}, status, block="content")
        return render(request, "error.html", {"status": status, "message": message}, status)
    except Exception:  # noqa: BLE001 - the error page itself must never fail with a trace
        return Response(f"Fout {status}: {message}", status_code=status, media_type="text/plain; charset=utf-8")
