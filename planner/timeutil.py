"""Small time helpers shared by checker, solver and exports."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
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


def within_availability(m: "Medewerker", start: datetime, end: datetime) -> bool:
    """A worked stretch lies inside one weekly availability window; no windows given = always available.

    A window ending at 23:59 runs to midnight, so work until 24:00 fits.
    """
    if not m.availability:
        return True
    if end.date() != start.date() and not (end - start <= timedelta(days=1) and end.time() == time(0, 0)):
        return False
    for w in m.availability:
        w_end = time.max if w.end >= time(23, 59) else w.end
        end_t = time.max if end.time() == time(0, 0) and end.date() != start.date() else end.time()
        if w.weekday == start.weekday() and w.start <= start.time() and end_t <= w_end:
            return True
    return False


WEEKDAYS_NL = ["ma", "di", "wo", "do", "vr", "za", "zo"]
