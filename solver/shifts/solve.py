"""Solve a ShiftProblem: a greedy start roster, column generation, then the whole CP-SAT model and LNS repair in turns.

Phases (one deadline for all of them):
1. ``construct``: the plain-Python greedy of ``solver.shifts.greedy`` (seconds even for a year);
   the few employees it cannot place get an exact one-employee CP-SAT row. Hard-feasible start.
2. ``colgen`` (rows that meet only in the cover, up to ``COLUMN_WORK``): column generation over whole
   rows, a dive that fixes the rows the LP is surest of, the rest exactly (``column_start``); its
   Lagrangian bound joins the full model's.
3. ``full``: the whole model with the best roster as hint; its worker gets maximal linearisation
   (``max_lp``), which is what proves the small instances optimal and gives the bound.
4. ``repair``: parallel LNS (``solver.shifts.lns``): free a set of employees on a window of days,
   re-optimise exactly, keep the result when it is not worse.
3 and 4 alternate (``SCHEDULES``, by model size); long horizons only run 4.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.shifts import colgen
from solver.shifts.build import ShiftModel, build
from solver.shifts.greedy import greedy_roster
from solver.shifts.lns import Progress, cp_solver, repair_parallel
from solver.shifts.penalty import Penalty
from solver.shifts.problem import Roster, ShiftProblem


@dataclass(frozen=True)
class ShiftSolveOptions:
    """Time limit (seconds, all phases), search workers, random seed and which phases run."""
    time_limit: float = 60.0
    workers: int = 2
    seed: int = 0
    construct: bool = True
    repair: bool = True
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
    s = cp_solver(limit, workers, seed, max_lp=full and workers >= 2)
    s.parameters.log_search_progress = log
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


def _full(sm: ShiftModel, hint: Roster | None, limit: float, clock: _Clock, opts: ShiftSolveOptions,
          progress: Progress | None) -> tuple[Roster | None, int | None, int, str, float | None]:
    """The whole model (hinted): roster, objective, bound, status name, time of its first solution."""
    if hint is not None:
        sm.hint(hint)  # replaces the hint of an earlier segment
    s = _solver(limit, opts.workers, opts.seed, full=True, log=opts.log)
    cb = _FirstSolution(clock, progress)
    st = s.Solve(sm.model, cb)
    bound = int(round(s.BestObjectiveBound())) if st != cp_model.UNKNOWN else 0
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return sm.roster(s), _objective(s), bound, s.StatusName(st), cb.first
    return None, None, bound, s.StatusName(st), None


def column_start(problem: ShiftProblem, roster: Roster, clock: _Clock, opts: ShiftSolveOptions,
                 ends: tuple[float, float, float]) -> tuple[Roster | None, int | None, int, dict]:
    """Column generation (``solver.shifts.colgen``), a dive, then the unfixed rows exactly (CP-SAT, the fixed
    rows constant): roster (None when the exact rest found none in time; the caller keeps the better of
    it and ``roster``), its objective, the Lagrangian bound and the phase's figures. ``ends``: the elapsed
    seconds at which generation, dive and the exact rest end; dive and rest end at ``FAR_ENDS`` instead
    when the LP is still far from its Lagrangian bound after generation."""
    cg = colgen.column_generation(problem, [roster], clock.t0 + ends[0], opts.workers)
    if cg is None:
        return None, None, 0, {"complete": False}
    info = {"rounds": cg.rounds, "lp": round(cg.master.value, 2), "seconds": round(clock.elapsed(), 2)}
    bound = math.ceil(cg.bound - 1e-6)  # the duals are on the 1/SCALE grid: no rounding allowance
    if cg.bound < (1 - FAR_GAP) * cg.master.value:
        ends = (ends[0], *(share * opts.time_limit for share in FAR_ENDS))
        info["far"] = True
    rounded, fixed = colgen.dive(cg, clock.t0 + ends[1])
    rest = [e.id for e in problem.employees if e.id not in fixed]
    sm = build(problem, rest, rounded)
    s, st, info["shortage"] = _exact_rest(sm, rounded, clock.t0 + ends[2], opts)
    info.update(fixed=len(fixed), dive_lp=round(cg.master.value, 2), status=s.StatusName(st),
                seconds_total=round(clock.elapsed(), 2))
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, None, max(bound, 0), info
    info["objective"] = _objective(s)
    return sm.roster(s, rounded), _objective(s), max(bound, 0), info


def _exact_rest(sm: ShiftModel, hint: Roster, end: float, opts: ShiftSolveOptions) -> tuple[cp_model.CpSolver, int, int | None]:
    """The dive's unfixed rows exactly, by levels, starting from ``hint``: first the least weighted cover
    shortage alone (at most ``SHORTAGE_SHARE`` of the time), then the whole objective with the shortage kept
    at that least, hinted with the first level's roster. The solver and status of the second solve, and the
    shortage found (None when the first level found no roster).

    Why: with the whole objective CP-SAT's search drifts among rosters one cover short too many (Instance8:
    1404-1600 for as long as 30 s, one late shift short beside the 12 nights no roster fills), while the
    shortage alone it settles and proves in 2-24 s; the requests then fit around it (docs/curtois.md)."""
    level = None
    sm.hint(hint)
    if sm.shortage:
        sm.model.Minimize(sum(sm.shortage))
        s = _solver(SHORTAGE_SHARE * (end - time.monotonic()), opts.workers, opts.seed, full=True)
        if s.Solve(sm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            level = _objective(s)
            sm.hint(sm.roster(s, hint))
            sm.model.Add(sum(sm.shortage) <= level)
        sm.model.Minimize(sum(sm.terms) + sm.offset)
    s = _solver(end - time.monotonic(), opts.workers, opts.seed, full=True)
    return s, s.Solve(sm.model), level


# The first level of the exact rest (``_exact_rest``) gets at most this share of the rest's time. Instance8's rest
# of 15 rows settles its least shortage in 2-24 s of 32; with 60 % of the time one run in four stopped the first
# level one cover short (1405), with 80 % none in twelve (1305-1327).
SHORTAGE_SHARE = 0.8


# above this many x variables (or beyond 12 weeks) the full model takes longer to build and presolve
# than it is worth within a minute (the half-year and year instances): only windowed repair runs there.
# Instance13 (43 008 x, 120 staff) and 19 (10 752 x, 84 days) are above it too: their full segments hardly
# moved the roster, and the LNS alone did better with their time (13, seeds 0-2: 4250/3708/4011 against
# 4467/4699/4549; 19, seeds 0-1: 4663/4227 against 5320/5060). Instance12 (11 256) has the columns first.
FULL_MODEL_CELLS = 10000
FULL_MODEL_DAYS = 84


def _cells(problem: ShiftProblem) -> int:
    """Number of x variables of the full model."""
    return sum(1 for e in problem.employees for s in problem.shifts if e.max_per_shift.get(s.id, problem.horizon) > 0
               ) * problem.horizon


# Instances up to FULL_MODEL_CELLS alternate the whole model (CP-SAT's own neighbourhoods guided by the
# LP, and the bound) with the parallel LNS of ``solver.shifts.lns``, each segment starting from the best
# roster so far: (phase, share of the time left after construction). By size of the model (x variables),
# measured on the Curtois instances (docs/curtois.md): up to ~3000 the whole model first
# (proves 4 and 6; medians of 3 seeds 7 1069 -> 1064, 8 1515 -> 1414 with LNS first), the LNS then
# polishes what the LP-guided search found; above that (9, 10, 14 equal or steadier LNS first) the whole model hardly
# moves from the greedy start within the minute and LNS first wins (15 5763 -> 4955, 17 6625 -> 6084,
# 19 5086 -> 4373 in single runs).
SCHEDULES = (
    (3000, (("full", 0.6), ("repair", 0.2), ("full", 0.2))),
    (FULL_MODEL_CELLS, (("repair", 0.5), ("full", 0.15), ("repair", 0.2), ("full", 0.15))),
)


# Column generation first where the rows meet only in the cover and the LP gets near convergence within
# a third of a minute. A pricing round costs about the model's x times the row length (a search over one
# row grows with its length): up to 400 000 (Curtois 1-12 and 14-18; 13 is 1.2 M, 19 0.9 M). Measured
# (docs/curtois.md): 8 1500 -> 1308 (median), 9 -> 439, 10 -> 4631 (proven), 14 1396 -> 1279, 16 3528 ->
# 3225; 12 (partial pricing, fourth session) 4823 -> 4284 and 4620 -> 4487; above it (13, 19) the LP is
# still far from converged when the dive must start and the LNS alone does better (13: 7547 with columns
# against 4256 in the last bench; 19: 5422 against 4603, same seed). The phases end at these shares of
# the time limit.
COLUMN_WORK = 400_000
COLUMN_ENDS = (0.3, 0.7, 0.85)
# An LP still more than FAR_GAP above its Lagrangian bound when generation ends is far from converged:
# the rows it is "sure of" are less sure, and the dive's steps (each prices again) are slow. Its dive and
# exact rest then end at FAR_ENDS, which leaves the LNS and the whole model 30 % of the minute instead of
# 15 %. Instance15 (LP 3998, bound 3275), seeds 0/1: 4320/4288 -> 3998/4007; 18 (quick pricing, weak
# bound): 4834/4843 -> 4802/4826. Shortening every dive hurt 8 (1311 -> 1403) and 17 (median of four
# 5756 -> 5812), whose LPs are within 5 % of their bounds (sixth session, docs/curtois.md). Since the rest is
# solved by levels (``_exact_rest``) the dive ends at 50 % there, not 60 %, and the rest gets 12 s instead of 6:
# Instance15, seeds 0/2/3, 4115/4204/3913 -> 3913/4100/3911 (but 4230 in the bench's seed 0); 18, seeds 0-2,
# 4842/4710/4737 -> 4832/4619/4928: within the noise of single runs, kept for the longer rest.
FAR_GAP = 0.1
FAR_ENDS = (0.5, 0.7)


def _column_fits(problem: ShiftProblem) -> bool:
    return (colgen.applies(problem) and problem.horizon <= FULL_MODEL_DAYS
            and _cells(problem) * problem.horizon <= COLUMN_WORK)


def _schedule(problem: ShiftProblem) -> tuple:
    """The phases for this problem's size; long horizons and huge models only run the LNS."""
    cells = _cells(problem)
    if problem.horizon <= FULL_MODEL_DAYS:
        for most, schedule in SCHEDULES:
            if cells <= most:
                return schedule
    return (("repair", 1.0),)


