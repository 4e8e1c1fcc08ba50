"""Fair shares in the generic shift model: weight x (max - min) of nights or weekend days per employee.

The CP-SAT objective (whole model and windows), the LNS's plain-Python ``Penalty`` and an independent
count must agree exactly; on a tiny instance the optimum is checked by brute force.
"""

from __future__ import annotations

import itertools
import random

import pytest

from solver.shifts import CoverDemand, EmployeeRules, FairShare, ShiftProblem, ShiftRequest, ShiftType
from solver.shifts.build import build
from solver.shifts.greedy import greedy_roster, row_violations
from solver.shifts.lns import repair_parallel
from solver.shifts.penalty import Penalty
from tests.test_shift_model import solve_optimally

DAN = [ShiftType("D", 480), ShiftType("A", 480, frozenset({"D"})), ShiftType("N", 480, frozenset({"D", "A"}))]


def _problem(seed: int, staff: int = 5, days: int = 14) -> ShiftProblem:
    rng = random.Random(seed)
    ids = [f"E{i}" for i in range(staff)]
    employees = [EmployeeRules(e, {"N": 0} if i == 0 else {}, max_consecutive=5,
                               days_off=frozenset({rng.randrange(days)})) for i, e in enumerate(ids)]
    cover = [CoverDemand(d, s, rng.randint(0, 2), 100, 1) for d in range(days) for s in ("D", "A", "N")]
    on = [ShiftRequest(rng.choice(ids), rng.randrange(days), rng.choice("DAN"), rng.randint(1, 5)) for _ in range(4)]
    fair = [FairShare(frozenset({"N"}), False, 7, frozenset(ids[1:])), FairShare(None, True, 3)]
    return ShiftProblem(days, DAN, employees, on_requests=on, cover=cover, first_weekday=rng.randrange(7),
                        fair_shares=fair)


def _independent(p: ShiftProblem, roster) -> int:
    """The objective written out: cover, requests, and per fair share weight x (max - min)."""
    total = 0
    for c in p.cover:
        n = sum(1 for row in roster.values() if row[c.day] == c.shift)
        total += (c.required - n) * c.under_weight if n < c.required else (n - c.required) * c.over_weight
    total += sum(r.weight for r in p.on_requests if roster[r.employee][r.day] != r.shift)
    weekend = {d for d in range(p.horizon) if (p.first_weekday + d) % 7 in (5, 6)}
    for fs in p.fair_shares:
        members = [e.id for e in p.employees if fs.employees is None or e.id in fs.employees]
        counts = [sum(1 for d, c in enumerate(roster[e]) if c and (fs.shifts is None or c in fs.shifts)
                      and (not fs.weekend or d in weekend)) for e in members]
        total += fs.weight * (max(counts) - min(counts))
    return total


@pytest.mark.parametrize("seed", range(4))
def test_fair_share_penalty_offset_and_delta_agree(seed):
    """A fixed roster's model offset, ``Penalty`` and the independent count; row replacements via delta."""
    p = _problem(seed)
    rng = random.Random(seed)
    roster = {e.id: [rng.choice([None, "D", "A", "N"]) for _ in range(p.horizon)] for e in p.employees}
    pen = Penalty(p, roster)
    assert pen.value == build(p, [], roster).offset == _independent(p, roster)
    for _ in range(25):
        eid = rng.choice([e.id for e in p.employees])
        row = [rng.choice([None, "D", "A", "N"]) for _ in range(p.horizon)]
        before, delta = pen.value, pen.delta({eid: row})
        pen.apply({eid: row})
        roster[eid] = row
        assert pen.value == before + delta == _independent(p, roster)


@pytest.mark.parametrize("seed", range(3))
def test_fair_share_window_objective_is_the_merged_penalty(seed):
    """A window move (two employees free on days 4-9): its optimum is the penalty of the merged roster."""
    p = _problem(seed)
    start, failed = greedy_roster(p, seed)
    assert not failed
    roster, objective = solve_optimally(build(p, ["E1", "E2"], start, range(4, 10)), start)
    assert objective == Penalty(p, roster).value == _independent(p, roster) <= Penalty(p, start).value
    assert all(row_violations(p, e, roster[e.id]) == 0 for e in p.employees)


def test_fair_share_optimum_matches_brute_force():
    """Three employees, three days, a day and a night shift wanted each day: A wishes every night, but
    the spread of nights costs more than the wishes."""
    shifts = [ShiftType("D", 480), ShiftType("N", 480, frozenset({"D"}))]
    employees = [EmployeeRules(e) for e in "ABC"]
    cover = [CoverDemand(d, s, 1, 50, 5) for d in range(3) for s in ("D", "N")]
    p = ShiftProblem(3, shifts, employees, cover=cover, on_requests=[ShiftRequest("A", d, "N", 2) for d in range(3)],
                     fair_shares=[FairShare(frozenset({"N"}), False, 3)])
    rows = [list(r) for r in itertools.product([None, "D", "N"], repeat=3)]
    best = None
    for combo in itertools.product(rows, repeat=3):
        roster = {e.id: r for e, r in zip(employees, combo)}
        if all(row_violations(p, e, roster[e.id]) == 0 for e in employees):
            cost = _independent(p, roster)
            best = cost if best is None else min(best, cost)
    roster, objective = solve_optimally(build(p))
    assert objective == best == Penalty(p, roster).value
    assert sorted(r.count("N") for r in roster.values()) == [1, 1, 1]
    p.fair_shares = []
    assert _solve_value(build(p)) < best and _solve_value(build(p)) == 0  # without it A takes every night


def _solve_value(sm) -> int:
    return solve_optimally(sm)[1]


def test_fair_share_repair_keeps_value_exact():
    """The parallel LNS with fair shares: its running value is the roster's penalty."""
    import time

    p = _problem(5, staff=6, days=21)
    start, failed = greedy_roster(p, 5)
    assert not failed
    roster, value, stats = repair_parallel(p, start, time.monotonic() + 1.5, 2, seed=1, move_limit=0.5)
    assert stats["moves"] > 0 and value == _independent(p, roster) <= Penalty(p, start).value
    assert all(row_violations(p, e, roster[e.id]) == 0 for e in p.employees)
