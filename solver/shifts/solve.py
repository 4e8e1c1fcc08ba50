"""Solve a ShiftProblem: a greedy start roster, a short full CP-SAT run, LNS repair, the full model again.

Phases (one deadline for all of them):
1. ``construct``: the plain-Python greedy of ``solver.shifts.greedy`` (seconds even for a year);
   the few employees it cannot place get an exact one-employee CP-SAT row. Hard-feasible start.
2. ``probe``: the whole model with that roster as hint; its worker gets maximal linearisation
   (``max_lp``), which is what proves the small instances optimal and gives the bound.
3. ``repair``: free a set of employees on a window of days (built with only those cells as
   variables), re-optimise exactly, keep the result when it is not worse.
4. ``full``: the whole model again from the best roster. Long horizons skip 2 and 4.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Callable

from ortools.sat.python import cp_model

from solver.shifts.build import ShiftModel, build
from solver.shifts.greedy import greedy_roster
from solver.shifts.problem import Roster, ShiftProblem


@dataclass(frozen=True)
class ShiftSolveOptions:
    """Time limit (seconds, all phases), search workers, random seed and which phases run."""
    time_limit: float = 60.0
    workers: int = 2
    seed: int = 0
    construct: bool = True
    repair: bool = True
    full_share: float = 0.4  # share of the time left after construction kept for the full model
    log: bool = False


@dataclass
class ShiftResult:
    """Best roster found (None when none), its objective, the proven bound and timings per phase."""
    roster: Roster | None
    status: str
    objective: int | None
    bound: int
    seconds: float
    first_feasible: float | None
    phases: dict[str, dict] = field(default_factory=dict)


Progress = Callable[[str, float, int | None, int], None]  # phase, seconds, objective, bound


class _Clock:
    """Seconds since start and seconds left before the deadline."""

    def __init__(self, limit: float) -> None:
        self.t0, self.limit = time.monotonic(), limit

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def left(self) -> float:
        return max(0.0, self.limit - self.elapsed())


def _solver(limit: float, workers: int, seed: int, full: bool = False, log: bool = False) -> cp_model.CpSolver:
    """A CP-SAT solver; the full model's worker uses maximal linearisation (see docs/curtois.md)."""
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = max(limit, 0.01)
    s.parameters.num_workers = workers
    s.parameters.random_seed = seed
    s.parameters.log_search_progress = log
    if full and workers >= 2:
        s.parameters.linearization_level = 2
        s.parameters.subsolvers.append("max_lp")
    return s


def _objective(solver: cp_model.CpSolver) -> int:
    return int(round(solver.ObjectiveValue()))


def construct(problem: ShiftProblem, clock: _Clock, deadline: float, seed: int, workers: int = 2) -> Roster | None:
    """Start roster: the plain-Python greedy (seconds even for a year), then an exact CP-SAT row for
    every employee the greedy could not place, against the cover left open by the others.

    Returns None when an employee's own rules cannot be met in the time given.
    """
    roster, failed = greedy_roster(problem, seed)
    for i, eid in enumerate(failed):
        budget = (deadline - clock.elapsed()) / (len(failed) - i)
        if budget <= 0.05:
            return None
        sm = build(problem, [eid], roster)
        for limit in (3.0, 15.0):  # usually a row within a second; a hard one gets a second, longer try
            s = _solver(min(budget, limit), workers, seed)  # 2 workers: the feasibility jump helper finds rows fast
            st = s.Solve(sm.model)
            if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                break
        if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        roster = sm.roster(s, roster)
    return roster


class _FirstSolution(cp_model.CpSolverSolutionCallback):
    """Records when the full model finds its first solution and reports progress."""

    def __init__(self, clock: _Clock, progress: Progress | None) -> None:
        super().__init__()
        self.clock, self.progress, self.first = clock, progress, None

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = self.clock.elapsed()
        if self.progress:
            self.progress("full", self.clock.elapsed(), int(round(self.ObjectiveValue())),
                          int(round(self.BestObjectiveBound())))


