"""Column generation for a ShiftProblem: the LP over whole rows, priced by CP-SAT, and a dive that fixes rows.

Why: on Instance8 the whole model and the LNS end with 13-17 uncovered shifts where 12 is the least
possible; which employee gives up which shift is a choice across the whole team, and both searches
see only a few rows at a time. The LP over whole rows (one convex combination of feasible rows per
employee, Dantzig-Wolfe) is nearly integral there (1296.6 against the optimum 1300), so fixing the
rows it is surest of and solving the rest exactly lands near the optimum (docs/curtois.md).

- Master (GLOP): per employee a convex combination of its columns (feasible rows); per (day, shift)
  the columns' count plus under minus over equals the requirement; a column costs its requests.
- Pricing (CP-SAT, one employee's own rules: ``build.ROW_RULES``, the full model's own functions): the row of
  least request cost minus cover duals; rows of negative reduced cost join the master. Employees are
  priced on ``workers`` threads (CP-SAT releases the GIL); teams of 20 or more group by group, the LP
  re-solved between groups (partial pricing).
- Lower bound (Lagrangian), from every round that prices the whole team at the same duals: the duals
  times the requirements plus CP-SAT's lower bound of each employee's pricing search (proven or not).
- Dive: fix the rows the LP is surest of (largest weight), price again, until the LP rises 2 % or three
  quarters of the team are fixed; the rest is left to an exact CP-SAT solve (``solver.shifts.solve``).

Only for problems whose rows meet only in the cover (no companions, no fair shares).
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from solver.shifts.build import ROW_RULES, ShiftModel
from solver.shifts.problem import EmployeeRules, Roster, ShiftProblem

# Seconds per pricing search. Rows of up to 6 weeks prove in 20-40 ms and get the full limit. Longer rows
# take 0.1-0.3 s each, so their rounds stop each search at QUICK (any row of negative reduced cost helps
# the LP) and look with PRICING_LIMIT only when a quick round adds nothing: Instance17 6066 -> 5862, 18
# 5149 -> 4955; on 7, 8 and 14 the quick rounds did worse (docs/curtois.md).
PRICING_LIMIT, QUICK, QUICK_FROM_DAYS = 2.0, 0.1, 43
SCALE = 10_000  # pricing costs are integers for CP-SAT: cover duals are rounded to 1/10 000 (still in their box)
# Partial pricing: at most this many groups (``_groups``); every FULL_EVERY-th cycle prices the whole team at once.
MAX_GROUPS, FULL_EVERY = 4, 4
# The dive leaves at least this many rows to the exact rest (``dive_share``). Instance8 (30 staff): with 8 rows
# left the fixed rows forced a 13th cover short in two runs of three (~1400); with 15 the least shortage (12)
# stayed open and the rest's first level found it. Half of a larger team was worse (Instance12, 60 staff,
# 30 rows left: 4050/4053/4168 against 4040/4040 with 15).
REST_ROWS = 15
Row = tuple[str | None, ...]
Duals = dict[tuple[int, str], int]  # cover duals in 1/SCALE units


def applies(p: ShiftProblem) -> bool:
    """Rows that meet only in the cover: what the master expresses."""
    return not p.companions and not p.fair_shares


class _Costs:
    """What a row costs in requests: its unmet on requests plus the off requests it works against."""

    def __init__(self, p: ShiftProblem) -> None:
        self.cell: dict[tuple[str, int, str], int] = {}
        self.base: dict[str, int] = {e.id: 0 for e in p.employees}
        for r in p.on_requests:
            self.cell[r.employee, r.day, r.shift] = self.cell.get((r.employee, r.day, r.shift), 0) - r.weight
            self.base[r.employee] += r.weight
        for r in p.off_requests:
            self.cell[r.employee, r.day, r.shift] = self.cell.get((r.employee, r.day, r.shift), 0) + r.weight

    def row(self, eid: str, row: Row) -> int:
        return self.base[eid] + sum(self.cell.get((eid, d, s), 0) for d, s in enumerate(row) if s)


class _Master:
    """The restricted master LP (GLOP) over the columns found so far."""

    def __init__(self, p: ShiftProblem, costs: _Costs) -> None:
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        self.costs, inf = costs, self.lp.infinity()
        self.cover = {}
        # per cover: the box of its dual (-over weight, under weight), and its requirement
        self.box: dict[tuple[int, str], tuple[int, int]] = {}
        self.required: dict[tuple[int, str], int] = {}
        objective = self.lp.Objective()
        for c in p.cover:
            self.box[c.day, c.shift] = (-c.over_weight, c.under_weight)
            self.required[c.day, c.shift] = c.required
            ct = self.lp.Constraint(c.required, c.required)
            for sign, weight in ((1, c.under_weight), (-1, c.over_weight)):
                slack = self.lp.NumVar(0, inf, "")
                ct.SetCoefficient(slack, sign)
                objective.SetCoefficient(slack, weight)
            self.cover[c.day, c.shift] = ct
        objective.SetMinimization()
        self.convex = {e.id: self.lp.Constraint(1, 1) for e in p.employees}
        self.columns: dict[str, dict[Row, pywraplp.Variable]] = {e.id: {} for e in p.employees}
        self.value = math.inf

    def add(self, eid: str, row: Row) -> bool:
        """Add a column (False when the employee has it already)."""
        if row in self.columns[eid]:
            return False
        v = self.lp.NumVar(0, self.lp.infinity(), "")
        self.lp.Objective().SetCoefficient(v, self.costs.row(eid, row))
        self.convex[eid].SetCoefficient(v, 1)
        for d, s in enumerate(row):
            if s and (d, s) in self.cover:
                self.cover[d, s].SetCoefficient(v, 1)
        self.columns[eid][row] = v
        return True

    def solve(self) -> tuple[Duals, dict[str, float]]:
        """Solve the LP; the cover duals in 1/SCALE units (integers: the pricing searches and the bound use
        exactly these numbers, so the bound needs no rounding allowance) and in their box (an under slack
        costs its weight, an over slack its weight, so a dual outside would make that slack profitable),
        and the convexity duals."""
        status = self.lp.Solve()
        if status == pywraplp.Solver.ABNORMAL:
            status = self._solve_plain()
        self.value = self.lp.Objective().Value() if status == pywraplp.Solver.OPTIMAL else math.inf
        duals = {k: min(max(round(ct.dual_value() * SCALE), self.box[k][0] * SCALE), self.box[k][1] * SCALE)
                 for k, ct in self.cover.items()}
        return duals, {eid: ct.dual_value() for eid, ct in self.convex.items()}

    def _solve_plain(self) -> int:
        """Solve again from scratch without GLOP's presolve. After some dive fixes on Instance8 (2 000
        columns, most of one employee's bounded to 0) GLOP's presolve gave up (ABNORMAL) where the plain
        simplex solves it; the dive then saw an infinite LP and fixed rows blindly (a run of 2052 against
        ~1400). Presolve stays on otherwise: it is faster on the usual solves."""
        params = pywraplp.MPSolverParameters()
        params.SetIntegerParam(params.INCREMENTALITY, params.INCREMENTALITY_OFF)
        self.lp.SetSolverSpecificParametersAsString("use_preprocessing:false")
        try:
            return self.lp.Solve(params)
        finally:
            self.lp.SetSolverSpecificParametersAsString("")

    def reduced_cost(self, eid: str, row: Row, duals: Duals, convex: float) -> float:
        """What the row would gain the LP at these duals (negative: it helps)."""
        covered = sum(duals.get((d, s), 0) for d, s in enumerate(row) if s) / SCALE
        return self.costs.row(eid, row) - covered - convex

    def lagrangian(self, duals: Duals, lowers: dict[str, int]) -> float:
        """The Lagrangian bound at cover duals in their box: duals times requirements plus a lower bound
        on every employee's least row cost minus duals (``lowers``, both in 1/SCALE units, without the
        employee's base cost). Valid for any duals in the box, LP-optimal or not."""
        scaled = sum(v * self.required[k] for k, v in duals.items()) + sum(lowers.values())
        return scaled / SCALE + sum(self.costs.base.values())

    def best(self, eid: str) -> tuple[float, Row]:
        """The employee's column with the largest LP weight (after ``solve``)."""
        row, v = max(self.columns[eid].items(), key=lambda kv: kv[1].solution_value())
        return v.solution_value(), row

    def fix(self, eid: str, row: Row) -> None:
        """From now on the employee works this row only."""
        for other, v in self.columns[eid].items():
            if other != row:
                v.SetUb(0)


