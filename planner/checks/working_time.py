"""Working-time rules (Arbeidstijdenwet, Arbeidstijdenbesluit, CAO Jeugdzorg; pack ``working-time``).

Availability, absences, double booking, shift and week limits, daily and weekly
rest, contract hours and travel time between home visits.  Worked stretches
come from ``ctx.busy`` (group sessions, contacts, shifts); on-call is not work.

Rules whose window crosses the period start (double booking, dienst length,
week hours, daily and weekly rest) also see the previous period's shifts
(``ctx.history_busy``, from ``plan.history_shifts``), as the solver's rosters
do; a violation is reported only when it involves this plan's own work (one
entirely inside the history was the previous plan's to report).

Every check works per staff member on sorted intervals (O(n log n) per person),
never minute by minute.  All datetimes are naive local wall-clock times (the
plan format has no time zone), so a DST change is not an issue: a night shift
23:00-07:00 in the night of the clock change counts as 8 hours.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from planner.checker import Busy, CheckContext, Violation
from planner.rules import Rule
from planner.semantics.rest import (
    daily_rest_episodes,
    daily_rest_params,
    short_rest_starts,
)
from planner.timeutil import (
    DAY,
    WEEKDAYS_NL,
    Interval,
    hours,
    union,
    within_availability,
)

WEEK = timedelta(days=7)


# --- interval helpers (shared with planner.checks.oncall) --------------------
def fmt(dt: datetime) -> str:
    """Dutch short timestamp, e.g. ``di 08-12-2026 09:00``."""
    return f"{WEEKDAYS_NL[dt.weekday()]} {dt:%d-%m-%Y %H:%M}"


def subtract(base: list[Interval], cut: list[Interval]) -> list[Interval]:
    """``base`` minus ``cut``; both sorted unions (see :func:`union`)."""
    out: list[Interval] = []
    j = 0
    for s, e in base:
        while j < len(cut) and cut[j][1] <= s:
            j += 1
        k, cur = j, s
        while k < len(cut) and cut[k][0] < e:
            if cut[k][0] > cur:
                out.append((cur, cut[k][0]))
            cur = max(cur, cut[k][1])
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def monday_of(dt: datetime) -> datetime:
    return datetime.combine(dt.date() - timedelta(days=dt.weekday()), time())


def hours_per_week(intervals: list[Interval]) -> dict[datetime, float]:
    """Hours of a sorted union per calendar week (key: Monday 00:00); stretches split at Monday."""
    out: dict[datetime, float] = defaultdict(float)
    for s, e in intervals:
        while s < e:
            cut = min(e, monday_of(s) + WEEK)
            out[monday_of(s)] += hours(cut - s)
            s = cut
    return out


def longest_free(work: list[Interval], lo: datetime, hi: datetime) -> timedelta:
    """Longest stretch inside [lo, hi) not covered by the sorted union ``work``."""
    best, cur = timedelta(0), lo
    for s, e in work[max(0, bisect_right([w[1] for w in work], lo) - 1):]:
        if s >= hi:
            break
        if e <= lo:
            continue
        best = max(best, min(s, hi) - cur)
        cur = max(cur, e)
    return max(best, hi - cur)


@dataclass(frozen=True, slots=True)
class Work:
    """One person's worked time: ``all`` (union, history shifts included) and ``own`` (union of the plan's work)."""

    all: list[Interval]
    own: list[Interval]

    def involves_plan(self, lo: datetime, hi: datetime) -> bool:
        """Does the plan's own work overlap [lo, hi) (lo < hi)?  A bisect on the disjoint, sorted ``own``."""
        i = bisect_left(self.own, (lo,))  # the first stretch starting at or after lo
        return (i > 0 and self.own[i - 1][1] > lo) or (i < len(self.own) and self.own[i][0] < hi)


def with_history(ctx: CheckContext, sid: str) -> list[Busy]:
    """The person's worked stretches of the plan and of its history shifts, sorted by start."""
    return list(heapq.merge(ctx.history_busy.get(sid, ()), ctx.busy.get(sid, ()), key=lambda b: (b.start, b.end)))


def worked(ctx: CheckContext) -> dict[str, Work]:
    """Per staff member with work in the plan: the unions of worked stretches (double bookings count once).

    Kept on the context (like its cached properties) so the five checks that need it build it once.
    """
    cache = ctx.__dict__.setdefault("_wt_worked", {})
    if not cache:
        cache.update({sid: Work(union((b.start, b.end) for b in with_history(ctx, sid)),
                                union((b.start, b.end) for b in lst)) for sid, lst in ctx.busy.items()})
    return cache


