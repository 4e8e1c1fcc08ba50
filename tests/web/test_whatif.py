"""Wat als: scenarios from forms, a background run with progress, the comparison and its exports."""

from __future__ import annotations

import re
import time

from sqlalchemy import select

from tests.web.conftest import client_for, login
from web.featuretables import ScenarioRow
from web.whatif import load_scenario_row

WAIT = 180  # upper bound for the run to finish; never an assertion on speed


def _create(client, token, name: str, basis: str = "") -> int:
    r = client.post("/wat-als/scenarios", data={"csrf_token": token, "naam": name, "omschrijving": "vraag",
                                                 "basis": basis})
    assert r.status_code == 303, r.text[:500]
    return int(r.headers["location"].rsplit("/", 1)[1])


def _v(app, sid: int) -> str:
    """The scenario's stored version, as its page's forms carry it (optimistic locking)."""
    with app.state.store.session() as s:
        return str(s.get(ScenarioRow, sid).version)


def _first_staff(app) -> str:
    bundle, _ = app.state.store.bundle()
    return sorted(bundle.staff)[0]


def test_scenario_is_built_from_forms_and_bad_changes_are_refused(sqlite_app):
    app = sqlite_app
    client = client_for(app)
    token = login(client, "pl")
    sid = _create(client, token, "Eén therapeut weg")
    staff = _first_staff(app)
    bad = client.post(f"/wat-als/scenarios/{sid}/wijziging", data={"csrf_token": token, "soort": "medewerker_weg",
                                                                   "version": _v(app, sid), "medewerker": "M-ONBEKEND", "vanaf": "2027-01-04"})
    # a medewerker is picked from a list: an unknown id is a Dutch message next to the field
    assert bad.status_code == 422 and "Kies een medewerker uit de lijst." in bad.text
    form_error = client.post(f"/wat-als/scenarios/{sid}/wijziging",
                             data={"csrf_token": token, "soort": "contracturen", "medewerker": staff, "uren": "veel", "version": _v(app, sid),
                                   "vanaf": "2027-01-04"})
    assert form_error.status_code == 422 and "Vul een getal in." in form_error.text
    for data in ({"soort": "medewerker_weg", "medewerker": staff, "vanaf": "2027-01-04"},
                 {"soort": "toewijzingen_erbij", "product": "45F34 MST", "volume": "3", "wijze": "per_week",
                  "eenheid": "uur", "frequentie": "per_week", "per_week": "0,5", "van": "2027-01-04",
                  "tot": "2027-03-01", "duur_maanden": "5", "aantal": "", "begindatum": ""}):
        ok = client.post(f"/wat-als/scenarios/{sid}/wijziging", data={"csrf_token": token, "version": _v(app, sid), **data})
        assert ok.status_code == 303, ok.text[:3000]
    on_top = _create(client, token, "Plus minder uren", str(sid))
    ok = client.post(f"/wat-als/scenarios/{on_top}/wijziging",
                     data={"csrf_token": token, "soort": "contracturen", "medewerker": staff, "uren": "16", "version": _v(app, on_top),
                           "vanaf": "2027-02-01"})
    assert ok.status_code == 303
    with app.state.store.session() as s:
        scenario = load_scenario_row(s, on_top)
        assert [c["soort"] for c in scenario.all_changes()] == ["medewerker_weg", "toewijzingen_erbij", "contracturen"]
        assert scenario.all_changes()[1]["per_week"] == 0.5
    page = client.get(f"/wat-als/scenarios/{on_top}")
    assert "bouwt voort op" in page.text and "Eén therapeut weg" in page.text