class _Collect(cp_model.CpSolverSolutionCallback):
    """Every row the pricing search passes on its way to the optimum (more columns per round)."""

    def __init__(self, sm: ShiftModel, eid: str) -> None:
        super().__init__()
        self.sm, self.eid, self.rows = sm, eid, []

    def on_solution_callback(self) -> None:
        self.rows.append((self.ObjectiveValue(), tuple(self.sm.roster(self)[self.eid])))


class _Pricer:
    """One employee's own rules as a CP-SAT model; ``price`` finds rows of least reduced cost."""

    def __init__(self, p: ShiftProblem, e: EmployeeRules, costs: _Costs) -> None:
        self.sm = ShiftModel(p, cp_model.CpModel(), [e], {e.id: [None] * p.horizon}, None)
        for add in ROW_RULES:
            add(self.sm)
        self.eid, self.costs = e.id, costs

    def price(self, cover_duals: Duals, limit: float) -> tuple[int | None, bool, list[Row]]:
        """A lower bound on the employee's least row cost (without its base) minus ``cover_duals``, in
        1/SCALE units (None without one), whether the search proved it, and the last (best) few rows it
        passed; earlier ones are usually poor."""
        terms = []
        for (eid, d, sid), var in self.sm.x.items():
            c = self.costs.cell.get((eid, d, sid), 0) * SCALE - cover_duals.get((d, sid), 0)
            if c:
                terms.append(c * var)
        self.sm.model.Minimize(sum(terms))
        s = cp_model.CpSolver()
        s.parameters.max_time_in_seconds = max(limit, 0.01)
        s.parameters.num_workers = 1
        s.parameters.linearization_level = 2
        cb = _Collect(self.sm, self.eid)
        st = s.Solve(self.sm.model, cb)
        # the objective is integral, so is its bound (ceil only guards against float noise)
        lower = math.ceil(s.BestObjectiveBound() - 1e-6) if st in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
        return lower, st == cp_model.OPTIMAL, [row for _, row in cb.rows[-3:]]


