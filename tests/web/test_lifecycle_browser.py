"""Plan lifecycle in the browser (Playwright + Chromium, issue 21): stop a solve and get a version marked
onvolledig that cannot be published without reasons; a publish that asks for confirmation; a re-plan that
shows its diff and keeps the override reasons; the staleness warning; axe (no serious or critical findings)
on these pages; screenshots at 1366 and 390 px wide to ``docs/img/`` (used in docs/web.md).
"""

from __future__ import annotations

import re
import time

from tests.web.browser import IMG, axe_serious, log_in, require_browser
from tests.web.test_browser import _outsider, server  # noqa: F401 - the server fixture (the Flevoland sample, size M)

require_browser()
WIDTHS = {"breed": (1366, 900), "smal": (390, 844)}


OVERFLOW: list[str] = []


def shots(browser, base: str, path: str, name: str, cookies) -> None:
    """The page at both widths (at most 2200 px of it) into docs/img/levenscyclus-<name>-<breed|smal>.png;
    at 390 px the page must not scroll sideways (wide tables scroll inside their own box)."""
    IMG.mkdir(parents=True, exist_ok=True)
    for label, (w, h) in WIDTHS.items():
        ctx = browser.new_context(viewport={"width": w, "height": h}, locale="nl-NL")
        ctx.add_cookies(cookies)
        page = ctx.new_page()
        page.goto(base + path)
        height = min(page.evaluate("() => document.documentElement.scrollHeight"), 2200)
        page.screenshot(path=str(IMG / f"levenscyclus-{name}-{label}.png"), full_page=True,
                        clip={"x": 0, "y": 0, "width": w, "height": height})
        if page.evaluate("() => document.documentElement.scrollWidth") > w + 1:
            OVERFLOW.append(f"{name} ({w} px)")
        ctx.close()


