"""Wat als, issue 23: structured scenario forms, the YAML round trip, hiring advice, the waiting list per
client and the chart specs (TestClient on the Flevoland sample, so the example scenarios apply)."""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

import pytest
import yaml

from tests.web.conftest import client_for, login, make_app
from web.featuretables import ScenarioRow, ScenarioRunRow

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPO / "sample_data" / "scenarios").glob("*.yaml"))
DOCS_IMG = REPO / "docs" / "img"
WAIT = 240  # upper bound for a run to finish; never an assertion on speed
WEEKS = "8"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    application = make_app(f"sqlite:///{tmp_path_factory.mktemp('whatif') / 'app.sqlite'}",
                           REPO / "sample_data" / "flevoland")
    yield application
    application.state.jobs.close()
    application.state.store.engine.dispose()


@pytest.fixture(scope="module")
def client(app):
    c = client_for(app)
    c.token = login(c, "pl")
    return c


def _create(client, name: str, basis: str = "") -> int:
    r = client.post("/wat-als/scenarios", data={"csrf_token": client.token, "naam": name, "omschrijving": "vraag",
                                                 "basis": basis})
    assert r.status_code == 303, r.text[:500]
    return int(r.headers["location"].rsplit("/", 1)[1])


def _version(app, sid: int) -> str:
    with app.state.store.session() as s:
        return str(s.get(ScenarioRow, sid).version)


def _options(page: str, form_id: str, name: str) -> list[tuple[str, str]]:
    """The (value, label) options of a select in one form of the page, as a browser would offer them."""
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', page, re.S).group(0)
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', form, re.S).group(1)
    return [(html.unescape(v), html.unescape(re.sub(r"<[^>]+>", "", label)).strip())
            for v, label in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select, re.S)]


def _textarea(page: str) -> str:
    return html.unescape(re.search(r'<textarea id="yaml" name="yaml"[^>]*>(.*?)</textarea>', page, re.S).group(1))


def _wait_for_run(app, client, job_url: str) -> int:
    job_id = job_url.rsplit("/", 1)[1]
    deadline = time.monotonic() + WAIT
    job = app.state.whatif_jobs.get(job_id)
    while job.active and time.monotonic() < deadline:
        time.sleep(0.3)
        job = app.state.whatif_jobs.get(job_id)
    assert job.state == "klaar", job.message
    return job.run_id


def test_a_scenario_is_built_from_choices_and_shown_in_dutch_sentences(app, client):
    sid = _create(client, "Uit keuzelijsten")
    page = client.get(f"/wat-als/scenarios/{sid}").text
    products = _options(page, "form-toewijzingen_erbij", "product")
    mst = next(v for v, label in products if v.endswith(" MST"))  # product and intervention as one choice
    staff = [(v, label) for v, label in _options(page, "form-medewerker_weg", "medewerker") if v]
    sid_staff, label = staff[0]
    assert sid_staff in label and "(" in label  # picked by name, id shown
    units = [v for v, _ in _options(page, "form-toewijzingen_erbij", "eenheid")]
    teams = [v for v, _ in _options(page, "form-toewijzingen_erbij", "team") if v]
    assert "uur" in units and teams
    for data in ({"soort": "toewijzingen_erbij", "product": mst, "wijze": "per_week", "per_week": "0,5",
                  "van": "2027-01-04", "tot": "2027-05-17", "volume": "3", "eenheid": "uur", "frequentie": "per_week",
                  "duur_maanden": "5", "team": teams[0]},
                 {"soort": "medewerker_weg", "medewerker": sid_staff, "vanaf": "2027-03-01"},
                 {"soort": "medewerker_erbij", "opleiding": "hbo+", "beroep": "systeemtherapeut",
                  "registraties": "SKJ", "certificeringen": "MST", "uren": "32", "aantal": "1", "vanaf": "2027-04-01"}):
        r = client.post(f"/wat-als/scenarios/{sid}/wijziging",
                        data={"csrf_token": client.token, "version": _version(app, sid), **data})
        assert r.status_code == 303, re.findall(r'class="veldfout"[^>]*>([^<]*)', r.text) or r.text[-2000:]
    page = client.get(f"/wat-als/scenarios/{sid}").text
    sentences = [html.unescape(x) for x in re.findall(r'<span class="zin">(.*?)</span>', page)]
    assert sentences[0].startswith(f"10 extra verwijzingen {mst} van 4 januari 2027 tot 17 mei 2027")
    assert "3 uur per week" in sentences[0] and f"team {teams[0]}" in sentences[0]
    assert sentences[1] == f"{label.split(' (')[0]} ({sid_staff}) vertrekt per 1 maart 2027."
    assert sentences[2].startswith("1 nieuwe systeemtherapeut (hbo+) per 1 april 2027")
    assert "{'volume'" not in page and "omvang =" not in page
    stored = yaml.safe_load(_textarea(page))
    assert stored["wijzigingen"][0]["per_week"] == 0.5 and stored["wijzigingen"][0]["interventie"] == "MST"


