"""Column generation for shift rosters (solver.shifts.colgen and the column start of solver.shifts.solve):
the LP's Lagrangian bound never exceeds the exact optimum, every column is a feasible row, and the
column start returns a hard-feasible roster whose objective is its benchmark penalty. Small random
instances, judged by the independent Curtois evaluator (no benchmark files needed)."""

from __future__ import annotations

import time

import pytest
from ortools.sat.python import cp_model

from planner.curtois import evaluate, parse_instance
from solver.shifts import colgen
from solver.shifts.build import build
from solver.shifts.curtois import problem_from_curtois
from solver.shifts.greedy import greedy_roster, row_violations
from solver.shifts.problem import Companion, FairShare
from solver.shifts.solve import ShiftSolveOptions, _Clock, column_start, solve_shifts
from tests.test_shift_model import random_instance, solve_optimally


def _problem(seed: int, staff: int = 5, days: int = 14):
    inst = parse_instance(random_instance(seed, staff, ["E", "L", "N"], days=days))
    return inst, problem_from_curtois(inst)


def _start(problem, seed: int):
    roster, failed = greedy_roster(problem, seed)
    if failed:
        pytest.skip("greedy start not complete for this random instance")
    return roster


@pytest.mark.parametrize("seed", range(4))
def test_colgen_bound_never_exceeds_the_exact_optimum(seed):
    """Generation until no row helps: LP >= optimum's lower bound, and the bound <= the exact optimum."""
    inst, problem = _problem(seed)
    cg = colgen.column_generation(problem, [_start(problem, seed)], time.monotonic() + 20, workers=2)
    assert cg is not None and cg.rounds > 0
    _, optimum = solve_optimally(build(problem), limit=30)
    assert 0 < cg.bound <= optimum + 1e-6
    assert cg.bound <= cg.master.value + 1e-6


def _priced_sizes(monkeypatch) -> list[int]:
    """Record how many employees each pricing round prices (to see that group rounds really ran)."""
    sizes: list[int] = []
    real = colgen.ColumnGeneration.round

    def spy(self, deadline, limit=colgen.PRICING_LIMIT, only=None):
        sizes.append(len(self.pricers) if only is None else len(only))
        return real(self, deadline, limit, only)

    monkeypatch.setattr(colgen.ColumnGeneration, "round", spy)
    return sizes


@pytest.mark.parametrize("seed", range(3))
def test_colgen_partial_pricing_converges_with_a_valid_bound(seed, monkeypatch):
    """Group-by-group pricing (forced on a small team): the bound still comes from rounds over everyone,
    stays below the exact optimum, and generation still runs until the LP meets its bound."""
    monkeypatch.setattr(colgen, "_groups", lambda team: 2)
    sizes = _priced_sizes(monkeypatch)
    inst, problem = _problem(seed, staff=6)
    cg = colgen.column_generation(problem, [_start(problem, seed)], time.monotonic() + 20, workers=2)
    assert 3 in sizes and 6 in sizes  # rounds over half the team, and over all of it for the bound
    _, optimum = solve_optimally(build(problem), limit=30)
    assert 0 < cg.bound <= optimum + 1e-6
    assert cg.master.value - cg.bound < 0.5 or cg.proven  # converged: the LP meets the bound or no row helps


@pytest.mark.parametrize("seed", range(3))
def test_colgen_lagrangian_bound_holds_at_any_duals_in_the_box(seed):
    """The bound formula does not need the LP's optimal duals: at random duals inside their box (an under
    slack at most its weight, an over slack at least minus its weight) and proven pricing it stays below
    the exact optimum."""
    import random

    _, problem = _problem(seed)
    cg = colgen.column_generation(problem, [_start(problem, seed)], time.monotonic() + 5, workers=2)
    rng = random.Random(seed)
    duals = {k: rng.randint(lo * colgen.SCALE, hi * colgen.SCALE) for k, (lo, hi) in cg.master.box.items()}
    priced = {eid: pricer.price(duals, 10.0) for eid, pricer in cg.pricers.items()}
    assert all(exact for _, exact, _ in priced.values())
    _, optimum = solve_optimally(build(problem), limit=30)
    assert cg.master.lagrangian(duals, {eid: lower for eid, (lower, _, _) in priced.items()}) <= optimum + 1e-6


def test_colgen_duals_are_integers_on_the_scale_grid_inside_their_box():
    """The pricing searches and the bound read the same integer duals (1/SCALE units), each inside its box,
    so the bound needs no allowance for rounding: it is exact for those duals."""
    _, problem = _problem(0)
    cg = colgen.column_generation(problem, [_start(problem, 0)], time.monotonic() + 5, workers=2)
    duals, _ = cg.master.solve()
    assert duals and all(isinstance(v, int) for v in duals.values())
    assert all(lo * colgen.SCALE <= duals[k] <= hi * colgen.SCALE for k, (lo, hi) in cg.master.box.items())
    assert any(duals.values())  # the cover is priced at all


