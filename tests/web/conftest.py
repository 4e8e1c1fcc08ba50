"""Fixtures for the web tests: databases (SQLite and PostgreSQL), seeded apps, users, logged-in clients.

PostgreSQL: ``JHP_TEST_POSTGRES_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``); each
test gets its own schema, dropped afterwards.  Tests skip with a message when it cannot connect.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest

PG_URL = os.environ.get("JHP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORDS = {"tl": "teamleider-wachtwoord", "pl": "planner-wachtwoord", "vw": "viewer-wachtwoord"}
ROLES = {"tl": "teamleider", "pl": "planner", "vw": "viewer"}


def _session_env(name: str, value: str):
    """Set an environment variable for the whole test session and restore it afterwards."""
    old = os.environ.get(name)
    os.environ[name] = value
    yield value
    if old is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = old


@pytest.fixture(scope="session", autouse=True)
def key_dir(tmp_path_factory):
    """Key files (session secret, BSN key) of the web tests in a private temporary folder."""
    folder = tmp_path_factory.mktemp("sleutels")
    yield from _session_env("JHP_KEY_DIR", str(folder))


@pytest.fixture(scope="session", autouse=True)
def queue_file(tmp_path_factory):
    """The task queue's SQLite file of every test app (one temporary file, never one in the repository;
    each database has its own queue name in it)."""
    yield from _session_env("JHP_QUEUE_FILE", str(tmp_path_factory.mktemp("wachtrij") / "wachtrij.sqlite"))


@pytest.fixture(scope="session")
def small_bundle(tmp_path_factory) -> Path:
    """A generated size-S bundle (deterministic seed): teams, toewijzingen, groups; solves in seconds."""
    from planner.generate import generate_to

    return Path(generate_to(tmp_path_factory.mktemp("bundle") / "s", "S", 3, "flevoland-multi"))


def _postgres_schema_url() -> tuple[str, str]:
    import sqlalchemy as sa

    schema = f"jhp_{uuid.uuid4().hex[:10]}"
    try:
        engine = sa.create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
    except Exception as e:  # noqa: BLE001 - any connect problem means: skip with the reason
        pytest.skip(f"PostgreSQL niet bereikbaar op {PG_URL} ({type(e).__name__}); "
                    "zet JHP_TEST_POSTGRES_URL of start PostgreSQL")
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}", schema


def _drop_schema(schema: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty database URL: SQLite file, or a private PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    url, schema = _postgres_schema_url()
    yield url
    _drop_schema(schema)


def make_app(url: str, bundle: Path):
    from web.app import create_app
    from web.security import create_user
    from web.seed import seed_if_empty

    # embedded_worker: a job queue consumer in threads of this process, started on the first job
    app = create_app(url, solver_workers=1, secret_key="test-geheim", embedded_worker=True)
    seed_if_empty(app.state.store, bundle)
    with app.state.store.session() as s:
        for key, role in ROLES.items():
            create_user(s, key, PASSWORDS[key], role)
    return app


@pytest.fixture
def app(db_url, small_bundle):
    application = make_app(db_url, small_bundle)
    yield application
    application.state.jobs.close()
    application.state.store.engine.dispose()


@pytest.fixture
def sqlite_app(tmp_path, small_bundle):
    application = make_app(f"sqlite:///{tmp_path / 'app.sqlite'}", small_bundle)
    yield application
    application.state.jobs.close()
    application.state.store.engine.dispose()


def client_for(application):
    from fastapi.testclient import TestClient

    return TestClient(application, raise_server_exceptions=False, follow_redirects=False)


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "geen CSRF-veld op de pagina"
    return m.group(1)


def login(client, key: str) -> str:
    """Log in as one of the fixture users; returns the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": key, "password": PASSWORDS[key], "csrf_token": token})
    assert r.status_code == 303 and r.headers["location"] == "/", r.text[:300]
    return csrf_of(client.get("/plannen").text)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module (tests/web/browser.py: require_browser)."""
    from tests.web.browser import ARGS, CHROMIUM, require_browser

    api = require_browser()
    with api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()
