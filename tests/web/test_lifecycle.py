"""Plan lifecycle (issue 21, sections 1, 3, 5, 8 in part), through the TestClient.

A stopped solve is a version marked *onvolledig* (hours and toewijzingen planned and not); publishing is a
confirmation step that asks a reason per open item and logs each as an override, shown on the dashboard,
the plan page and in the exports; a re-plan lands as a *voorstel* with a per-person diff and the override
log of its source; data changed after a plan is announced; lists read summary columns, never plan JSON;
the caseload's red marker is a checker finding; a viewer sees no edit controls.

One solve per module (``solved``); the versions of each test are stored with ``web.plans.save_solved``.
"""

from __future__ import annotations

import io
import time
from dataclasses import replace
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlalchemy import event, select

from planner.plan import Plan
from tests.web.conftest import client_for, csrf_of, login
from web.db.models import MedewerkerRow, PlanEditRow, PlanRow
from web.plans import load_plan_data, open_items, save_solved

WAIT = 120


@pytest.fixture(scope="module")
def solved(small_bundle):
    """One real solve of the small bundle (its plan JSON and solve meta), reused by every test."""
    from planner.bundle import load_bundle_with_pack
    from solver.data import SolveOptions
    from solver.solve import solve

    bundle, pack = load_bundle_with_pack(small_bundle)
    result = solve(bundle, pack, bundle.manifest.period_start, 1, SolveOptions(time_limit=3, workers=1))
    assert result.plan is not None
    return result


def store_version(app, result, *, plan: Plan | None = None, stopped: bool = False, parent_id: int | None = None,
                  username: str = "pl") -> int:
    res = replace(result, plan=Plan.from_json((plan or result.plan).to_json()))
    info = SimpleNamespace(period_start=res.plan.period_start, weeks=res.plan.weeks, parent_id=parent_id,
                           username=username, stopped=stopped)
    bundle, pack = app.state.store.bundle()
    return save_solved(app.state.store, bundle, pack, res, info)


def without_contacts(result) -> Plan:
    plan = Plan.from_json(result.plan.to_json())
    plan.contacts = []
    return plan


def row_of(app, plan_id: int) -> PlanRow:
    with app.state.store.session() as s:
        return s.get(PlanRow, plan_id)


# --- 1. stopped -> onvolledig; publish asks for confirmation and a reason per open item -----------------
def test_a_stopped_version_is_onvolledig_in_hours_and_toewijzingen(sqlite_app, solved):
    app = sqlite_app
    plan_id = store_version(app, solved, plan=without_contacts(solved), stopped=True)
    row = row_of(app, plan_id)
    assert row.status == "concept" and row.stopped and row.completeness == "onvolledig"
    assert row.summary["planned_minutes"] == 0 and row.summary["unmet_minutes"] > 0
    assert row.summary["unmet_toewijzingen"] > 0 and row.summary["total"] > 0
    client = client_for(app)
    login(client, "tl")
    page = client.get(f"/plannen/{plan_id}").text
    assert "Dit plan is onvolledig" in page and "gestopt" in page
    assert f"{round(row.summary['unmet_minutes'] / 60)} uur" in page
    assert "FEASIBLE" not in page.split("<details class=\"details\">")[0]  # solver words only behind the toggle
    assert 'id="verwerpen"' in page and 'href="/plannen/%d/publiceren"' % plan_id in page
    listing = client.get("/plannen").text
    assert "onvolledig (gestopt)" in listing