def _related(problem: ShiftProblem, rng: random.Random, size: int) -> list[str]:
    """``size`` employees: half the time a random set, otherwise those sharing many shift types with a pivot."""
    ids = [e.id for e in problem.employees]
    if rng.random() < 0.5 or len(ids) <= size:
        return rng.sample(ids, min(size, len(ids)))
    pivot = rng.choice(problem.employees)
    skills = lambda e: {s.id for s in problem.shifts if e.max_per_shift.get(s.id, 1) > 0}  # noqa: E731
    mine = skills(pivot)
    ranked = sorted(problem.employees, key=lambda e: (-len(skills(e) & mine), rng.random()))
    return [e.id for e in ranked[:size]]


def _cover_miss(problem: ShiftProblem, roster: Roster, rng: random.Random) -> tuple[int, str] | None:
    """A random (day, shift) whose cover is not met exactly in the roster (None when all are)."""
    count: dict[tuple[int, str], int] = {}
    for row in roster.values():
        for d, sid in enumerate(row):
            if sid:
                count[d, sid] = count.get((d, sid), 0) + 1
    missed = [(c.day, c.shift) for c in problem.cover if count.get((c.day, c.shift), 0) != c.required]
    return rng.choice(missed) if missed else None


def _targeted(problem: ShiftProblem, rng: random.Random, k: int, shift: str) -> list[str]:
    """k employees, as many as possible able to work ``shift`` (so a cover gap can be closed)."""
    able = [e.id for e in problem.employees if e.max_per_shift.get(shift, 1) > 0]
    rest = [e.id for e in problem.employees if e.max_per_shift.get(shift, 1) <= 0]
    pick = rng.sample(able, min(len(able), max(1, (2 * k) // 3)))
    return pick + rng.sample(rest + [a for a in able if a not in pick], min(k - len(pick), len(rest) + len(able) - len(pick)))


def _move(problem: ShiftProblem, rng: random.Random, cells: float, roster: Roster) -> tuple[list[str], range | None]:
    """A neighbourhood of about ``cells`` (employee, day) cells: few employees over the whole
    horizon, a window of days for many (all when they fit), or a window around a cover gap with
    employees who can close it."""
    h, n = problem.horizon, len(problem.employees)
    r = rng.random()
    if r < 0.3 and cells >= 2 * h:
        return _related(problem, rng, max(2, int(cells // h))), None
    span = max(3, min(h, int(rng.choice([7, 14, 21, 28]))))
    k = max(2, min(n, int(cells // span)))
    if k == n and span < h:
        span = max(span, min(h, int(cells // n)))
    miss = _cover_miss(problem, roster, rng) if r > 0.6 else None
    if miss is not None:
        first = min(max(0, miss[0] - rng.randrange(span)), h - span)
        return _targeted(problem, rng, k, miss[1]), (None if span >= h else range(first, first + span))
    first = rng.randrange(0, h - span + 1)
    return _related(problem, rng, k), (None if span >= h else range(first, first + span))


def repair(problem: ShiftProblem, roster: Roster, best: int, clock: _Clock, opts: ShiftSolveOptions,
           progress: Progress | None = None) -> tuple[Roster, int, dict]:
    """LNS: re-optimise a set of employees on a window of days exactly, everything else fixed; keep
    the result when it is not worse. The neighbourhood grows while moves are proven optimal fast and
    shrinks when they time out."""
    rng = random.Random(opts.seed)
    tries, better = 0, 0
    per_cell = max(1, len(problem.shifts))
    cells = max(2.0 * 7, 2500 / per_cell ** 0.5)  # (employee, day) cells per move, adapted below
    move_limit = 1.0 if problem.horizon > FULL_MODEL_DAYS else min(3.0, 1.0 + problem.horizon / 112)
    while clock.left() > 0.2:
        free, days = _move(problem, rng, cells, roster)
        sm = build(problem, free, roster, days)
        sm.hint(roster)
        s = _solver(min(clock.left(), move_limit), opts.workers, rng.randrange(1 << 30), full=True)
        st = s.Solve(sm.model)
        tries += 1
        if st in (cp_model.OPTIMAL, cp_model.FEASIBLE) and _objective(s) <= best:
            if _objective(s) < best:
                better += 1
                if progress:
                    progress("repair", clock.elapsed(), _objective(s), 0)
            roster, best = sm.roster(s, roster), _objective(s)
        if st == cp_model.OPTIMAL and s.WallTime() < move_limit / 3:
            cells *= 1.15
        elif st != cp_model.OPTIMAL:
            cells = max(14.0, cells * 0.9)
    return roster, best, {"moves": tries, "improved": better, "objective": best, "cells": int(cells)}


def _full(problem: ShiftProblem, hint: Roster | None, limit: float, clock: _Clock, opts: ShiftSolveOptions,
          progress: Progress | None) -> tuple[Roster | None, int | None, int, str, float | None]:
    """The whole model (hinted): roster, objective, bound, status name, time of its first solution."""
    sm: ShiftModel = build(problem)
    if hint is not None:
        sm.hint(hint)
    s = _solver(limit, opts.workers, opts.seed, full=True, log=opts.log)
    cb = _FirstSolution(clock, progress)
    st = s.Solve(sm.model, cb)
    bound = int(round(s.BestObjectiveBound())) if st != cp_model.UNKNOWN else 0
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return sm.roster(s), _objective(s), bound, s.StatusName(st), cb.first
    return None, None, bound, s.StatusName(st), None


# above this many x variables (or beyond 12 weeks) the full model takes longer to build and presolve
# than it is worth within a minute (the half-year and year instances): only windowed repair runs there
FULL_MODEL_CELLS = 70000
FULL_MODEL_DAYS = 84


def _cells(problem: ShiftProblem) -> int:
    """Number of x variables of the full model."""
    return sum(1 for e in problem.employees for s in problem.shifts if e.max_per_shift.get(s.id, problem.horizon) > 0
               ) * problem.horizon


def solve_shifts(problem: ShiftProblem, opts: ShiftSolveOptions = ShiftSolveOptions(),
                 progress: Progress | None = None) -> ShiftResult:
    """Run the phases within ``opts.time_limit``; the best roster wins, the bound is the full model's."""
    clock = _Clock(opts.time_limit)
    phases: dict[str, dict] = {}
    roster, best, first = None, None, None
    small = _cells(problem) <= FULL_MODEL_CELLS and problem.horizon <= FULL_MODEL_DAYS
    if opts.construct:
        # without a start there is no roster at all on long horizons: they may spend more on it
        roster = construct(problem, clock, (0.5 if small else 0.8) * opts.time_limit, opts.seed, opts.workers)
        phases["construct"] = {"seconds": round(clock.elapsed(), 2), "complete": roster is not None}
        if roster is not None:
            first, best = clock.elapsed(), build(problem, [], roster).offset  # nothing free: a constant
            phases["construct"]["objective"] = best
            if progress:
                progress("construct", clock.elapsed(), best, 0)
    if roster is not None and opts.repair:
        if small:
            # a short full run first: the small instances are proven optimal in a second or two
            got, obj, bound, status, _ = _full(problem, roster, min(15.0, 0.25 * clock.left()), clock, opts, None)
            phases["probe"] = {"status": status, "objective": obj, "bound": bound}
            if got is not None and obj <= best:
                roster, best = got, obj
            if status == "OPTIMAL":
                return ShiftResult(roster, status, best, bound, round(clock.elapsed(), 2), first, phases)
        # repair first, so the full model starts from a good hint and spends its time on the bound
        repair_clock = _Clock(clock.left() * (1.0 - opts.full_share) if small else clock.left())
        roster, best, phases["repair"] = repair(problem, roster, best, repair_clock, opts, progress)
        if not small:
            return ShiftResult(roster, "FEASIBLE", best, 0, round(clock.elapsed(), 2), first, phases)
    t_full = clock.elapsed()
    got, obj, bound, status, first_full = _full(problem, roster, clock.left(), clock, opts, progress)
    phases["full"] = {"status": status, "objective": obj, "bound": bound, "seconds": round(clock.elapsed() - t_full, 2)}
    if got is not None and (best is None or obj <= best):
        roster, best = got, obj
    first = first if first is not None else first_full
    if roster is None:
        status = "NO_ROSTER"
    else:
        status = "OPTIMAL" if best <= bound else "FEASIBLE"
    return ShiftResult(roster, status, best, bound, round(clock.elapsed(), 2), first, phases)