@dataclass
class ColumnGeneration:
    """The master, its pricers and the best Lagrangian lower bound found."""
    master: _Master
    pricers: dict[str, _Pricer]
    workers: int
    bound: float = 0.0
    rounds: int = 0
    proven: bool = False  # every pricing search of the last round was proven optimal
    quick: float = PRICING_LIMIT  # seconds per search in ordinary rounds (QUICK for long rows)

    def round(self, deadline: float, limit: float = PRICING_LIMIT, only: list[str] | None = None) -> int:
        """Solve the LP and price ``only`` these employees, else the whole team (``limit`` s per search);
        columns added. A round over the whole team also updates the bound."""
        duals, convex = self.master.solve()
        todo = list(self.pricers) if only is None else only
        limit = min(limit, max(0.05, deadline - time.monotonic()))
        with ThreadPoolExecutor(self.workers) as pool:
            found = list(pool.map(lambda eid: self.pricers[eid].price(duals, limit), todo))
        self.rounds += 1
        self.proven = all(exact for _, exact, _ in found)
        # valid with any lower bound on each employee's least cost, proven or not (Lagrangian bound)
        if len(todo) == len(self.pricers) and all(lower is not None for lower, _, _ in found):
            lowers = {eid: lower for eid, (lower, _, _) in zip(todo, found)}
            self.bound = max(self.bound, self.master.lagrangian(duals, lowers))
        return sum(self.master.add(eid, row) for eid, (_, _, rows) in zip(todo, found) for row in rows
                   if self.master.reduced_cost(eid, row, duals, convex[eid]) < -1e-6)


