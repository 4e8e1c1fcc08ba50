"""Browser tests: Playwright driving Debian's Chromium against a live server on the Flevoland sample.

Covers log in, dashboard, edit a medewerker, start a plan and watch the progress bar reach done, the week
grid, a manual edit that breaks a rule (violation with citation), override with a reason, log out; plus an
axe-core check (tests/web/vendor/axe.min.js, from the npm package) on the main pages.  Screenshots of
each page go to ``artifacts/screenshots/``.  Skips when Playwright or Chromium is missing.
"""

from __future__ import annotations

import re

import pytest

from tests.web.browser import REPO, axe_serious, require_browser, serve, shot
from tests.web.conftest import PASSWORDS, make_app

require_browser()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on the Flevoland sample (size M), served by uvicorn in a thread."""
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'web.sqlite'}",
                   REPO / "sample_data" / "flevoland")
    with serve(app) as base:
        yield app, base


def _outsider(app, plan_id: int) -> tuple[str, str]:
    """A medewerker outside the team of on-call block 0: giving them the block breaks a hard rule."""
    from web.plans import load_plan_data

    bundle, _ = app.state.store.bundle()
    block = load_plan_data(app.state.store, plan_id).oncall[0]
    return block.team_id, next(m.id for m in sorted(bundle.staff.values(), key=lambda m: m.id)
                               if block.team_id not in m.teams)


def test_teamleider_plans_a_week_in_the_browser(server, browser):
    app, base = server
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="nl-NL")
    page.set_default_timeout(30_000)
    blocked: list[str] = []  # anything the Content-Security-Policy refused (htmx, the vendored scripts, styles)
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: blocked.append(f"pageerror: {e}"))
    try:
        _walk_through(app, base, page)
    except Exception:
        shot(page, "99-fout")  # the page as it was when the test failed
        raise
    assert blocked == [], blocked


def _walk_through(app, base: str, page) -> None:
    problems: dict[str, list[str]] = {}

    # log in (every page without a session goes to the login page)
    page.goto(base + "/")
    assert page.url.endswith("/login")
    shot(page, "01-inloggen")
    problems["inloggen"] = axe_serious(page)
    page.fill("#username", "tl")
    page.fill("#password", PASSWORDS["tl"])
    page.click("button:has-text('Inloggen')")
    page.wait_for_url(base + "/")
    assert page.locator("h1").inner_text() == "Overzicht"
    shot(page, "02-overzicht")
    problems["overzicht"] = axe_serious(page)

    # edit a medewerker
    page.click("nav >> text=Medewerkers")
    page.wait_for_selector("table")
    shot(page, "03-medewerkers")
    problems["medewerkers"] = axe_serious(page)
    page.click("a:has-text('M0001')")
    page.fill("#contracturen", "30")
    page.click("button:has-text('Opslaan')")
    page.wait_for_selector("text=Opgeslagen.")
    assert page.input_value("#contracturen") == "30"  # decimal comma filter: whole numbers without ",0"
    shot(page, "04-medewerker-bewerkt")
    problems["medewerker"] = axe_serious(page)

    # start a plan and watch the progress bar reach done
    page.click("nav >> text=Plannen")
    shot(page, "05-plannen")
    problems["plannen"] = axe_serious(page)
    page.fill("#tijdslimiet", "8")
    page.click("#start-plan")
    page.wait_for_selector("progress#balk")
    shot(page, "06-voortgang")
    page.wait_for_selector("progress#balk[data-state='klaar']", timeout=120_000)
    assert page.locator("#klaar").is_visible()
    shot(page, "07-klaar")
    problems["voortgang"] = axe_serious(page)
    page.click("#klaar a")
    plan_id = int(re.search(r"/plannen/(\d+)$", page.url).group(1))
    shot(page, "08-plan")
    problems["plan"] = axe_serious(page)

    # the week grid
    page.click("text=Week per medewerker")
    page.wait_for_selector("#weekrooster")
    shot(page, "09-weekrooster")
    problems["weekrooster"] = axe_serious(page)

    # a manual edit that breaks a rule: the violation shows with its citation
    page.click("text=Bereikbaarheid per team")
    shot(page, "10-bereikbaarheid")
    problems["bereikbaarheid"] = axe_serious(page)
    team, outsider = _outsider(app, plan_id)
    page.goto(f"{base}/plannen/{plan_id}/bewerken?dienst=0")
    page.select_option("#medewerker", outsider)  # htmx posts the form to the live check on change
    warning = page.wait_for_selector("text=Deze wijziging schendt een harde regel")
    text = page.locator("#uitkomst").inner_text()
    assert re.search(r"\d{3}_[0-9a-f]+\.txt:\d+", text), text
    assert team in text
    shot(page, "11-overtreding")
    problems["wijzigen"] = axe_serious(page)
    assert warning
    # override with a reason
    page.check("input[name='overrule']")
    page.fill("#reden", "Collega ziek; vervanging afgesproken met teamleider")
    page.click("#opslaan")
    page.wait_for_selector("text=Wijziging opgeslagen.")
    shot(page, "12-overrule-opgeslagen")
    page.goto(f"{base}/plannen/{plan_id}")
    assert "Collega ziek" in page.locator("main").inner_text()

    # the other main pages
    for name, path in [("clienten", "/clienten"), ("groepen", "/groepen"), ("teams", "/teams"),
                       ("regels", "/regels"), ("toegangslog", "/toegangslog"), ("gebruikers", "/gebruikers"), ("caseload", f"/plannen/{plan_id}/caseload"),
                       ("per-groep", f"/plannen/{plan_id}/groepen"), ("niet-gevonden", "/bestaat-niet")]:
        page.goto(base + path)
        shot(page, f"20-{name}")
        problems[name] = axe_serious(page)

    # log out
    page.click("button:has-text('Uitloggen')")
    page.wait_for_url(base + "/login")
    page.goto(base + "/medewerkers")
    assert page.url.endswith("/login")
    shot(page, "30-uitgelogd")
    page.close()
    assert {k: v for k, v in problems.items() if v} == {}
