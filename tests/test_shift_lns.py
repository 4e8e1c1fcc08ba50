"""The parallel LNS of solver.shifts.lns: its incremental penalty and its moves, judged by the
independent Curtois evaluator on small random instances (no benchmark files needed)."""

from __future__ import annotations

import random
import time

import pytest

from planner.curtois import evaluate, parse_instance
from solver.shifts.curtois import problem_from_curtois
from solver.shifts.greedy import greedy_roster
from solver.shifts.lns import repair_parallel
from solver.shifts.penalty import Penalty
from solver.shifts.problem import CoverDemand, EmployeeRules, ShiftProblem, ShiftRequest, ShiftType
from tests.test_shift_model import random_instance


@pytest.mark.parametrize("seed", range(3))
def test_penalty_delta_matches_the_evaluator(seed):
    """Replacing rows one after the other: the running value always equals the evaluator's penalty."""
    inst = parse_instance(random_instance(seed, 5, ["E", "L", "N"], days=14))
    problem = problem_from_curtois(inst)
    roster, _ = greedy_roster(problem, seed)
    pen = Penalty(problem, roster)
    assert pen.value == evaluate(inst, roster).penalty
    rng = random.Random(seed)
    for _ in range(20):
        eid = rng.choice(list(inst.staff))
        row = [rng.choice([None, "E", "L", "N"]) for _ in range(inst.horizon)]
        before = pen.value
        delta = pen.delta({eid: row})
        pen.apply({eid: row})
        roster[eid] = row
        assert pen.value == before + delta == evaluate(inst, roster).penalty


@pytest.mark.parametrize("workers", [1, 2])
def test_repair_never_worsens_and_keeps_every_rule(workers):
    """Moves on one or two threads: the result is hard-feasible and its value is its penalty."""
    inst = parse_instance(random_instance(3, 6, ["E", "L"], days=28))
    problem = problem_from_curtois(inst)
    start, failed = greedy_roster(problem, 3)
    if failed or not evaluate(inst, start).feasible:
        pytest.skip("greedy start not complete for this random instance")
    before = evaluate(inst, start).penalty
    roster, value, stats = repair_parallel(problem, start, time.monotonic() + 2.0, workers, seed=1, move_limit=0.5)
    ev = evaluate(inst, roster)
    assert ev.feasible, ev.violations
    assert value == ev.penalty <= before
    assert stats["moves"] > 0


def _two_nurses(max_nights: int) -> ShiftProblem:
    """Two employees, 3 days, night cover 2 a day: at most ``max_nights`` nights each."""
    return ShiftProblem(
        horizon=3, shifts=[ShiftType("N", 480), ShiftType("D", 480)],
        employees=[EmployeeRules("a", max_per_shift={"N": max_nights}),
                   EmployeeRules("b", max_per_shift={"N": max_nights}, max_minutes=3 * 480)],
        on_requests=[ShiftRequest("a", 0, "D", 2)], off_requests=[ShiftRequest("b", 1, "N", 1)],
        cover=[CoverDemand(d, "N", 2, 100, 1) for d in range(3)])


def test_missed_skips_a_shortage_no_one_can_take():
    """A night short while both night workers are at their maximum of nights is no place to search;
    with room for one more night it is."""
    roster = {"a": ["N", "N", None], "b": ["N", "N", None]}
    assert Penalty(_two_nurses(2), roster).missed() == []
    assert Penalty(_two_nurses(3), roster).missed() == [(2, "N")]


def test_missed_keeps_every_gap_while_some_cover_is_over():
    """Over cover somewhere: moving that work can close any shortage, so every gap counts."""
    problem = _two_nurses(2)
    problem.cover.append(CoverDemand(2, "D", 0, 100, 1))
    roster = {"a": ["N", "N", "D"], "b": ["N", "N", None]}
    assert sorted(Penalty(problem, roster).missed()) == [(2, "D"), (2, "N")]


def _night_and_day(spare_minutes: bool) -> ShiftProblem:
    """A trade in small (Instance13: nearly everyone at their maximum minutes): a night short; n has a
    night left but no minutes, d works days only and has minutes left when ``spare_minutes``. n can take
    the night only by giving a day to d."""
    return ShiftProblem(
        horizon=3, shifts=[ShiftType("N", 480), ShiftType("D", 480)],
        employees=[EmployeeRules("n", max_per_shift={"N": 2}, max_minutes=2 * 480),
                   EmployeeRules("d", max_per_shift={"N": 0}, max_minutes=(3 if spare_minutes else 1) * 480)],
        cover=[CoverDemand(d, "N", 1, 100, 1) for d in range(3)] + [CoverDemand(0, "D", 1, 100, 1)])


