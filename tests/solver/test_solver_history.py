"""The assignment and contact stages keep the daily rest after the previous period's shifts (history)."""

from __future__ import annotations

from datetime import time, timedelta

from planner.checker import check_plan
from planner.domain import TimeWindow
from planner.plan import Plan, Shift
from planner.rules import load_pack
from tests.builders import MONDAY, add_group, add_staff, add_toewijzing, at, bundle, staff
from tests.solver.helpers import FAST, explanation_text

FLEVO = load_pack("flevoland-multi")
SUNDAY = MONDAY - timedelta(days=1)


def _after_a_night(*staff_ids: str) -> Plan:
    """Last week's plan: a sleep-over night Sunday 23:00 - Monday (day 0) 07:00 for each of ``staff_ids``."""
    night = [Shift("WG", sid, at(SUNDAY, 23), at(MONDAY, 7), "slaapnacht") for sid in staff_ids]
    return Plan(period_start=MONDAY - timedelta(weeks=1), weeks=1, shifts=night)


def _rest_broken(b, plan: Plan) -> list[str]:
    kinds = {"daily_rest", "double_booking", "max_shift_hours"}
    return [v.message for v in check_plan(b, FLEVO, plan).violations if v.kind in kinds]


def test_daily_rest_solver_keeps_a_night_from_last_period_out_of_a_monday_session():
    """X, the only wo, slept over until 07:00 on day 0: the Monday 13:00-17:00 session (a wo hard) would leave
    under 8 hours of rest in both gaps of that day, so it is cancelled with the rest rule as reason."""
    from solver.solve import solve

    pack = FLEVO.with_overrides({"F.45F32.wo_aanwezig": {"severity": "hard"}})
    b = bundle()
    add_group(b, "GR", "45F32", 8, weekday=0, start=time(13), end=time(17))
    add_staff(b, staff("X"), *[staff(f"H{i}", education="hbo", profession="jeugd- en gezinswerker",
                                      registrations=("SKJ",)) for i in range(3)])
    result = solve(b, pack, options=FAST, previous=_after_a_night("X"))
    plan = result.plan
    assert [s.start for s in plan.history_shifts] == [at(SUNDAY, 23)]
    assert not any("X" in s.staff_ids for s in plan.sessions)
    assert plan.sessions[0].cancelled and "W.dagelijkse_rust" in explanation_text(result)
    assert _rest_broken(b, plan) == [] and check_plan(b, pack, plan).plan_hard == []


def test_daily_rest_solver_places_no_contact_too_soon_after_a_night_from_last_period():
    """Z slept over until 07:00 on day 0 and is available on Monday afternoon only: a visit there would
    break the rest after the night, so it is not placed (unmet) rather than placed; a colleague without
    the night gets hers."""
    from solver.solve import solve

    b = bundle()
    monday = (TimeWindow(0, time(14, 15), time(15, 45)),)
    add_staff(b, staff("Z", availability=monday, gemeenten=("Lelystad",)),
              staff("Y", availability=monday, gemeenten=("Lelystad",)))
    add_toewijzing(b, "TZ", "45F31", hours_per_week=1)
    add_toewijzing(b, "TY", "45F31", hours_per_week=1)
    result = solve(b, FLEVO, options=FAST, previous=_after_a_night("Z"))
    plan = result.plan
    executors = {a.toewijzing_id: a.executor_ids[0] for a in plan.caseload}
    assert sorted(executors.values()) == ["Y", "Z"]
    by_staff = {c.staff_id: c for c in plan.contacts}
    assert "Z" not in by_staff and by_staff["Y"].start.date() == MONDAY
    assert _rest_broken(b, plan) == []
