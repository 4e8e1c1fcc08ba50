"""What-if in the web app: scenarios from forms (stored as YAML), background runs, results for the comparison.

A scenario row holds the YAML of ``planner.scenario`` (``naam``, ``omschrijving``,
``wijzigingen``, ``werving``: every section of the example files) and optionally the id of the scenario
it builds on. The forms that build it are :mod:`web.whatif_forms`. A run applies one to four
scenarios, each a job on the task queue (``solver.capacity.run.run_one`` in a worker, never in the web
process), and stores ``ScenarioResult.to_json()`` of all of them in ``scenario_runs``.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import yaml

from planner.scenario import Scenario, ScenarioError, scenario_from_dict, scenario_to_yaml
from web.featuretables import ScenarioRow

log = logging.getLogger("jeugdhulp.web.whatif")
MAX_SCENARIOS = 20  # a sweep: one child job per scenario, spread over the workers (web/jobs.py)
MAX_SAMPLES = 20
SAMPLE_MARK = " (steekproef "
WITHOUT_HIRES = " (zonder aannames)"


# --- stored scenarios -----------------------------------------------------
def scenario_yaml(raw: dict[str, Any]) -> str:
    """The stored YAML of a scenario: every section kept (``werving`` included)."""
    return scenario_to_yaml(raw)


def parse_yaml(text: str) -> dict[str, Any]:
    """The scenario fields of a YAML text (Dutch ScenarioError when it is no scenario)."""
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        raise ScenarioError([f"geen geldige YAML ({e.__class__.__name__})"]) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("wijzigingen") or [], list):
        raise ScenarioError(["verwacht velden 'naam', 'omschrijving' en een lijst 'wijzigingen'"])
    if not all(isinstance(c, dict) for c in raw.get("wijzigingen") or []):
        raise ScenarioError(["'wijzigingen' is een lijst van wijzigingen, elk met een 'soort'"])
    if raw.get("werving") is not None and not isinstance(raw["werving"], dict):
        raise ScenarioError(["'werving' heeft een 'doel' en een lijst 'kandidaten'"])
    return raw


def load_scenario_row(s, scenario_id: int, seen: tuple[int, ...] = ()) -> Scenario:
    """A stored scenario with its basis chain (a loop is a Dutch ScenarioError)."""
    if scenario_id in seen:
        raise ScenarioError(["scenario bouwt (via 'basis') op zichzelf voort"])
    row = s.get(ScenarioRow, scenario_id)
    if row is None:
        raise ScenarioError([f"scenario {scenario_id} bestaat niet (meer)"])
    base = load_scenario_row(s, row.base_id, (*seen, scenario_id)) if row.base_id else None
    from solver.capacity.result import jsonable  # a scenario travels to the worker as JSON

    raw = jsonable(parse_yaml(row.yaml_text))
    raw["naam"] = row.name
    return scenario_from_dict(raw, base)


def check_hiring(scenario: Scenario, period_start: date) -> list[str]:
    """Dutch problems of the scenario's ``werving`` section (empty when there is none or it is usable)."""
    from solver.capacity.hiring import parse_hiring

    if not scenario.hiring:
        return []
    try:
        parse_hiring(scenario.hiring, period_start)
    except ScenarioError as e:
        return e.problems
    return []


def with_inflow(bundle, pack, scenarios: list[Scenario | None], weeks: int, samples: int, seed: int = 0,
                percentile: int | None = None):
    """The scenarios with the expected inflow, each followed by ``samples`` sampled-inflow runs (their names
    end in ``(steekproef k)``: the comparison turns them into p10-p90 bands). With ``percentile`` (hiring
    advice "in 9 van de 10 jaren") every scenario gets the inflow of that percentile instead
    (``solver.capacity.bands.percentile_streams``), so with and without hires see the same inflow."""
    from planner.inflow import estimate_inflow, inflow_scenario
    from solver.capacity.bands import percentile_streams

    streams = estimate_inflow(bundle, pack)
    if not streams:
        return scenarios, []
    if percentile:
        streams = percentile_streams(streams, weeks, percentile)
    start, out = bundle.manifest.period_start, []
    for sc in scenarios:
        out.append(inflow_scenario(sc, streams, start, weeks))
        out += [inflow_scenario(sc, streams, start, weeks, sample=k, seed=seed) for k in range(samples)]
    return out, streams


