"""Instroom: the new referrals a provider can expect per product and week, and scenarios that add them.

A what-if over 52 weeks without inflow describes a provider that empties as today's toewijzingen end
(docs/capacity.md).  The expected inflow per (product, intervention, team) comes from

* the bundle's history: referrals (``verwijsdatum``, else the begindatum) of the toewijzingen in the
  ``LOOKBACK_WEEKS`` before the period.  The bundle holds the toewijzingen that run now, so the window is
  kept shorter than a typical trajectory: nearly everyone referred in it is still in the bundle;
* or the manifest's ``instroom`` section (what a teamleider sets, e.g. 2 new MST gezinnen a week), which
  replaces the estimate for the streams it names.

Durations and volumes are the median of the same toewijzingen, the duration capped by the product's
``max_trajectory_length`` rule.  :func:`inflow_scenario` turns the streams into scenario changes: the
expected arrivals ("verwacht", fractional rates accumulated) or a Poisson sample per week (seeded).
Contact products arrive as toewijzingen (``toewijzingen_erbij``); group products as enrolments in the
product's least-occupied group (``inschrijvingen_erbij``).
"""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from planner.domain import Bundle, Omvang, OmvangFrequency, OmvangUnit, Toewijzing
from planner.rules import RulePack
from planner.scenario import Scenario

LOOKBACK_WEEKS = 13
GROUP_SETTINGS = {"groep"}


@dataclass(frozen=True, slots=True)
class InflowStream:
    """Expected new referrals of one product (and intervention, team) per week."""

    product: str
    intervention: str | None
    team: str | None
    per_week: float
    duration_weeks: int
    omvang: Omvang | None
    gemeente: str
    group: bool  # a group product: arrivals enrol in a group
    source: str  # Dutch: where the rate comes from

    @property
    def label(self) -> str:
        return f"{self.product}{' ' + self.intervention if self.intervention else ''}"


def _key(t: Toewijzing) -> tuple[str, str | None, str | None]:
    return (t.product_code, t.intervention, t.team_id)


def _max_weeks(pack: RulePack, t: Toewijzing) -> int | None:
    months = [r.params["months"] for r in pack.rules_of("max_trajectory_length")
              if r.severity == "hard" and r.applies_to(t.product_code, t.intervention)]
    return math.floor(min(months) * 52 / 12) if months else None


def _typical_omvang(ts: list[Toewijzing]) -> Omvang | None:
    """The most common unit and frequency, with the median volume of those toewijzingen."""
    with_omvang = [t.omvang for t in ts if t.omvang is not None]
    if not with_omvang:
        return None
    (unit, freq), _ = Counter((o.unit, o.frequency) for o in with_omvang).most_common(1)[0]
    volume = statistics.median(o.volume for o in with_omvang if (o.unit, o.frequency) == (unit, freq))
    return Omvang(float(volume), unit, freq)


def estimate_inflow(bundle: Bundle, pack: RulePack, lookback_weeks: int = LOOKBACK_WEEKS) -> list[InflowStream]:
    """Streams from the referrals of the last ``lookback_weeks`` before the period (history), replaced per
    stream by the manifest's ``instroom`` settings where it names them."""
    start = bundle.manifest.period_start
    first = start - timedelta(weeks=lookback_weeks)
    by_key: dict[tuple, list[Toewijzing]] = defaultdict(list)
    for t in bundle.toewijzingen.values():
        if pack.product(t.product_code) is not None:
            by_key[_key(t)].append(t)
    streams = []
    for (code, iv, team), ts in sorted(by_key.items(), key=lambda kv: tuple(str(k) for k in kv[0])):
        recent = [t for t in ts if first < (t.referral_date or t.start) <= start]
        if not recent:
            continue
        weeks = round(statistics.median((t.end - t.start).days + 1 for t in ts) / 7)
        cap = _max_weeks(pack, ts[0])
        gemeente = Counter(bundle.jeugdigen[t.jeugdige_id].gemeente for t in ts
                           if t.jeugdige_id in bundle.jeugdigen).most_common(1)
        streams.append(InflowStream(code, iv, team, round(len(recent) / lookback_weeks, 3),
                                    max(1, min(weeks, cap) if cap else weeks), _typical_omvang(ts),
                                    gemeente[0][0] if gemeente else "onbekend",
                                    pack.product(code).setting in GROUP_SETTINGS,
                                    f"historie: {len(recent)} verwijzingen in {lookback_weeks} weken"))
    return _with_settings(streams, bundle.manifest.inflow, pack)


