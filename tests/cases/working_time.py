"""Violation cases for working-time rule kinds (pack ``working-time``).

The worked stretches are shifts in a plain "dienst" group whose product is in
no pack, so no group or residential rule looks at it: only the working-time
rules see them.  The base week is Monday to Friday 09:00-16:00 (35 h) for one
fully qualified staff member with a 36-hour contract.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

from planner.domain import Absence, Groep, TimeWindow
from planner.plan import Contact, Shift
from planner.rules import Rule, RulePack
from tests.builders import add_staff, at, bundle, plan_for, staff
from tests.cases.common import EXECUTOR, case_product, clean_toewijzing_case

WORK_GROUP = "DIENST"
WORKER = "M1"
BASE_DAYS, BASE_START, BASE_END = range(5), 9, 16


def work_case(pack: RulePack, **staff_kw):
    """A bundle with one staff member and the plain work group; an empty plan."""
    b = bundle(pack.id)
    b.groups[WORK_GROUP] = Groep(WORK_GROUP, "Dienstrooster", "DIENST")  # product of no pack: no group rules
    add_staff(b, staff(WORKER, **staff_kw))
    return b, plan_for(b)


def shift(p, day: int, start_h: float, end_h: float, staff_id: str = WORKER, kind: str = "dag",
          history: bool = False) -> Shift:
    """A shift ``day`` days after the period start, hours may be fractional or beyond 24; with ``history``
    one of the previous period (``plan.history_shifts``, ``day`` < 0)."""
    base = at(p.period_start, 0) + timedelta(days=day)
    s = Shift(WORK_GROUP, staff_id, base + timedelta(hours=start_h), base + timedelta(hours=end_h), kind)
    (p.history_shifts if history else p.shifts).append(s)
    return s


def base_week(pack: RulePack, skip=(), **staff_kw):
    """The clean base: Monday to Friday 09:00-16:00, minus the days in ``skip``."""
    b, p = work_case(pack, **staff_kw)
    for d in BASE_DAYS:
        if d not in skip:
            shift(p, d, BASE_START, BASE_END)
    return b, p


OFFICE = tuple(TimeWindow(d, time(8, 0), time(18, 0)) for d in range(5))


def case_availability(rule: Rule, pack: RulePack):
    clean = base_week(pack, availability=OFFICE)
    b, p = base_week(pack, skip=(0,), availability=OFFICE)
    shift(p, 0, 7, 14)  # Monday from 07:00, an hour before the window opens
    return clean, (b, p)


def case_absence(rule: Rule, pack: RulePack):
    b, p = clean = base_week(pack)
    b.absences.append(Absence(WORKER, at(p.period_start + timedelta(days=5), 0), at(p.period_start + timedelta(days=7), 0)))
    b2, p2 = base_week(pack)
    wed = p2.period_start + timedelta(days=2)
    b2.absences.append(Absence(WORKER, at(wed, 0), at(wed + timedelta(days=1), 0)))
    return clean, (b2, p2)


def case_double_booking(rule: Rule, pack: RulePack):
    clean = base_week(pack)
    b, p = base_week(pack)
    shift(p, 2, 10, 12)  # inside Wednesday's shift: no extra hours, one overlap
    return clean, (b, p)


def case_max_shift_hours(rule: Rule, pack: RulePack):
    clean = base_week(pack)
    b, p = base_week(pack, skip=(0,))
    shift(p, 0, 8, 8 + rule.params.get("hours", 12) + 0.25)  # a quarter of an hour too long
    return clean, (b, p)


def case_max_week_hours(rule: Rule, pack: RulePack):
    clean = base_week(pack)
    b, p = work_case(pack)
    per_day = (rule.params.get("hours", 60) + 1) / 7  # one hour too many, spread over seven days
    for d in range(7):
        shift(p, d, 8, 8 + per_day)
    return clean, (b, p)


def case_daily_rest(rule: Rule, pack: RulePack):
    clean = base_week(pack)
    b, p = base_week(pack, skip=(1, 2))
    rest = rule.params.get("reduced_hours") or rule.params.get("hours", 11)
    shift(p, 1, 15, 23)  # Tuesday until 23:00 ...
    shift(p, 1, 23 + rest - 1, 23 + rest + 6)  # ... and back an hour before even the shortened rest ends
    return clean, (b, p)


def case_weekly_rest(rule: Rule, pack: RulePack):
    clean = base_week(pack)
    b, p = work_case(pack)
    for d in range(7):  # five hours every day: never a long rest
        shift(p, d, 9, 14)
    return clean, (b, p)


def case_contract_hours(rule: Rule, pack: RulePack):
    clean = base_week(pack)
    b, p = base_week(pack, skip=(4,))
    limit = 36 * (1 + rule.params.get("tolerance_pct", 0) / 100)
    worked = (BASE_END - BASE_START) * 4
    shift(p, 4, BASE_START, BASE_START + limit - worked + 1)  # Friday one hour over the contract
    return clean, (b, p)


def case_travel_buffer(rule: Rule, pack: RulePack):
    """Home visits are contacts, so this case uses a clean toewijzing and one extra visit."""
    product = case_product(rule, pack)
    clean = clean_toewijzing_case(pack, product)
    b, p = clean_toewijzing_case(pack, product)
    tid = next(iter(b.toewijzingen))
    first = min((c for c in p.contacts if c.staff_id == EXECUTOR), key=lambda c: c.start, default=None)
    if first is None:
        first = Contact(tid, EXECUTOR, at(p.period_start + timedelta(days=1), 10), at(p.period_start + timedelta(days=1), 11))
        p.contacts.append(first)
        clean[1].contacts.append(first)
    gap = timedelta(minutes=rule.params.get("minutes", 30) / 2)
    p.contacts.append(replace(first, start=first.end + gap, end=first.end + gap + timedelta(hours=1)))
    return clean, (b, p)