def test_missed_keeps_a_shortage_someone_can_take_by_giving_up_another_shift():
    """n is below their nights but at their minutes: the night short is a place to search while someone
    (d) has minutes left to take n's day over, and not when no one has (Instance9: every employee at
    their maximum minutes)."""
    roster = {"n": ["D", "N", None], "d": [None, None, None]}
    pen = Penalty(_night_and_day(spare_minutes=True), roster)
    assert (pen.reach().takers.get("N", set()), pen.reach().traders["N"], pen.reach().spare) == (set(), {"n"}, {"d"})
    assert sorted(pen.missed()) == [(0, "N"), (2, "N")]
    full = {"n": ["D", "N", None], "d": [None, None, "D"]}
    assert Penalty(_night_and_day(spare_minutes=False), full).missed() == []


def test_a_move_at_a_shortage_without_takers_frees_the_traders_then_those_with_minutes_left():
    """No one may take one more night outright: the move frees first those below their nights (who then
    give up a day), and among the others first those with minutes left to take that day over."""
    from solver.shifts.lns import _pick, _skills

    staff = ([EmployeeRules(f"t{i}", max_per_shift={"N": 2}, max_minutes=2 * 480) for i in range(2)]
             + [EmployeeRules(f"s{i}", max_per_shift={"N": 0}, max_minutes=3 * 480) for i in range(2)]
             + [EmployeeRules(f"f{i}", max_per_shift={"N": 1}, max_minutes=480) for i in range(6)])
    problem = ShiftProblem(horizon=3, shifts=[ShiftType("N", 480), ShiftType("D", 480)], employees=staff,
                           cover=[CoverDemand(d, "N", 3, 100, 1) for d in range(3)])
    rows = {"t0": ["D", "N", None], "t1": [None, "D", "N"], "s0": ["D", None, None], "s1": [None, None, "D"],
            "f0": ["N", None, None], "f1": ["N", None, None], "f2": ["N", None, None],
            "f3": [None, "N", None], "f4": [None, "N", None], "f5": [None, None, "N"]}
    pen = Penalty(problem, rows)
    assert pen.missed() == [(2, "N")]
    for seed in range(20):
        rng = random.Random(seed)
        rng.random = lambda: 0.0  # always a move around a hot spot
        free, _ = _pick(problem, rng, "rows", 4 * 3, set(), pen, _skills(problem), most=10)
        assert set(free[:2]) == {"t0", "t1"} and set(free[2:]) == {"s0", "s1"}


def test_unmet_requests_lists_on_and_off_requests_not_granted():
    roster = {"a": ["N", None, None], "b": [None, "N", None]}
    assert sorted(Penalty(_two_nurses(2), roster).unmet_requests()) == [("a", 0, "D"), ("b", 1, "N")]
    granted = {"a": ["D", None, None], "b": [None, None, None]}
    assert Penalty(_two_nurses(2), granted).unmet_requests() == []


def test_takers_are_those_below_their_count_and_minutes():
    """Who may still take one more of a shift: a at 2 of 3 nights; b has nights left but not the minutes
    (3 shifts of 480 at most, 2 worked, so one more fits; with 3 worked none does)."""
    problem = _two_nurses(3)
    assert Penalty(problem, {"a": ["N", "N", None], "b": ["N", "N", None]}).reach().takers["N"] == {"a", "b"}
    assert Penalty(problem, {"a": ["N", "N", "N"], "b": ["N", "N", "D"]}).reach().takers.get("N", set()) == set()
    assert Penalty(problem, {"a": ["N", "N", None], "b": ["N", "D", "D"]}).reach().takers["N"] == {"a"}
    pen = Penalty(problem, {"a": ["N", "N", None], "b": ["N", "N", None]})
    assert pen.reach().takers["N"] == {"a", "b"}
    pen.apply({"a": ["N", "N", "N"]})  # a change of the roster: asked again, the answer follows it
    assert pen.reach().takers["N"] == {"b"}


def test_a_move_at_a_shortage_takes_those_who_can_still_take_the_shift_first():
    """A night short: the move around it frees the employees with nights left before the others able to
    work nights (Instance13: 30-40 covers short while most able staff are at some limit)."""
    from solver.shifts.lns import _pick, _skills

    staff = [EmployeeRules(f"e{i}", max_per_shift={"N": 1 if i < 8 else 3}) for i in range(10)]
    problem = ShiftProblem(horizon=3, shifts=[ShiftType("N", 480)], employees=staff,
                           cover=[CoverDemand(d, "N", 4, 100, 1) for d in range(3)])
    rows = [["N", None, None]] * 4 + [[None, "N", None]] * 4 + [[None, None, None]] * 2
    pen = Penalty(problem, {e.id: list(row) for e, row in zip(staff, rows)})
    assert pen.missed() == [(2, "N")]  # e0-e7 are at their one night, e8 and e9 have three left
    for seed in range(20):
        rng = random.Random(seed)
        rng.random = lambda: 0.0  # always a move around a hot spot
        free, _ = _pick(problem, rng, "rows", 2 * 3, set(), pen, _skills(problem), most=10)
        assert free[0] in {"e8", "e9"}  # of the two freed first, one with nights left
