"""History in the generic shift model: the previous period's last days bind day 0 (successions, runs)."""

from __future__ import annotations

import itertools
import random

import pytest
from ortools.sat.python import cp_model

from solver.shifts import (CoverDemand, EmployeeRules, ShiftProblem, ShiftRequest, ShiftSolveOptions, ShiftType,
                           solve_shifts)
from solver.shifts.build import build
from solver.shifts.greedy import greedy_roster, row_violations

DAN = [ShiftType("D", 480), ShiftType("A", 480, frozenset({"D"})), ShiftType("N", 480, frozenset({"D", "A"}))]


def _solve(sm) -> tuple[int, dict]:
    s = cp_model.CpSolver()
    s.parameters.num_workers = 1
    assert s.Solve(sm.model) == cp_model.OPTIMAL
    return round(s.ObjectiveValue()), sm.roster(s)


def test_history_night_forbids_a_day_or_evening_shift_on_day_0():
    """A night on the previous period's last day: no D or A on day 0, even when wished for."""
    e = EmployeeRules("X", history=(None, "N"))
    p = ShiftProblem(3, DAN, [e], on_requests=[ShiftRequest("X", 0, "D", 50), ShiftRequest("X", 1, "A", 5)])
    sm = build(p)
    assert ("X", 0, "D") not in sm.x and ("X", 0, "A") not in sm.x and ("X", 0, "N") in sm.x
    obj, roster = _solve(sm)
    assert roster["X"][0] not in ("D", "A") and obj == 50
    assert row_violations(p, e, ["D", None, None]) == 1 and row_violations(p, e, ["N", "N", None]) == 0
    assert _solve(build(ShiftProblem(3, DAN, [EmployeeRules("X")], on_requests=p.on_requests)))[0] == 0


def test_history_caps_a_run_that_continues_into_the_period():
    """Max 3 days in a row: three worked history days make day 0 a day off; two allow one more."""
    cover = [CoverDemand(d, "D", 1, 100, 1) for d in range(4)]
    full = EmployeeRules("X", max_consecutive=3, history=(None, "D", "D", "D"))
    _, roster = _solve(build(ShiftProblem(4, DAN[:1], [full], cover=cover)))
    assert roster["X"] == [None, "D", "D", "D"]
    two = EmployeeRules("X", max_consecutive=3, history=("D", "D"))
    _, roster = _solve(build(ShiftProblem(4, DAN[:1], [two], cover=cover)))
    assert not (roster["X"][0] and roster["X"][1]) and roster["X"].count("D") == 3
    assert row_violations(ShiftProblem(4, DAN[:1], [full]), full, ["D", None, None, None]) == 1
    assert row_violations(ShiftProblem(4, DAN[:1], [two]), two, ["D", None, "D", "D"]) == 0


def test_history_run_begun_before_day_0_must_reach_its_minimum():
    """Min 3 days of work: a run begun on the history's last day continues on days 0 and 1; a run that
    spans the whole history, or that a day off cuts short, is exempt."""
    cover = [CoverDemand(d, "D", 0, 100, 5) for d in range(4)]  # working costs: the minimum has to force it
    begun = EmployeeRules("X", min_consecutive=3, history=(None, "D"))
    obj, roster = _solve(build(ShiftProblem(4, DAN[:1], [begun], cover=cover)))
    assert roster["X"][:2] == ["D", "D"] and obj == 10
    for exempt in (EmployeeRules("X", min_consecutive=3, history=("D",)),
                   EmployeeRules("X", min_consecutive=3, history=(None, "D"), days_off=frozenset({1}))):
        obj, roster = _solve(build(ShiftProblem(4, DAN[:1], [exempt], cover=cover)))
        assert obj == 0 and roster["X"] == [None] * 4
        assert row_violations(ShiftProblem(4, DAN[:1], [exempt]), exempt, [None] * 4) == 0
    assert row_violations(ShiftProblem(4, DAN[:1], [begun]), begun, ["D", None, None, None]) == 1
    days_off = EmployeeRules("X", min_days_off=2, history=("D", None))  # one day off so far: day 0 is off too
    assert row_violations(ShiftProblem(4, DAN[:1], [days_off]), days_off, ["D", None, None, None]) == 1


@pytest.mark.parametrize("seed", range(8))
def test_history_model_and_row_check_agree_on_every_row(seed):
    """Brute force: for random rules and histories, a row is allowed by the CP-SAT model exactly when
    ``row_violations`` (the greedy's check) finds nothing."""
    rng = random.Random(seed)
    shifts = [ShiftType("E", 480), ShiftType("L", 480, frozenset({"E"}))]
    horizon = 5
    e = EmployeeRules("X", max_consecutive=rng.choice([2, 3, 4]), min_consecutive=rng.choice([1, 2, 3]),
                      min_days_off=rng.choice([1, 2]),
                      days_off=frozenset(rng.sample(range(horizon), rng.choice([0, 1]))),
                      history=tuple(rng.choice([None, "E", "L"]) for _ in range(rng.randrange(5))))
    p = ShiftProblem(horizon, shifts, [e])
    _assert_model_allows_exactly_the_clean_rows(p, e)


