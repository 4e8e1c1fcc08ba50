"""What every browser test shares: Debian's Chromium through Playwright, a live server in a thread, log in,
axe-core, screenshots.  A test module starts with ``require_browser()`` (a clear skip when Playwright or
Chromium is missing) and takes the module-scoped ``browser`` fixture from tests/web/conftest.py.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.web.conftest import PASSWORDS

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("JHP_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SHOTS = REPO / "artifacts" / "screenshots"  # working screenshots (not committed)
IMG = REPO / "docs" / "img"  # screenshots the docs show, made by the tests
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def require_browser():
    """The Playwright API, or a module-level skip that says what to install."""
    api = pytest.importorskip("playwright.sync_api", reason="Python-pakket playwright ontbreekt")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium niet gevonden op {CHROMIUM} (apt-get install -y chromium, of zet JHP_CHROMIUM)",
                    allow_module_level=True)
    return api


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(app):
    """Serve ``app`` with uvicorn in a thread on a free port; yields the base URL; closes the app after."""
    import uvicorn

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)
        app.state.jobs.close()
        app.state.store.engine.dispose()


def log_in(page, base: str, who: str = "tl") -> None:
    """Log in as one of the fixture users (tests/web/conftest.py) through the login form."""
    page.goto(base + "/login")
    page.fill("#username", who)
    page.fill("#password", PASSWORDS[who])
    page.click("button:has-text('Inloggen')")
    page.wait_for_url(base + "/")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def axe_serious(page) -> list[str]:
    """Serious and critical axe-core violations on the current page.

    axe is evaluated through the DevTools protocol, not added as an inline <script>: the app's
    Content-Security-Policy (rightly) refuses inline scripts, and the test must run under that policy.
    """
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text("utf-8") + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
