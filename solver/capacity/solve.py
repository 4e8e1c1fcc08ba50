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


def run_capacity(bundle: Bundle, pack: RulePack, options: CapacityOptions | None = None,
                 contract_changes: dict[str, list[tuple[date, float]]] | None = None,
                 priorities: dict[str, int] | None = None, name: str = "basis",
                 on_progress: ProgressFn | None = None, stop: threading.Event | None = None) -> ScenarioResult:
    """The capacity forecast of one scenario over ``options.weeks`` weeks from the manifest's period start."""
    options = options or CapacityOptions()
    t0 = time.monotonic()
    inst = build_instance(bundle, pack, options, contract_changes, priorities)
    cm = build_capacity_model(inst)
    add_hint(cm)
    cm.model.Minimize(objective_of(cm))
    solver, status = solve_model(cm.model, options, options.time_limit - (time.monotonic() - t0), t0,
                                 on_progress, stop)
    if status not in ("OPTIMAL", "FEASIBLE"):
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
    return lines