@pytest.mark.parametrize("seed", range(3))
def test_colgen_columns_are_feasible_rows_with_their_request_cost(seed):
    """Every column the pricing adds keeps the employee's own rules; its LP cost is its requests."""
    inst, problem = _problem(seed)
    cg = colgen.column_generation(problem, [_start(problem, seed)], time.monotonic() + 10, workers=2)
    by_id = {e.id: e for e in problem.employees}
    for eid, columns in cg.master.columns.items():
        assert columns
        for row in columns:
            assert row_violations(problem, by_id[eid], list(row)) == 0, (eid, row)
            alone = {e: ([None] * problem.horizon if e != eid else list(row)) for e in inst.staff}
            ev = evaluate(inst, alone)
            mine = ev.on_penalty + ev.off_penalty  # the others are off: all their on requests unmet, no off request hit
            others_on = sum(r.weight for r in inst.on_requests if r.staff != eid)
            assert cg.master.costs.row(eid, row) == mine - others_on


def test_colgen_prices_a_row_for_an_employee_without_columns():
    """No start row at all: pricing with an unbounded convexity dual supplies a feasible one."""
    inst, problem = _problem(1)
    cg = colgen.column_generation(problem, [], time.monotonic() + 10, workers=1)
    assert cg is not None
    assert all(cg.master.columns[e.id] for e in problem.employees)


@pytest.mark.parametrize("seed, groups", [(0, 1), (1, 1), (2, 1), (0, 2), (1, 2)])
def test_colgen_dive_keeps_fixed_rows_and_rounds_to_feasible_rows(seed, groups, monkeypatch):
    """The dive's rounded roster is one column per employee; a fixed employee's other columns are closed.
    Also with the unfixed employees priced a group at a time (forced on a small team)."""
    monkeypatch.setattr(colgen, "_groups", lambda team: groups)
    inst, problem = _problem(seed, staff=6)
    cg = colgen.column_generation(problem, [_start(problem, seed)], time.monotonic() + 10, workers=2)
    sizes = _priced_sizes(monkeypatch)
    rounded, fixed = colgen.dive(cg, time.monotonic() + 10)
    # each dive round prices only unfixed employees: all of them, or about half with two groups
    assert sizes and max(sizes) <= (6 - 1 if groups == 1 else 3)
    assert set(rounded) == set(inst.staff)
    assert fixed
    for eid, row in rounded.items():
        assert tuple(row) in cg.master.columns[eid]
        if eid in fixed:  # only the fixed row stays open in the master
            assert [r for r, v in cg.master.columns[eid].items() if v.ub() > 0] == [tuple(row)]
    assert evaluate(inst, rounded).feasible


def test_colgen_dive_leaves_rest_rows_between_a_quarter_and_half_the_team():
    """Instance8's 30 staff: half fixed (15 left); 40: 25 fixed; 60 (Instance12): three quarters; small teams half."""
    assert colgen.REST_ROWS == 15
    assert colgen.dive_share(30) == 0.5 and colgen.dive_share(40) == 0.625
    assert colgen.dive_share(60) == colgen.dive_share(120) == 0.75
    assert colgen.dive_share(6) == 0.5


def test_colgen_dive_paces_its_fixes_to_the_deadline():
    """One row per step while there is time; when the steps so far say one at a time will not reach the
    share before the deadline, as many per step as reach it (10 steps of 1 s, 5 s left, 18 rows to go: 4)."""
    now = time.monotonic()
    assert colgen._pace(18, now, 0, now + 5) == 1
    assert colgen._pace(18, now - 10, 10, now + 5) == 4
    assert colgen._pace(3, now - 10, 10, now + 100) == 1
    assert colgen._pace(7, now - 10, 10, now) == 7  # out of time: the whole rest at once


@pytest.mark.parametrize("seed", range(3))
def test_column_start_is_hard_feasible_and_scored_exactly(seed):
    """Generation, dive and the exact rest: a feasible roster whose objective is the evaluator's penalty,
    and a bound no higher than it (whether it beats the start is the caller's choice, see below)."""
    inst, problem = _problem(seed, staff=6, days=28)
    start = _start(problem, seed)
    clock = _Clock(20)
    roster, objective, bound, info = column_start(problem, start, clock, ShiftSolveOptions(time_limit=20),
                                                  (6.0, 12.0, 18.0))
    assert roster is not None, info
    ev = evaluate(inst, roster)
    assert ev.feasible, ev.violations
    assert objective == ev.penalty
    assert bound <= objective
    assert info["rounds"] > 0 and info["fixed"] > 0


def _shortage(problem, roster) -> int:
    """Weighted under-cover of a roster, counted straight from the cover demands."""
    return sum(c.under_weight * max(c.required - sum(row[c.day] == c.shift for row in roster.values()), 0)
               for c in problem.cover)