def test_publishing_needs_confirmation_and_a_reason_per_open_item(sqlite_app, solved):
    app = sqlite_app
    plan_id = store_version(app, solved, plan=without_contacts(solved), stopped=True)
    items = open_items(row_of(app, plan_id).report)
    assert items, "a plan without contacts leaves care undone"
    tl = client_for(app)
    token = login(tl, "tl")
    # one click is not enough: the old form (version only) is refused, nothing is published
    r = tl.post(f"/plannen/{plan_id}/publiceren", data={"csrf_token": token, "version": "1"})
    assert r.status_code == 422 and "Vink aan dat u dit plan wilt publiceren" in r.text
    assert row_of(app, plan_id).status == "concept"
    confirm = tl.get(f"/plannen/{plan_id}/publiceren")
    assert confirm.status_code == 200 and "Publiceren bevestigen" in confirm.text
    assert all(it["field"] in confirm.text for it in items)
    # confirmed but one reason missing: refused, the message is next to that field
    reasons = {it["field"]: "afgesproken met gemeente" for it in items}
    first = items[0]["field"]
    r = tl.post(f"/plannen/{plan_id}/publiceren", data={"csrf_token": token, "version": "1", "bevestigd": "ja",
                                                         **{**reasons, first: ""}})
    assert r.status_code == 422 and f'id="fout-{first}"' in r.text
    assert row_of(app, plan_id).status == "concept"
    r = tl.post(f"/plannen/{plan_id}/publiceren", data={"csrf_token": token, "version": "1", "bevestigd": "ja",
                                                         **{**reasons, first: "eerste reden"}})
    assert r.status_code == 303, r.text[:500]
    row = row_of(app, plan_id)
    assert row.status == "gepubliceerd" and row.summary["overruled"] == len(items)
    with app.state.store.session() as s:
        log = s.scalars(select(PlanEditRow).where(PlanEditRow.plan_id == plan_id, PlanEditRow.override.is_(True))).all()
    assert len(log) == len(items) and {e.reason for e in log} == {"eerste reden", "afgesproken met gemeente"}
    # overruled everywhere: plan page, dashboard, exports
    page = tl.get(f"/plannen/{plan_id}").text
    assert "overruled door tl" in page and "eerste reden" in page
    dashboard = tl.get("/").text
    assert "overruled" in dashboard and "afgesproken met gemeente" in dashboard and "gepubliceerd" in dashboard
    csv = tl.get(f"/plannen/{plan_id}/export/csv").content.decode("utf-8-sig")
    assert csv.count("\r\noverrule;") == len(items) and "reden: eerste reden" in csv
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(tl.get(f"/plannen/{plan_id}/export/xlsx").content))
    assert "Overrulingen" in wb.sheetnames and wb["Overrulingen"].max_row == len(items) + 1


def test_a_complete_plan_publishes_after_confirmation_only(sqlite_app, solved):
    app = sqlite_app
    plan_id = store_version(app, solved)
    row = row_of(app, plan_id)
    tl = client_for(app)
    token = login(tl, "tl")
    todo = open_items(row.report)
    data = {"csrf_token": token, "version": str(row.version), "reden_alle": "bekend en geaccepteerd"}
    assert tl.post(f"/plannen/{plan_id}/publiceren", data=data).status_code == 422
    assert tl.post(f"/plannen/{plan_id}/publiceren", data={**data, "bevestigd": "ja"}).status_code == 303
    row = row_of(app, plan_id)
    assert row.status == "gepubliceerd" and row.summary.get("overruled", 0) == len(todo)


def test_a_version_can_be_discarded_and_is_listed_nowhere(sqlite_app, solved):
    app = sqlite_app
    keep_id = store_version(app, solved)
    plan_id = store_version(app, solved, plan=without_contacts(solved), stopped=True)
    client = client_for(app)
    token = login(client, "pl")
    r = client.post(f"/plannen/{plan_id}/verwerpen", data={"csrf_token": token, "version": "1"})
    assert r.status_code == 303
    assert row_of(app, plan_id).status == "verworpen"
    listing = client.get("/plannen").text
    assert f'href="/plannen/{plan_id}"' not in listing and f'href="/plannen/{keep_id}"' in listing
    assert f'href="/plannen/{keep_id}"' in client.get("/").text
    # a discarded version cannot be published or edited any more
    tl = client_for(app)
    tl_token = login(tl, "tl")
    r = tl.post(f"/plannen/{plan_id}/publiceren", data={"csrf_token": tl_token, "version": "2", "bevestigd": "ja"})
    assert r.status_code in (409, 422) and row_of(app, plan_id).status == "verworpen"