def _groups(team: int) -> int:
    """Partial pricing: teams of 20 or more are priced a group at a time, so the LP answers each group's rows
    before the next group is priced. Measured from the same start (docs/curtois.md): Instance12's LP at
    4068 after 30 s in groups of a third against 4161 whole, 17's 5792 against 5839."""
    return max(1, min(MAX_GROUPS, team // 10))


def column_generation(p: ShiftProblem, starts: list[Roster], deadline: float, workers: int) -> ColumnGeneration | None:
    """Columns from the start rosters, then pricing rounds until no column helps, the LP stalls or the deadline.

    A cycle prices the whole team: at once, or group by group (``_groups``). Every ``FULL_EVERY``-th cycle,
    and the one after a cycle that added nothing, prices everyone at the same duals: only such a round gives
    the bound and can prove that no column helps.
    None when some employee has no column and pricing finds no feasible row for them in time."""
    costs = _Costs(p)
    cg = ColumnGeneration(_Master(p, costs), {e.id: _Pricer(p, e, costs) for e in p.employees}, max(1, workers))
    for roster in starts:
        for eid, row in roster.items():
            cg.master.add(eid, tuple(row))
    for eid, pricer in cg.pricers.items():
        if not cg.master.columns[eid]:  # any feasible row: with no duals every row is welcome
            for row in pricer.price({}, deadline - time.monotonic())[2]:
                cg.master.add(eid, row)
            if not cg.master.columns[eid]:
                return None
    ids, groups = list(cg.pricers), _groups(len(cg.pricers))
    history: list[float] = []
    cg.quick = limit = QUICK if p.horizon >= QUICK_FROM_DAYS else PRICING_LIMIT
    full = groups == 1
    while time.monotonic() < deadline:
        dry = False
        if not full:
            added = sum(cg.round(deadline, limit, ids[g::groups]) for g in range(groups)
                        if time.monotonic() < deadline)
            dry = not added  # only a round over everyone at the same duals shows convergence
        else:
            added = cg.round(deadline, limit)
            if not added and not cg.proven and limit < PRICING_LIMIT:
                limit = PRICING_LIMIT  # the quick searches ran dry unproven: look harder once
                continue
            if not added or cg.master.value - cg.bound < 0.5:
                break
            limit = cg.quick
        history.append(cg.master.value)
        full = groups == 1 or dry or len(history) % FULL_EVERY == FULL_EVERY - 1
        if len(history) > 5 and history[-6] - history[-1] < 0.001 * history[-1]:
            break  # tailing off: the last cycles hardly move the LP
    return cg


def dive_share(team: int) -> float:
    """The share of the team the dive fixes: the rows it leaves unfixed for the exact rest are at least
    ``REST_ROWS``, and at least a quarter and at most half of the team."""
    return min(0.75, max(0.5, 1 - REST_ROWS / team))


def dive(cg: ColumnGeneration, deadline: float, share: float | None = None, rise: float = 0.02) -> tuple[Roster, set[str]]:
    """Fix rows the LP is surest of until the LP rises by ``rise`` or ``share`` of the team is fixed
    (``dive_share`` by default).

    After each fix the unfixed employees are priced again, a group at a time where the team is large
    (``_groups``, the next group each round): a step then costs a fraction of a round over everyone, so
    the dive takes more, smaller steps (Instance15: 4332 and 4473 against 4850 and 4892 when every step
    priced all unfixed employees up to three times).

    Returns the LP-rounded roster (each employee's heaviest column: every row feasible on its own)
    and the ids of the fixed employees."""
    cg.master.solve()
    root, fixed = cg.master.value, set()
    team, start, steps = len(cg.pricers), time.monotonic(), 0
    share = dive_share(team) if share is None else share
    while time.monotonic() < deadline and len(fixed) < share * team:
        weights = sorted(((*cg.master.best(eid), eid) for eid in cg.pricers if eid not in fixed), key=lambda w: -w[0])
        pick = [w for w in weights if w[0] > 0.9] or weights[:_pace(share * team - len(fixed), start, steps, deadline)]
        for weight, row, eid in pick:
            cg.master.fix(eid, row)
            fixed.add(eid)
        free = [eid for eid in cg.pricers if eid not in fixed]
        groups = _groups(len(free))
        for r in range(3):  # let the LP answer the fix with new rows for the others, a group at a time
            if not cg.round(deadline, cg.quick, free[(steps + r) % groups::groups]):
                break
        cg.master.solve()
        steps += 1
        if cg.master.value > root * (1 + rise):
            break
    # the LP is solved as last changed: before the loop or at the end of its last pass
    rounded = {eid: list(cg.master.best(eid)[1]) for eid in cg.pricers}
    return rounded, fixed


def _pace(to_fix: float, start: float, steps: int, deadline: float) -> int:
    """Rows to fix in this step when the LP is sure of none: one, unless the steps so far (each with up to
    three pricing rounds) say one at a time cannot fix the share before the deadline. Then as many as
    finish it in time, so the exact rest keeps the size it is meant to have (the dive that stopped at 5
    of 30 left Instance8 a rest of 25 rows that CP-SAT did not solve: 2206 against ~1305)."""
    if not steps:
        return 1
    left = max(1.0, (deadline - time.monotonic()) / ((time.monotonic() - start) / steps))
    return max(1, math.ceil(to_fix / left))