def _with_settings(streams: list[InflowStream], settings, pack: RulePack) -> list[InflowStream]:
    """The manifest's ``instroom`` entries replace the estimated stream of their product (and intervention)."""
    out = list(streams)
    for s in settings:
        product = pack.product(s["product"])
        if product is None:
            continue
        iv = s.get("interventie")
        base = next((x for x in out if x.product == s["product"] and x.intervention == iv), None)
        if base is not None:
            out.remove(base)
        o = s.get("omvang")
        omvang = (Omvang(float(o["volume"]), OmvangUnit(o["eenheid"]), OmvangFrequency(o["frequentie"])) if o
                  else base.omvang if base else None)
        weeks = int(s["duur_weken"]) if "duur_weken" in s else (base.duration_weeks if base else 26)
        out.append(InflowStream(s["product"], iv, s.get("team", base.team if base else None), float(s["per_week"]),
                                weeks, omvang, base.gemeente if base else "onbekend",
                                product.setting in GROUP_SETTINGS, "instelling in het manifest"))
    return sorted(out, key=lambda x: (x.product, x.intervention or "", x.team or ""))


def _arrivals(rate: float, weeks: int, rng: random.Random | None) -> list[int]:
    """Arrivals per week: expected (fractional rate accumulated) without ``rng``, else Poisson(rate)."""
    if rng is None:
        out, due = [], 0.0
        for _ in range(weeks):
            due += rate
            n = math.floor(due + 1e-9)
            out.append(n)
            due -= n
        return out
    return [_poisson(rng, rate) for _ in range(weeks)]


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method (rates here are a few a week at most)."""
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def inflow_changes(streams: list[InflowStream], start: date, weeks: int, rng: random.Random | None = None
                   ) -> list[dict[str, Any]]:
    """Scenario changes that add the streams' arrivals over ``weeks`` from ``start`` (a Monday)."""
    changes = []
    for s in streams:
        for w, n in enumerate(_arrivals(s.per_week, weeks, rng)):
            if not n:
                continue
            when = (start + timedelta(weeks=w)).isoformat()
            if s.group:
                changes.append({"soort": "inschrijvingen_erbij", "product": s.product, "aantal": n,
                                "begindatum": when, "duur_weken": s.duration_weeks, "gemeente": s.gemeente})
                continue
            change = {"soort": "toewijzingen_erbij", "product": s.product, "aantal": n, "begindatum": when,
                      "duur_weken": s.duration_weeks, "gemeente": s.gemeente}
            if s.intervention:
                change["interventie"] = s.intervention
            if s.team:
                change["team"] = s.team
            if s.omvang is not None:
                change["omvang"] = {"volume": s.omvang.volume, "eenheid": s.omvang.unit.value,
                                    "frequentie": s.omvang.frequency.value}
            changes.append(change)
    return changes


def inflow_scenario(base: Scenario | None, streams: list[InflowStream], start: date, weeks: int,
                    sample: int | None = None, seed: int = 0) -> Scenario:
    """``base`` (or the data as it is) plus the inflow: expected (``sample`` None, keeping the scenario's name:
    the expected run is what the scenario's results show) or sample ``sample``."""
    rng = None if sample is None else random.Random(f"{seed}:{sample}")
    name = (base.name if base else "basis") + ("" if sample is None else f" (steekproef {sample + 1})")
    return Scenario(name, changes=[*(base.all_changes() if base else []), *inflow_changes(streams, start, weeks, rng)],
                    hiring=base.hiring_request() if base else None)
