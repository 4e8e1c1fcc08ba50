"""Issue 20, duties that nothing checked: Almelo's assignment duties and 24/7 bereikbaarheid from the product."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from typer.testing import CliRunner

from planner.checker import check_plan
from planner.cli import app
from planner.plan import CaseAssignment
from planner.rules import load_pack
from planner.semantics.oncall import carrying_team, oncall_problems
from tests.builders import add_staff, add_team, add_toewijzing, bundle, plan_for, staff
from tests.cases.common import RESPONSIBLE, clean_toewijzing_case
from tests.solver.helpers import solve_and_check

ALMELO = load_pack("almelo-2025")
FLEVO = load_pack("flevoland-multi")


def _found(b, p, kind, pack=ALMELO):
    return [v for v in check_plan(b, pack, p).violations if v.kind == kind]


# --- assignment duties ----------------------------------------------------------------------------
def test_assignment_present_every_almelo_form_has_one():
    covered = {code for r in ALMELO.rules_of("assignment_present") for code in r.products}
    assert covered == ALMELO.product_codes


def test_assignment_present_almelo_without_responsible_is_care_left_undone():
    b, p = clean_toewijzing_case(ALMELO, "A-BHI")
    p.caseload = [replace(a, responsible_id=None) for a in p.caseload]
    (v,) = _found(b, p, "assignment_present")
    assert v.rule_id == "A.BHI.toewijzing_bemenst" and v.category == "niet_geleverd"
    assert "geen verantwoordelijke" in v.message


def test_assignment_present_almelo_text_promises_a_responsible_only_where_a_rule_asks_one():
    for r in ALMELO.rules_of("assignment_present"):
        asks = any(r.products[0] in x.products for x in ALMELO.rules_of("responsible_role"))
        assert ("verantwoordelijke" in r.text) == asks, r.id


# --- 24/7 bereikbaarheid from the product ------------------------------------------------------------
def test_oncall_coverage_duty_comes_from_the_product_not_the_team_flag():
    b, p = clean_toewijzing_case(ALMELO, "A-MST", "MST")
    team_id = b.toewijzingen["T1"].team_id
    b.teams[team_id] = replace(b.teams[team_id], oncall_24_7=False)
    assert _found(b, p, "oncall_coverage") == []
    p.oncall = []
    (v,) = _found(b, p, "oncall_coverage")
    assert v.rule_id == "A.MST.bereikbaar" and v.category == "niet_geleverd" and v.amount == 7 * 24


def test_oncall_coverage_team_of_the_intervention_carries_a_toewijzing_without_team():
    b, p = clean_toewijzing_case(ALMELO, "A-MST", "MST")
    team_id = b.toewijzingen["T1"].team_id
    b.toewijzingen["T1"] = replace(b.toewijzingen["T1"], team_id=None)
    assert carrying_team(b, b.toewijzingen["T1"]).id == team_id
    assert _found(b, p, "oncall_coverage") == []


def test_oncall_coverage_a_duty_without_a_team_is_care_left_undone():
    b = bundle(ALMELO.id)
    p = plan_for(b)
    add_staff(b, staff("M1"), staff(RESPONSIBLE))
    add_toewijzing(b, "T1", "A-JZP", start=b.manifest.period_start - timedelta(days=20))
    p.caseload.append(CaseAssignment("T1", ("M1",), RESPONSIBLE))
    (v,) = _found(b, p, "oncall_coverage")
    assert v.rule_id == "A.JZP.bereikbaar" and v.shortfall and "geen team" in v.message
    assert check_plan(b, ALMELO, p).status == "onvolledig"


def test_oncall_coverage_flevoland_flags_off_still_asks_mst_and_mdft():
    b = bundle(FLEVO.id)
    p = plan_for(b)
    add_team(b, "T-MDFT", "MDFT", oncall=False)
    add_staff(b, staff("M1", teams=("T-MDFT",)), staff(RESPONSIBLE))
    add_toewijzing(b, "T1", "45F34", intervention="MDFT", team_id="T-MDFT", hours_per_week=1)
    p.caseload.append(CaseAssignment("T1", ("M1",), RESPONSIBLE))
    assert [v.rule_id for v in _found(b, p, "oncall_coverage", FLEVO)] == ["F.45F34.bereikbaarheid"]


def test_oncall_coverage_validate_reports_a_product_no_team_can_carry(tmp_path):
    b = bundle(ALMELO.id)
    add_team(b, "T-FF", "Families First", oncall=False)
    add_staff(b, staff("M1", teams=("T-FF",), certifications=()))
    add_toewijzing(b, "T1", "A-JZP")
    add_toewijzing(b, "T2", "A-FF", intervention="Families First")
    add_toewijzing(b, "T3", "A-ASH", intervention="ASH")
    problems = oncall_problems(b, ALMELO)
    assert any("T1" in m and "geen team_id" in m for m in problems)
    assert any("T3" in m and "geen team met interventie ASH" in m for m in problems)
    assert any("Team T-FF" in m and "geen lid met certificering Families First" in m for m in problems)
    assert len(problems) == 3


def test_oncall_coverage_validate_cli_prints_the_warning(tmp_path):
    import shutil

    target = tmp_path / "almelo"
    shutil.copytree("sample_data/almelo", target)
    teams = (target / "teams.csv").read_text("utf-8")
    (target / "teams.csv").write_text(teams.replace(",Families First", ",FAST"), "utf-8")  # nobody certified
    out = CliRunner().invoke(app, ["validate", str(target)])
    assert out.exit_code == 0 and "Team T-FF-1 draagt de 24/7 bereikbaarheid" in out.output, out.output


def test_oncall_coverage_solver_covers_a_team_whose_flag_is_off():
    b = bundle(ALMELO.id)
    add_team(b, "T-MST", "MST", oncall=False)
    add_staff(b, *[staff(f"M{i}", teams=("T-MST",)) for i in range(3)])
    add_toewijzing(b, "T1", "A-MST", intervention="MST", team_id="T-MST", hours_per_week=2,
                   start=b.manifest.period_start - timedelta(days=20))
    result, report = solve_and_check(b, ALMELO)
    assert sum((o.end - o.start for o in result.plan.oncall), timedelta()) == timedelta(days=7)
    assert [v for v in report.violations if v.kind == "oncall_coverage"] == []
