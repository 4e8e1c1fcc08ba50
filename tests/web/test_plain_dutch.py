"""Plain Dutch on the pages (issue 21 sections 3, 6 and 7): rule parameters and sources in Dutch words, numbers
with a decimal comma, Dutch dates, form errors in Dutch next to their field (Pydantic form models), absences and
availability as rows of date and time fields, and no edit controls for a viewer."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from planner.rules import available_packs, load_pack
from planner.rulesdoc import PARAM_LABELS, param_label, params_nl, source_nl, strip_html, value_nl
from tests.web.conftest import client_for, csrf_of, login
from web.app import datum, datumtijd, getal
from web.db.models import AbsenceRow, MedewerkerRow, ToewijzingRow

ALL_PACKS = sorted({*available_packs(), "integrity", "working-time"})


# --- the label table ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ALL_PACKS)
def test_every_parameter_of_every_pack_has_a_dutch_label(name):
    missing = sorted({k for r in load_pack(name).rules for k in r.params if k not in PARAM_LABELS})
    assert missing == [], f"parameters zonder Nederlands label in planner/rulesdoc.py PARAM_LABELS: {missing}"


def test_parameters_and_values_read_as_dutch():
    assert param_label("jeugdigen_per_staff") == "jeugdigen per medewerker"
    assert param_label("professions") == "beroepen"
    assert value_nl("per_sessie") == "per sessie"
    assert value_nl(["BIG", "SKJ", "NIP"]) == "BIG, SKJ en NIP"
    assert value_nl(True) == "ja" and value_nl(0.16) == "0,16" and value_nl(32.0) == "32"
    assert params_nl({"day_hours": [7, 23]}) == [("dagdeel (van-tot uur)", "7:00-23:00")]


def test_sources_by_title_section_and_line():
    lines = ["x"] * 3000
    lines[2016] = "Bijlage 1 Uitwerking vormen individuele voorzieningen en beschikbaarheid"
    assert source_nl("004_20dab77298b97978.txt:2829", lines) == "Verordening jeugdhulp Almelo 2025, Bijlage 1, r. 2829"
    assert source_nl("000_b4979bd38850de40.txt:70-72").startswith("Productomschrijvingen Multidisciplinaire")
    assert source_nl("extern:Arbeidstijdenwet 5:8").startswith("Buiten de brondocumenten: Arbeidstijdenwet")
    assert strip_html('<p>Voor wie?</p> <ul style="list-style-type: none"> • een • twee</ul>') == \
        "Voor wie?\n• een\n• twee"


def test_numbers_and_dates_filters():
    assert getal(32.0) == "32" and getal(36.5) == "36,5" and getal(3.77) == "3,77" and getal(None) == ""
    assert datum(date(2026, 12, 7)) == "ma 7 dec 2026"
    assert datumtijd(datetime(2026, 12, 8, 9, 30)) == "di 8 dec 2026 09:30"


# --- the pages ---------------------------------------------------------------------------------------
def test_regels_page_shows_dutch_parameters_sources_and_no_html(sqlite_app):
    client = client_for(sqlite_app)
    login(client, "vw")
    page = client.get("/regels").text
    main = page.split("<main", 1)[1]
    assert "jeugdigen per medewerker" in main.lower()
    assert "jeugdigen_per_staff" not in main and "professions" not in main and "per_sessie" not in main
    assert "Gekozen: <strong>per sessie</strong>" in main or "Gekozen: <strong>" in main
    assert not re.search(r"&lt;(p|ul|li|ol)\b", main), "ruwe HTML uit de bron op de pagina"
    assert re.search(r"\d\.0\b", re.sub(r"<[^>]+>", " ", main)) is None, "een getal met punt-nul"
    assert "000_b4979bd38850de40.txt" not in main and "Productomschrijvingen Multidisciplinaire" in main
    link = re.search(r'href="(/regels/bron/[^"]+)"', main).group(1)
    passage = client.get(link)
    assert passage.status_code == 200 and "<mark>" in passage.text and "r. " in passage.text
    assert not re.search(r"&lt;(p|ul|li|ol)\b", passage.text)
    assert client.get("/regels/bron/BESTAAT.NIET").status_code == 404


def _form(client, staff_id: str) -> dict:
    page = client.get(f"/medewerkers/{staff_id}").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    return {"csrf_token": csrf_of(page), "version": version, "naam": "Naam A", "opleiding": "hbo",
            "beroep": "jeugdzorgwerker", "registraties": "SKJ", "contracturen": "32,5"}


def test_medewerker_form_errors_are_dutch_and_next_to_their_field(sqlite_app):
    client = client_for(sqlite_app)
    login(client, "tl")
    with sqlite_app.state.store.session() as s:
        staff_id = s.scalar(select(MedewerkerRow.id).order_by(MedewerkerRow.id))
    form = _form(client, staff_id)
    r = client.post(f"/medewerkers/{staff_id}", data={**form, "naam": "", "contracturen": "veel",
                                                      "opleiding": "doctor", "caseload_max": "-1",
                                                      "afw_van": "2026-12-10", "afw_tot": "2026-12-08",
                                                      "afw_reden": "ziekte"})
    assert r.status_code == 422
    for field, words in [("naam", "Dit veld is verplicht."), ("contracturen", "geen getal"),
                         ("opleiding", "onbekend opleidingsniveau"), ("caseload_max", "niet negatief"),
                         ("afwezigheid-0", "Het einde ligt niet na het begin.")]:
        m = re.search(rf'<span class="veldfout" id="fout-{field}">([^<]*)</span>', r.text)
        assert m and words in m.group(1), (field, m and m.group(1))
        assert f'aria-describedby="fout-{field}"' in r.text, field
    assert "Input should" not in r.text and "Field required" not in r.text
    assert 'value="2026-12-10"' in r.text  # the sent row is shown again


def test_absences_and_availability_are_rows_with_date_and_time_fields(sqlite_app):
    client = client_for(sqlite_app)
    login(client, "tl")
    with sqlite_app.state.store.session() as s:
        staff_id = s.scalar(select(MedewerkerRow.id).order_by(MedewerkerRow.id))
    page = client.get(f"/medewerkers/{staff_id}").text
    assert 'type="date"' in page and 'name="afw_van"' in page and 'name="dag_van"' in page and 'type="time"' in page
    assert 'name="afwezigheid"' not in page and "2026-12-08T00:00" not in page
    form = {**_form(client, staff_id), "dag": ["ma", "di", "wo"], "dag_van": ["08:30", "09:00", ""],
            "dag_tot": ["17:00", "13:00", ""], "afw_van": ["2026-12-08", "2026-12-20", ""],
            "afw_van_tijd": ["", "", ""], "afw_tot": ["2026-12-10", "2026-12-21", ""],
            "afw_tot_tijd": ["", "12:00", ""], "afw_reden": ["ziekte", "verlof", "verlof"], "afw_weg": "1"}
    r = client.post(f"/medewerkers/{staff_id}", data=form)
    assert r.status_code == 303, r.text[:2000]
    with sqlite_app.state.store.session() as s:
        rows = s.scalars(select(AbsenceRow).where(AbsenceRow.staff_id == staff_id)).all()
        assert [(a.start, a.end, a.kind) for a in rows] == [(datetime(2026, 12, 8), datetime(2026, 12, 11), "ziekte")]
        assert s.get(MedewerkerRow, staff_id).contract_hours == 32.5
    assert len(sqlite_app.state.store.bundle()[0].staff[staff_id].availability) == 2
    page = client.get(f"/medewerkers/{staff_id}").text
    assert 'name="afw_tot" type="date" value="2026-12-10"' in page  # "tot en met" the last whole day
    assert 'value="32,5"' in page
    # "Rij toevoegen" without script: the form again with one more empty row, nothing saved
    more = client.post(f"/medewerkers/{staff_id}", data={**_form(client, staff_id), "actie": "afwezigheid-erbij",
                                                         "afw_van": "2026-12-08", "afw_tot": "2026-12-10"})
    assert more.status_code == 200 and more.text.count('name="afw_van"') == 3


def test_toewijzing_and_gebruiker_forms_answer_in_dutch(sqlite_app):
    client = client_for(sqlite_app)
    token = login(client, "tl")
    with sqlite_app.state.store.session() as s:
        row = s.scalar(select(ToewijzingRow).order_by(ToewijzingRow.id))
        tid, version = row.id, row.version
    r = client.post(f"/clienten/toewijzingen/{tid}", data={"csrf_token": token, "version": str(version),
                                                          "einddatum": "31-02-2026"})
    assert r.status_code == 422 and f'id="fout-einddatum-{tid}"' in r.text and "ongeldige datum" in r.text
    r = client.post("/gebruikers", data={"csrf_token": token, "gebruikersnaam": "anna", "rol": "baas",
                                         "wachtwoord": "kort"})
    assert r.status_code == 422
    assert re.search(r'id="fout-nieuw-wachtwoord">[^<]*minstens 8 tekens', r.text)
    assert re.search(r'id="fout-nieuw-rol">[^<]*Kies een waarde', r.text)
    assert 'value="anna"' in r.text


def test_a_viewer_sees_no_edit_links_or_forms(sqlite_app):
    client = client_for(sqlite_app)
    login(client, "vw")
    bundle = sqlite_app.state.store.bundle()[0]
    staff_id, jeugdige_id = sorted(bundle.staff)[0], sorted(bundle.jeugdigen)[0]
    for path in ("/medewerkers", f"/medewerkers/{staff_id}", "/clienten", f"/clienten/{jeugdige_id}", "/groepen",
                 "/teams", "/regels"):
        r = client.get(path)
        assert r.status_code == 200, path
        main = r.text.split("<main", 1)[1]
        assert 'method="post"' not in main, path
        assert ">Wijzigen" not in main and "Opslaan" not in main and "Nieuwe medewerker" not in main, path
        assert "/bewerken" not in main and "Wijzigen in het plan" not in main, path
    assert client.get("/importeren").status_code == 403
    assert "/importeren" not in client.get("/").text.split("<main", 1)[0]  # not in the menu either
