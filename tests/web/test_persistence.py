"""Persistence: migrations, the domain <-> ORM mapping, optimistic locking (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from planner.bundle import load_bundle_with_pack
from tests.web.conftest import client_for, csrf_of, login
from web.db.engine import make_engine, upgrade
from web.db.mapping import import_bundle_dir, load_bundle
from web.db.models import Base, MedewerkerRow, PlanRow
from web.store import Store

FLEVOLAND = Path(__file__).resolve().parents[2] / "sample_data" / "flevoland"
ALMELO = FLEVOLAND.parent / "almelo"  # VOG dates, teams with aanbod, realisatie


def test_migrations_match_the_models(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)  # idempotent: a second start changes nothing
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


@pytest.mark.parametrize("sample", [FLEVOLAND, ALMELO], ids=["flevoland", "almelo"])
def test_bundle_round_trips_through_the_database(db_url, sample):
    engine = make_engine(db_url)
    upgrade(engine)
    store = Store(engine)
    with store.session() as s:
        import_bundle_dir(s, sample)
    with store.session() as s:
        bundle, pack = load_bundle(s)
    engine.dispose()
    original, original_pack = load_bundle_with_pack(sample)
    assert {m.vog_date for m in original.staff.values()} != {None}
    assert bundle == original
    assert pack == original_pack


def test_concurrent_update_of_a_versioned_row_is_refused(app):
    store = app.state.store
    with store.session() as s:
        staff_id = s.scalar(select(MedewerkerRow.id).order_by(MedewerkerRow.id))
    first, second = store.Session(), store.Session()
    a, b = first.get(MedewerkerRow, staff_id), second.get(MedewerkerRow, staff_id)
    a.name = "Eerste"
    first.commit()
    b.name = "Tweede"
    with pytest.raises(StaleDataError):
        second.commit()
    second.rollback()
    first.close(), second.close()
    with store.session() as s:
        assert s.get(MedewerkerRow, staff_id).name == "Eerste"


def _medewerker_form(client, staff_id: str) -> dict:
    page = client.get(f"/medewerkers/{staff_id}").text
    import re

    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    return {"csrf_token": csrf_of(page), "version": version, "naam": "Naam A", "opleiding": "hbo",
            "beroep": "jeugdzorgwerker", "registraties": "SKJ", "contracturen": "32",
            "beschikbaarheid": "ma 08:30-17:00\ndi 08:30-17:00"}


def test_the_vog_date_is_kept_from_the_form(app):
    client = client_for(app)
    login(client, "tl")
    with app.state.store.session() as s:
        staff_id = s.scalar(select(MedewerkerRow.id).order_by(MedewerkerRow.id))
    form = _medewerker_form(client, staff_id)
    r = client.post(f"/medewerkers/{staff_id}", data={**form, "vog_datum": "gisteren"})
    assert r.status_code == 422 and "afgiftedatum van de VOG" in r.text
    assert client.post(f"/medewerkers/{staff_id}", data={**form, "vog_datum": "2025-03-01"}).status_code == 303
    bundle, _pack = app.state.store.bundle()
    assert str(bundle.staff[staff_id].vog_date) == "2025-03-01"


def test_stale_medewerker_edit_is_refused_and_nothing_is_overwritten(app):
    one, two = client_for(app), client_for(app)
    login(one, "tl"), login(two, "pl")
    with app.state.store.session() as s:
        staff_id = s.scalar(select(MedewerkerRow.id).order_by(MedewerkerRow.id))
    form_one, form_two = _medewerker_form(one, staff_id), _medewerker_form(two, staff_id)
    assert one.post(f"/medewerkers/{staff_id}", data=form_one).status_code == 303
    r = two.post(f"/medewerkers/{staff_id}", data={**form_two, "naam": "Naam B", "contracturen": "12"})
    assert r.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in r.text and "Laad de actuele gegevens" in r.text
    with app.state.store.session() as s:
        row = s.get(MedewerkerRow, staff_id)
        assert (row.name, row.contract_hours) == ("Naam A", 32)
    bundle, _ = app.state.store.bundle()
    assert bundle.staff[staff_id].name == "Naam A"  # the cache follows the data revision
    assert len(bundle.staff[staff_id].availability) == 2


def test_form_errors_are_shown_next_to_the_field(app):
    client = client_for(app)
    login(client, "tl")
    with app.state.store.session() as s:
        staff_id = s.scalar(select(MedewerkerRow.id).order_by(MedewerkerRow.id))
    form = _medewerker_form(client, staff_id)
    r = client.post(f"/medewerkers/{staff_id}", data={**form, "contracturen": "99", "beschikbaarheid": "maandag"})
    assert r.status_code == 422
    assert 'id="fout-contracturen"' in r.text and "tussen 0 en 60" in r.text
    assert 'id="fout-beschikbaarheid"' in r.text and "maandag" in r.text


def test_create_medewerker_shows_derived_roles(app):
    client = client_for(app)
    token = login(client, "tl")
    form = {"csrf_token": token, "id": "M9999", "naam": "Test P.", "opleiding": "wo", "beroep": "gz-psycholoog",
            "registraties": ["BIG", "SKJ"], "contracturen": "36", "beschikbaarheid": "wo 09:00-17:00"}
    r = client.post("/medewerkers/nieuw", data=form)
    assert r.status_code == 303
    page = client.get("/medewerkers/M9999").text
    assert "regiebehandelaar" in page and "gedragswetenschapper" in page
    with app.state.store.session() as s:
        assert s.get(MedewerkerRow, "M9999").registrations == ["BIG", "SKJ"]


def test_plans_keep_versions(app):
    with app.state.store.session() as s:
        assert s.scalar(select(PlanRow)) is None