def test_lifecycle_in_the_browser(server, browser):  # noqa: F811
    app, base = server
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL")
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    problems: dict[str, list[str]] = {}
    log_in(page, base, "tl")

    # 1. a solve stopped early: the version is onvolledig, in hours and toewijzingen
    page.goto(base + "/plannen")
    page.fill("#weken", "4")  # four weeks of the M sample: a solve that is still running when stopped
    page.fill("#tijdslimiet", "60")
    page.click("#start-plan")
    page.wait_for_selector("progress#balk[data-state='bezig']", timeout=60_000)
    page.wait_for_selector("#fase")
    assert "FEASIBLE" not in page.locator("#voortgang").inner_text()
    page.wait_for_selector("ol.fasen")
    problems["voortgang"] = axe_serious(page)
    IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMG / "levenscyclus-voortgang-breed.png"), full_page=True)
    time.sleep(1)
    page.click("button.stop")
    page.wait_for_selector("#voortgang[data-state='klaar'], #voortgang[data-state='gestopt']", timeout=120_000)
    text = page.locator("#voortgang").inner_text()
    assert "FEASIBLE" not in text and "onvolledig" in text, text
    assert re.search(r"Niet gepland: \d+ uur zorg bij \d+ toewijzingen", text), text
    problems["klaar-onvolledig"] = axe_serious(page)
    page.screenshot(path=str(IMG / "levenscyclus-gestopt-breed.png"), full_page=True)
    page.click("#klaar a")
    stopped_id = int(re.search(r"/plannen/(\d+)$", page.url).group(1))
    assert "Dit plan is onvolledig" in page.locator("#planstatus").inner_text()
    problems["plan-onvolledig"] = axe_serious(page)
    cookies = ctx.cookies()
    shots(browser, base, f"/plannen/{stopped_id}", "onvolledig", cookies)

    # 2. publish asks for confirmation and a reason per open item: without them nothing is published
    page.click("#publiceren")
    page.wait_for_selector("text=Publiceren bevestigen")
    problems["publiceren"] = axe_serious(page)
    shots(browser, base, f"/plannen/{stopped_id}/publiceren", "publiceren", cookies)
    page.click("#bevestig-publiceren")
    page.wait_for_selector("#publiceer-fout")
    assert "Vink aan dat u dit plan wilt publiceren" in page.locator("main").inner_text()
    problems["publiceren-fout"] = axe_serious(page)
    page.screenshot(path=str(IMG / "levenscyclus-publiceren-fout-breed.png"))
    # confirmed, but no reason for the open items: still refused, a message next to each open item
    page.check("#bevestigd")
    page.click("#bevestig-publiceren")
    page.wait_for_selector("text=Geef een reden om dit open punt te overrulen.")
    with app.state.store.session() as s:
        from web.db.models import PlanRow

        assert s.get(PlanRow, stopped_id).status == "concept"
    # the teamleider discards the stopped version instead
    page.goto(f"{base}/plannen/{stopped_id}")
    page.click("#verwerpen")
    page.wait_for_selector("text=is verworpen")

    # 3. a full solve, published after confirmation with a reason per open item
    page.fill("#tijdslimiet", "10")
    page.click("#start-plan")
    page.wait_for_selector("progress#balk[data-state='klaar']", timeout=180_000)
    page.click("#klaar a")
    plan_id = int(re.search(r"/plannen/(\d+)$", page.url).group(1))
    page.click("#publiceren")
    page.wait_for_selector("text=Publiceren bevestigen")
    fields = page.locator("table.redenen input[type=text]")
    for i in range(fields.count()):
        fields.nth(i).fill(f"Met het team besproken ({i + 1})")
    if page.locator("#reden_alle").count():  # a plan with open items (a complete one has none to overrule)
        page.fill("#reden_alle", "Met het team besproken")
    page.check("#bevestigd")
    page.click("#bevestig-publiceren")
    page.wait_for_selector("text=Gepubliceerd.")
    assert "gepubliceerd" in page.locator("h1").inner_text()
    page.goto(base + "/")
    dash = page.locator("main").inner_text()
    assert "gepubliceerd" in dash
    problems["overzicht"] = axe_serious(page)
    shots(browser, base, "/", "overzicht", cookies)

    # 4. re-plan: the proposal shows what changes per person, keeps the override reasons, is kept
    page.goto(f"{base}/plannen/{plan_id}")
    page.click("button:has-text('Nieuwe conceptversie')")
    page.wait_for_url(re.compile(r"/plannen/\d+$"))
    draft_id = int(re.search(r"/plannen/(\d+)$", page.url).group(1))
    # an overruled edit in the draft (on-call block 0 to someone outside its team, with a reason) ...
    team, outsider = _outsider(app, draft_id)
    page.goto(f"{base}/plannen/{draft_id}/bewerken?dienst=0")
    page.select_option("#medewerker", outsider)
    page.wait_for_selector("text=Deze wijziging schendt een harde regel")
    page.check("input[name='overrule']")
    page.fill("#reden", "Collega ziek; vervanging afgesproken")
    page.click("#opslaan")
    page.wait_for_url(re.compile(rf"/plannen/{draft_id}"))
    # ... and a medewerker with contacts in it falls ill for the whole week: the re-plan must move their work
    from datetime import datetime, timedelta

    from web.db.models import AbsenceRow
    from web.plans import load_plan_data

    draft = load_plan_data(app.state.store, draft_id)
    sick = next(c.staff_id for c in draft.contacts if c.staff_id != outsider)
    with app.state.store.session() as s:
        first = datetime.combine(draft.period_start, datetime.min.time())
        s.add(AbsenceRow(staff_id=sick, start=first, end=first + timedelta(days=7), kind="ziekte"))
        app.state.store.bump(s)
    page.goto(f"{base}/plannen/{draft_id}")
    page.fill("#tl", "8")
    page.click("button:has-text('Herplannen')")
    page.wait_for_selector("progress#balk[data-state='klaar']", timeout=180_000)
    assert "/verschil" in page.locator("#klaar a").get_attribute("href")
    page.click("#klaar a")
    page.wait_for_selector("text=Per medewerker")
    diff_id = int(re.search(r"/plannen/(\d+)/verschil$", page.url).group(1))
    body = page.locator("main").inner_text()
    assert "voorstel" in body and "verplaatst" in body and sick in body, body[:2000]
    # the reasons of the overruled edit travel with the re-plan
    assert "zijn overgenomen" in body and "Collega ziek; vervanging afgesproken" in body, body[:2000]
    problems["verschil"] = axe_serious(page)
    shots(browser, base, f"/plannen/{diff_id}/verschil", "verschil", cookies)
    page.click("#bewaren")
    page.wait_for_url(f"{base}/plannen/{diff_id}")
    assert "voorstel" not in page.locator("h1").inner_text()

    # 5. data changed after the plan: the plan page and the dashboard say so and offer to re-plan
    page.goto(base + "/medewerkers")
    page.click("a:has-text('M0002')")
    page.fill("#contracturen", "24")
    page.click("button:has-text('Opslaan')")
    page.wait_for_selector("text=Opgeslagen.")
    page.goto(f"{base}/plannen/{diff_id}")
    assert "Gegevens gewijzigd na dit plan" in page.locator("#gewijzigd").inner_text()
    assert page.locator("#opnieuw-plannen").is_visible()
    problems["gewijzigd"] = axe_serious(page)
    shots(browser, base, f"/plannen/{diff_id}", "gewijzigd", cookies)
    page.goto(base + "/")
    assert "Gegevens gewijzigd na dit plan" in page.locator("main").inner_text()

    # the other plan pages of this part: axe
    for name, path in [("plannen", "/plannen"), ("caseload", f"/plannen/{diff_id}/caseload"),
                       ("groepen", f"/plannen/{diff_id}/groepen"), ("bereikbaarheid", f"/plannen/{diff_id}/bereikbaarheid")]:
        page.goto(base + path)
        problems[name] = axe_serious(page)
    shots(browser, base, "/plannen", "versies", cookies)
    ctx.close()
    assert blocked == [], blocked
    assert {k: v for k, v in problems.items() if v} == {}
    assert OVERFLOW == [], OVERFLOW
