"""Small time helpers shared by checker, solver and exports."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.domain import Medewerker


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def day_start(d: date) -> datetime:
    return datetime.combine(d, datetime.min.time())


def hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def minutes(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)


Interval = tuple[datetime, datetime]
DAY = timedelta(days=1)


def union(intervals: Iterable[Interval], join_gap: timedelta = timedelta(0)) -> list[Interval]:
    """Sorted union of intervals; touching ones, or ones less than ``join_gap`` apart, are joined."""
    out: list[Interval] = []
    for s, e in sorted(intervals):
        if out and (s <= out[-1][1] or s - out[-1][1] < join_gap):
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


@lru_cache(maxsize=4096)
def availability_spans(m: "Medewerker", first: date, last: date) -> tuple[Interval, ...]:
    """The weekly windows of ``m`` as dated intervals over [first, last], joined where they touch.

    An end of 23:59 means midnight (a ``time`` cannot say 24:00) and an end at
    or before the start runs over midnight (22:00-07:00), so a night shift fits
    in Monday 00:00-23:59 plus Tuesday 00:00-23:59.
    """
    spans, d = [], first
    while d <= last:
        for w in m.availability:
            if w.weekday != d.weekday():
                continue
            s = datetime.combine(d, w.start)
            e = datetime.combine(d + DAY, time()) if w.end >= time(23, 59) else datetime.combine(d, w.end)
            spans.append((s, e + DAY if e <= s else e))
        d += DAY
    return tuple(union(spans))


def within_availability(m: "Medewerker", start: datetime, end: datetime) -> bool:
    """A worked stretch lies inside the weekly availability.  A staff member without windows has no
    availability at all (docs/data-format.md: beschikbaarheid.csv), so nothing fits; ``planner validate``
    warns about such staff (:func:`planner.bundle_warnings.staff_without_availability`)."""
    if not m.availability:
        return False
    return any(s <= start and end <= e for s, e in availability_spans(m, start.date() - DAY, end.date()))


def add_months(d: date, months: float) -> date:
    """``d`` plus ``months`` calendar months (clamped to month end); a fraction counts as 30-day parts."""
    whole = int(months)
    y, m = divmod(d.month - 1 + whole, 12)
    year, month = d.year + y, m + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) + timedelta(days=round((months - whole) * 30))


WEEKDAYS_NL = ["ma", "di", "wo", "do", "vr", "za", "zo"]