def plan_episodes(work: Work, window: timedelta, rest: timedelta) -> list[list[datetime]]:
    """:func:`short_rest_starts` over all work, keeping the episodes whose windows reach the plan's own work."""
    return [starts for starts in short_rest_starts(work.all, window, rest)
            if work.involves_plan(starts[0], starts[-1] + window)]


def absences_by_staff(ctx: CheckContext) -> dict[str, list[Interval]]:
    out: dict[str, list[Interval]] = defaultdict(list)
    for a in ctx.bundle.absences:
        out[a.staff_id].append((a.start, a.end))
    return {sid: union(lst) for sid, lst in out.items()}


# --- availability and absence ------------------------------------------------
def check_availability(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """W.beschikbaarheid: every worked stretch lies inside the weekly availability (no windows = never
    available, docs/data-format.md)."""
    for sid, stretches in ctx.busy.items():
        m = ctx.staff(sid)
        if m is None:
            continue
        for b in stretches:
            if not within_availability(m, b.start, b.end):
                where = "de beschikbaarheid" if m.availability else "de beschikbaarheid (geen beschikbaarheid opgegeven)"
                yield ctx.violation(rule, f"Medewerker {sid}: {b.what} ({fmt(b.start)} tot {b.end:%H:%M}) valt buiten "
                                          f"{where}.", ("medewerker", sid), amount=hours(b.end - b.start))


def check_absence(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """W.afwezigheid: no work and no on-call during verlof, ziekte or training."""
    items: dict[str, list[tuple[datetime, datetime, str]]] = defaultdict(list)
    for sid, lst in ctx.busy.items():
        items[sid].extend((b.start, b.end, b.what) for b in lst)
    for o in ctx.plan.oncall:
        items[o.staff_id].append((o.start, o.end, f"bereikbaarheidsdienst {o.team_id} {o.start:%Y-%m-%d %H:%M}"))
    kinds: dict[str, list] = defaultdict(list)
    for a in ctx.bundle.absences:
        kinds[a.staff_id].append(a)
    for sid, absences in kinds.items():
        for a in sorted(absences, key=lambda a: a.start):
            for s, e, what in items.get(sid, ()):
                if s < a.end and a.start < e:
                    yield ctx.violation(rule, f"Medewerker {sid}: {what} valt in de afwezigheid ({a.kind.value}) "
                                              f"van {fmt(a.start)} tot {fmt(a.end)}.", ("medewerker", sid),
                                        amount=hours(min(e, a.end) - max(s, a.start)))


def check_double_booking(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """W.dubbele_boeking: no two worked stretches of one person overlap (a history shift against the plan's
    work counts too, two history shifts do not)."""
    for sid in ctx.busy:
        latest: Busy | None = None  # the stretch so far that ends last
        for b in with_history(ctx, sid):
            if latest is not None and b.start < latest.end and not (b.history and latest.history):
                yield ctx.violation(rule, f"Medewerker {sid} is dubbel geboekt: {latest.what} en {b.what} overlappen.",
                                    ("medewerker", sid), amount=hours(min(b.end, latest.end) - b.start))
            if latest is None or b.end > latest.end:
                latest = b


# --- length of shifts and weeks ----------------------------------------------
def check_max_shift_hours(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """W.max_dienst: a continuous stretch of work (breaks under ``merge_gap_minutes`` joined) <= ``hours``;
    a dienst begun in a history shift counts when the plan's work continues it."""
    limit = float(rule.params.get("hours", 12))
    join = timedelta(minutes=float(rule.params.get("merge_gap_minutes", 30)))
    for sid, work in worked(ctx).items():
        for s, e in union(work.all, join):
            if hours(e - s) > limit and work.involves_plan(s, e):
                yield ctx.violation(rule, f"Medewerker {sid}: dienst van {fmt(s)} tot {fmt(e)} duurt "
                                          f"{hours(e - s):.2f} uur, maximaal {limit:g}.", ("medewerker", sid),
                                    amount=round(hours(e - s) - limit, 2))


def _week_hours_over(ctx: CheckContext, rule: Rule, limit_of, started_hours: bool = False) -> Iterator[Violation]:
    """Weeks with the plan's own work whose worked hours (history shifts included) exceed ``limit_of(m)``;
    ``started_hours`` counts the excess per started hour."""
    for sid, work in worked(ctx).items():
        m = ctx.staff(sid)
        if m is None:
            continue
        limit = limit_of(m)
        for monday, h in sorted(hours_per_week(work.all).items()):
            if h > limit + 1e-9 and work.involves_plan(monday, monday + WEEK):
                yield ctx.violation(rule, f"Medewerker {sid}: {h:.2f} uur gewerkt in de week van {monday:%d-%m-%Y}, "
                                          f"maximaal {limit:g}.", ("medewerker", sid),
                                    amount=math.ceil(h - limit - 1e-9) if started_hours else round(h - limit, 2))


def check_max_week_hours(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """W.max_week: worked hours per calendar week <= ``hours`` (60)."""
    limit = float(rule.params.get("hours", 60))
    yield from _week_hours_over(ctx, rule, lambda m: limit)


def check_contract_hours(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """W.contracturen (soft): worked hours per calendar week <= contract x (1 + tolerance_pct/100);
    the penalty counts started hours over (as the solver does)."""
    factor = 1 + float(rule.params.get("tolerance_pct", 0)) / 100
    yield from _week_hours_over(ctx, rule, lambda m: m.contract_hours * factor, started_hours=True)


# --- rest ---------------------------------------------------------------------
def check_daily_rest(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """W.dagelijkse_rust: in the 24 h from the start of each dienst an uninterrupted rest of ``hours`` (11).

    The rest may be shortened to ``reduced_hours`` (8) once per
    ``reduced_per_days`` (7) x 24 h: an episode with 8 but not 11 hours is such
    a shortening; a second one within 7 days of the last allowed one breaks
    the rule, as does any episode without even 8 hours.  History shifts count
    (their shortenings too); episodes whose windows hold none of the plan's own
    work are not reported.
    """
    rest, reduced, per = daily_rest_params(rule)
    for sid, work in worked(ctx).items():
        for starts, why in daily_rest_episodes(work.all, rest, reduced, per):
            t = starts[0]
            if why is None or not work.involves_plan(t, starts[-1] + DAY):
                continue  # an allowed shortening, or entirely the previous period's
            best = longest_free(work.all, t, t + DAY)
            yield ctx.violation(rule, f"Medewerker {sid}: in de 24 uur vanaf het begin van de dienst op {fmt(t)} geen "
                                      f"{hours(rest):g} uur aaneengesloten rust ({why}; langste rust {hours(best):.2f} uur).",
                                ("medewerker", sid), amount=round(max(hours(rest - best), 0.25), 2))


def check_weekly_rest(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """W.wekelijkse_rust: an uninterrupted rest of ``hours`` (36) per week.

    Interpretation ``venster``: ``kalenderweek`` (default) takes the longest
    rest inside each calendar week of the period (Monday 00:00 to Monday
    00:00); ``glijdend`` asks it in every 7 x 24 h, as the Arbeidstijdenwet says.
    History shifts count; a week or window without the plan's own work is not reported.
    """
    rest = timedelta(hours=float(rule.params.get("hours", 36)))
    sliding = "venster" in rule.interpretations and rule.interpretation("venster") == "glijdend"
    mondays = sorted({monday_of(datetime.combine(d, time())) for d in ctx.days})
    for sid, work in worked(ctx).items():
        if sliding:
            for starts in plan_episodes(work, WEEK, rest):
                best = longest_free(work.all, starts[0], starts[0] + WEEK)
                yield ctx.violation(rule, f"Medewerker {sid}: in de 7 x 24 uur vanaf {fmt(starts[0])} is de langste "
                                          f"rust {hours(best):.2f} uur, minimaal {hours(rest):g}.", ("medewerker", sid),
                                    amount=round(hours(rest - best), 2))
            continue
        for monday in mondays:
            best = longest_free(work.all, monday, monday + WEEK)
            if best < rest and work.involves_plan(monday, monday + WEEK):
                yield ctx.violation(rule, f"Medewerker {sid}: in de week van {monday:%d-%m-%Y} is de langste rust "
                                          f"{hours(best):.2f} uur, minimaal {hours(rest):g}.", ("medewerker", sid),
                                    amount=round(hours(rest - best), 2))


# --- travel -------------------------------------------------------------------
def check_travel_buffer(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """W.reistijd (soft): at least ``minutes`` between consecutive home visits of one person."""
    need = timedelta(minutes=float(rule.params.get("minutes", 30)))
    for sid, stretches in ctx.busy.items():
        visits = [b for b in stretches if b.home_visit]
        for prev, nxt in zip(visits, visits[1:]):
            gap = nxt.start - prev.end
            if gap < need:
                short = (need - max(gap, timedelta(0))).total_seconds() / 60
                yield ctx.violation(rule, f"Medewerker {sid}: {gap.total_seconds() / 60:.0f} minuten tussen "
                                          f"{prev.what} en {nxt.what}, minimaal {need.total_seconds() / 60:.0f}.",
                                    ("medewerker", sid), amount=round(short))
