"""Wat als in the browser (issue 23): build a scenario with the forms, ask for hiring advice and see the hires,
open the waiting list per client, see the Vega-Lite charts drawn under the app's CSP, download the comparison
PDF with its charts (checked as images with pdftoppm), and axe-core on every what-if page.

Playwright with Debian's Chromium against a live server on the Flevoland sample; screenshots go to
``artifacts/screenshots/wat-als-*.png``. Skips when Playwright or Chromium is missing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.web.browser import REPO, SHOTS, axe_serious, require_browser, serve, shot
from tests.web.conftest import PASSWORDS, make_app

require_browser()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('watals') / 'web.sqlite'}", REPO / "sample_data" / "flevoland")
    with serve(app) as base:
        yield app, base


def test_teamleider_builds_a_scenario_asks_for_hiring_advice_and_reads_the_charts(server, browser, tmp_path):
    app, base = server
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="nl-NL", accept_downloads=True)
    page.set_default_timeout(30_000)
    blocked: list[str] = []  # anything the CSP refused, and script errors (vega must run without eval)
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text or (
        m.type == "error" and "Failed to load resource" not in m.text) else None)  # favicon.ico: no 404 noise
    page.on("response", lambda r: blocked.append(f"{r.status} {r.url}") if "/static/" in r.url and r.status >= 400
            else None)
    page.on("pageerror", lambda e: blocked.append(f"pageerror: {e}"))
    try:
        problems = _walk(app, base, page, tmp_path)
    except Exception:
        shot(page, "wat-als-99-fout")
        raise
    assert blocked == [], blocked
    assert {k: v for k, v in problems.items() if v} == {}


def _walk(app, base: str, page, tmp_path: Path) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    page.goto(base + "/login")
    page.fill("#username", "tl")
    page.fill("#password", PASSWORDS["tl"])
    page.click("button:has-text('Inloggen')")
    page.wait_for_url(base + "/")

    # a new scenario, built from choices: no codes or ids typed
    page.goto(base + "/wat-als")
    page.fill("#naam", "Meer MST en een vertrek")
    page.fill("#omschrijving", "Kunnen we 20 extra MST-gezinnen aan als er een systeemtherapeut vertrekt?")
    page.click("button:has-text('Scenario maken')")
    page.wait_for_selector("h1:has-text('Scenario: Meer MST en een vertrek')")
    problems["scenario-leeg"] = axe_serious(page)

    page.click("summary:has-text('Extra verwijzingen')")
    mst = page.locator("#toewijzingen_erbij-product option[value$=' MST']").first.get_attribute("value")
    page.select_option("#toewijzingen_erbij-product", mst)
    page.check("#form-toewijzingen_erbij input[name='wijze'][value='eenmalig']")
    page.fill("#toewijzingen_erbij-aantal", "20")
    page.fill("#toewijzingen_erbij-begindatum", "2026-12-21")
    page.fill("#toewijzingen_erbij-volume", "3")
    page.select_option("#toewijzingen_erbij-team", "T-MST-1")
    page.click("#form-toewijzingen_erbij button:has-text('Toevoegen')")
    page.wait_for_selector("#wijzigingen .zin:has-text('20 extra verwijzingen')")

    page.click("summary:has-text('Een medewerker vertrekt')")
    options = page.locator("#medewerker_weg-medewerker option").all_inner_texts()
    leaving = next(o for o in options if "(M0003," in o)  # a name with the id shown: a systeemtherapeut in MST
    page.select_option("#medewerker_weg-medewerker", label=leaving)
    page.fill("#medewerker_weg-vanaf", "2027-03-01")
    page.click("#form-medewerker_weg button:has-text('Toevoegen')")
    page.wait_for_selector(f"#wijzigingen .zin:has-text('{leaving.split(' (')[0]}')")
    sentences = page.locator("#wijzigingen .zin").all_inner_texts()
    assert sentences[0].startswith(f"20 extra verwijzingen {mst} vanaf 21 december 2026, 3 uur per week")
    assert sentences[1].endswith("vertrekt per 1 maart 2027.") and "(" in sentences[1]
    shot(page, "wat-als-01-scenario")
    problems["scenario"] = axe_serious(page)

    # hiring advice: the target, a profile with its cost, and the run with and without hires
    page.check("#form-werving input[name='doelsoort'][value='wachttijd']")
    page.fill("#werving-binnen_weken", "2")
    row = page.locator("table.kandidaten tbody tr").first
    row.locator("input[name='k_naam']").fill("Systeemtherapeut MST")
    row.locator("select[name='k_opleiding']").select_option("hbo+")
    row.locator("select[name='k_beroep']").select_option("systeemtherapeut")
    row.locator("select[name='k_registratie']").select_option("SKJ")
    row.locator("select[name='k_certificering']").select_option("MST")
    row.locator("select[name='k_team']").select_option("T-MST-1")
    row.locator("input[name='k_fte']").fill("0,89")
    row.locator("input[name='k_kosten']").fill("72000")
    row.locator("input[name='k_vanaf']").fill("2027-01-04")
    page.uncheck("#form-werving input[name='instroom']")
    page.fill("#werving-weken", "8")
    page.fill("#werving-tijdslimiet", "90")
    shot(page, "wat-als-02-werving")
    page.click("#advies")
    page.wait_for_selector("progress#balk")
    page.wait_for_selector("progress#balk[data-state='klaar']", timeout=300_000)
    page.click("#klaar a")
    page.wait_for_selector("#advies")
    assert "Systeemtherapeut MST" in page.locator("#advies").inner_text()
    assert "Zonder aannames: hoogste wachtlijst" in page.locator("#met-zonder").inner_text()

    # charts: drawn by vega-embed as SVG with data marks (under the CSP, without eval)
    page.wait_for_selector("[data-grafiek='wachtlijst'][data-getekend='ja'] svg")
    lines = page.locator("[data-grafiek='wachtlijst'] svg .mark-line path").count()
    assert lines >= 2  # with and without hires
    page.wait_for_selector("[data-grafiek='aannames'][data-getekend='ja'] svg")
    assert page.locator("[data-grafiek='aannames'] svg .mark-rect path").count() >= 1
    labels = page.locator("[data-grafiek='wachtlijst'] svg .mark-symbol path").first.get_attribute("aria-label")
    assert "wachtenden" in labels  # each point describes itself (screen readers; the tooltip shows the same fields)
    shot(page, "wat-als-03-vergelijking")
    problems["vergelijking"] = axe_serious(page)

    # the comparison PDF, with its charts
    with page.expect_download() as info:
        page.click("a:has-text('Vergelijking PDF')")
    pdf = tmp_path / "vergelijking.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        prefix = SHOTS / "wat-als-pdf"
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf), str(prefix)], check=True)
        pngs = sorted(SHOTS.glob("wat-als-pdf-*.png"))
        assert pngs and pngs[0].stat().st_size > 20_000  # the first page already has a chart, not only text

    # the waiting list per client
    page.click("a:has-text('wachtlijst Meer MST en een vertrek (zonder aannames)')")
    page.wait_for_selector("#wachtenden")
    assert page.locator("#wachtenden tbody tr").count() >= 1
    page.select_option("#f-sorteer", "verwijsdatum")
    page.select_option("#f-richting", "op")
    page.click("#wachtfilter button:has-text('Toon')")
    page.wait_for_url("**sorteer=verwijsdatum**")
    assert "M0" not in page.url and "J0" not in page.url  # nothing identifying in the address
    shot(page, "wat-als-04-wachtlijst")
    problems["wachtlijst"] = axe_serious(page)

    page.goto(base + "/wat-als")
    shot(page, "wat-als-00-overzicht")
    problems["overzicht"] = axe_serious(page)
    return problems
