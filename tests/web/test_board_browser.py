"""The planning board in Chromium (issue 21): drag and drop with the live check (cancel, then keep with an
override reason), its keyboard alternative with the picker, 390 px without sideways page scroll (board and
phone day view), axe (no serious or critical findings), the print stylesheet and the CSP.

Screenshots for docs/web.md ("Planbord") go to docs/img/.  Skips without Playwright or Chromium.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from tests.web.browser import IMG, PHONE, REPO, WIDE, axe_serious, log_in, require_browser, serve
from tests.web.conftest import make_app

require_browser()
CITATION = re.compile(r"\(.+?\): Contact TW\d+ op \d{4}-\d{2}-\d{2} \d{2}:\d{2} door M\d+")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on the Flevoland sample (size M) with one solved plan in which one contact was moved onto
    another of the same person and pinned (a double booking: a red marker on the board)."""
    from planner.checker import check_plan
    from solver.data import SolveOptions
    from solver.solve import solve
    from web.db.models import PlanRow

    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('bord') / 'web.sqlite'}", REPO / "sample_data" / "flevoland")
    bundle, pack = app.state.store.bundle()
    plan = solve(bundle, pack, options=SolveOptions(time_limit=6, workers=1)).plan
    first = plan.contacts[0]
    twin = next(i for i, c in enumerate(plan.contacts) if c.staff_id == first.staff_id and i
                and c.start.date() == first.start.date())
    half = timedelta(minutes=30)
    plan.contacts[twin] = replace(plan.contacts[twin], start=first.start + half, end=first.end + half, pinned=True)
    now = datetime.now()
    with app.state.store.session() as s:
        row = PlanRow(label=f"Plan {plan.period_start:%d-%m-%Y}, 1 week", period_start=plan.period_start, weeks=1,
                      status="concept", data=plan.to_json(), report=check_plan(bundle, pack, plan).to_json(),
                      solve={"status": "FEASIBLE"}, created_by="tl", created_at=now, updated_at=now)
        s.add(row)
        s.flush()
        plan_id = row.id
    with serve(app) as base:
        yield app, base, plan_id


def _page(browser, base: str, who: str = "tl", viewport=WIDE):
    context = browser.new_context(viewport=viewport, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.blocked = []  # anything the Content-Security-Policy refused, and script errors
    page.on("console", lambda m: page.blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: page.blocked.append(f"pageerror: {e}"))
    log_in(page, base, who)
    return context, page


def shot(page, name: str, full: bool = False) -> None:
    IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMG / f"{name}.png"), full_page=full)


def _version(app, plan_id: int) -> int:
    from web.db.models import PlanRow

    with app.state.store.session() as s:
        return s.get(PlanRow, plan_id).version


def _team_board(page, base: str, plan_id: int, app) -> tuple[str, str, str]:
    """Open the board filtered to a team with work; (a staff member with a contact, the next row's, the day)."""
    from web.plans import load_plan_data

    bundle, _ = app.state.store.bundle()
    plan = load_plan_data(app.state.store, plan_id)
    working = {c.staff_id for c in plan.contacts}
    team = next(t for t in sorted(bundle.teams)
                if sum(1 for m in bundle.staff.values() if t in m.teams and m.id in working) >= 2)
    page.goto(f"{base}/plannen/{plan_id}/week?team={team}")
    rows = page.locator("#weekrooster tbody tr")
    staff = [rows.nth(i).locator(".tijdlijn").first.get_attribute("data-medewerker") for i in range(rows.count())]
    i = next(i for i, sid in enumerate(staff) if sid in working)
    a, b = staff[i], staff[i + 1] if i + 1 < len(staff) else staff[i - 1]
    day = rows.nth(i).locator("a.blok[data-soort=contact]").first.get_attribute("data-begin")[:10]
    page.evaluate("sid => document.querySelector(`.tijdlijn[data-medewerker='${sid}']`).closest('tr')"
                  ".scrollIntoView({block: 'start'})", a)
    page.evaluate("() => window.scrollBy(0, -60)")
    return a, b, day


def _drag(page, source, lane, y: float) -> None:
    """Drag with the mouse as a person does: press, move in steps, release over ``lane`` at ``y`` px."""
    sb, lb = source.bounding_box(), lane.bounding_box()
    page.mouse.move(sb["x"] + 8, sb["y"] + sb["height"] / 2)
    page.mouse.down()
    page.mouse.move(sb["x"] + 14, sb["y"] + sb["height"] / 2 + 6, steps=3)
    page.mouse.move(lb["x"] + lb["width"] / 3, lb["y"] + y, steps=15)
    page.mouse.up()