@pytest.mark.parametrize("seed", range(3))
def test_exact_rest_settles_the_least_shortage_then_the_whole_objective(seed):
    """The dive's rest by levels: the shortage it keeps is the least any roster of the free rows reaches
    (an exact solve of the shortage alone says which), the roster has exactly that shortage, and its
    objective is the evaluator's penalty, no better than the exact optimum over the same rows."""
    from solver.shifts.solve import _exact_rest

    inst, problem = _problem(seed, staff=6, days=14)
    start = _start(problem, seed)
    free = [e.id for e in problem.employees[:4]]
    alone = build(problem, free, start)
    alone.model.Minimize(sum(alone.shortage))
    least = solve_optimally(alone, start)[1]
    _, optimum = solve_optimally(build(problem, free, start), start)

    sm = build(problem, free, start)
    s, status, level = _exact_rest(sm, start, time.monotonic() + 20, ShiftSolveOptions())
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assert level == least
    roster = sm.roster(s, start)
    assert _shortage(problem, roster) == least
    ev = evaluate(inst, roster)
    assert ev.feasible, ev.violations
    assert round(s.ObjectiveValue()) == ev.penalty >= optimum


def test_colgen_master_solves_again_without_presolve_to_the_same_lp():
    """The fallback when GLOP's presolve gives up (Instance8 in a dive): from scratch without presolve, the
    same optimum and duals that keep the bound valid; the next solve runs with presolve as before."""
    from ortools.linear_solver import pywraplp

    _, problem = _problem(1, staff=5, days=14)
    cg = colgen.column_generation(problem, [_start(problem, 1)], time.monotonic() + 5, 1)
    value = cg.master.value
    assert cg.master._solve_plain() == pywraplp.Solver.OPTIMAL
    assert cg.master.lp.Objective().Value() == pytest.approx(value)
    cg.master.solve()
    assert cg.master.value == pytest.approx(value)

    class GivesUpOnce:  # GLOP's first answer ABNORMAL, as seen on Instance8
        def __init__(self, lp):
            self.lp, self.calls = lp, 0

        def Solve(self, *args):
            self.calls += 1
            return pywraplp.Solver.ABNORMAL if self.calls == 1 else self.lp.Solve(*args)

        def __getattr__(self, name):
            return getattr(self.lp, name)

    cg.master.lp = GivesUpOnce(cg.master.lp)
    cg.master.solve()
    assert cg.master.lp.calls == 2 and cg.master.value == pytest.approx(value)


@pytest.mark.parametrize("far", [False, True])
def test_column_start_ends_the_dive_early_when_the_lp_is_far_from_its_bound(far, monkeypatch):
    """An LP more than FAR_GAP above its Lagrangian bound (Instance15, 18) dives until FAR_ENDS and leaves
    the rest of the minute to the search after it; a near one keeps the given ends."""
    from solver.shifts import solve

    _, problem = _problem(0, staff=6, days=28)
    start = _start(problem, 0)
    generate = colgen.column_generation

    def generated(*args, **kwargs):  # the gap set outright: whether generation converged is not the point
        cg = generate(*args, **kwargs)
        cg.bound = (0.5 if far else 0.95) * cg.master.value
        return cg

    class DiveEnded(Exception):
        pass

    def dive(cg, deadline):
        raise DiveEnded(deadline)  # what comes after the dive is tested above

    monkeypatch.setattr(colgen, "column_generation", generated)
    monkeypatch.setattr(colgen, "dive", dive)
    clock = _Clock(20)
    with pytest.raises(DiveEnded) as ended:
        column_start(problem, start, clock, ShiftSolveOptions(time_limit=20), (6.0, 16.0, 18.0))
    assert ended.value.args[0] == pytest.approx(clock.t0 + (solve.FAR_ENDS[0] * 20 if far else 16.0))


@pytest.mark.parametrize("seed", range(2))
def test_solve_keeps_the_better_of_start_and_columns(seed):
    """solve_shifts runs the column start on a cover-only problem and never returns worse than its start."""
    inst, problem = _problem(seed, staff=6, days=28)
    _start(problem, seed)
    result = solve_shifts(problem, ShiftSolveOptions(time_limit=8))
    assert "colgen" in result.phases and result.phases["colgen"]["rounds"] > 0
    ev = evaluate(inst, result.roster)
    assert ev.feasible, ev.violations
    assert result.objective == ev.penalty <= result.phases["construct"]["objective"]
    assert result.bound <= result.objective


def test_colgen_only_where_rows_meet_in_the_cover_alone():
    """Companions and fair shares couple rows outside the cover: the master cannot express them."""
    _, problem = _problem(0)
    assert colgen.applies(problem)
    problem.companions.append(Companion(frozenset({"E"}), frozenset({"A"}), frozenset({"B"})))
    assert not colgen.applies(problem)
    problem.companions.clear()
    problem.fair_shares.append(FairShare(frozenset({"N"}), False, 1))
    assert not colgen.applies(problem)


def test_colgen_quick_pricing_on_long_rows_keeps_a_valid_bound():
    """Rows of seven weeks price with the quick limit; the bound from unproven searches stays valid."""
    inst, problem = _problem(2, staff=4, days=49)
    cg = colgen.column_generation(problem, [_start(problem, 2)], time.monotonic() + 15, workers=2)
    assert cg is not None and cg.quick == colgen.QUICK
    _, optimum = solve_optimally(build(problem), limit=60)
    assert 0 < cg.bound <= optimum + 1e-6