def solve_shifts(problem: ShiftProblem, opts: ShiftSolveOptions = ShiftSolveOptions(),
                 progress: Progress | None = None) -> ShiftResult:
    """Run the phases within ``opts.time_limit``; the best roster wins, the bound is the full model's."""
    clock = _Clock(opts.time_limit)
    phases: dict[str, dict] = {}
    roster, best, first, bound = None, None, None, 0
    whole: ShiftModel | None = None  # built once, re-hinted for every full segment
    schedule = (("full", 1.0),) if not opts.repair else _schedule(problem)
    small = schedule[-1][0] == "full"
    if opts.construct:
        # without a start there is no roster at all on long horizons: they may spend more on it
        roster = construct(problem, clock, (0.5 if small else 0.8) * opts.time_limit, opts.seed, opts.workers)
        phases["construct"] = {"seconds": round(clock.elapsed(), 2), "complete": roster is not None}
        if roster is not None:
            first, best = clock.elapsed(), Penalty(problem, roster).value
            phases["construct"]["objective"] = best
            if progress:
                progress("construct", clock.elapsed(), best, 0)
    if roster is None:
        schedule = (("full", 1.0),)
    elif opts.repair and _column_fits(problem):
        got, obj, b, phases["colgen"] = column_start(problem, roster, clock, opts,
                                                     tuple(f * opts.time_limit for f in COLUMN_ENDS))
        bound = max(bound, b)
        if got is not None and obj <= best:
            roster, best = got, obj
            if progress:
                progress("colgen", clock.elapsed(), best, bound)
    total = clock.left()
    move_limit = 1.0 if problem.horizon > FULL_MODEL_DAYS else min(3.0, 1.0 + problem.horizon / 112)
    for i, (phase, share) in enumerate(schedule):
        if best is not None and best <= bound:
            break  # proven optimal: the small instances stop in the first segment, some after the columns
        last = i == len(schedule) - 1
        limit = clock.left() if last else min(clock.left(), share * total)
        t_phase, name = clock.elapsed(), f"{phase}{i + 1}"
        if phase == "repair":
            roster, best, phases[name] = repair_parallel(problem, roster, time.monotonic() + limit, opts.workers,
                                                         opts.seed + i, move_limit, progress, clock.t0)
            continue
        whole = whole or build(problem)
        got, obj, b, status, first_full = _full(whole, roster, limit, clock, opts, progress)
        phases[name] = {"status": status, "objective": obj, "bound": b, "seconds": round(clock.elapsed() - t_phase, 2)}
        bound = max(bound, b)
        if got is not None and (best is None or obj <= best):
            roster, best = got, obj
        first = first if first is not None else first_full
    if roster is None:
        status = "NO_ROSTER"
    else:
        status = "OPTIMAL" if best <= bound else "FEASIBLE"
    return ShiftResult(roster, status, best, bound, round(clock.elapsed(), 2), first, phases)
