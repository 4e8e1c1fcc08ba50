"""Care history (realisatie.csv, issue 20): loading, hour caps, averaged frequencies and the regiebehandelaar's
contact twice a year against history plus plan, by the checker and the solver; a plan as realisatie."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from planner.bundle import load_bundle, validate_bundle
from planner.checker import check_plan
from planner.domain import Omvang, OmvangFrequency, OmvangUnit, Realisatie
from planner.plan import Contact
from planner.realisatie import plan_realisatie, write_realisatie
from planner.rules import load_pack
from solver.contacts.needs import _regie_needs, week_contacts
from solver.data import ProblemData
from tests.builders import MONDAY, at
from tests.cases.contacts import TID, clean_contacts_case

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
ALMELO = load_pack("almelo-2025")


def _ids(report, rule_id):
    return [v for v in report.violations if v.rule_id == rule_id]


def _data(b):
    return ProblemData(b, ALMELO, b.manifest.period_start, b.manifest.weeks)


def test_realisatie_loads_and_every_bad_row_is_reported(tmp_path):
    root = tmp_path / "b"
    shutil.copytree(SAMPLES / "almelo", root)
    good = load_bundle(root)
    assert {r.toewijzing_id for r in good.realisatie} >= {"TW00091", "TW00092"}
    with (root / "realisatie.csv").open("a", encoding="utf-8") as f:
        f.write("TW99999,2026-11-02,60,contact,\n"  # unknown toewijzing
                "TW00091,2026-11-02,0,contact,\n"  # no minutes
                "TW00091,2026-11-02,60,huisbezoek,\n"  # unknown soort
                "TW00091,2026-12-08,60,contact,\n"  # inside the period
                "TW00091,2026-09-01,60,contact,\n"  # before the toewijzing
                "TW00091,2026-11-03,60,regie,M9999\n")  # unknown medewerker
    _b, _p, issues = validate_bundle(root)
    fields = [(i.file, i.field) for i in issues]
    assert fields.count(("realisatie.csv", "datum")) == 2
    assert {("realisatie.csv", "toewijzing_id"), ("realisatie.csv", "minuten"), ("realisatie.csv", "soort"),
            ("realisatie.csv", "medewerker_id")} <= set(fields)
    assert len(issues) == 6


def test_omvang_cap_counts_the_history():
    b, p = clean_contacts_case(ALMELO, "A-AE")
    assert _ids(check_plan(b, ALMELO, p), "A.AE.uren") == []
    b.realisatie.append(Realisatie(TID, MONDAY - timedelta(days=10), 14 * 60 + 30, "contact"))  # + 1 h planned
    found = _ids(check_plan(b, ALMELO, p), "A.AE.uren")
    assert len(found) == 1 and "al geleverd" in found[0].message


def test_omvang_cap_per_jaar_counts_only_that_year():
    b, p = clean_contacts_case(ALMELO, "A-MCE")
    b.toewijzingen[TID] = replace(b.toewijzingen[TID], start=date(2025, 6, 1))
    b.realisatie.append(Realisatie(TID, date(2025, 11, 3), 10 * 60, "contact"))  # last year: does not count
    assert _ids(check_plan(b, ALMELO, p), "A.MCE.uren") == []
    b.realisatie.append(Realisatie(TID, date(2026, 11, 3), 10 * 60, "contact"))
    assert len(_ids(check_plan(b, ALMELO, p), "A.MCE.uren")) == 1


def test_omvang_cap_solver_plans_only_what_the_history_leaves():
    b, _p = clean_contacts_case(ALMELO, "A-AE")
    b.toewijzingen[TID] = t = replace(b.toewijzingen[TID], omvang=Omvang(3, OmvangUnit.UUR, OmvangFrequency.PER_WEEK))
    count, length, _ = week_contacts(_data(b), t, 0)
    assert count * length == 180
    b.realisatie.append(Realisatie(TID, MONDAY - timedelta(days=10), 14 * 60, "contact"))
    count, length, _ = week_contacts(_data(b), t, 0)
    assert count * length == 60  # 15 h - 14 h
    b.realisatie.append(Realisatie(TID, MONDAY - timedelta(days=9), 60, "contact"))
    assert week_contacts(_data(b), t, 0)[0] == 0


def test_omvang_cap_history_makes_capped_omvang_no_unmet_demand():
    b, p = clean_contacts_case(ALMELO, "A-AE")
    b.toewijzingen[TID] = replace(b.toewijzingen[TID], omvang=Omvang(2, OmvangUnit.UUR, OmvangFrequency.PER_WEEK))
    b.realisatie.append(Realisatie(TID, MONDAY - timedelta(days=10), 15 * 60 - 60, "contact"))
    p.contacts = [c for c in p.contacts if c.kind != "contact"]  # the regie contact of 1 h fills the cap
    report = check_plan(b, ALMELO, p)
    assert report.unmet_minutes == 0 and _ids(report, "A.AE.uren") == []


def test_omvang_cap_ed_diagnostiek_is_15_hours():
    b, p = clean_contacts_case(ALMELO, "A-ED", "diagnostiek")
    b.realisatie.append(Realisatie(TID, MONDAY - timedelta(days=10), 15 * 60, "contact"))
    assert len(_ids(check_plan(b, ALMELO, p), "A.ED.diagnostiek_uren")) == 1
    b2, p2 = clean_contacts_case(ALMELO, "A-ED", "behandeling")
    b2.realisatie.append(Realisatie(TID, MONDAY - timedelta(days=10), 15 * 60, "contact"))
    assert _ids(check_plan(b2, ALMELO, p2), "A.ED.diagnostiek_uren") == []


def _pz_without_visits():
    b, p = clean_contacts_case(ALMELO, "A-PZ")
    b.toewijzingen[TID] = replace(b.toewijzingen[TID], start=MONDAY - timedelta(weeks=20))
    p.contacts = [c for c in p.contacts if c.kind != "contact"]
    return b, p


def test_contact_frequency_average_counts_history_visits():
    b, p = _pz_without_visits()
    assert len(_ids(check_plan(b, ALMELO, p), "A.PZ.huisbezoek")) == 1
    assert week_contacts(_data(b), b.toewijzingen[TID], 0)[0] == 1  # the solver plans the visit
    b.realisatie.append(Realisatie(TID, MONDAY - timedelta(weeks=3), 60, "contact"))
    assert _ids(check_plan(b, ALMELO, p), "A.PZ.huisbezoek") == []
    assert week_contacts(_data(b), b.toewijzingen[TID], 0)[0] == 0  # ... and not when the history has one


def test_contact_frequency_average_window_is_six_weeks():
    b, p = _pz_without_visits()
    b.realisatie.append(Realisatie(TID, MONDAY - timedelta(weeks=6), 60, "contact"))  # outside the window
    assert len(_ids(check_plan(b, ALMELO, p), "A.PZ.huisbezoek")) == 1
    b.realisatie.append(Realisatie(TID, MONDAY - timedelta(weeks=5), 60, "regie"))  # not a visit
    assert len(_ids(check_plan(b, ALMELO, p), "A.PZ.huisbezoek")) == 1


def test_contact_frequency_average_interpretation_per_week():
    pack = ALMELO.with_overrides({"A.PZ.huisbezoek": {"interpretations": {"gemiddeld": "per_week_gemiddeld"}}})
    b, p = _pz_without_visits()
    b.realisatie.append(Realisatie(TID, MONDAY - timedelta(weeks=3), 60, "contact"))
    assert len(_ids(check_plan(b, pack, p), "A.PZ.huisbezoek")) == 1


def test_regie_one_on_one_counts_the_history():
    b, p = clean_contacts_case(ALMELO, "A-HSW")
    b.toewijzingen[TID] = replace(b.toewijzingen[TID], start=MONDAY - timedelta(days=400),
                                  last_regie_contact=MONDAY - timedelta(days=300))
    p.contacts = [c for c in p.contacts if not c.one_on_one]
    assert len(_ids(check_plan(b, ALMELO, p), "A.HSW.regie_contact")) == 1
    t = b.toewijzingen[TID]
    assert _regie_needs(_data(b), t, "M-R", at(MONDAY, 0), at(MONDAY + timedelta(days=7), 0))
    b.realisatie.append(Realisatie(TID, MONDAY - timedelta(days=60), 60, "regie", "M-R"))
    assert _ids(check_plan(b, ALMELO, p), "A.HSW.regie_contact") == []
    assert _regie_needs(_data(b), t, "M-R", at(MONDAY, 0), at(MONDAY + timedelta(days=7), 0)) == []


def test_plan_as_realisatie_round_trip(tmp_path):
    b, p = clean_contacts_case(ALMELO, "A-AE")
    p.contacts.append(Contact(TID, "M-U", at(MONDAY + timedelta(days=3), 9), at(MONDAY + timedelta(days=3), 10)))
    rows = plan_realisatie(p, not_held=[(TID, MONDAY + timedelta(days=3))],
                           minutes={(TID, MONDAY): 45})
    assert all(r.date != MONDAY + timedelta(days=3) for r in rows)
    assert any(r.minutes == 45 for r in rows)
    out = tmp_path / "realisatie.csv"
    assert write_realisatie(rows, out) == len(rows)
    assert write_realisatie(rows, out) == 0  # written once
    assert out.read_text("utf-8").splitlines()[0] == "toewijzing_id,datum,minuten,soort,medewerker_id"


def test_realisatie_cli_appends_to_the_next_bundle(tmp_path):
    from typer.testing import CliRunner

    from planner.cli import app

    b, p = clean_contacts_case(ALMELO, "A-AE")
    p.save(tmp_path / "plan.json")
    out = tmp_path / "realisatie.csv"
    result = CliRunner().invoke(app, ["realisatie", str(tmp_path / "plan.json"), "--out", str(out),
                                      "--niet-uitgevoerd", f"{TID}:{MONDAY.isoformat()}"])
    assert result.exit_code == 0, result.output
    assert f"{TID},{MONDAY.isoformat()}" not in out.read_text("utf-8")
    assert "realisatieregel" in result.output


def test_almelo_sample_history_binds_the_advies_cap():
    b = load_bundle(SAMPLES / "almelo")
    t = b.toewijzingen["TW00091"]
    count, length, _ = week_contacts(ProblemData(b, ALMELO, b.manifest.period_start, 1), t, 0)
    assert count * length == 60  # 2 h a week asked, 14 h of the 15 delivered


def test_contact_by_executor_ff_visits_only_by_the_certified_executor():
    """A:3649: the FF visits are the gezinsmedewerker's; a visit by the responsible does not count (issue 20)."""
    b, p = clean_contacts_case(ALMELO, "A-FF", "Families First")
    assert _ids(check_plan(b, ALMELO, p), "A.FF.bezoek_door_uitvoerder") == []
    visit = next(c for c in p.contacts if c.kind == "contact")
    p.contacts = [replace(visit, staff_id="M-R") if c is visit else c for c in p.contacts]
    report = check_plan(b, ALMELO, p)
    assert len(_ids(report, "A.FF.bezoek_door_uitvoerder")) == 1
    assert _ids(report, "I.contact_door_uitvoerder") == []  # the integrity rule allows the responsible
