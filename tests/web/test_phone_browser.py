"""Phone and desktop layout in a real browser (Playwright + Debian's Chromium), issue 21 section 4.

At 390 px wide no main page scrolls sideways (``document.documentElement.scrollWidth <= 390``): wide tables
scroll inside their own ``.tabel-scroll`` box or become cards (``table.kaarten``), and the header wraps. At
1366 px the header stays on one line. axe-core finds nothing serious or critical on these pages. Screenshots
of the phone views and of the rules page at 1366 px go to ``docs/img/``. Skips without Playwright/Chromium.
"""

from __future__ import annotations


import pytest

from tests.web.browser import IMG, PHONE, WIDE as DESKTOP, axe_serious, log_in, require_browser, serve
from tests.web.conftest import client_for, login, make_app

require_browser()


@pytest.fixture(scope="module")
def server(tmp_path_factory, small_bundle):
    """The app on the generated size-S bundle with one solved plan, served by uvicorn in a thread."""
    from tests.web.test_planning import solved_plan

    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('telefoon') / 'web.sqlite'}", small_bundle)
    client = client_for(app)
    plan_id = solved_plan(app, client, login(client, "pl"))
    with serve(app) as base:
        yield app, base, plan_id


def _logged_in(browser, base: str, viewport: dict, who: str = "tl"):
    context = browser.new_context(viewport=viewport, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(30_000)
    log_in(page, base, who)
    return context, page


def _pages(app, plan_id: int) -> list[tuple[str, str]]:
    staff_id = sorted(app.state.store.bundle()[0].staff)[0]
    jeugdige_id = sorted(app.state.store.bundle()[0].jeugdigen)[0]
    return [("overzicht", "/"), ("medewerkers", "/medewerkers"), ("medewerker", f"/medewerkers/{staff_id}"),
            ("nieuwe-medewerker", "/medewerkers/nieuw"), ("clienten", "/clienten"),
            ("jeugdige", f"/clienten/{jeugdige_id}"), ("groepen", "/groepen"), ("teams", "/teams"),
            ("regels", "/regels"), ("regel-bron", "/regels/bron/" + _cited_rule(app)), ("plannen", "/plannen"),
            ("wat-als", "/wat-als"), ("importeren", "/importeren"), ("gebruikers", "/gebruikers"),
            ("toegangslog", "/toegangslog"), ("plan", f"/plannen/{plan_id}"), ("weekbord", f"/plannen/{plan_id}/week")]


def _cited_rule(app) -> str:
    pack = app.state.store.bundle()[1]
    return next(r.id for r in pack.rules if r.seed_lines)


def _header_lines(page) -> int:
    """How many rows the header's items take (1 = one line)."""
    return page.evaluate("""() => {
        const items = [...document.querySelectorAll('header.top .brand, header.top nav li, header.top .logout')];
        return new Set(items.map(e => Math.round(e.getBoundingClientRect().top / 8))).size;
    }""")


def test_no_page_scrolls_sideways_at_390_px(server, browser):
    app, base, plan_id = server
    context, page = _logged_in(browser, base, PHONE)
    IMG.mkdir(parents=True, exist_ok=True)
    widths, too_wide, serious = {}, {}, {}
    try:
        for name, path in _pages(app, plan_id):
            response = page.goto(base + path)
            assert response.status < 400, (path, response.status)
            page.wait_for_load_state("networkidle")
            width = page.evaluate("() => document.documentElement.scrollWidth")
            widths[name] = width
            if width > PHONE["width"]:
                too_wide[name] = (width, page.evaluate("""() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > 391).slice(0, 4)
                    .map(e => e.tagName + '.' + e.className + '#' + e.id)"""))
            problems = axe_serious(page)
            if problems:
                serious[name] = problems
            if name in ("overzicht", "medewerkers", "medewerker", "regels", "regel-bron", "jeugdige", "teams",
                        "gebruikers", "plannen", "importeren"):
                page.screenshot(path=str(IMG / f"telefoon-{name}.png"), full_page=name not in ("regels",))
        print("scrollWidth at 390 px:", widths)
        assert too_wide == {}, too_wide
        assert serious == {}, serious
        # the header fits: nothing in it reaches past the right edge
        page.goto(base + "/")
        right = page.evaluate("() => Math.max(...[...document.querySelectorAll('header.top *')]"
                              ".map(e => e.getBoundingClientRect().right))")
        assert right <= PHONE["width"], right
    finally:
        context.close()


def test_header_is_one_line_at_1366_px_and_rules_read_as_dutch(server, browser):
    app, base, _ = server
    context, page = _logged_in(browser, base, DESKTOP)
    try:
        page.goto(base + "/regels")
        page.screenshot(path=str(IMG / "regels-1366.png"))
        assert _header_lines(page) == 1, "de kop loopt over meer dan een regel bij 1366 px"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= DESKTOP["width"]
        text = page.inner_text("main")
        assert "jeugdigen_per_staff" not in text and "<p>" not in text
        page.goto(base + "/regels/bron/" + _cited_rule(app))
        assert page.locator("mark").count() >= 1
        assert axe_serious(page) == []
        page.screenshot(path=str(IMG / "regel-bron-1366.png"))
        # with script "Rij toevoegen" adds an empty absence row in place (without script the server does)
        page.goto(base + "/medewerkers/" + sorted(app.state.store.bundle()[0].staff)[0])
        before = page.locator("input[name=afw_van]").count()
        page.click("button[value=afwezigheid-erbij]")
        assert page.locator("input[name=afw_van]").count() == before + 1 and "/medewerkers/" in page.url
        page.fill("#naam", "Naam via Enter")  # Enter in a field saves (the default button), it adds no row
        page.press("#naam", "Enter")
        page.wait_for_selector("text=Opgeslagen.")
        assert page.input_value("#naam") == "Naam via Enter"
    finally:
        context.close()


def test_a_viewer_sees_no_edit_controls_in_the_browser(server, browser):
    app, base, plan_id = server
    context, page = _logged_in(browser, base, PHONE, "vw")
    try:
        staff_id = sorted(app.state.store.bundle()[0].staff)[0]
        for path in ("/medewerkers", f"/medewerkers/{staff_id}", "/clienten", "/groepen", "/teams", "/regels"):
            page.goto(base + path)
            forms = page.evaluate("() => [...document.querySelectorAll('main form')].filter(f => f.method === 'post')"
                                  ".map(f => f.action)")
            assert forms == [], (path, forms)
            assert page.locator("main a:text-is('Wijzigen'), main a:has-text('Wijzigen in het plan')").count() == 0
        page.goto(f"{base}/medewerkers/{staff_id}")
        page.screenshot(path=str(IMG / "telefoon-medewerker-alleen-lezen.png"), full_page=True)
    finally:
        context.close()
