"""The parallel LNS of solver.shifts.lns: its incremental penalty and its moves, judged by the
independent Curtois evaluator on small random instances (no benchmark files needed)."""

from __future__ import annotations

import random
import time

import pytest

from planner.curtois import evaluate, parse_instance
from solver.shifts.curtois import problem_from_curtois
from solver.shifts.greedy import greedy_roster
from solver.shifts.lns import Penalty, repair_parallel
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