def test_history_greedy_start_and_solve_keep_every_rule():
    """Residential-like week with histories ending in nights and long runs: start and result are feasible."""
    employees = [EmployeeRules(f"E{i}", max_minutes=5 * 480, max_consecutive=5, weekly_free_pair=True,
                               history=("D", "D", "D", "D", "N") if i % 3 == 0 else (None, "A") if i % 3 == 1 else ())
                 for i in range(9)]
    cover = [CoverDemand(d, s, 2 if s != "N" else 1, 1000, 1) for d in range(7) for s in ("D", "A", "N")]
    p = ShiftProblem(7, DAN, employees, cover=cover)
    roster, failed = greedy_roster(p, seed=2)
    assert all(row_violations(p, e, roster[e.id]) == 0 for e in employees if e.id not in failed)
    res = solve_shifts(p, ShiftSolveOptions(time_limit=5, workers=1))
    assert res.roster is not None and all(row_violations(p, e, res.roster[e.id]) == 0 for e in employees)
    for e in employees:
        if e.history and e.history[-1] == "N":
            assert res.roster[e.id][0] is None  # five days in a row ended with the night: day 0 off


@pytest.mark.parametrize("seed", range(12))
def test_history_weekly_free_pair_model_and_row_check_agree(seed):
    """Brute force with two days off in a row per calendar week, on horizons starting any weekday: the
    week begun in a known history and a last week of six days count, an unknown history does not."""
    rng = random.Random(seed)
    shifts = [ShiftType("E", 480), ShiftType("L", 480, frozenset({"E"}))]
    horizon, first_weekday = rng.choice([3, 5, 6]), rng.randrange(1, 7)
    history = tuple(rng.choice([None, "E", "L", "E"]) for _ in range(first_weekday + rng.choice([-1, 0, 0, 1])))
    e = EmployeeRules("X", weekly_free_pair=True, days_off=frozenset(rng.sample(range(horizon), rng.choice([0, 1]))),
                      history=history)
    p = ShiftProblem(horizon, shifts, [e], first_weekday=first_weekday)
    assert p.free_pair_weeks(e)[:1] == ([-first_weekday] if len(history) >= first_weekday else [])
    _assert_model_allows_exactly_the_clean_rows(p, e)


def test_history_weekly_free_pair_holds_in_the_week_the_period_starts_in():
    """A Thursday start after Monday-Wednesday worked: two of Thursday-Sunday off; a Sunday start after a
    week without two days off in a row: Sunday off; without history the part week asks nothing."""
    cover = [CoverDemand(d, "D", 1, 100, 1) for d in range(4)]
    worked = EmployeeRules("X", weekly_free_pair=True, history=(None, "D", "D", "D"))
    obj, roster = _solve(build(ShiftProblem(4, DAN[:1], [worked], cover=cover, first_weekday=3)))
    assert obj == 200 and roster["X"].count(None) == 2 and "None, None" in repr(roster["X"])
    unknown = EmployeeRules("X", weekly_free_pair=True, history=("D", "D"))  # Monday unknown: as before
    assert _solve(build(ShiftProblem(4, DAN[:1], [unknown], cover=cover, first_weekday=3)))[0] == 0
    sunday = EmployeeRules("X", weekly_free_pair=True, history=(None, "D", None, "D", None, "D"))
    p = ShiftProblem(1, DAN[:1], [sunday], cover=cover[:1], first_weekday=6)
    assert _solve(build(p)) == (100, {"X": [None]}) and row_violations(p, sunday, ["D"]) == 1
    rested = EmployeeRules("X", weekly_free_pair=True, history=(None, None, "D", "D", "D", "D"))
    assert _solve(build(ShiftProblem(1, DAN[:1], [rested], cover=cover[:1], first_weekday=6)))[0] == 0


def _assert_model_allows_exactly_the_clean_rows(p: ShiftProblem, e: EmployeeRules) -> None:
    """Every row over shifts E/L of e's horizon: the CP-SAT model allows it exactly when ``row_violations``
    (the greedy's check) finds nothing."""
    sm = build(p)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    for cells in itertools.product([None, "E", "L"], repeat=p.horizon):
        row = list(cells)
        if any(c is not None and (e.id, d, c) not in sm.x for d, c in enumerate(row)):
            allowed = False  # no variable: the model can never give this cell
        else:
            sm.model.ClearAssumptions()
            sm.model.AddAssumptions([v if row[d] == sid else v.Not() for (_, d, sid), v in sm.x.items()])
            allowed = solver.Solve(sm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        assert allowed == (row_violations(p, e, row) == 0), (e, p.first_weekday, row)
