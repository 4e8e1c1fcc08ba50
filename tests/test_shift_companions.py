"""Companions in the generic shift model: a junior works a shift only with a senior on it that day."""

from __future__ import annotations

import itertools

from ortools.sat.python import cp_model

from solver.shifts import (Companion, CoverDemand, EmployeeRules, ShiftProblem, ShiftSolveOptions, ShiftType,
                           companion_violations, solve_shifts)
from solver.shifts.build import build
from solver.shifts.greedy import greedy_roster, row_violations


def tiny(days: int = 3) -> ShiftProblem:
    """J (junior), S (senior, off on day 1) and O (neither); two wanted on D and one on L every day."""
    shifts = [ShiftType("D", 480), ShiftType("L", 480, frozenset({"D"}))]
    employees = [EmployeeRules("J"), EmployeeRules("S", days_off=frozenset({1})), EmployeeRules("O")]
    cover = [CoverDemand(d, "D", 2, 100, 1) for d in range(days)] + [CoverDemand(d, "L", 1, 10, 1) for d in range(days)]
    return ShiftProblem(days, shifts, employees, cover=cover,
                        companions=[Companion(frozenset({"D"}), frozenset({"J"}), frozenset({"S"}))])


def _solve(sm) -> tuple[int, dict]:
    s = cp_model.CpSolver()
    s.parameters.num_workers = 1
    assert s.Solve(sm.model) == cp_model.OPTIMAL
    return round(s.ObjectiveValue()), sm.roster(s)


def _feasible(p: ShiftProblem, roster) -> bool:
    return all(row_violations(p, e, roster[e.id]) == 0 for e in p.employees) and companion_violations(p, roster) == 0


def test_add_companions_optimum_matches_brute_force():
    p = tiny()
    best = None
    for combo in itertools.product(itertools.product([None, "D", "L"], repeat=p.horizon), repeat=3):
        roster = {e.id: list(r) for e, r in zip(p.employees, combo)}
        if _feasible(p, roster):
            cost = build(p, [], roster).offset  # nothing free: the roster's penalty as a constant
            best = cost if best is None else min(best, cost)
    obj, roster = _solve(build(p))
    assert obj == best and companion_violations(p, roster) == 0
    assert roster["J"][1] != "D"  # S is off on day 1: J may not work D then
    p.companions = []
    assert _solve(build(p))[0] < obj  # the rule costs something here


def test_add_companions_window_with_fixed_cells():
    p = tiny()
    fixed = {"J": ["D", None, "D"], "S": [None, None, "D"], "O": ["D", "D", "L"]}
    assert companion_violations(p, fixed) == 1  # day 0: J on D without S
    _, roster = _solve(build(p, ["S"], fixed, days=range(0, 1)))  # only S on day 0 free: S must join J
    assert roster["S"][0] == "D" and roster["S"][1:] == [None, "D"] and companion_violations(p, roster) == 0
    _, roster = _solve(build(p, ["J"], {**fixed, "S": [None, None, None]}))  # no senior ever on D: J never on D
    assert "D" not in roster["J"]


def test_add_companions_greedy_start_and_solve_keep_the_rule():
    shifts = [ShiftType("D", 480), ShiftType("A", 480, frozenset({"D"})), ShiftType("N", 480, frozenset({"D", "A"}))]
    employees = [EmployeeRules(f"E{i}", {"N": 0} if i < 4 else {}, max_minutes=5 * 480, max_consecutive=5,
                               weekly_free_pair=True) for i in range(10)]
    cover = [CoverDemand(d, s, 2 if s != "N" else 1, 1000, 1) for d in range(14) for s in ("D", "A", "N")]
    juniors = frozenset(f"E{i}" for i in range(4))
    p = ShiftProblem(14, shifts, employees, cover=cover,
                     companions=[Companion(frozenset({"D", "A"}), juniors, frozenset(f"E{i}" for i in range(4, 10)))])
    roster, _ = greedy_roster(p, seed=1)  # without the mend this start has two juniors alone on a shift
    assert _feasible(p, roster) and any(roster[j][d] for j in juniors for d in range(14))
    res = solve_shifts(p, ShiftSolveOptions(time_limit=10, workers=1, repair=False))
    assert res.roster is not None and _feasible(p, res.roster)
    assert any(res.roster[j][d] in ("D", "A") for j in juniors for d in range(14))  # juniors do work
