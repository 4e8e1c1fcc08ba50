"""The daily rest of the Arbeidstijdenwet (art. 5:3): when a rest is too short, and which shortening is allowed.

Shared by the checker (``check_daily_rest``) and the contact stage, which reads the history's last
allowed shortening from :func:`daily_rest_episodes`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import datetime, timedelta

from planner.rules import Rule
from planner.timeutil import DAY, Interval, hours


def short_rest_starts(work: list[Interval], window: timedelta, rest: timedelta) -> list[list[datetime]]:
    """Starts of work after which the next ``window`` (24 h, 7 x 24 h) holds no uninterrupted ``rest``.

    The period of 24 hours begins when a dienst begins (the usual reading of the
    Arbeidstijdenwet; a window from midnight would cut every night's rest in
    two), so only the starts of worked stretches are tested.  A window
    [t, t + window] holds a free stretch of ``rest`` inside the gap [a, b] iff
    a + rest - window <= t <= b - rest; the union of those t-ranges over all
    gaps (before the first and after the last stretch the person is free) is
    swept once, and the starts in its holes are returned, grouped per hole
    (one hole = one episode of too little rest).
    """
    if not work:
        return []
    holes: list[Interval] = []
    reach = work[0][0] - rest  # the free time before the first stretch covers t <= s1 - rest
    gaps = [(work[i][1], work[i + 1][0]) for i in range(len(work) - 1)]
    for a, b in gaps + [(work[-1][1], None)]:
        if b is not None and b - a < rest:
            continue
        lo = a + rest - window
        if lo > reach:
            holes.append((reach, lo))
        if b is not None:
            reach = max(reach, b - rest)
    starts = [s for s, _ in work]
    out = []
    for u0, u1 in holes:  # open intervals: at u0 or u1 the rest is exactly long enough
        inside = starts[bisect_right(starts, u0):bisect_left(starts, u1)]
        if inside:
            out.append(inside)
    return out



def daily_rest_episodes(work: list[Interval], rest: timedelta, reduced: timedelta | None,
                        per: timedelta) -> list[tuple[list[datetime], str | None]]:
    """Episodes of less than ``rest`` in the 24 h from a start of work (sorted union ``work``), in order, each
    with why it breaks the daily rest, or None for a shortening to at least ``reduced`` that is allowed: the
    first one, and then one at least ``per`` after the last allowed one.  Shared by the checker and the
    contact stage (which reads the history's last allowed shortening from it)."""
    episodes = short_rest_starts(work, DAY, rest)
    if not episodes:
        return []
    too_short = {t for ep in short_rest_starts(work, DAY, reduced) for t in ep} if reduced else set()
    out: list[tuple[list[datetime], str | None]] = []
    last_reduction: datetime | None = None
    for starts in episodes:
        t = starts[0]
        if reduced and not too_short.intersection(starts):
            if last_reduction is None or t - last_reduction >= per:
                last_reduction = t  # the one allowed shortening in this 7 x 24 h
                out.append((starts, None))
                continue
            why = f"tweede ingekorte rust binnen {per.days} dagen"
        else:
            why = f"minder dan {hours(reduced or rest):g} uur rust"
        out.append((starts, why))
    return out



def daily_rest_params(rule: Rule) -> tuple[timedelta, timedelta | None, timedelta]:
    """(rest, reduced rest or None, period of one shortening) of a ``daily_rest`` rule."""
    reduced = rule.params.get("reduced_hours")
    return (timedelta(hours=float(rule.params.get("hours", 11))),
            timedelta(hours=float(reduced)) if reduced else None,
            timedelta(days=float(rule.params.get("reduced_per_days", 7))))

