"""Stage 0: residential 24/7 rosters pass the checker's residential and working-time rules."""

from __future__ import annotations

from pathlib import Path

from planner.bundle import load_bundle_with_pack
from planner.checker import check_plan
from planner.plan import Plan
from planner.rules import load_pack
from solver.data import ProblemData, SolveOptions
from solver.residential import plan_residential
from tests.builders import add_group, add_staff, add_team, bundle, staff

ALMELO = load_pack("almelo-2025")
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "almelo"
ROSTER_KINDS = {"shift_staff_ratio", "shift_min_staff", "night_shift_required", "availability", "absence",
                "double_booking", "max_shift_hours", "max_week_hours", "daily_rest", "weekly_rest",
                "shift_mbo3_needs_mbo4"}


def _roster_check(b, pack, weeks):
    data = ProblemData(b, pack, b.manifest.period_start, weeks)
    result = plan_residential(data, SolveOptions(workers=2), time_limit=20)
    plan = Plan(period_start=data.period_start, weeks=weeks, shifts=result.shifts)
    report = check_plan(b, pack, plan)
    return result, [v for v in report.violations if v.kind in ROSTER_KINDS]


def test_night_shift_required_solver_rosters_a_woongroep_week():
    b = bundle("almelo-2025")
    add_team(b, "T-WG", oncall=False)
    s = add_group(b, "WG", "A-WG", 8)
    del b.sessions[s.id]  # residential groups have no sessions
    b.groups["WG"] = b.groups["WG"].__class__("WG", "Woongroep", "A-WG", "", "T-WG")
    add_staff(b, *[staff(f"W{i}", education="mbo4" if i % 3 else "hbo", profession="sociaalpedagogisch medewerker",
                         registrations=(), contract_hours=32, teams=("T-WG",)) for i in range(12)])
    result, violations = _roster_check(b, ALMELO, 1)
    assert violations == [], [v.message for v in violations]
    nights = [x for x in result.shifts if x.kind == "slaapnacht"]
    assert len(nights) == 7 and all(b.staff[x.staff_id].education >= b.staff["W1"].education for x in nights)


def test_shift_staff_ratio_solver_four_week_sample_roster_passes_the_checker():
    """Issue 7: the residential sample group gets a 4-week roster that passes the checker."""
    b, pack = load_bundle_with_pack(SAMPLE)
    result, violations = _roster_check(b, pack, 4)
    hard = [v for v in violations if v.severity == "hard"]
    assert hard == [], [v.message for v in hard]
    assert result.shifts and {x.group_id for x in result.shifts} == {"WG01"}
    assert sum(v.penalty for v in violations) == sum(result.penalties.values())


def test_shift_mbo3_needs_mbo4_solver_gives_every_mbo3_shift_an_mbo4_colleague():
    """A woongroep team of four mbo3 and eight mbo4+: every mbo3 shift has an mbo4+ on the same shift (A:3051)."""
    b = bundle("almelo-2025")
    add_team(b, "T-WG", oncall=False)
    s = add_group(b, "WG", "A-WG", 8)
    del b.sessions[s.id]
    b.groups["WG"] = b.groups["WG"].__class__("WG", "Woongroep", "A-WG", "", "T-WG")
    add_staff(b, *[staff(f"W{i}", education="mbo3" if i < 4 else "mbo4" if i < 10 else "hbo",
                         profession="sociaalpedagogisch medewerker", registrations=(), contract_hours=32,
                         teams=("T-WG",)) for i in range(12)])
    result, violations = _roster_check(b, ALMELO, 2)
    assert violations == [], [v.message for v in violations]
    edu = {x.staff_id: b.staff[x.staff_id].education.value for x in result.shifts}
    junior = [x for x in result.shifts if edu[x.staff_id] == "mbo3"]
    assert junior, "the mbo3 staff get shifts"
    assert all(any(y.start == x.start and edu[y.staff_id] != "mbo3" for y in result.shifts) for x in junior)
