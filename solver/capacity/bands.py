"""A forecast with inflow and its uncertainty: the expected run plus p10/p50/p90 bands over sampled inflow.

Each sample adds a Poisson draw of the inflow streams (:mod:`planner.inflow`, seeded and reproducible) to
the scenario and runs the same capacity model as one scenario does; the samples run in parallel worker
processes (:func:`solver.capacity.run.run_scenarios`).  Per week the waiting list and the unmet hours are
summarised as the 10th, 50th and 90th percentile over the samples ("in 9 van de 10 jaren hoogstens ...");
the run with the expected inflow stays as "verwacht".
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from planner.domain import Bundle
from planner.inflow import InflowStream, inflow_scenario
from planner.rules import RulePack
from planner.scenario import Scenario
from solver.capacity.result import UNMET_KINDS, ScenarioResult
from solver.capacity.run import ScenarioProgress, run_scenarios

PERCENTILES = (10, 50, 90)


def percentile(values: list[float], p: int) -> float:
    """The ``p``-th percentile (linear between order statistics, as numpy's default)."""
    xs = sorted(values)
    if not xs:
        return 0.0
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


@dataclass
class Band:
    """Per week the p10, p50 and p90 of a quantity over the samples."""

    p10: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p90: list[float] = field(default_factory=list)

    @classmethod
    def over(cls, series: list[list[float]]) -> "Band":
        weeks = min((len(s) for s in series), default=0)
        cols = [[s[w] for s in series] for w in range(weeks)]
        return cls(*([round(percentile(c, p), 2) for c in cols] for p in PERCENTILES))


@dataclass
class InflowForecast:
    """The expected run, the samples' bands and what they were made from."""

    expected: ScenarioResult
    samples: list[ScenarioResult]
    streams: list[InflowStream]
    seed: int
    waiting: Band
    unmet_hours: Band
    peak_waiting: dict[int, float]  # percentile -> highest waiting list of the year
    median_wait: dict[int, float]  # percentile -> median wait (weeks) of the clients who started

    def to_json(self) -> dict[str, Any]:
        return {"samples": len(self.samples), "seed": self.seed,
                "streams": [{"product": s.product, "interventie": s.intervention, "team": s.team,
                             "per_week": s.per_week, "duur_weken": s.duration_weeks, "bron": s.source}
                            for s in self.streams],
                "wachtlijst": vars(self.waiting), "onvervulde_uren": vars(self.unmet_hours),
                "hoogste_wachtlijst": self.peak_waiting, "mediane_wachttijd": self.median_wait}


def weekly_unmet_hours(r: ScenarioResult) -> list[float]:
    """Hours of care not given per week (soft group guidelines left out: ``ScenarioResult.unmet_hours``)."""
    out = [0.0] * r.weeks
    for row in r.unmet:
        if 0 <= row.week < r.weeks and row.kind in UNMET_KINDS:
            out[row.week] += row.hours
    return out


def median_wait(r: ScenarioResult) -> float:
    """Median wait in weeks of the waiting clients who start within the horizon (0 when nobody waits)."""
    waits = [c.wait_weeks for c in r.clients if c.wait_weeks is not None and c.projected_start is not None]
    return float(statistics.median(waits)) if waits else 0.0


def forecast_with_inflow(bundle: Bundle, pack: RulePack, scenario: Scenario | None, streams: list[InflowStream],
                         weeks: int = 52, samples: int = 50, seed: int = 0, options=None,
                         processes: int | None = None, on_progress: ScenarioProgress | None = None
                         ) -> InflowForecast:
    """The scenario with expected inflow, and ``samples`` runs with sampled inflow summarised as bands.

    A scenario whose hiring goal has ``percentiel`` gets, in its expected run, the inflow of that percentile
    (:func:`hiring_streams`, as the web's hiring advice); the samples draw from ``streams`` as they are."""
    start = bundle.manifest.period_start
    todo = [inflow_scenario(scenario, hiring_streams(scenario, streams, weeks), start, weeks)]
    todo += [inflow_scenario(scenario, streams, start, weeks, sample=k, seed=seed) for k in range(samples)]
    results = run_scenarios(bundle, pack, todo, weeks, on_progress, options, processes)
    expected, drawn = results[0], [r for r in results[1:] if r.status != "FOUT"]
    return InflowForecast(
        expected, drawn, streams, seed,
        waiting=Band.over([[float(x) for x in r.waiting_per_week] for r in drawn]),
        unmet_hours=Band.over([weekly_unmet_hours(r) for r in drawn]),
        peak_waiting={p: percentile([max(r.waiting_per_week, default=0) for r in drawn], p) for p in PERCENTILES},
        median_wait={p: percentile([median_wait(r) for r in drawn], p) for p in PERCENTILES})


def poisson_quantile(mean: float, p: int) -> int:
    """The smallest k with P(Poisson(mean) <= k) >= p/100."""
    import math

    if mean <= 0:
        return 0
    k, term = 0, math.exp(-mean)
    total = term
    while total < p / 100 and k < 10 * mean + 100:
        k += 1
        term *= mean / k
        total += term
    return k


def percentile_streams(streams: list[InflowStream], weeks: int, p: int) -> list[InflowStream]:
    """The inflow of a year that is not exceeded in ``p`` of 100 years, per stream.

    Each stream's arrivals over the horizon are Poisson with mean ``per_week * weeks`` (as the samples
    draw them); its rate becomes the ``p``-th percentile of that total, spread evenly. Planning hires on
    it reads "in 9 van de 10 jaren genoeg" for ``p`` 90 (per stream; streams are independent, so all of
    them at their p90 at once is a little more cautious than p90 of the total)."""
    from dataclasses import replace

    return [replace(s, per_week=poisson_quantile(s.per_week * weeks, p) / weeks) for s in streams]



def hiring_percentile(scenario: Scenario | None) -> int | None:
    """The ``percentiel`` of the scenario's hiring goal (``werving: doel: percentiel``), if any."""
    request = scenario.hiring_request() if scenario is not None else None
    goal = (request or {}).get("doel") or {}
    return int(goal["percentiel"]) if goal.get("percentiel") else None


def hiring_streams(scenario: Scenario | None, streams: list[InflowStream], weeks: int,
                   percentile: int | None = None) -> list[InflowStream]:
    """The inflow a run of ``scenario`` plans with: with a hiring percentile (given, or the scenario's
    ``werving: doel: percentiel``) the streams at that percentile, else ``streams``.  The one implementation
    for ``planner whatif`` and the web's hiring advice."""
    p = percentile or hiring_percentile(scenario)
    return percentile_streams(streams, weeks, p) if p and streams else streams
