"""Scenarios: stored deltas applied to a bundle, chains, Dutch errors; the example files work."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from planner.bundle import load_bundle_with_pack
from planner.rules import load_pack
from planner.scenario import ScenarioError, apply_scenario, load_scenario, scenario_from_dict
from tests.builders import MONDAY, add_group, add_staff, add_toewijzing, bundle, staff

ROOT = Path(__file__).resolve().parents[1]
FLEVO = load_pack("flevoland-multi")


def small():
    b = bundle()
    add_staff(b, staff("A"), staff("B", contract_hours=32))
    add_group(b, "GR1", "45F32", enrolled=4)
    add_toewijzing(b, "TW1", "45F31", hours_per_week=2, current_executor_id="A")
    return b


def test_applying_leaves_the_source_bundle_untouched_and_adds_only_deltas():
    b = small()
    before = (dict(b.staff), dict(b.toewijzingen), list(b.absences), list(b.enrolments))
    sb = apply_scenario(b, FLEVO, scenario_from_dict({"wijzigingen": [
        {"soort": "medewerker_weg", "medewerker": "A", "vanaf": "2027-03-01"},
        {"soort": "contracturen", "medewerker": "B", "uren": 24, "vanaf": "2027-02-01"},
        {"soort": "contracturen", "medewerker": "A", "uren": 20},
        {"soort": "toewijzingen_erbij", "product": "45F31", "aantal": 2, "begindatum": "2027-01-04",
         "omvang": {"volume": 2, "eenheid": "uur", "frequentie": "per_week"}, "duur_maanden": 6},
        {"soort": "groep_sluiten", "groep": "GR1", "vanaf": "2027-02-01"}]}))
    assert (dict(b.staff), dict(b.toewijzingen), list(b.absences), list(b.enrolments)) == before
    nb = sb.bundle
    assert nb.staff["A"].contract_hours == 20 and b.staff["A"].contract_hours == 36
    assert [(a.staff_id, a.start) for a in nb.absences] == [("A", datetime(2027, 3, 1))]
    assert sb.contract_changes == {"B": [(date(2027, 2, 1), 24.0)]}
    new = [t for tid, t in nb.toewijzingen.items() if tid not in b.toewijzingen]
    assert len(new) == 2 and all(t.start == date(2027, 1, 4) and t.current_executor_id is None for t in new)
    assert all(e.end == date(2027, 1, 31) for e in nb.enrolments if e.group_id == "GR1")
    assert len(sb.applied) == 5


def test_arrival_rate_spreads_referrals_over_weeks():
    sb = apply_scenario(small(), FLEVO, scenario_from_dict({"wijzigingen": [
        {"soort": "toewijzingen_erbij", "product": "45F34", "interventie": "MST", "per_week": 0.5,
         "van": "2027-01-04", "tot": "2027-02-22", "duur_maanden": 5}]}))
    starts = sorted(t.start for t in sb.bundle.toewijzingen.values() if t.id.startswith("S"))
    assert starts == [date(2027, 1, 11), date(2027, 1, 25), date(2027, 2, 8), date(2027, 2, 22)]


def test_new_staff_is_absent_before_the_start_and_rule_change_tunes_the_pack():
    sb = apply_scenario(small(), FLEVO, scenario_from_dict({"wijzigingen": [
        {"soort": "medewerker_erbij", "aantal": 2, "vanaf": "2027-02-01",
         "profiel": {"opleiding": "hbo+", "beroep": "systeemtherapeut", "registraties": ["SKJ"],
                     "certificeringen": ["MST"], "contracturen": 32}},
        {"soort": "regel", "regel": "F.45F32.ratio", "ernst": "hard", "params": {"jeugdigen_per_staff": 3}}]}))
    new = [m for sid, m in sb.bundle.staff.items() if sid not in ("A", "B")]
    assert len(new) == 2 and all(m.certifications == {"MST"} and m.contract_hours == 32 for m in new)
    assert {a.staff_id for a in sb.bundle.absences} == {m.id for m in new}
    assert all(a.end == datetime(2027, 2, 1) for a in sb.bundle.absences)
    rule = sb.pack.rule("F.45F32.ratio")
    assert rule.severity == "hard" and rule.params["jeugdigen_per_staff"] == 3
    assert FLEVO.rule("F.45F32.ratio").severity == "soft"


def test_bad_changes_are_all_reported_in_dutch():
    with pytest.raises(ScenarioError) as e:
        apply_scenario(small(), FLEVO, scenario_from_dict({"wijzigingen": [
            {"soort": "medewerker_weg", "medewerker": "ZZZ", "vanaf": "2027-03-01"},
            {"soort": "toewijzingen_erbij", "product": "99X99", "aantal": 1},
            {"soort": "contracturen", "medewerker": "A", "uren": 80},
            {"soort": "vakantie"},
            {"soort": "medewerker_weg", "medewerker": "A", "vanaf": "maart"},
            {"soort": "regel", "regel": "F.bestaat_niet", "ernst": "hard"}]}))
    text = "\n".join(e.value.problems)
    for fragment in ("onbekende medewerker 'ZZZ'", "99X99", "niet tussen 0 en 60", "onbekende soort 'vakantie'",
                     "geen datum", "onbekende regel"):
        assert fragment in text


def test_a_scenario_builds_on_its_base_and_loops_are_refused(tmp_path):
    (tmp_path / "a.yaml").write_text("naam: A\nwijzigingen:\n  - {soort: medewerker_weg, medewerker: A, vanaf: 2027-03-01}\n")
    (tmp_path / "b.yaml").write_text("naam: B\nbasis: a.yaml\nwijzigingen:\n  - {soort: contracturen, medewerker: B, uren: 20}\n")
    s = load_scenario(tmp_path / "b.yaml")
    assert [c["soort"] for c in s.all_changes()] == ["medewerker_weg", "contracturen"]
    sb = apply_scenario(small(), FLEVO, s)
    assert sb.bundle.staff["B"].contract_hours == 20 and sb.bundle.absences
    (tmp_path / "c.yaml").write_text("naam: C\nbasis: d.yaml\n")
    (tmp_path / "d.yaml").write_text("naam: D\nbasis: c.yaml\n")
    with pytest.raises(ScenarioError, match="op zichzelf"):
        load_scenario(tmp_path / "c.yaml")
    (tmp_path / "e.yaml").write_text("naam: [\n")
    with pytest.raises(ScenarioError, match="geen geldige YAML"):
        load_scenario(tmp_path / "e.yaml")


@pytest.mark.parametrize("path", sorted((ROOT / "sample_data" / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_example_scenarios_apply_to_the_sample_bundle(path):
    b, pack = load_bundle_with_pack(ROOT / "sample_data" / "flevoland")
    sb = apply_scenario(b, pack, load_scenario(path))
    assert sb.applied or sb.hiring
    assert MONDAY == b.manifest.period_start
