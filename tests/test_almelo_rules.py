"""Issue 20, rules wrong or too loose: A.BHI.verantwoordelijke (A:2103), A.KT.nacht (A:3177), validity dates
(A.DM.bezetting, A:3309) and rule texts that promise what their check does."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from planner.checker import check_plan
from planner.domain import Education, Registration
from planner.rules import load_pack
from tests.builders import add_staff, add_toewijzing, bundle, staff
from tests.cases.common import EXECUTOR, RESPONSIBLE, clean_toewijzing_case
from tests.solver.helpers import solve_and_check

ALMELO = load_pack("almelo-2025")


def _ids(b, p, pack=ALMELO):
    return [v.rule_id for v in check_plan(b, pack, p).violations]


def _gedragswetenschapper(sid: str, education: str = "wo"):
    """An orthopedagoog (wo, SKJ): a gedragswetenschapper, not a regiebehandelaar."""
    return staff(sid, education=education, profession="orthopedagoog", registrations=("SKJ",))


# --- A.BHI.verantwoordelijke: a wo executor works under a regiebehandelaar (A:2103) ----------------------
def test_responsible_role_wo_executor_needs_a_regiebehandelaar():
    b, p = clean_toewijzing_case(ALMELO, "A-BHI")
    assert _ids(b, p) == []
    b.staff[RESPONSIBLE] = _gedragswetenschapper(RESPONSIBLE)
    assert _ids(b, p) == ["A.BHI.verantwoordelijke"]  # the executor is wo+
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], education=Education.HBO, profession="sociaal werker",
                                registrations=frozenset({Registration.SKJ}))
    assert _ids(b, p) == []  # an hbo executor may work under a gedragswetenschapper


def test_responsible_role_by_executor_education_can_be_widened_to_masters():
    pack = ALMELO.with_overrides({"A.BHI.verantwoordelijke": {"params": {"by_executor_education": {"hbo+": "regiebehandelaar"}}}})
    b, p = clean_toewijzing_case(pack, "A-BHI")
    b.staff[RESPONSIBLE] = _gedragswetenschapper(RESPONSIBLE)
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], education=Education.HBO_PLUS)
    assert _ids(b, p, pack) == ["A.BHI.verantwoordelijke"]


def test_responsible_role_solver_puts_a_wo_executor_under_a_regiebehandelaar():
    b = bundle(ALMELO.id)
    add_staff(b, _gedragswetenschapper("G1"), _gedragswetenschapper("G2"),
              staff("R1", education="wo", caseload_max=0))  # R1: a gz-psycholoog (BIG), only responsible
    add_toewijzing(b, "T1", "A-BHI", hours_per_week=1, start=b.manifest.period_start - timedelta(days=20),
                   last_regie_contact=b.manifest.period_start - timedelta(days=2))
    result, report = solve_and_check(b, ALMELO)
    (a,) = result.plan.caseload
    assert a.executor_ids[0] in ("G1", "G2") and a.responsible_id == "R1"
    assert "A.BHI.verantwoordelijke" not in [v.rule_id for v in report.violations]


# --- validity dates: A.DM.bezetting 8 in 2025-2026, 6 from 2027 (A:3309) ------------------------------------
def _dm_case(start, enrolled: int):
    from tests.builders import period_starting
    from tests.cases.residential import GROUP, clean_residential_case, enrol

    with period_starting(start):
        b, p = clean_residential_case(ALMELO, "A-DM")
    for i in range(enrolled - len(b.enrolments)):
        enrol(b, f"{GROUP}-X{i}", b.manifest.period_start - timedelta(days=14))
    return b, p


def _dm(b, p):
    return [v for v in check_plan(b, ALMELO, p).violations if v.kind == "residential_occupancy_max"]


def test_validity_dates_a_plan_for_2027_uses_six_without_an_override():
    from datetime import date

    assert _dm(*_dm_case(date(2026, 12, 7), 7)) == []
    (v,) = _dm(*_dm_case(date(2027, 1, 4), 7))
    assert v.rule_id == "A.DM.bezetting_2027" and "maximaal 6" in v.message
    (v,) = _dm(*_dm_case(date(2026, 12, 7), 9))
    assert v.rule_id == "A.DM.bezetting"


def test_validity_dates_a_period_across_new_year_checks_each_day_by_its_own_rule():
    from datetime import date

    (v,) = _dm(*_dm_case(date(2026, 12, 28), 7))  # Monday 28 December to Sunday 3 January
    assert v.rule_id == "A.DM.bezetting_2027" and "2027-01-01 t/m 2027-01-03" in v.message and v.amount == 3


def test_validity_dates_for_period_drops_rules_outside_it():
    from datetime import date

    ids_2026 = {r.id for r in ALMELO.for_period(date(2026, 12, 7), date(2026, 12, 13)).rules}
    ids_2027 = {r.id for r in ALMELO.for_period(date(2027, 3, 1), date(2027, 3, 7)).rules}
    assert "A.DM.bezetting" in ids_2026 and "A.DM.bezetting_2027" not in ids_2026
    assert "A.DM.bezetting_2027" in ids_2027 and "A.DM.bezetting" not in ids_2027


def test_validity_dates_planner_rules_shows_them():
    from typer.testing import CliRunner

    from planner.cli import app

    out = CliRunner().invoke(app, ["rules", "almelo-2025"]).output
    line = next(x for x in out.splitlines() if x.startswith("A.DM.bezetting_2027"))
    assert "vanaf 2027-01-01" in line
    line = next(x for x in out.splitlines() if x.startswith("A.DM.bezetting "))
    assert "2025-01-01 t/m 2026-12-31" in line


def test_validity_dates_solver_works_with_the_rules_of_its_period():
    from datetime import date

    from solver.data import ProblemData
    from solver.solve import solve

    b = bundle(ALMELO.id, start=date(2027, 1, 4))
    result = solve(b, ALMELO)
    assert result.plan is not None  # nothing to plan, but the pack it used is the 2027 one
    data = ProblemData(b, ALMELO.for_period(date(2027, 1, 4), date(2027, 1, 10)), date(2027, 1, 4), 1)
    assert "A.DM.bezetting" not in {r.id for r in data.pack.rules}
