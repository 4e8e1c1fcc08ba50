"""Run scenarios: apply each to the bundle, forecast (or recommend hires), in worker processes.

``run_scenarios`` is what the CLI and the web page call.  Scenarios run in
parallel worker processes when there are several (CP-SAT itself then gets
one search worker each, so the machine is not oversubscribed).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace

from planner.domain import Bundle
from planner.rules import RulePack
from planner.scenario import Scenario, ScenarioError, apply_scenario
from solver.capacity.hiring import parse_hiring, recommend_hires
from solver.capacity.instance import CapacityOptions
from solver.capacity.result import ScenarioResult
from solver.capacity.solve import run_capacity

# on_progress(done, total, scenario name): called in the calling process as scenarios finish
ScenarioProgress = Callable[[int, int, str], None]


def run_one(bundle: Bundle, pack: RulePack, scenario: Scenario | None, options: CapacityOptions) -> ScenarioResult:
    """One scenario: apply, then a forecast, or a hiring recommendation when it has ``werving``."""
    t0 = time.monotonic()
    name = scenario.name if scenario else "basis"
    try:
        sb = apply_scenario(bundle, pack, scenario)
        if sb.hiring:
            cands, goal = parse_hiring(sb.hiring, bundle.manifest.period_start)
            res = recommend_hires(sb.bundle, sb.pack, cands, goal, options, sb.contract_changes, sb.priorities, name)
        else:
            res = run_capacity(sb.bundle, sb.pack, options, sb.contract_changes, sb.priorities, name)
    except ScenarioError as e:
        res = ScenarioResult(name, "FOUT", time.monotonic() - t0, bundle.manifest.period_start, options.weeks)
        res.explanation = [f"Scenario {name!r} is niet bruikbaar:", *e.problems]
        return res
    res.changes = sb.applied
    res.seconds = time.monotonic() - t0
    return res


def run_scenarios(bundle: Bundle, pack: RulePack, scenarios: list[Scenario | None], weeks: int = 52,
                  on_progress: ScenarioProgress | None = None, options: CapacityOptions | None = None,
                  processes: int | None = None) -> list[ScenarioResult]:
    """Results in the order of ``scenarios`` (``None`` = the data as it is)."""
    options = replace(options or CapacityOptions(), weeks=weeks)
    total = len(scenarios)
    processes = min(processes or os.cpu_count() or 1, total)
    if processes <= 1:
        out = []
        for n, s in enumerate(scenarios, 1):
            out.append(run_one(bundle, pack, s, options))
            if on_progress:
                on_progress(n, total, out[-1].name)
        return out
    per_worker = replace(options, workers=max(1, options.workers // processes))
    results: list[ScenarioResult | None] = [None] * total
    with ProcessPoolExecutor(max_workers=processes) as pool:
        futures = {pool.submit(run_one, bundle, pack, s, per_worker): i for i, s in enumerate(scenarios)}
        for n, fut in enumerate(as_completed(futures), 1):
            results[futures[fut]] = fut.result()
            if on_progress:
                on_progress(n, total, results[futures[fut]].name)
    return [r for r in results if r is not None]
