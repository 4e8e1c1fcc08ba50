"""The one solve path for every model: options, progress, stop, log routing, stages, explanation.

Stage 1 (assignment) decides caseload, casusregie, group staffing and the
on-call rota in one CP-SAT model; stage 2 (solver/contacts) places each
medewerker's contacts in time, one small model per person.  Staging keeps
stage 2 independent per person (it decomposes) while stage 1 sees the whole
team's capacity through the weekly load.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta

from ortools.sat.python import cp_model

from planner.domain import Bundle
from planner.plan import Plan
from planner.rules import RulePack
from solver.build import build_model
from solver.data import ProblemData, SolveOptions
from solver.causes import CANCELLED, DETAIL, SHORTFALL, Cause, oncall_gaps, ordered, soft_causes
from solver.explain import explain_infeasible
from solver.extract import extract_plan
from solver.residential import ResidentialResult, plan_residential, residential_groups
from solver.result import ProgressEvent, SolveResult

log = logging.getLogger("jeugdhulp.solver")
STATUS = {cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE", cp_model.INFEASIBLE: "INFEASIBLE",
          cp_model.MODEL_INVALID: "MODEL_INVALID", cp_model.UNKNOWN: "UNKNOWN"}
ProgressFn = Callable[[ProgressEvent], None]


class _Progress(cp_model.CpSolverSolutionCallback):
    """Reports objective and bound per improving solution; stops when asked."""

    def __init__(self, stage: str, t0: float, on_progress: ProgressFn | None, stop: threading.Event | None,
                 sink: list[ProgressEvent]):
        super().__init__()
        self.stage, self.t0, self.on_progress, self.stop, self.sink = stage, t0, on_progress, stop, sink

    def on_solution_callback(self) -> None:
        event = ProgressEvent(time.monotonic() - self.t0, self.ObjectiveValue(), self.BestObjectiveBound(), self.stage)
        self.sink.append(event)
        if self.on_progress:
            self.on_progress(event)
        if self.stop is not None and self.stop.is_set():
            self.StopSearch()


def configure(solver: cp_model.CpSolver, options: SolveOptions, time_limit: float) -> None:
    p = solver.parameters
    p.max_time_in_seconds = max(time_limit, 0.1)
    p.relative_gap_limit = options.relative_gap
    p.num_workers = options.workers
    p.random_seed = options.seed
    if options.subsolvers and options.workers == len(options.subsolvers):
        p.subsolvers.extend(options.subsolvers)
    elif options.workers == 1:  # one worker per part in a pool: the LP-based search that proves bounds
        p.linearization_level = 2
    if options.log or log.isEnabledFor(logging.DEBUG):
        p.log_search_progress = True
        p.log_to_stdout = False
        solver.log_callback = lambda line: log.debug("%s", line)


def run_model(model: cp_model.CpModel, options: SolveOptions, time_limit: float, stage: str, t0: float,
              on_progress: ProgressFn | None, stop: threading.Event | None, sink: list[ProgressEvent]):
    solver = cp_model.CpSolver()
    configure(solver, options, time_limit)
    done = threading.Event()
    if stop is not None:  # stop between improving solutions too, not only in the solution callback
        def watch() -> None:
            while not done.wait(0.2):
                if stop.is_set():
                    solver.StopSearch()
                    return
        threading.Thread(target=watch, daemon=True, name="solver-stop").start()
    try:
        status = solver.Solve(model, _Progress(stage, t0, on_progress, stop, sink))
    finally:
        done.set()
    return solver, status


def complete_hint(model: cp_model.CpModel, options: SolveOptions, time_limit: float) -> cp_model.CpSolver | None:
    """Turn a partial hint (the greedy plan) into a complete feasible solution and hint that instead.

    CP-SAT only starts from a hint it can complete; on large models completing
    it inside the main search can take longer than the whole time limit.  A
    short solve with the hinted variables fixed does it by propagation.
    """
    hint = model.proto.solution_hint
    if not len(hint.vars):
        return None
    fixed = model.clone()
    for index, value in zip(list(hint.vars), list(hint.values)):
        fixed.add(fixed.get_int_var_from_proto_index(index) == value)
    solver = cp_model.CpSolver()
    configure(solver, options, time_limit)
    solver.parameters.log_search_progress = False
    if solver.Solve(fixed) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        log.info("greedy hint could not be completed; solving from scratch")
        return None
    values = list(solver.response_proto.solution)
    model.clear_hints()
    for index, value in enumerate(values):
        model.add_hint(model.get_int_var_from_proto_index(index), value)
    return solver  # holds a complete feasible solution of the same variables


def solve(bundle: Bundle, pack: RulePack, period_start: date | None = None, weeks: int | None = None,
          options: SolveOptions | None = None, previous: Plan | None = None, fixed: Plan | None = None,
          on_progress: ProgressFn | None = None, stop: threading.Event | None = None) -> SolveResult:
    """Plan one period.  ``previous`` gives hints, continuity and on-call history; ``fixed`` its pinned parts."""
    from solver.contacts import place_contacts

    options = options or SolveOptions()
    t0 = time.monotonic()
    start, n_weeks = period_start or bundle.manifest.period_start, weeks or bundle.manifest.weeks
    if options.parts > 1 or (options.parts == 0 and len(bundle.staff) > options.decompose_above):
        from solver.parallel import solve_parts  # provider scale: parts by region and team

        return solve_parts(bundle, pack, start, n_weeks, options, previous, fixed, on_progress, stop)
    pack = pack.for_period(start, start + timedelta(weeks=n_weeks, days=-1))  # validity dates, as the checker
    data = ProblemData(bundle, pack, start, n_weeks, previous=previous, fixed=fixed or previous)
    residential = plan_residential(data, options, time_limit=options.time_limit * 0.1) \
        if residential_groups(data) else ResidentialResult()
    data.shifts = residential.shifts
    pm = build_model(data, options=options)
    progress: list[ProgressEvent] = []
    # stage 2 needs about 12 ms per medewerker with contacts on an idle core (XL: 11 s for 1,000); reserve
    # 30 ms for a loaded machine, at most a quarter of the limit: stage 1 gets the rest, stage 2 what is left
    stage1_limit = options.time_limit - min(0.03 * len(data.staff), options.time_limit * 0.25)
    warm = complete_hint(pm.model, options, stage1_limit * 0.15)
    solver, status = run_model(pm.model, options, stage1_limit - (time.monotonic() - t0), "toewijzing", t0,
                               on_progress, stop, progress)
    # the main search's bound, whichever solution is used; every objective term is a nonnegative amount times
    # a positive weight, so 0 is a bound too (a search stopped before presolve reports millions below it)
    bound = max(solver.BestObjectiveBound(), 0)
    if status == cp_model.UNKNOWN and warm is not None:
        solver, status = warm, cp_model.FEASIBLE  # no better plan in time: the completed greedy plan
        log.info("stage 1 found nothing within the limit; using the completed greedy plan")
    name = STATUS.get(status, "UNKNOWN")
    result = SolveResult(plan=None, status=name, seconds=time.monotonic() - t0, progress=progress)
    result.stages["toewijzing"] = {"status": name, "seconds": round(solver.WallTime(), 3),
                                   "objective": solver.ObjectiveValue() if name in ("OPTIMAL", "FEASIBLE") else None,
                                   "bound": bound, "variables": len(pm.model.Proto().variables)}
    if name == "INFEASIBLE":
        result.explanation = explain_infeasible(build_model(data, explain=True, options=options),
                                                time_limit=max(options.time_limit - (time.monotonic() - t0), 5))
        result.seconds = time.monotonic() - t0
        return result
    if name not in ("OPTIMAL", "FEASIBLE"):
        result.explanation = ["Binnen de tijdslimiet is geen plan gevonden; geef meer tijd."]
        return result
    plan = extract_plan(pm, solver.Value)
    plan.shifts = residential.shifts
    if residential.stats:
        result.stages["diensten"] = {"groups": residential.stats}
    # stage 2 gets exactly what is left of the limit (its first pass gives each person a minimum even when
    # nothing is left; its second pass only runs in time the limit still has)
    stage2 = place_contacts(data, plan, options, time_limit=options.time_limit - (time.monotonic() - t0), stop=stop)
    plan.contacts = stage2.contacts
    result.stages["contacten"] = stage2.stats
    result.plan = plan
    result.objective = round(solver.ObjectiveValue()) + stage2.objective
    result.bound = round(bound) + stage2.bound
    both_optimal = name == "OPTIMAL" and stage2.optimal
    result.status = "OPTIMAL" if both_optimal else "FEASIBLE"
    # soft penalties per rule as the solver counts them; the weekly-load estimate of contract hours in
    # stage 1 is replaced by stage 2's count of the hours actually placed
    stage2_rules = set(stage2.penalties) | {r.id for r in pack.rules if r.kind == "contract_hours"}
    result.penalties = {rid: p for rid, p in pm.penalty_breakdown(solver.Value).items() if rid not in stage2_rules}
    result.penalties.update(stage2.penalties)
    result.penalties.update(residential.penalties)
    soft = [p for p in pm.penalty_places(solver.Value) if p[0] not in stage2_rules] + stage2.soft_places
    causes = ([Cause(SHORTFALL, u.reason) for u in plan.unserved] + oncall_gaps(pm, solver.Value)
              + residential.causes + stage2.causes
              + [Cause(CANCELLED, r) for r in plan.meta.get("cancelled_reasons", [])]
              + soft_causes(soft, pack) + [Cause(DETAIL, n) for n in residential.notes + stage2.notes])
    result.explanation = ordered(causes)
    result.seconds = time.monotonic() - t0
    plan.meta.update({"status": result.status, "objective": result.objective, "bound": result.bound,
                      "seconds": round(result.seconds, 3), "pack": pack.id})
    return result