def without_hires(scenario: Scenario) -> Scenario:
    """The same scenario without its ``werving`` section: the waiting list when nobody is hired."""
    base = without_hires(scenario.base) if scenario.base else None
    return Scenario(scenario.name + WITHOUT_HIRES, scenario.description, base, list(scenario.changes), None)


def run_label(label: str) -> str:
    """'basis / basis (steekproef 1) / X' -> 'basis / X (met instroom, 1 steekproef per scenario)'."""
    parts = [x.strip() for x in str(label).split(" / ")]
    mains = [x for x in parts if SAMPLE_MARK not in x]
    samples = len(parts) - len(mains)
    if not samples:
        return label
    per = samples // max(len(mains), 1)
    return " / ".join(mains) + f" (met instroom, {per} {'steekproef' if per == 1 else 'steekproeven'} per scenario)"


def hiring_advice(results: list) -> list[dict[str, Any]]:
    """Per hiring run (a result with hires, or whose twin without hires is in the run): the goal lines, the
    hires, and the waiting list with and without them."""
    names = {r.name: r for r in results}
    out = []
    for r in results:
        if r.name.endswith(WITHOUT_HIRES):
            continue
        without = names.get(r.name + WITHOUT_HIRES)
        if not r.hires and without is None:
            continue
        item = {"result": r, "goal": [x for x in r.explanation if x.startswith("Doel")], "without": without,
                "with_max": max(r.waiting_per_week, default=0), "with_end": (r.waiting_per_week or [0])[-1],
                "with_late": sum(1 for c in r.clients if c.projected_start is None)}
        if without is not None:
            item.update(without_max=max(without.waiting_per_week, default=0),
                        without_end=(without.waiting_per_week or [0])[-1],
                        without_late=sum(1 for c in without.clients if c.projected_start is None))
        out.append(item)
    return out


def split_samples(results: list) -> tuple[list, dict[str, Any]]:
    """The runs a page shows and, per scenario with sampled inflow, its bands (``solver.capacity.bands.Band``)."""
    from solver.capacity.bands import Band

    mains, drawn = [], {}
    for r in results:
        if SAMPLE_MARK in r.name:
            drawn.setdefault(r.name.split(SAMPLE_MARK)[0], []).append(r)
        else:
            mains.append(r)
    bands = {name: Band.over([[float(x) for x in r.waiting_per_week] for r in rs if r.status != "FOUT"])
             for name, rs in drawn.items()}
    return mains, {k: b for k, b in bands.items() if b.p50}


# --- background runs ------------------------------------------------------
class WhatifJobs:
    """What-if runs as jobs on the task queue (:mod:`web.jobs`): one job per scenario, spread over the workers.

    The run's state, progress and results live in the database (``taken``, then ``scenario_runs``).
    """

    def __init__(self, jobs):
        self.jobs = jobs

    def start(self, scenarios: list[Scenario | None], weeks: int, time_limit: float, username: str):
        return self.jobs.start_sweep(scenarios, weeks, time_limit, username)

    def get(self, job_id: str):
        from web.jobs import WHATIF

        job = self.jobs.get(job_id)
        return job if job is not None and job.kind == WHATIF else None

    def stop(self, job_id: str):
        if self.get(job_id) is None:
            return None
        return self.jobs.stop(job_id)


def whatif_jobs(app) -> WhatifJobs:
    if not hasattr(app.state, "whatif_jobs"):
        app.state.whatif_jobs = WhatifJobs(app.state.jobs)
    return app.state.whatif_jobs


def result_from_json(data: dict[str, Any]):
    """A :class:`solver.capacity.result.ScenarioResult` back from ``to_json()`` (for the comparison)."""
    from solver.capacity.result import Hire, ScenarioResult, UnmetRow, WaitingClient

    def day(v):
        return date.fromisoformat(v) if v else None

    clients = [WaitingClient(**{**c, "referral_date": day(c["referral_date"]), "earliest_start": day(c["earliest_start"]),
                                "projected_start": day(c["projected_start"])}) for c in data.get("clients", [])]
    hires = [Hire(**{**h, "start": day(h["start"])}) for h in data.get("hires", [])]
    plain = {k: v for k, v in data.items() if k not in ("summary", "clients", "hires", "unmet", "period_start")}
    return ScenarioResult(**{**plain, "period_start": day(data["period_start"]), "clients": clients, "hires": hires,
                             "unmet": [UnmetRow(**u) for u in data.get("unmet", [])]})
