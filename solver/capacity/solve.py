"""Run the capacity model: build, solve with progress and a stop event, read the result."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date

from ortools.sat.python import cp_model

from planner.domain import Bundle
from planner.rules import RulePack
from solver.capacity.instance import CapacityOptions, build_instance
from solver.capacity.hint import add_hint
from solver.capacity.model import CapacityModel, build_capacity_model
from solver.capacity.result import ScenarioResult, extract
from solver.result import ProgressEvent
from solver.solve import STATUS

ProgressFn = Callable[[ProgressEvent], None]


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, t0: float, on_progress: ProgressFn | None, stop: threading.Event | None, stage: str):
        super().__init__()
        self.t0, self.on_progress, self.stop, self.stage = t0, on_progress, stop, stage

    def on_solution_callback(self) -> None:
        if self.on_progress:
            self.on_progress(ProgressEvent(time.monotonic() - self.t0, self.ObjectiveValue(),
                                           self.BestObjectiveBound(), self.stage))
        if self.stop is not None and self.stop.is_set():
            self.StopSearch()


def solve_model(model: cp_model.CpModel, options: CapacityOptions, time_limit: float, t0: float,
                on_progress: ProgressFn | None = None, stop: threading.Event | None = None,
                stage: str = "capaciteit") -> tuple[cp_model.CpSolver, str]:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = max(time_limit, 0.1)
    p.num_workers = options.workers
    p.relative_gap_limit = options.relative_gap
    p.random_seed = options.seed
    # measured on size M: probing, symmetry detection and repeated presolve cost more than they save
    # on these many alike intervals (5.0 s -> 1.7 s to the same optimum; docs/capacity.md)
    p.cp_model_probing_level = 0
    p.symmetry_level = 0
    p.max_presolve_iterations = 1
    status = solver.Solve(model, _Callback(t0, on_progress, stop, stage))
    return solver, STATUS.get(status, "UNKNOWN")


def objective_of(cm: CapacityModel):
    return sum(cm.terms)


def keep_solution(cm: CapacityModel, solver: cp_model.CpSolver) -> None:
    """Hint the next lexicographic step with this step's decisions."""
    cm.model.ClearHints()
    for group in (cm.x, cm.u, cm.start, cm.w, cm.y, cm.short, cm.hire):
        for v in group.values():
            cm.model.AddHint(v, solver.Value(v))


def solve_lexicographic(cm: CapacityModel, steps: list[tuple[str, object, float]], options: CapacityOptions,
                        budget: float, t0: float, on_progress: ProgressFn | None = None,
                        stop: threading.Event | None = None
                        ) -> tuple[cp_model.CpSolver | None, str, list[tuple[str, int]]]:
    """Minimise each (stage, expression, share of ``budget``) in turn, holding the earlier ones at their value.

    Returns the last step's solver that found a solution (None if the first found none), "OPTIMAL" only
    when every step was proven optimal, and (stage, value) per completed step.  A step that finds nothing
    in its time keeps the previous step's answer: correct, only less refined.
    """
    good, status, done, proven = None, "UNKNOWN", [], True
    for n, (stage, expr, share) in enumerate(steps):
        cm.model.Minimize(expr)
        left = budget - (time.monotonic() - t0)
        limit = left if n == len(steps) - 1 else max(budget * share, 0.1)
        solver, status = solve_model(cm.model, options, min(limit, left), t0, on_progress, stop, stage)
        if status not in ("OPTIMAL", "FEASIBLE"):
            proven = False
            break
        proven = proven and status == "OPTIMAL"
        good, value = solver, round(solver.ObjectiveValue())
        done.append((stage, value))
        cm.model.Add(expr <= value)
        keep_solution(cm, solver)
    if good is None:
        return None, status, done
    return good, "OPTIMAL" if proven and len(done) == len(steps) else "FEASIBLE", done


def run_capacity(bundle: Bundle, pack: RulePack, options: CapacityOptions | None = None,
                 contract_changes: dict[str, list[tuple[date, float]]] | None = None,
                 priorities: dict[str, int] | None = None, name: str = "basis",
                 on_progress: ProgressFn | None = None, stop: threading.Event | None = None) -> ScenarioResult:
    """The capacity forecast of one scenario over ``options.weeks`` weeks from the manifest's period start.

    Two lexicographic steps: (1) the least care not given, counted exactly as the result reports it
    (so more load never reports fewer unmet hours, docs/capacity.md), (2) at that, the full objective
    (guidelines, continuity, roster hours)."""
    options = options or CapacityOptions()
    t0 = time.monotonic()
    inst = build_instance(bundle, pack, options, contract_changes, priorities)
    cm = build_capacity_model(inst)
    add_hint(cm)
    steps = [("zorg", sum(cm.care), 0.6)] if cm.care else []
    solver, status, _done = solve_lexicographic(cm, [*steps, ("capaciteit", objective_of(cm), 0.4)], options,
                                                options.time_limit, t0, on_progress, stop)
    if solver is None:
        res = ScenarioResult(name, status, time.monotonic() - t0, inst.start, inst.weeks)
        res.explanation = [f"Geen capaciteitsberekening gevonden ({status}); geef meer tijd of controleer de gegevens."]
        return res
    res = extract(cm, solver.Value, name, status, time.monotonic() - t0)
    res.explanation += explain(res)
    return res


def explain(res: ScenarioResult) -> list[str]:
    """Dutch headline lines for the manager."""
    s = res.summary()
    lines = [f"Wachtlijst: {s['wachtenden_start']} aan het begin, {s['wachtenden_eind']} na {res.weeks} weken "
             f"(hoogste stand {s['wachtenden_max']})."]
    if s["niet_gestart"]:
        lines.append(f"{s['niet_gestart']} wachtende(n) kunnen binnen {res.weeks} weken niet starten.")
    if s["onvervuld_lopend_uren"]:
        lines.append(f"Lopende trajecten: {s['onvervuld_lopend_uren']:g} uur zorg kan niet geleverd worden.")
    if s["onvervuld_groep_uren"]:
        lines.append(f"Groepen: {s['onvervuld_groep_uren']:g} begeleidingsuren tekort.")
    if s["richtlijn_tekort_uren"]:
        lines.append(f"Groepen: {s['richtlijn_tekort_uren']:g} begeleidingsuren onder de richtlijn (geen harde regel).")
    return lines