def test_drag_and_drop_asks_the_live_check_before_it_is_kept(server, browser):
    app, base, plan_id = server
    context, page = _page(browser, base)
    a, b, day = _team_board(page, base, plan_id, app)
    source = page.locator(f".tijdlijn[data-medewerker='{a}'][data-datum='{day}'] a.blok[data-soort=contact]").first
    index = source.get_attribute("data-index")
    target = page.locator(f".tijdlijn[data-medewerker='{b}'][data-datum='{day}']")
    version = _version(app, plan_id)

    # drop on a colleague: the dialog shows the checker's hard finding with its citation; cancel puts it back
    _drag(page, source, target, 80)
    dialog = page.locator("dialog#verplaatsen")
    dialog.wait_for(state="visible")
    page.wait_for_function("() => !document.querySelector('#verplaats-uitkomst').textContent.includes('Bezig')")
    text = page.locator("#verplaats-uitkomst").inner_text()
    assert "Deze wijziging schendt een harde regel" in text and "I.contact_door_uitvoerder" in text
    assert CITATION.search(text), text
    assert page.locator("#verplaats-bevestig").is_disabled()  # a hard finding needs an override reason
    shot(page, "planbord-slepen")
    page.click("#verplaats-annuleer")
    assert not dialog.is_visible()
    assert page.locator(f".tijdlijn[data-medewerker='{a}'] a.blok[data-index='{index}'][data-soort=contact]").count() == 1
    assert "geannuleerd" in page.locator("#bord-status").inner_text()
    assert _version(app, plan_id) == version

    # again, now overrule with a reason: it is kept, and the board shows it overruled in the colleague's row
    source = page.locator(f".tijdlijn[data-medewerker='{a}'] a.blok[data-index='{index}'][data-soort=contact]")
    _drag(page, source, target, 80)
    dialog.wait_for(state="visible")
    page.wait_for_selector("#verplaats-uitkomst input[name=overrule]")
    page.check("#verplaats-uitkomst input[name=overrule]")
    page.fill("#verplaats-uitkomst textarea[name=reden]", "Vervanging afgesproken met de teamleider")
    assert not page.locator("#verplaats-bevestig").is_disabled()
    page.click("#verplaats-bevestig")
    page.wait_for_url(re.compile(r"/week\?.*opgeslagen=1"))
    moved = page.locator(f".tijdlijn[data-medewerker='{b}'] a.blok[data-index='{index}'][data-soort=contact]")
    assert moved.count() == 1 and "overruled" in moved.get_attribute("class").split()
    assert "I.contact_door_uitvoerder" in moved.get_attribute("title")
    assert _version(app, plan_id) > version
    assert page.blocked == []
    context.close()


def test_keyboard_alternative_uses_the_picker(server, browser):
    app, base, plan_id = server
    context, page = _page(browser, base)
    a, b, day = _team_board(page, base, plan_id, app)
    block = page.locator(f".tijdlijn[data-medewerker='{a}'][data-datum='{day}'] a.blok[data-soort=contact]").first
    block.focus()
    page.keyboard.press("Enter")  # the block is a link: the move form with person and time fields
    page.wait_for_url(re.compile(r"/bewerken\?contact=\d+&terug=bord"))
    assert page.locator("#kiezer-ok caption").inner_text().startswith("Beschikbaar en bevoegd")
    options = page.locator("#medewerker option").all_inner_texts()
    assert any("nu ingepland" in o for o in options) and all(re.search(r"\(M\d+\)", o) for o in options)
    reasons = page.locator("#kiezer-niet .redenen").first.inner_text()
    assert re.search(r"niet bevoegd|niet beschikbaar|afwezig|boven contract", reasons)
    page.locator("#kiezer-titel").scroll_into_view_if_needed()
    page.evaluate("() => document.getElementById('kiezer-titel').scrollIntoView({block: 'start'})")
    shot(page, "planbord-kiezer")
    # choose a colleague with the keyboard: the live check runs and shows the finding with its citation
    button = page.locator(f"#kiezer-niet button.kies[data-kies='{b}']")
    button.focus()
    page.keyboard.press("Enter")
    assert page.input_value("#medewerker") == b
    page.wait_for_selector("#uitkomst >> text=Deze wijziging schendt een harde regel")
    page.focus("#begin")
    page.fill("#begin", f"{day}T15:00")
    page.keyboard.press("Tab")  # the change runs the live check again: wait for its answer before overruling
    page.wait_for_selector(f"#uitkomst >> text={day} 15:00")
    page.check("input[name='overrule']")
    page.fill("#reden", "Overdracht tijdens ziekte")
    page.focus("#opslaan")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/week\?.*opgeslagen=1"))
    assert page.locator(f".tijdlijn[data-medewerker='{b}'][data-datum='{day}'] a.blok[data-begin='{day}T15:00']").count()
    # the picker at phone width
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/plannen/{plan_id}/kiezer?soort=dienst&index=0")
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert page.blocked == []
    context.close()


def test_phone_widths_print_and_axe(server, browser):
    app, base, plan_id = server
    context, page = _page(browser, base)
    page.goto(f"{base}/plannen/{plan_id}/week")
    assert page.locator("th.vandaag, th[aria-current=date]").count() <= 1
    shot(page, "planbord")
    problems = {"bord": axe_serious(page)}
    staff = page.locator("#weekrooster a.blok.sev-hard").first.get_attribute("data-medewerker")
    day_url = f"{base}/plannen/{plan_id}/dag?medewerker={staff}&datum={page.locator('#weekrooster a.blok.sev-hard').first.get_attribute('data-begin')[:10]}"
    # print: no navigation and no buttons, the board in full
    page.emulate_media(media="print")
    for hidden in ("header.top", "#afdrukken", "form.filters", "nav[aria-label=Planweergaven]"):
        assert page.locator(hidden).first.evaluate("e => getComputedStyle(e).display") == "none", hidden
    assert page.locator("#weekrooster").is_visible()
    page.emulate_media(media="screen")
    page.goto(f"{base}/plannen/{plan_id}/bewerken?dienst=0")
    problems["wijzigen"] = axe_serious(page)
    page.set_viewport_size(PHONE)
    for name, url in (("planbord-390", f"{base}/plannen/{plan_id}/week"), ("planbord-dag-390", day_url)):
        page.goto(url)
        width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], (name, width)
        shot(page, name, full=name.endswith("dag-390"))
        problems[name] = axe_serious(page)
    assert page.locator(".tijdlijn.dag a.blok").count() >= 1 and "W.dubbele_boeking" in page.inner_text("main")
    assert {k: v for k, v in problems.items() if v} == {}
    assert page.blocked == []
    context.close()