# --- re-plan: a proposal with its diff, keeping the override log ------------------------------------------
def _moved(plan: Plan, bundle) -> Plan:
    """The plan with contact 0 an hour later and on-call block 0 given to another team member."""
    new = Plan.from_json(plan.to_json())
    c = new.contacts[0]
    new.contacts[0] = replace(c, start=c.start + timedelta(hours=1), end=c.end + timedelta(hours=1))
    b = new.oncall[0]
    other = next(m.id for m in sorted(bundle.staff.values(), key=lambda m: m.id)
                 if b.team_id in m.teams and m.id != b.staff_id)
    new.oncall[0] = replace(b, staff_id=other)
    return new


def test_a_replan_is_a_proposal_with_a_per_person_diff_and_keeps_the_reasons(sqlite_app, solved):
    app = sqlite_app
    bundle, _ = app.state.store.bundle()
    source = store_version(app, solved)
    now = datetime.now()
    with app.state.store.session() as s:  # an override of the source version, with its reason
        s.add(PlanEditRow(plan_id=source, at=now, username="pl", action="bereikbaarheid gewijzigd", override=True,
                          reason="collega ziek", violations=[{"rule_id": "R-X", "message": "Een melding.",
                                                              "severity": "hard", "kind": "x"}]))
    proposal = store_version(app, solved, plan=_moved(solved.plan, bundle), parent_id=source)
    row = row_of(app, proposal)
    assert row.status == "voorstel" and row.parent_id == source
    with app.state.store.session() as s:
        carried = s.scalars(select(PlanEditRow).where(PlanEditRow.plan_id == proposal)).all()
    assert [e.reason for e in carried] == ["collega ziek"] and carried[0].action.startswith("overgenomen uit versie")
    assert load_plan_data(app.state.store, proposal).meta["overrides"][0]["reden"] == "collega ziek"
    client = client_for(app)
    token = login(client, "pl")
    diff = client.get(f"/plannen/{proposal}/verschil").text
    c, b = solved.plan.contacts[0], solved.plan.oncall[0]
    assert "Per medewerker" in diff and c.staff_id in diff and b.staff_id in diff
    assert "→" in diff and "(naar " in diff and "(was " in diff  # moved; handed from one person to another
    assert "collega ziek" in diff and 'id="bewaren"' in diff
    # a proposal is not the dashboard's plan until it is kept
    assert f'href="/plannen/{proposal}"' not in client.get("/").text
    r = client.post(f"/plannen/{proposal}/bewaren", data={"csrf_token": token, "version": str(row.version)})
    assert r.status_code == 303 and row_of(app, proposal).status == "concept"


def _wait(app, job_id: str):
    job = app.state.jobs.get(job_id)
    deadline = time.monotonic() + WAIT
    while job.active and time.monotonic() < deadline:
        time.sleep(0.2)
        job = app.state.jobs.get(job_id)
    assert not job.active
    return job


def test_the_job_page_speaks_in_stages_and_a_replan_links_to_its_diff(sqlite_app, solved):
    app = sqlite_app
    source = store_version(app, solved)
    client = client_for(app)
    token = login(client, "pl")
    r = client.post(f"/plannen/{source}/herplannen", data={"csrf_token": token, "tijdslimiet": "3"})
    job_id = r.headers["location"].rsplit("/", 1)[1]
    running = client.get(f"/plannen/taken/{job_id}").text
    assert 'class="fasen"' in running or "in de rij" in running
    job = _wait(app, job_id)
    assert job.state == "klaar"
    page = client.get(f"/plannen/taken/{job_id}", headers={"HX-Request": "true"}).text
    main, _, details = page.partition('<details class="details">')
    assert "FEASIBLE" not in main and "OPTIMAL" not in main and "objective" not in main
    assert "toewijzingen" in main and "contacten" in main and " uur contact" in main
    assert f'href="/plannen/{job.plan_id}/verschil"' in main and "doel (objective)" in details
    assert row_of(app, job.plan_id).status == "voorstel"