def test_form_errors_are_dutch_and_next_to_their_field(app, client):
    sid = _create(client, "Fouten")
    r = client.post(f"/wat-als/scenarios/{sid}/wijziging",
                    data={"csrf_token": client.token, "version": _version(app, sid), "soort": "toewijzingen_erbij",
                          "product": "99X99", "wijze": "eenmalig", "aantal": "", "volume": "drie"})
    assert r.status_code == 422
    assert 'id="fout-toewijzingen_erbij-product"' in r.text and "Kies een product uit de lijst." in r.text
    assert 'id="fout-toewijzingen_erbij-volume"' in r.text and "Vul een getal in." in r.text
    r = client.post(f"/wat-als/scenarios/{sid}/wijziging",
                    data={"csrf_token": client.token, "version": _version(app, sid), "soort": "groep_openen",
                          "groep": "GR-X", "product": "45F32", "vanaf": "2027-02-01", "jeugdigen": "8",
                          "sessie_dag": ["di", ""], "sessie_van": ["17:00", ""], "sessie_tot": ["15:00", ""]})
    assert r.status_code == 422 and "eindtijd na de begintijd" in r.text


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_the_yaml_editor_round_trips_every_example_scenario(app, client, path):
    text = path.read_text("utf-8")
    sid = _create(client, f"Ronde {path.stem}")
    r = client.post(f"/wat-als/scenarios/{sid}/yaml",
                    data={"csrf_token": client.token, "version": _version(app, sid), "yaml": text})
    assert r.status_code == 303, r.text[-3000:]
    page = client.get(f"/wat-als/scenarios/{sid}").text
    assert yaml.safe_load(_textarea(page)) == yaml.safe_load(text)  # werving, basis and all: nothing dropped
    if "werving:" in text:
        assert 'id="wervingsvraag"' in page and "Mag aangenomen worden" in page


def test_hiring_advice_via_the_web_is_the_cli_model(app, client):
    from solver.capacity import CapacityOptions
    from solver.capacity.run import run_one
    from web.whatif import load_scenario_row

    sid = _create(client, "Therapeuten weg")
    text = (REPO / "sample_data" / "scenarios" / "therapeuten-weg.yaml").read_text("utf-8")
    text += ("  - {soort: toewijzingen_erbij, product: 45F34, interventie: MST, team: T-MST-1, aantal: 12,\n"
             "     begindatum: 2026-12-21, duur_maanden: 5, omvang: {volume: 3, eenheid: uur, frequentie: per_week}}\n")
    r = client.post(f"/wat-als/scenarios/{sid}/yaml", data={"csrf_token": client.token,
                                                            "version": _version(app, sid), "yaml": text})
    assert r.status_code == 303, r.text[-2000:]
    form = {"csrf_token": client.token, "version": _version(app, sid), "doelsoort": "wachttijd", "binnen_weken": "2",
            "vanaf": "", "percentiel": "", "actie": "doorrekenen", "weken": WEEKS, "tijdslimiet": "90",
            "k_naam": ["Systeemtherapeut MST", "Orthopedagoog"], "k_opleiding": ["hbo+", "wo"],
            "k_beroep": ["systeemtherapeut", "orthopedagoog"], "k_registratie": ["SKJ", "SKJ"],
            "k_certificering": ["MST", ""], "k_team": ["T-MST-1", ""], "k_fte": ["0,89", "1"], "k_kosten": ["68000", "78.000"],
            "k_vanaf": ["2027-01-04", "2027-01-04"], "k_max": ["2", "2"]}
    bad = client.post(f"/wat-als/scenarios/{sid}/werving", data={**form, "binnen_weken": "", "k_kosten": ["x", ""]})
    assert bad.status_code == 422 and "Vul een wachttijd van 0 tot 52 weken in." in bad.text
    r = client.post(f"/wat-als/scenarios/{sid}/werving", data=form)
    assert r.status_code == 303, re.findall(r'class="veldfout"[^>]*>([^<]*)', r.text) or r.text[-2000:]
    run_id = _wait_for_run(app, client, r.headers["location"])
    with app.state.store.session() as s:
        stored = s.get(ScenarioRunRow, run_id).results
        scenario = load_scenario_row(s, sid)
    name = "Twee hbo+-therapeuten weg"  # the YAML editor renamed it (naam in the YAML)
    assert [x["name"] for x in stored] == [f"{name} (zonder aannames)", name]
    web_hires = sorted((h["profile"], h["start"], h["fte"], h["cost"]) for h in stored[1]["hires"])
    bundle, pack = app.state.store.bundle()
    cli = run_one(bundle, pack, scenario, CapacityOptions(weeks=int(WEEKS), time_limit=90, workers=1))
    assert cli.status == "OPTIMAL" and stored[1]["status"] == "OPTIMAL"
    assert web_hires == sorted((h.profile, h.start.isoformat(), h.fte, h.cost) for h in cli.hires)
    assert [h[0] for h in web_hires] == ["Systeemtherapeut MST"]  # 12 extra MST clients need a certified hire
    page = client.get(f"/wat-als/vergelijking/{run_id}").text
    assert 'id="advies"' in page and 'id="met-zonder"' in page and "Zonder aannames: hoogste wachtlijst" in page
    assert web_hires[0][0] in page and "€ " in page
    _save_docs_charts(stored)

    # the waiting list per client of that run
    url = f"/wat-als/vergelijking/{run_id}/wachtenden?scenario=0&sorteer=verwijsdatum&richting=op"
    wl = client.get(url)
    assert wl.status_code == 200 and 'id="wachtenden"' in wl.text
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(.*?)</td><td>([^<]+)</td>", wl.text.split('id="wachtenden"')[1])
    assert rows and all(not re.search(r"\w+ \w+ \w+", r[1]) for r in rows)  # initials, never a name
    bundle_ids = set(bundle.jeugdigen)
    assert not any(jid in href for href in re.findall(r'href="([^"]+)"', wl.text) for jid in bundle_ids)
    product = rows[0][2]
    only = client.get(f"/wat-als/vergelijking/{run_id}/wachtenden?scenario=0&product={product.replace(' ', '+')}")
    got = re.findall(r"<tr><td>[^<]+</td><td>.*?</td><td>([^<]+)</td>", only.text.split('id="wachtenden"')[1])
    assert got and set(got) == {product}
    assert client.get(f"/wat-als/vergelijking/{run_id}/wachtenden?scenario=9").status_code == 404
    assert "tekort aan" in wl.text and "wachttijd (weken)" in wl.text