def test_a_run_shows_progress_and_the_comparison_with_exports(sqlite_app):
    app = sqlite_app
    client = client_for(app)
    token = login(client, "pl")
    sid = _create(client, token, "Minder uren")
    r = client.post(f"/wat-als/scenarios/{sid}/wijziging",
                    data={"csrf_token": token, "soort": "contracturen", "medewerker": _first_staff(app), "uren": "8",
                          "version": _v(app, sid),
                          "vanaf": "2027-01-04"})
    assert r.status_code == 303
    start = client.post("/wat-als/start", data={"csrf_token": token, "basis": "ja", "scenario": str(sid),
                                                "weken": "6", "tijdslimiet": "5"})
    assert start.status_code == 303, start.text[:2000]
    job_url = start.headers["location"]
    assert '<progress id="balk"' in client.get(job_url).text
    job_id = job_url.rsplit("/", 1)[1]
    job = app.state.whatif_jobs.get(job_id)
    deadline = time.monotonic() + WAIT
    while job.active and time.monotonic() < deadline:
        time.sleep(0.2)
        job = app.state.whatif_jobs.get(job_id)  # read again: the run's state lives in the database
    assert job.state == "klaar", job.message
    partial = client.get(job_url, headers={"HX-Request": "true"}).text
    assert partial.lstrip().startswith('<div id="voortgang"') and "hx-trigger" not in partial
    link = re.search(r'href="(/wat-als/vergelijking/\d+)"', partial).group(1)
    page = client.get(link)
    assert page.status_code == 200 and page.text.count('<figure id="grafiek-') == 5  # Vega-Lite specs or a Dutch sentence
    assert "Samenvatting" in page.text and "Minder uren" in page.text and "basis" in page.text
    x = client.get(link + "/xlsx")
    assert x.status_code == 200 and x.content.startswith(b"PK") and "spreadsheetml" in x.headers["content-type"]
    p = client.get(link + "/pdf")
    assert p.status_code == 200 and p.content.startswith(b"%PDF")
    viewer = client_for(app)
    login(viewer, "vw")
    assert viewer.get(link).status_code == 200  # viewers may read comparisons


def test_limits_roles_and_csrf(sqlite_app):
    app = sqlite_app
    client = client_for(app)
    token = login(client, "tl")
    ids = [str(_create(client, token, "S0"))]  # the limit of 20 per run: test_a_sweep_of_20_scenarios_…
    assert client.post("/wat-als/scenarios", data={"naam": "x"}).status_code == 403
    assert client.post(f"/wat-als/scenarios/{ids[0]}/wijziging", data={"soort": "medewerker_weg"}).status_code == 403
    assert client.post(f"/wat-als/scenarios/{ids[0]}/yaml", data={"yaml": ""}).status_code == 403
    assert client.post(f"/wat-als/scenarios/{ids[0]}/wijziging/0/verwijderen").status_code == 403
    assert client.post("/wat-als/start", data={"basis": "ja"}).status_code == 403
    bad_yaml = client.post(f"/wat-als/scenarios/{ids[0]}/yaml", data={"csrf_token": token, "yaml": "wijzigingen: [",
                                                                     "version": _v(app, int(ids[0]))})
    assert bad_yaml.status_code == 422 and "geen geldige YAML" in bad_yaml.text
    viewer = client_for(app)
    vtoken = login(viewer, "vw")
    assert viewer.get("/wat-als").status_code == 200
    assert viewer.post("/wat-als/scenarios", data={"csrf_token": vtoken, "naam": "x"}).status_code == 403
    assert viewer.post("/wat-als/start", data={"csrf_token": vtoken, "basis": "ja"}).status_code == 403
    with app.state.store.session() as s:
        assert len(s.scalars(select(ScenarioRow)).all()) == 1


def test_a_sweep_of_20_scenarios_runs_as_one_batch_with_progress_and_one_comparison(sqlite_app):
    """Issue 23 item 6: twenty scenarios (nineteen plus the data as it is) in one run from the UI; the job
    page counts the finished scenarios, and the run lands in one comparison of all twenty."""
    app = sqlite_app
    client = client_for(app)
    token = login(client, "pl")
    ids = [_create(client, token, f"Variant {i + 1}") for i in range(19)]
    r = client.post("/wat-als/start", data={"csrf_token": token, "scenario": [str(i) for i in ids], "basis": "ja",
                                            "weken": "8", "tijdslimiet": "5", "steekproeven": "0"})
    assert r.status_code == 303, r.text[:2000]
    job_url = r.headers["location"]
    seen_progress = set()
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        page = client.get(job_url, headers={"HX-Request": "true"}).text
        done = re.search(r"(\d+) van 20 scenario's klaar", page)
        assert done, page[:2000]
        seen_progress.add(int(done.group(1)))
        if 'data-state="klaar"' in page:
            break
        assert 'data-state="mislukt"' not in page, page[:2000]
        time.sleep(0.5)
    assert 'data-state="klaar"' in page and 20 in seen_progress
    run_url = re.search(r'href="(/wat-als/vergelijking/\d+)"', page).group(1)
    comparison = client.get(run_url).text
    assert all(f"Variant {i + 1}" in comparison for i in range(19))
    # 21 scenarios are refused with a Dutch message
    extra = _create(client, token, "Variant 20")
    r = client.post("/wat-als/start", data={"csrf_token": token, "scenario": [str(i) for i in ids + [extra]],
                                            "basis": "ja", "weken": "8", "tijdslimiet": "5", "steekproeven": "0"})
    assert r.status_code == 422 and "hoogstens 20 scenario" in r.text