# --- 5. data changed after the plan ---------------------------------------------------------------------------
def test_data_changed_after_a_plan_is_announced_with_a_replan_button(sqlite_app, solved):
    app = sqlite_app
    plan_id = store_version(app, solved)
    client = client_for(app)
    login(client, "pl")
    assert 'id="gewijzigd"' not in client.get(f"/plannen/{plan_id}").text
    assert 'id="gewijzigd"' not in client.get("/").text
    store = app.state.store
    with store.session() as s:
        m = s.scalar(select(MedewerkerRow).order_by(MedewerkerRow.id))
        m.contract_hours = (m.contract_hours or 36) - 4
        store.bump(s)
    for page in (client.get(f"/plannen/{plan_id}").text, client.get("/").text):
        assert "Gegevens gewijzigd na dit plan" in page and "medewerkers" in page
        assert 'id="opnieuw-plannen"' in page
    viewer = client_for(app)
    login(viewer, "vw")
    assert "Gegevens gewijzigd na dit plan" in viewer.get("/").text
    assert 'id="opnieuw-plannen"' not in viewer.get("/").text


# --- 6. the start form as a form model -----------------------------------------------------------------------
def test_the_start_form_answers_in_dutch_next_to_the_field(sqlite_app):
    client = client_for(sqlite_app)
    token = login(client, "pl")
    r = client.post("/plannen/start", data={"csrf_token": token, "periode_start": "2026-12-08", "weken": "9",
                                            "tijdslimiet": "veel"})
    assert r.status_code == 422
    assert 'id="fout-periode_start">Een planperiode begint op een maandag.' in r.text
    assert 'id="fout-weken">Kies 1 tot en met 8 weken.' in r.text
    assert 'id="fout-tijdslimiet">Kies een tijdslimiet van 1 tot 600 seconden.' in r.text
    assert 'value="veel"' in r.text  # what was typed stays in the field
    r = client.post("/plannen/start", data={"csrf_token": token, "periode_start": "geen datum"})
    assert r.status_code == 422 and "Geen geldige datum (JJJJ-MM-DD)." in r.text


# --- 8. lists cost the same with 1 or many versions: no plan JSON -----------------------------------------------
def _statements(app, path: str, client) -> list[str]:
    seen: list[str] = []

    def listen(_conn, _cursor, statement, *_args):
        seen.append(statement)

    engine = app.state.store.engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return seen


def _reads_plan_json(statement: str) -> bool:
    head = statement.split("FROM", 1)[0]
    return statement.lstrip().upper().startswith("SELECT") and ("plannen.data" in head or "plannen.report" in head)


def test_the_dashboard_and_the_list_read_no_plan_json_whatever_the_number_of_versions(sqlite_app, solved, monkeypatch):
    app = sqlite_app
    client = client_for(app)
    login(client, "vw")
    store_version(app, solved)
    counts = {}
    for n in (1, 30):
        while len(client.get("/plannen").text.split('<tr><td>')) - 1 < n:
            store_version(app, solved)
        loads = []
        real = Plan.from_json
        monkeypatch.setattr(Plan, "from_json", classmethod(lambda cls, data: loads.append(1) or real(data)))
        dash = _statements(app, "/", client)
        listing = _statements(app, "/plannen", client)
        monkeypatch.undo()
        assert sum(map(_reads_plan_json, listing)) == 0, [s for s in listing if _reads_plan_json(s)]
        assert sum(map(_reads_plan_json, dash)) <= 1  # the one plan the dashboard shows
        assert len(loads) == 1, "the dashboard decodes exactly one plan"
        counts[n] = (len(dash), len(listing))
    assert counts[1] == counts[30], counts


