"""A re-plan from mid-week passes the checker as a Monday start does: week hours in calendar weeks with the
history of a week begun before the period (stage 1 and stage 2), the weekly rest seen by stage 1, and the
daily rest and working day between two sessions in stage 1."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from planner.checker import check_plan
from planner.domain import TimeWindow
from planner.plan import Plan
from tests.builders import MONDAY, add_group, add_staff, add_toewijzing, bundle, staff
from tests.solver.helpers import FAST
from tests.solver.test_solver_rest import FLEVO, SLIDING, WO_HARD, _rest_broken, _shift, _solve_with_stage0, _stage2

THURSDAY, FRIDAY = MONDAY + timedelta(days=3), MONDAY + timedelta(days=4)


def _broken(b, pack, plan: Plan, kinds: set[str]) -> list[str]:
    return [v.message for v in check_plan(b, pack, plan).violations if v.kind in kinds]


# --- week hours in calendar weeks ---------------------------------------------------------------------------
def test_max_week_hours_solver_counts_the_history_of_a_week_begun_before_a_mid_week_start():
    """The period starts on Friday; X worked Monday-Thursday 07:00-19:00 (48 h, history).  Sessions on Friday
    and Sunday 08:00-17:00 (9 h each) would make 66 h in that calendar week, over W.max_week's 60: X, the only
    wo, takes one of them.  The 7 days from Friday hold only 18 h, which is what the solver counted before.
    The contract hours count the history too, as the checker does (57 h in the week, 21 started hours over
    36; X's contact goes to the next calendar week)."""
    from solver.solve import solve

    b = bundle(start=FRIDAY)
    add_group(b, "GA", "45F32", 8, weekday=4, start=time(8), end=time(17))
    add_group(b, "GB", "45F32", 8, weekday=6, start=time(8), end=time(17))
    add_staff(b, staff("X", gemeenten=("Lelystad",)))
    add_toewijzing(b, "TX", "45F31", hours_per_week=1)
    previous = Plan(period_start=FRIDAY - timedelta(weeks=1), weeks=1, shifts=[_shift(d, 7, 19) for d in range(4)])
    result = solve(b, WO_HARD, options=FAST, previous=previous)
    plan = result.plan
    assert sorted(len(s.staff_ids) for s in plan.sessions) == [0, 1]
    report = check_plan(b, WO_HARD, plan)
    assert report.plan_hard == [], [v.message for v in report.plan_hard]
    assert report.penalties_per_rule["W.contracturen"] == 21 * WO_HARD.rule("W.contracturen").penalty
    assert result.penalties == report.penalties_per_rule


def test_max_week_hours_solver_contacts_in_the_calendar_week_of_a_mid_week_start():
    """Stage 2 from Thursday: X worked Monday-Wednesday 07:00-19:00 (36 h) and has shifts Friday-Sunday
    13:00-20:00 (21 h); contacts of 2 h fit only on those mornings.  One more makes 59 h in the calendar week,
    two would make 61 h: one is placed (the 7 days from Thursday, 27 h with all three, counted before)."""
    windows = tuple(TimeWindow(d, time(8), time(20)) for d in (4, 5, 6))
    b = bundle(start=THURSDAY)
    add_staff(b, staff("X", availability=windows, contract_hours=60))
    add_toewijzing(b, "TX", "45F31", hours_per_week=6)
    shifts = [_shift(d, 13, 20) for d in (4, 5, 6)]
    plan, _ = _stage2(b, FLEVO, THURSDAY, shifts, [_shift(d, 7, 19) for d in range(3)])
    assert len(plan.contacts) == 1
    assert _broken(b, FLEVO, plan, {"max_week_hours", "daily_rest", "weekly_rest", "max_shift_hours"}) == []


# --- the weekly rest in stage 1 -----------------------------------------------------------------------------
@pytest.mark.parametrize("pack", [WO_HARD, SLIDING.with_overrides({"F.45F32.wo_aanwezig": {"severity": "hard"}})],
                         ids=["kalenderweek", "glijdend"])
def test_weekly_rest_solver_keeps_a_session_off_a_shift_workers_free_weekend(monkeypatch, pack):
    """X works Monday-Friday 07:00-15:00 (stage 0).  A Saturday 16:00-20:00 session leaves 25 h before and
    28 h after it in the calendar week (35 h to Monday 07:00): no weekly rest.  Stage 1 keeps X out of it
    (X is the only wo: it is cancelled), so stage 2 places X's contacts and the checker finds no rest
    violation; before, stage 2 found no plan for X and placed none."""
    shifts = [_shift(d, 7, 15) for d in range(5)]
    b, result = _solve_with_stage0(monkeypatch, pack, shifts, (5, time(16), time(20)))
    plan = result.plan
    assert plan.sessions[0].cancelled and "X" not in plan.sessions[0].staff_ids
    assert len([c for c in plan.contacts if c.staff_id == "X"]) == 2
    assert _rest_broken(b, pack, plan) == [] and check_plan(b, pack, plan).plan_hard == []


# --- two sessions: daily rest and working day ---------------------------------------------------------------
def _two_sessions(first: tuple, second: tuple) -> Plan:
    """X, the only wo, executes TX (2 h a week); two sessions (weekday, start, end) each need a wo."""
    from solver.solve import solve

    b = bundle()
    for gid, (weekday, start, end) in (("GA", first), ("GB", second)):
        add_group(b, gid, "45F32", 8, weekday=weekday, start=start, end=end)
    add_staff(b, staff("X", gemeenten=("Lelystad",)))
    add_toewijzing(b, "TX", "45F31", hours_per_week=2)
    plan = solve(b, WO_HARD, options=FAST).plan
    assert sorted(len(s.staff_ids) for s in plan.sessions) == [0, 1]
    assert len([c for c in plan.contacts if c.staff_id == "X"]) == 2
    assert _rest_broken(b, WO_HARD, plan) == [] and check_plan(b, WO_HARD, plan).plan_hard == []
    return plan


def test_daily_rest_solver_keeps_two_sessions_on_consecutive_days_apart():
    """Monday 16:00-23:00 and Tuesday 06:00-11:00: 7 h between them, and no 11 h (nor 8 h) of rest in the
    24 h from Monday 16:00.  X gets one of them, and stage 2 still places X's contacts."""
    _two_sessions((0, time(16), time(23)), (1, time(6), time(11)))


def test_max_shift_hours_solver_keeps_two_sessions_in_one_working_day():
    """Wednesday 07:00-09:00 and 18:00-21:00: one working day of 14 h as stage 2 counts it, over W.max_dienst's
    12 h (the checker allows the day once, as a shortened rest).  X gets one of them; before, stage 2 found no
    plan for X and placed none of X's contacts."""
    _two_sessions((2, time(7), time(9)), (2, time(18), time(21)))
