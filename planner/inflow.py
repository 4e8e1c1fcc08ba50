"""Instroom: the new referrals a provider can expect per product and week, and scenarios that add them.

A what-if over 52 weeks without inflow describes a provider that empties as today's toewijzingen end
(docs/capacity.md).  The expected inflow per (product, intervention, team) comes from

* the steady state of today's caseload (default): per stream the clients in care at the period start
  divided by their mean trajectory length (Little's law), the length capped by the product's
  ``max_trajectory_length`` rule, so the product mix, and with it the load per discipline, stays as it is;
  group products count the enrolments in their groups;
* or (``method="historie"``) the referrals (``verwijsdatum``, else the begindatum) of the toewijzingen in
  the ``LOOKBACK_WEEKS`` before the period;
* the manifest's ``instroom`` section (what a teamleider sets, e.g. 2 new MST gezinnen a week) replaces
  the estimate for the streams it names.

Volumes are the median of the same toewijzingen (most common unit and frequency); each arrival's length is
one of today's lengths in a spread-out order (a fixed mean length fills up faster than today's mix of short
and long trajectories empties); with the steady state, a contact stream's referrals start their allocation
after the weeks that keep today's waiting list (waiting clients / rate), so the clients already waiting are
the starts of the first weeks rather than a one-off surge on top of the inflow (issue 23, docs/capacity.md).
:func:`inflow_scenario` turns the streams into scenario changes: the
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
    gemeenten: tuple[tuple[str, float], ...] = ()  # today's clients' gemeenten and shares: arrivals keep them
    durations: tuple[int, ...] = ()  # today's trajectory lengths (weeks, sorted): arrivals keep their spread
    lag_weeks: int = 0  # weeks from referral to the allocation's start that keep today's waiting list (Little)

    def duration_of(self, n: int) -> int:
        """The length of the stream's ``n``-th arrival: today's lengths in a spread-out order (van der Corput),
        so every stretch of arrivals has about today's mix of short and long trajectories; without them
        ``duration_weeks``."""
        if not self.durations:
            return self.duration_weeks
        return self.durations[int(_van_der_corput(n) * len(self.durations))]

    @property
    def label(self) -> str:
        return f"{self.product}{' ' + self.intervention if self.intervention else ''}"


def _van_der_corput(n: int) -> float:
    """The ``n``-th term of the base-2 van der Corput sequence in [0, 1): 0, 1/2, 1/4, 3/4, 1/8, ..."""
    q, denom = 0.0, 1.0
    while n:
        denom *= 2
        n, bit = divmod(n, 2)
        q += bit / denom
    return q


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


def estimate_inflow(bundle: Bundle, pack: RulePack, method: str = "stabiel",
                    lookback_weeks: int = LOOKBACK_WEEKS) -> list[InflowStream]:
    """Expected streams per (product, intervention, team), replaced per stream by the manifest's ``instroom``.

    ``method`` "stabiel" (default): the steady state that keeps today's caseload, so the mix of products (and
    with it the load per discipline) stays as it is: per stream the clients in care at the period start
    divided by the mean trajectory length (Little's law, N = rate x duration), the length capped by the
    pack's maximum.  "historie": the referrals of the ``lookback_weeks`` before the period."""
    start = bundle.manifest.period_start
    by_key: dict[tuple, list[Toewijzing]] = defaultdict(list)
    for t in bundle.toewijzingen.values():
        if pack.product(t.product_code) is not None:
            by_key[_key(t)].append(t)
    streams = []
    for (code, iv, team), ts in sorted(by_key.items(), key=lambda kv: tuple(str(k) for k in kv[0])):
        group = pack.product(code).setting in GROUP_SETTINGS
        cap = _max_weeks(pack, ts[0])
        lengths = [min(_weeks(t.start, t.end), cap or 10_000) for t in ts]
        lag = 0
        if method == "historie":
            first = start - timedelta(weeks=lookback_weeks)
            recent = [t for t in ts if first < (t.referral_date or t.start) <= start]
            weeks = max(1, round(statistics.median(lengths)))
            rate = len(recent) / lookback_weeks
            source = f"historie: {len(recent)} verwijzingen in {lookback_weeks} weken"
        else:
            active, lengths = _in_care(bundle, code, ts, start, lengths) if group else (
                sum(1 for t, n in zip(ts, lengths) if t.start <= start < t.start + timedelta(weeks=n)), lengths)
            weeks = max(1, round(statistics.mean(lengths)))
            rate, source = active / weeks, f"stabiel: {active} in zorg / {weeks} weken gemiddelde duur"
            # today's waiting clients (referred, allocation not yet begun) are the referrals of the last
            # ``lag`` weeks: new referrals start that much later, so the waiting list stays as it is
            queued = 0 if group else sum(1 for t in ts if t.start > start and (t.referral_date or t.start) <= start)
            lag = round(queued / rate) if rate > 0 else 0
            if lag:
                source += f"; {queued} wachtend = {lag} weken tot de start"
        if rate <= 0:
            continue
        places = Counter(bundle.jeugdigen[t.jeugdige_id].gemeente for t in ts if t.jeugdige_id in bundle.jeugdigen)
        total = sum(places.values())
        streams.append(InflowStream(code, iv, team, round(rate, 3), weeks, _typical_omvang(ts),
                                    places.most_common(1)[0][0] if places else "onbekend", group, source,
                                    tuple((g, round(n / total, 3)) for g, n in sorted(places.items())),
                                    tuple(sorted(max(1, round(n)) for n in lengths)), lag))
    return _with_settings(streams, bundle.manifest.inflow, pack)


def _weeks(first: date, last: date) -> float:
    return ((last - first).days + 1) / 7


def _in_care(bundle: Bundle, code: str, ts: list[Toewijzing], start: date, lengths: list[float]
             ) -> tuple[int, list[float]]:
    """A group product: the enrolments in its groups at ``start`` and their lengths (the toewijzingen's
    lengths for enrolments without an end)."""
    groups = {g.id for g in bundle.groups.values() if g.product_code == code}
    enrolments = [e for e in bundle.enrolments if e.group_id in groups]
    if not enrolments:
        return 0, lengths
    ended = [_weeks(e.start, e.end) for e in enrolments if e.end is not None]
    return sum(1 for e in enrolments if e.active_on(start)), ended or lengths


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
                                product.setting in GROUP_SETTINGS, "instelling in het manifest",
                                base.gemeenten if base else (),
                                base.durations if base and "duur_weken" not in s else (),
                                base.lag_weeks if base else 0))
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
        shares = dict(s.gemeenten) or {s.gemeente: 1.0}
        given: Counter[str] = Counter()
        for w, arrivals in enumerate(_arrivals(s.per_week, weeks, rng)):
            places: Counter[tuple[str, int]] = Counter()
            for _ in range(arrivals):  # each arrival to the gemeente furthest below its share (today's spread)
                g = max(sorted(shares), key=lambda g: shares[g] * (given.total() + 1) - given[g])
                places[g, s.duration_of(given.total())] += 1
                given[g] += 1
            referral = start + timedelta(weeks=w)
            for (gemeente, length), n in sorted(places.items()):
                changes.append(_change(s, n, referral, gemeente, length, s.lag_weeks))
    return changes