# --- caseload: red only from a checker finding ---------------------------------------------------------------
def test_the_caseload_marker_is_a_checker_finding(sqlite_app, solved):
    app = sqlite_app
    plan_id = store_version(app, solved)
    plan = load_plan_data(app.state.store, plan_id)
    sid = plan.caseload[0].executor_ids[0]
    store = app.state.store
    with store.session() as s:
        s.get(MedewerkerRow, sid).caseload_max = 0
        store.bump(s)
    client = client_for(app)
    login(client, "vw")
    page = client.get(f"/plannen/{plan_id}/caseload").text
    cell = page.split(f"{sid}<br>", 1)[1].split("</tr>", 1)[0]
    assert 'class="hard"' not in cell and " / 0" in cell  # over the maximum, but no finding says so: neutral
    with store.session() as s:  # a report with the rule's finding: red, with the finding's text
        row = s.get(PlanRow, plan_id)
        row.report = {**row.report, "violations": row.report["violations"] + [{
            "rule_id": "R-CASELOAD", "kind": "caseload_max", "severity": "hard", "category": "fout", "citation": "",
            "message": f"Medewerker {sid} voert 3 toewijzingen uit, maximaal 0.", "entities": [["medewerker", sid]]}]}
    page = client.get(f"/plannen/{plan_id}/caseload").text
    cell = page.split(f"{sid}<br>", 1)[1].split("</tr>", 1)[0]
    assert 'class="hard"' in cell and "R-CASELOAD" in cell


# --- 7 (part). a viewer sees no edit controls ---------------------------------------------------------------
def test_a_viewer_sees_no_edit_controls_on_the_plan_pages(sqlite_app, solved):
    app = sqlite_app
    plan_id = store_version(app, solved)
    viewer = client_for(app)
    login(viewer, "vw")
    for view in ("", "/groepen", "/bereikbaarheid", "/caseload"):
        page = viewer.get(f"/plannen/{plan_id}{view}").text
        for control in ("/bewerken", "/publiceren", "/herplannen", "/verwerpen", "/vastzetten", "/concept\""):
            assert control not in page, (view, control)
    assert viewer.get(f"/plannen/{plan_id}/publiceren").status_code == 403
    assert "Plan maken" not in viewer.get("/plannen").text


# --- migration 0008 ---------------------------------------------------------------------------------------------
def test_migration_0008_fills_the_summary_of_existing_versions(tmp_path):
    from alembic import command

    from web.db.engine import alembic_config, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
    now = datetime.now()
    report = {"violations": [{"rule_id": "R1", "kind": "x", "severity": "hard", "message": "m", "category": "fout"}],
              "unmet": [{"toewijzing_id": "T1", "required_minutes": 120, "planned_minutes": 0}]}
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO plannen (label, period_start, weeks, status, data, report, solve, created_by,"
                             " created_at, updated_at, version) VALUES ('a', '2026-12-07', 1, 'concept', :d, :r, '{}',"
                             " 'x', :t, :t, 1), ('b', '2026-12-07', 1, 'geen plan', NULL, NULL, '{}', 'x', :t, :t, 1)"),
                     {"d": '{"period_start": "2026-12-07"}', "r": __import__("json").dumps(report), "t": now})
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.begin() as conn:
        rows = conn.execute(sa.text("SELECT label, completeness, summary FROM plannen ORDER BY label")).all()
    assert rows[0][1] == "onvolledig" and '"unmet_minutes": 120' in rows[0][2] and '"hard": 1' in rows[0][2]
    assert rows[1][1] == "geen plan"
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
    assert "completeness" not in {c["name"] for c in sa.inspect(engine).get_columns("plannen")}
    engine.dispose()


def test_csrf_of_the_confirmation_page(sqlite_app, solved):
    """The confirmation page carries its own CSRF token and version (a form, not a JS confirm)."""
    app = sqlite_app
    plan_id = store_version(app, solved)
    tl = client_for(app)
    login(tl, "tl")
    page = tl.get(f"/plannen/{plan_id}/publiceren").text
    assert csrf_of(page) and 'name="version" value="1"' in page and 'name="bevestigd"' in page