def _save_docs_charts(stored: list[dict]) -> None:
    """The charts of docs/capacity.md, made from a real run (PNG via vl-convert)."""
    from planner.capacity_charts import comparison_charts, to_png
    from web.whatif import result_from_json

    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    for c in comparison_charts([result_from_json(x) for x in stored]):
        if c.spec is not None and c.name in ("wachtlijst", "aannames", "bezetting", "onvervuld"):
            (DOCS_IMG / f"wat-als-{c.name}.png").write_bytes(to_png(c.spec, scale=1.5))


def test_runs_with_inflow_samples_give_bands_and_valid_chart_specs(app, client):
    import vl_convert

    from planner.capacity_charts import VL_VERSION, comparison_charts, to_svg
    from web.whatif import result_from_json, split_samples

    sid = _create(client, "Twee weg")
    client.post(f"/wat-als/scenarios/{sid}/yaml", data={
        "csrf_token": client.token, "version": _version(app, sid),
        "yaml": (REPO / "sample_data" / "scenarios" / "therapeuten-weg.yaml").read_text("utf-8")})
    r = client.post("/wat-als/start", data={"csrf_token": client.token, "basis": "ja", "scenario": str(sid),
                                            "weken": WEEKS, "tijdslimiet": "10", "instroom": "ja", "steekproeven": "2"})
    assert r.status_code == 303, r.text[-2000:]
    run_id = _wait_for_run(app, client, r.headers["location"])
    with app.state.store.session() as s:
        stored = s.get(ScenarioRunRow, run_id).results
    assert len(stored) == 6  # basis and the scenario, each expected + 2 samples
    results, bands = split_samples([result_from_json(x) for x in stored])
    name = "Twee hbo+-therapeuten weg"
    assert [x.name for x in results] == ["basis", name] and set(bands) == {"basis", name}
    charts = {c.name: c for c in comparison_charts(results, bands)}
    spec = charts["wachtlijst"].spec
    assert spec is not None and spec["layer"][0]["mark"]["type"] == "area"  # the p10-p90 band
    assert spec["layer"][1]["encoding"]["y"]["axis"]["format"] == "d"  # whole numbers for counts
    for c in charts.values():
        if c.spec is None:
            assert c.empty.endswith(".")  # a Dutch sentence instead of an empty chart
            continue
        vega = vl_convert.vegalite_to_vega(c.spec, vl_version=VL_VERSION)  # compiles: a valid spec
        assert vega["marks"]
        svg = to_svg(c.spec)
        assert "<path" in svg or "<rect" in svg
    unmet = charts["onvervuld"]
    if unmet.spec is not None:
        assert not any(str(x["product"]).startswith("T-") for x in unmet.spec["data"]["values"])  # teams apart
    page = client.get(f"/wat-als/vergelijking/{run_id}").text
    assert "(steekproef " not in page.split('id="grafiek-specs"')[0]  # samples only feed the band
    assert 'id="definitie"' in page and "mediane wachttijd" in page.lower()
    (DOCS_IMG / "wat-als-wachtlijst-band.png").write_bytes(
        __import__("planner.capacity_charts", fromlist=["to_png"]).to_png(spec, scale=1.5))
    pdf = client.get(f"/wat-als/vergelijking/{run_id}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and b"/Image" in pdf.content
    x = client.get(f"/wat-als/vergelijking/{run_id}/xlsx")
    from io import BytesIO

    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(x.content))
    assert wb.sheetnames[0] == "Grafieken" and wb["Grafieken"]._images and "Wachtenden" in wb.sheetnames
