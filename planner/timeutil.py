"""Small time helpers shared by checker, solver and exports."""

from __future__ import annotations

from datetime import date, datetime, timedelta


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def day_start(d: date) -> datetime:
    return datetime.combine(d, datetime.min.time())


def hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def minutes(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)


WEEKDAYS_NL = ["ma", "di", "wo", "do", "vr", "za", "zo"]
