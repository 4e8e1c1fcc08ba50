"""Issue 20: a valid VOG for everyone with client contact (A:4183, A:1213; rule A.VOG.geldig, kind vog_valid)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from planner.bundle import load_bundle
from planner.bundle_write import write_bundle
from planner.checker import check_plan
from planner.rules import load_pack
from planner.semantics.eligibility import vog_ok, vog_window, years_before
from solver.build import build_model
from solver.data import ProblemData
from solver.residential import roster_problem
from tests.builders import add_staff, bundle, staff
from tests.cases.common import EXECUTOR, RESPONSIBLE, clean_toewijzing_case
from tests.cases.groups import clean_group
from tests.cases.residential import clean_residential_case
from tests.solver.test_solver_residential import _woongroep

ALMELO = load_pack("almelo-2025")
RULE = ALMELO.rule("A.VOG.geldig")


def _vog(b, p):
    return [v for v in check_plan(b, ALMELO, p).violations if v.rule_id == "A.VOG.geldig"]


def test_vog_valid_window_three_years_before_the_period_start():
    earliest, latest = vog_window(RULE, date(2026, 12, 7), date(2026, 12, 13))
    assert (earliest, latest) == (date(2023, 12, 7), date(2026, 12, 7))
    m = staff("M", vog_date=date(2023, 12, 7))
    assert vog_ok(m, RULE, date(2026, 12, 7), date(2026, 12, 13))
    assert not vog_ok(replace(m, vog_date=date(2023, 12, 6)), RULE, date(2026, 12, 7), date(2026, 12, 13))
    assert not vog_ok(replace(m, vog_date=None), RULE, date(2026, 12, 7), date(2026, 12, 13))
    assert not vog_ok(replace(m, vog_date=date(2026, 12, 8)), RULE, date(2026, 12, 7), date(2026, 12, 13))  # not yet
    assert years_before(date(2028, 2, 29), 3) == date(2025, 2, 28)


def test_vog_valid_interpretation_periode_einde_is_stricter():
    strict = RULE.model_copy(deep=True)
    strict.interpretations["peildatum"].value = "periode_einde"
    m = staff("M", vog_date=date(2023, 12, 8))
    assert vog_ok(m, RULE, date(2026, 12, 7), date(2026, 12, 13))
    assert not vog_ok(m, strict, date(2026, 12, 7), date(2026, 12, 13))  # expires during the period


def test_vog_valid_executor_and_responsible_without_vog_are_violations():
    b, p = clean_toewijzing_case(ALMELO, "A-BI")
    assert _vog(b, p) == []
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], vog_date=None)
    found = _vog(b, p)
    assert len(found) == 1 and "geen VOG" in found[0].message and found[0].citation.endswith(":4183")
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], vog_date=date(2020, 1, 1))
    b.staff[RESPONSIBLE] = replace(b.staff[RESPONSIBLE], vog_date=None)
    assert sorted(e for v in _vog(b, p) for e in v.entities) == sorted([("medewerker", EXECUTOR), ("medewerker", RESPONSIBLE)])


def test_vog_valid_group_session_staff_and_shift_staff_need_one():
    b, p = clean_group(ALMELO, "A-BHGB")
    sid = p.sessions[0].staff_ids[0]
    b.staff[sid] = replace(b.staff[sid], vog_date=None)
    assert [v.entities for v in _vog(b, p)] == [(("medewerker", sid),)]
    b, p = clean_residential_case(ALMELO, "A-WG")
    assert _vog(b, p) == []
    worker = p.shifts[0].staff_id
    b.staff[worker] = replace(b.staff[worker], vog_date=None)
    assert [v.entities for v in _vog(b, p)] == [(("medewerker", worker),)]
    assert ALMELO.rules_of("vog_valid") and not load_pack("flevoland-multi").rules_of("vog_valid")


def test_vog_valid_staff_without_duty_is_not_checked():
    b, p = clean_toewijzing_case(ALMELO, "A-BI")
    add_staff(b, staff("M-IDLE", vog_date=None))
    assert _vog(b, p) == []


def test_vog_valid_solver_leaves_staff_without_vog_out_of_every_pool():
    b, _ = clean_toewijzing_case(ALMELO, "A-BI")
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], vog_date=None)
    data = ProblemData(b, ALMELO, b.manifest.period_start, 1)
    pm = build_model(data)
    assert all(EXECUTOR not in pool for pool in pm.exec_candidates.values())
    assert all(EXECUTOR not in pool for pool in pm.resp_candidates.values())
    assert any(sid == EXECUTOR and rid == "A.VOG.geldig" for (_, sid), rid in pm.excluded_by.items())


def test_vog_valid_roster_team_has_only_staff_with_a_vog():
    b = _woongroep(6)
    b.staff["W1"] = replace(b.staff["W1"], vog_date=None)
    data = ProblemData(b, ALMELO, b.manifest.period_start, 1)
    problem, _, _ = roster_problem(data, b.groups["WG"])
    assert "W1" not in {e.id for e in problem.employees}
    assert {"W0", "W2"} <= {e.id for e in problem.employees}


def test_vog_valid_column_round_trips_through_the_bundle_files(tmp_path):
    b = bundle("almelo-2025")
    add_staff(b, staff("M1", vog_date=date(2025, 3, 4)), staff("M2", vog_date=None))
    loaded = load_bundle(write_bundle(b, tmp_path / "b"))
    assert loaded.staff["M1"].vog_date == date(2025, 3, 4) and loaded.staff["M2"].vog_date is None
    assert "vog_datum" in (tmp_path / "b" / "medewerkers.csv").read_text("utf-8").splitlines()[0]
    start = b.manifest.period_start
    assert loaded.staff["M1"].vog_date > start - timedelta(days=3 * 366)
