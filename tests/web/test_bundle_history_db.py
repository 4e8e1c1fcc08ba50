"""The web keeps what a bundle says beyond its tables: care history (realisatie.csv) and the manifest's
instroom and feestdagen settings survive a round trip through the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from planner.bundle import load_bundle_with_pack
from planner.bundle_write import write_bundle
from planner.domain import HolidaySettings
from web.db.mapping import import_bundle_dir, load_bundle
from web.db.engine import make_engine, upgrade
from web.store import Store

ALMELO = Path(__file__).resolve().parents[2] / "sample_data" / "almelo"


def test_realisatie_and_manifest_settings_round_trip(db_url, tmp_path):
    original, _pack = load_bundle_with_pack(ALMELO)
    assert original.realisatie, "the Almelo sample carries care history"
    manifest = replace(original.manifest, inflow=({"product": "A-MST", "per_week": 0.5, "duur_weken": 20},),
                       holidays=HolidaySettings(skip=(), extra=(date(2026, 12, 24),), contacts_allowed=True))
    folder = write_bundle(replace(original, manifest=manifest), tmp_path / "b")
    engine = make_engine(db_url)
    upgrade(engine)
    store = Store(engine)
    with store.session() as s:
        import_bundle_dir(s, folder)
    with store.session() as s:
        back, _ = load_bundle(s)
    assert back.realisatie == original.realisatie
    assert back.manifest == manifest