def _change(s: InflowStream, n: int, referral: date, gemeente: str, length: int, lag: int = 0) -> dict[str, Any]:
    """The scenario change for ``n`` arrivals of stream ``s`` referred on ``referral`` in ``gemeente``, their
    allocation starting ``lag`` weeks later and lasting ``length`` weeks."""
    when = (referral + timedelta(weeks=lag)).isoformat()
    if s.group:
        return {"soort": "inschrijvingen_erbij", "product": s.product, "aantal": n,
                "begindatum": when, "duur_weken": length, "gemeente": gemeente}
    change = {"soort": "toewijzingen_erbij", "product": s.product, "aantal": n, "begindatum": when,
              "duur_weken": length, "gemeente": gemeente}
    if lag:
        change["verwijsdatum"] = referral.isoformat()
    if s.intervention:
        change["interventie"] = s.intervention
    if s.team:
        change["team"] = s.team
    if s.omvang is not None:
        change["omvang"] = {"volume": s.omvang.volume, "eenheid": s.omvang.unit.value,
                            "frequentie": s.omvang.frequency.value}
    return change


def inflow_scenario(base: Scenario | None, streams: list[InflowStream], start: date, weeks: int,
                    sample: int | None = None, seed: int = 0) -> Scenario:
    """``base`` (or the data as it is) plus the inflow: expected (``sample`` None, keeping the scenario's name:
    the expected run is what the scenario's results show) or sample ``sample``."""
    rng = None if sample is None else random.Random(f"{seed}:{sample}")
    name = (base.name if base else "basis") + ("" if sample is None else f" (steekproef {sample + 1})")
    return Scenario(name, changes=[*(base.all_changes() if base else []), *inflow_changes(streams, start, weeks, rng)],
                    hiring=base.hiring_request() if base else None)
