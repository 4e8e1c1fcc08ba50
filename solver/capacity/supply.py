"""Supply per medewerker per week: contract hours minus absences, feestdagen and on-call load.

Contract hours (possibly changed from a date by a scenario) are the planned
ceiling; a week's share of them is lost to the part of the availability
pattern covered by known absences.  Supply never exceeds the minutes inside
the availability pattern (a hard rule for the planner).
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

from planner.domain import Bundle, Medewerker
from planner.semantics.holidays import closed_day
from planner.timeutil import minutes, overlaps



def week_monday(start: date, w: int) -> date:
    return start + timedelta(days=7 * w)


def week_of(start: date, d: date) -> int:
    """Week index of ``d`` (negative before the horizon)."""
    return (d - start).days // 7


def contract_hours_in_week(m: Medewerker, changes: list[tuple[date, float]], monday: date) -> float:
    """Contract hours valid on ``monday``: the latest change on or before it, else the medewerker's own."""
    hours = m.contract_hours
    for when, value in sorted(changes):
        if when <= monday:
            hours = value
    return hours


def _pattern(m: Medewerker, day: date) -> list[tuple[datetime, datetime]]:
    """The dated availability windows of ``day``; a medewerker without beschikbaarheid rows has none (docs/data-format.md)."""
    spans = []
    for w in m.availability:
        if w.weekday == day.weekday():
            end = datetime.combine(day + timedelta(days=1), time()) if w.end >= time(23, 59) else datetime.combine(day, w.end)
            start = datetime.combine(day, w.start)
            spans.append((start, end if end > start else end + timedelta(days=1)))
    return spans


def week_availability(m: Medewerker, absences: list, monday: date,
                      closed: frozenset[date] = frozenset()) -> tuple[int, int]:
    """(pattern minutes, pattern minutes not covered by an absence or a ``closed`` day) in the week from
    ``monday``; ``closed`` are the feestdagen on which this medewerker does no ambulant or group work."""
    total = free = 0
    for i in range(7):
        day = monday + timedelta(days=i)
        for s, e in _pattern(m, day):
            span = minutes(s, e)
            total += span
            if day in closed:
                continue
            lost = sum(minutes(max(s, a.start), min(e, a.end)) for a in absences if overlaps(s, e, a.start, a.end))
            free += max(span - lost, 0)
    return total, free


def closed_days(bundle: Bundle, start: date, weeks: int) -> frozenset[date]:
    """Feestdagen of the horizon without ambulant contacts or group sessions (planner.semantics.holidays)."""
    return frozenset(d for i in range(7 * weeks) if closed_day(bundle.manifest, d := start + timedelta(days=i)))


def supply_minutes(bundle: Bundle, start: date, weeks: int,
                   contract_changes: dict[str, list[tuple[date, float]]]) -> dict[str, list[int]]:
    """Per staff id, the minutes of contract time available in each week (before on-call load)."""
    absences: dict[str, list] = {}
    for a in bundle.absences:
        absences.setdefault(a.staff_id, []).append(a)
    out: dict[str, list[int]] = {}
    closed = closed_days(bundle, start, weeks)
    residential = {g.team_id for g in bundle.groups.values() if g.team_id}  # shifts go on on a feestdag
    for m in bundle.staff.values():
        mine, row = absences.get(m.id, []), []
        off = frozenset() if m.teams & residential else closed
        for w in range(weeks):
            monday = week_monday(start, w)
            hours = contract_hours_in_week(m, contract_changes.get(m.id, []), monday)
            total, free = week_availability(m, mine, monday, off)
            share = free / total if total else 0.0
            row.append(int(min(hours * 60 * share, free)))
        out[m.id] = row
    return out


def oncall_load(bundle: Bundle, pack, start: date, weeks: int, supply: dict[str, list[int]],
                active_teams: dict[str, set[int]], hours_per_day: float,
                optional: frozenset[str] = frozenset()) -> tuple[dict[str, list[int]], dict[str, list[float]]]:
    """On-call minutes per member per week, and uncovered on-call days per team per week.

    A team that carries a 24/7 duty (``active_teams``: the weeks in which a trajectory whose product asks
    it runs, planner.semantics.oncall) needs someone bereikbaar every day of such a week.  Each eligible member (in the team, certified for its
    intervention, consenting when consent is required, not away that week; candidate hires
    not counted, as they may not be hired) may take at
    most ``max_days`` per 28 days (CAO Jeugdzorg 6.4.1); the expected work while on call
    (``hours_per_day``) is shared evenly and taken off their supply.
    """
    max_days = max((float(r.params.get("max_days", 7)) for r in pack.rules_of("oncall_max_per_28d")), default=7.0)
    load = {sid: [0] * weeks for sid in supply}
    uncovered: dict[str, list[float]] = {}
    for team in bundle.teams.values():
        if not active_teams.get(team.id):
            continue
        cert = team.intervention.casefold() if team.intervention else None
        members = [m for m in bundle.staff.values() if team.id in m.teams and m.id not in optional
                   and (cert is None or cert in {c.casefold() for c in m.certifications})
                   and (not m.oncall_consent_required or m.oncall_consent)]
        gaps = [0.0] * weeks
        for w in sorted(active_teams[team.id]):
            if not 0 <= w < weeks:
                continue
            present = [m for m in members if supply[m.id][w] > 0]
            gaps[w] = max(0.0, 7 - len(present) * max_days * 7 / 28)
            for m in present:
                load[m.id][w] += math.ceil(7 * hours_per_day * 60 / len(present))
        uncovered[team.id] = gaps
    return load, uncovered
