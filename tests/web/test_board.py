"""The planning board (issue 21): view model, red markers from the stored report, the picker against the
checker, the day view, saving from the board, and what a viewer may not see."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from planner.checker import check_plan
from planner.plan import CaseAssignment, Contact, OnCallBlock, Plan
from tests.web.conftest import client_for, login
from web.board import board
from web.db.models import PlanEditRow, PlanRow
from web.edits import apply_edit
from web.picker import candidates


def _plan(bundle) -> tuple[Plan, str, str]:
    """A hand-made plan on the S bundle: two overlapping contacts (a double booking: hard), a pinned one,
    one right after another (travel time: soft) and an on-call block."""
    period = bundle.manifest.period_start
    t = next(t for t in sorted(bundle.toewijzingen.values(), key=lambda t: t.id)
             if t.start <= period and t.end >= period + timedelta(days=6))
    a, b = sorted(bundle.staff)[:2]
    day = datetime.combine(period, datetime.min.time())
    plan = Plan(period_start=period, weeks=1)
    plan.caseload = [CaseAssignment(t.id, (a,), a)]
    at = lambda d, h, m=0: day + timedelta(days=d, hours=h, minutes=m)  # noqa: E731
    plan.contacts = [Contact(t.id, a, at(0, 9), at(0, 10)), Contact(t.id, a, at(0, 9, 30), at(0, 10, 30)),
                     Contact(t.id, a, at(1, 13), at(1, 14), pinned=True), Contact(t.id, a, at(2, 9), at(2, 10)),
                     Contact(t.id, a, at(2, 10), at(2, 11))]
    team = sorted(bundle.teams)[0]
    plan.oncall = [OnCallBlock(team, a, at(3, 0), at(4, 0))]
    return plan, a, b


def _store(app, plan: Plan) -> tuple[int, dict]:
    bundle, pack = app.state.store.bundle()
    report = check_plan(bundle, pack, plan).to_json()
    now = datetime.now()
    with app.state.store.session() as s:
        row = PlanRow(label="Bordtest", period_start=plan.period_start, weeks=plan.weeks, status="concept",
                      data=plan.to_json(), report=report, solve={}, created_by="test", created_at=now, updated_at=now)
        s.add(row)
        s.flush()
        return row.id, report


@pytest.fixture
def planned(sqlite_app):
    bundle, _ = sqlite_app.state.store.bundle()
    plan, a, b = _plan(bundle)
    plan_id, report = _store(sqlite_app, plan)
    return sqlite_app, plan_id, plan, report, a, b


def test_view_model_blocks_hours_and_findings_come_from_the_stored_report(planned):
    app, plan_id, plan, report, a, _b = planned
    bundle, pack = app.state.store.bundle()
    bd = board(bundle, pack, plan, report, staff_ids=[a])
    row = bd["rows"][0]
    monday = row["days"][0]
    assert [b.kind for b in monday["blocks"]] == ["contact", "contact"]
    assert monday["hours"] == 1.5  # the checker's worked time: the union of the two overlapping contacts
    assert {b.lanes for b in monday["work"]} == {2}  # overlapping blocks side by side
    assert row["days"][1]["blocks"][0].pinned
    assert [b.kind for b in row["days"][3]["oncall"]] == ["bereikbaarheid"]
    # every marked block names findings of the stored report, and the message names that block
    marked = [b for c in row["days"] for b in c["blocks"] if b.findings]
    assert marked
    for b in marked:
        for i in b.findings:
            v = report["violations"][i]
            assert b.staff_id in {e[1] for e in v["entities"]} or not v["entities"]
            assert f"{b.start:%Y-%m-%d}" in v["message"]
        assert b.severity == ("hard" if any(report["violations"][i]["severity"] == "hard" for i in b.findings)
                              else "soft")
    hard = [b for b in marked if b.severity == "hard"]
    assert {report["violations"][i]["rule_id"] for b in hard for i in b.findings} >= {"W.dubbele_boeking"}
    soft = [b for b in marked if b.severity == "soft"]
    assert soft and all(b.start.date() == plan.contacts[3].start.date() for b in soft)  # travel time, soft
    # client initials and product on each contact block, never a name
    t = bundle.toewijzingen[plan.contacts[0].toewijzing_id]
    assert monday["blocks"][0].label == f"{bundle.jeugdigen[t.jeugdige_id].initials} {t.product_code}"


def test_board_page_every_red_marker_is_a_listed_finding(planned):
    app, plan_id, plan, report, a, _b = planned
    client = client_for(app)
    login(client, "pl")
    html = client.get(f"/plannen/{plan_id}/week").text
    assert 'id="weekrooster"' in html and 'data-bewerkbaar="ja"' in html and "Sortable.min.js" in html
    listed = dict(re.findall(r'<li id="f-(\d+)" class="(?:hard|soft)"><strong><a href="/regels#([^"]+)"', html))
    refs = set(re.findall(r'data-meldingen="([^"]*)"', html))
    assert refs
    for ref in refs:
        for fid in ref.split():
            i = fid.removeprefix("f-")
            assert i in listed, f"marker {fid} without a listed finding"
            assert report["violations"][int(i)]["rule_id"] == listed[i]
    # the red outline carries a tooltip naming the rule and its text from the report
    blocks = re.findall(r'<a class="blok ([^"]*)" draggable="false" href="([^"]*)" title="([^"]*)"', html)
    red = [b for b in blocks if "sev-hard" in b[0]]
    assert red and all("W.dubbele_boeking" in b[2] for b in red[:1])
    assert any("vast" in b[0].split() for b in blocks)
    # no client data in the URLs: items are addressed by their position in the plan
    for _, href, _ in blocks:
        assert re.fullmatch(r"/plannen/\d+/bewerken\?(contact|sessie|dienst)=\d+&amp;terug=bord&amp;team=&amp;week=0",
                            href), href
    # hours against contract per person, and the legend's letters
    assert re.search(r'class="uren">\d+(,\d+)? / \d+(,\d+)? u', html)
    for letter in ("C", "G", "D", "B"):
        assert f'<span class="letter">{letter}</span>' in html


def test_board_reads_the_stored_report_and_never_runs_the_checker(planned, monkeypatch):
    app, plan_id, *_ = planned
    import planner.checker

    def boom(*a, **k):
        raise AssertionError("the board ran the checker")

    monkeypatch.setattr(planner.checker, "check_plan", boom)
    client = client_for(app)
    login(client, "vw")
    assert client.get(f"/plannen/{plan_id}/week").status_code == 200
    assert client.get(f"/plannen/{plan_id}/week?team=GEEN&week=5").status_code == 200


def test_picker_reasons_are_the_checkers_findings_of_that_move(planned):
    app, plan_id, plan, report, a, _b = planned
    bundle, pack = app.state.store.bundle()
    before = {(v["rule_id"], v["message"]) for v in report["violations"]}
    for kind, index in (("contact", 2), ("dienst", 0)):
        found = candidates(bundle, pack, plan, kind, index)
        assert {c.staff.id for c in found} == set(bundle.staff)
        assert found[0].current
        checked = 0
        for c in found:
            if c.current:
                continue
            edited, _, errors = apply_edit(bundle, plan, {"soort": kind, "index": str(index), "medewerker": c.staff.id})
            assert not errors
            after = {(v.rule_id, v.message) for v in check_plan(bundle, pack, edited).violations}
            assert {(v.rule_id, v.message) for v in c.findings} == after - before, c.staff.id
            checked += 1
        assert checked == len(bundle.staff) - 1
        if kind == "contact":  # nobody but the executor may hold the visit (integrity rule), with the reason
            others = [c for c in found if not c.current]
            assert all(not c.eligible and "niet bevoegd" in c.groups for c in others)


def test_picker_page_and_edit_form_show_names_and_reasons(planned):
    app, plan_id, plan, report, a, b = planned
    bundle, _ = app.state.store.bundle()
    client = client_for(app)
    login(client, "pl")
    html = client.get(f"/plannen/{plan_id}/kiezer?soort=contact&index=2").text
    assert "Beschikbaar en bevoegd" in html and "niet bevoegd" in html and "I.contact_door_uitvoerder" in html
    assert bundle.staff[b].name in html
    page = client.get(f"/plannen/{plan_id}/bewerken?contact=2&terug=bord")
    assert page.status_code == 200
    assert '<optgroup label="Beschikbaar en bevoegd">' in page.text
    assert f'{bundle.staff[a].name} ({a}) — nu ingepland' in page.text
    assert 'class="kies' in page.text and 'name="terug" value="bord"' in page.text
    fragment = client.get(f"/plannen/{plan_id}/kiezer?soort=contact&index=2&begin=2026-12-08T15:00&kies=medewerker",
                          headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<div id="kiezer"') and "<html" not in fragment


def test_live_check_lists_hard_and_soft_findings_with_citations_and_save_returns_to_the_board(planned):
    app, plan_id, plan, report, a, b = planned
    client = client_for(app)
    token = login(client, "pl")
    base = {"csrf_token": token, "soort": "contact", "index": "2", "version": "1", "terug": "bord", "team": "",
            "week": "0"}
    # to the other person: a hard finding with its citation, and the override fields
    html = client.post(f"/plannen/{plan_id}/bewerken/controleer", data={**base, "medewerker": b,
                                                                         "begin": "2026-12-08T13:00"}).text
    assert "Deze wijziging schendt een harde regel" in html and 'name="overrule"' in html
    assert re.search(r"I\.contact_door_uitvoerder</strong> \([^)]+\)", html)
    # same person, right after another visit: a new soft finding (travel time) with its citation
    day2 = plan.contacts[1].end  # day 1, 10:30: right after the overlapping pair
    html = client.post(f"/plannen/{plan_id}/bewerken/controleer",
                       data={**base, "medewerker": a, "begin": day2.strftime("%Y-%m-%dT%H:%M")}).text
    assert "Nieuwe zachte bevindingen" in html and re.search(r"W\.reistijd</strong> \(zacht, .+?\): Medewerker", html)
    # a hard finding without a reason is refused; with one it is kept and the board shows the new version
    r = client.post(f"/plannen/{plan_id}/bewerken", data={**base, "medewerker": b, "begin": "2026-12-08T13:00"})
    assert r.status_code == 422 and r.text.count("Vink &#39;overrulen&#39; aan") == 1  # said once, next to the field
    hard, soft = re.search(r"(\d+) harde en (\d+) zachte bevinding", r.text).groups()
    listed = re.search(r"Alle (\d+) bevinding\(en\) van het plan", r.text)
    assert listed and int(listed.group(1)) == int(hard) + int(soft)  # every counted finding is listed
    r = client.post(f"/plannen/{plan_id}/bewerken", data={**base, "medewerker": b, "begin": "2026-12-08T13:00",
                                                          "overrule": "ja", "reden": "Vervanging afgesproken"})
    assert r.status_code == 303 and r.headers["location"] == f"/plannen/{plan_id}/week?team=&week=0&opgeslagen=1"
    with app.state.store.session() as s:
        version = s.get(PlanRow, plan_id).version
        assert version > 1
        edit = s.query(PlanEditRow).filter_by(plan_id=plan_id).one()
        assert edit.override and edit.reason == "Vervanging afgesproken"
    html = client.get(r.headers["location"]).text
    assert "Wijziging opgeslagen" in html and f"versie {version}" in html
    moved = re.search(rf'<a class="blok ([^"]*)"[^>]*data-soort="contact" data-index="2" data-medewerker="{b}"', html)
    assert moved and "overruled" in moved.group(1).split() and "sev-hard" in moved.group(1).split()


def test_day_view_for_the_phone(planned):
    app, plan_id, plan, report, a, _b = planned
    client = client_for(app)
    login(client, "vw")
    day = plan.period_start.isoformat()
    html = client.get(f"/plannen/{plan_id}/dag?medewerker={a}&datum={day}").text
    assert "tijdlijn dag" in html and "09:00-10:00" in html and "W.dubbele_boeking" in html
    assert "1,5 u" in html  # hours that day
    assert client.get(f"/plannen/{plan_id}/dag?medewerker={a}&datum=onzin").status_code == 200
    assert client.get(f"/plannen/{plan_id}/dag?medewerker={a}&datum=2099-01-01").status_code == 200
    assert client.get("/plannen/999999/dag").status_code == 404


def test_viewer_sees_no_edit_controls_on_the_board_and_edit_pages(planned):
    app, plan_id, *_ = planned
    client = client_for(app)
    token = login(client, "vw")
    html = client.get(f"/plannen/{plan_id}/week").text
    main = html.split('<main id="inhoud">', 1)[1]
    for needle in ("data-bewerkbaar", "draggable", "<dialog", "/bewerken?", "Sortable.min.js", "data-soort"):
        assert needle not in main, needle
    assert "Alleen lezen" in main
    page = client.get(f"/plannen/{plan_id}/bewerken?contact=0").text.split('<main id="inhoud">', 1)[1]
    for needle in ("<select", "<input", "<textarea", 'id="opslaan"', 'class="kies', "Controleren", "hx-post"):
        assert needle not in page, needle
    assert "Beschikbaar en bevoegd" in page  # the picker itself is information, not a control
    day = client.get(f"/plannen/{plan_id}/dag").text.split('<main id="inhoud">', 1)[1]
    assert "Verplaatsen" not in day and "/bewerken?" not in day
    r = client.post(f"/plannen/{plan_id}/bewerken/controleer", data={"csrf_token": token, "soort": "contact",
                                                                       "index": "0"})
    assert r.status_code == 403


def test_published_plan_has_no_drag_and_drop(planned):
    app, plan_id, *_ = planned
    with app.state.store.session() as s:
        s.get(PlanRow, plan_id).status = "gepubliceerd"
    client = client_for(app)
    login(client, "tl")
    main = client.get(f"/plannen/{plan_id}/week").text.split('<main id="inhoud">', 1)[1]
    assert "data-bewerkbaar" not in main and "<dialog" not in main and "nieuwe conceptversie" in main
