"""From toewijzingen and the stage-1 caseload to the contacts each medewerker must place."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from planner.domain import Toewijzing
from planner.plan import Plan
from planner.rules import Rule
from planner.semantics.eligibility import regie_duty_applies
from solver.data import ProblemData

GRANULARITY = 15  # minutes


@dataclass(frozen=True)
class ContactNeed:
    toewijzing_id: str
    staff_id: str
    week: int
    length: int  # minutes
    count: int
    required: int  # how many must be placed (hard frequency/one-on-one duties)
    earliest: datetime
    latest_end: datetime
    kind: str = "contact"
    one_on_one: bool = False
    home_visit: bool = False
    first_deadline: datetime | None = None  # start_within: the first contact starts by then
    minimum: int = 0  # the hard weekly minimum of contacts in this week (may exceed count: days too few)


def _rules(data: ProblemData, kind: str, t: Toewijzing) -> list[Rule]:
    return [r for r in data.pack.rules_of(kind) if r.applies_to(t.product_code, t.intervention)]


def _full_week(data: ProblemData, t: Toewijzing, w: int) -> bool:
    monday = data.period_start + timedelta(days=7 * w)
    return t.start <= monday and monday + timedelta(days=6) <= t.end


def _working_days(data: ProblemData, m, week: int, t: Toewijzing | None = None) -> int:
    """Days of planning week ``week`` (inside ``t``'s valid days, when given) on which ``m`` has an
    availability window (none without a pattern, as ``within_availability`` says): contacts of one toewijzing go on different days, so
    more contacts than this cannot be placed."""
    first = data.period_start + timedelta(days=7 * week)
    dates = [first + timedelta(days=i) for i in range(7)]
    if t is not None:
        dates = [d for d in dates if t.start <= d <= t.end]
    weekdays = {w.weekday for w in m.availability}
    return sum(1 for d in dates if d.weekday() in weekdays)


def split_into_contacts(minutes: int, lo: int | None, hi: int | None) -> tuple[int, int]:
    """(count, length): about an hour a contact, within the frequency bounds, 30-240 minutes each.

    The contacts together never exceed the demand by more than the rounding to whole minutes (at most
    count - 1 minutes), except where a contact would be shorter than 30 minutes: a frequency minimum
    (``lo``) or a small pro-rata demand then still gets whole 30-minute contacts."""
    count = max(math.ceil(minutes / 60), lo or 1) if minutes else (lo or 0)
    if hi:
        count = min(count, hi)
    if not count:
        return 0, 0
    if minutes and not lo:  # no minimum asks for more contacts than 30-minute ones the demand fills
        count = min(count, max(minutes // 30, 1))
    length = min(max(math.ceil(minutes / count) if minutes else 60, 30), 240)
    return count, length


def frequency_bounds(data: ProblemData, t: Toewijzing) -> tuple[int | None, int | None, int]:
    """(minimum, maximum, hard minimum) contacts per week from the contact_frequency rules of ``t``; a
    fractional minimum ("gemiddeld 1 x per 6 weken") still means a visit in a week that is planned."""
    freq = _rules(data, "contact_frequency", t)
    lo = max((math.ceil(r.params["min_per_week"]) for r in freq if r.params.get("min_per_week") is not None),
             default=None)
    hi = min((math.floor(r.params["max_per_week"]) for r in freq if r.params.get("max_per_week") is not None),
             default=None)
    hard_lo = max((math.ceil(r.params["min_per_week"]) for r in freq
                   if r.severity == "hard" and r.params.get("min_per_week") is not None), default=0)
    return lo, hi, hard_lo


def week_span(data: ProblemData, t: Toewijzing, w: int) -> tuple[datetime, datetime] | None:
    """The part of planning week ``w`` in which ``t`` is valid (None when it is not)."""
    wk_start = data.start_dt + timedelta(days=7 * w)
    begin = max(wk_start, datetime.combine(t.start, datetime.min.time()))
    end = min(wk_start + timedelta(days=7), datetime.combine(t.end + timedelta(days=1), datetime.min.time()))
    return (begin, end) if begin < end else None


def week_contacts(data: ProblemData, t: Toewijzing, w: int, days: int = 7) -> tuple[int, int, int]:
    """(count, length, required) of the contacts of ``t`` in planning week ``w`` for an executor who works
    ``days`` days a week (contacts of one toewijzing go on different days): the split stage 2 places and
    stage 1 reserves."""
    lo, hi, hard_lo = frequency_bounds(data, t)
    lo_w = lo if _full_week(data, t, w) else None
    count, length = split_into_contacts(data.weekly_demand_minutes(t, w), lo_w, min(hi or days, days) or None)
    return count, length, min(hard_lo if lo_w else 0, count)


def first_contact_deadline(data: ProblemData, t: Toewijzing) -> datetime | None:
    """start_within (FF/ASH A:3641, A:3681): a toewijzing starting in the period has its first contact by its
    start date 00:00 + ``hours`` (the strictest rule); None when no such rule applies or it starts earlier."""
    begin = datetime.combine(t.start, datetime.min.time())
    if not data.start_dt <= begin < data.end_dt:
        return None
    return min((begin + timedelta(hours=float(r.params["hours"])) for r in _rules(data, "start_within", t)),
               default=None)


def contact_needs(data: ProblemData, plan: Plan) -> list[ContactNeed]:
    needs: list[ContactNeed] = []
    for a in plan.caseload:
        t = data.bundle.toewijzingen[a.toewijzing_id]
        product = data.pack.product(t.product_code)
        if not a.executor_ids or product is None:
            continue
        home = True  # a regular contact is a visit: the checker's travel rule applies to all of them
        begin = max(data.start_dt, datetime.combine(t.start, datetime.min.time()))
        end = min(data.end_dt, datetime.combine(t.end + timedelta(days=1), datetime.min.time()))
        cap = min((r.params["max_hours"] * 60 for r in _rules(data, "omvang_cap", t)), default=None)
        deadline = first_contact_deadline(data, t)
        placed_total = 0
        for w in range(data.weeks):
            wk_start = data.start_dt + timedelta(days=7 * w)
            days = _working_days(data, data.bundle.staff[a.executor_ids[0]], w, t)
            count, length, required = week_contacts(data, t, w, days)
            if cap is not None:  # never plan beyond the cap (A:2197, A:3885)
                count = min(count, max(int((cap - placed_total) // max(length, 1)), 0))
            if not count or begin >= min(end, wk_start + timedelta(days=7)):
                continue
            placed_total += count * length
            in_week = deadline if deadline and wk_start <= deadline < wk_start + timedelta(days=7) else None
            needs.append(ContactNeed(t.id, a.executor_ids[0], w, length, count,
                                     min(required, count), max(begin, wk_start),
                                     min(end, wk_start + timedelta(days=7)), home_visit=home, first_deadline=in_week,
                                     minimum=frequency_bounds(data, t)[2] if _full_week(data, t, w) else 0))
        needs += _regie_needs(data, t, a.responsible_id, begin, end)
    return needs


def _regie_needs(data: ProblemData, t: Toewijzing, responsible: str | None, begin: datetime,
                 end: datetime) -> list[ContactNeed]:
    """One-on-one contacts of the responsible regiebehandelaar: intake, or when the last one is too long ago."""
    if responsible is None:
        return []
    product = data.pack.product(t.product_code)
    for r in _rules(data, "regie_one_on_one", t):
        if not regie_duty_applies(r, data.bundle.staff.get(responsible), product.domain if product else None):
            continue
        starts_here = data.days[0] <= t.start <= data.days[-1]
        if r.params.get("intake", True) and starts_here:
            return [ContactNeed(t.id, responsible, 0, 60, 1, 1 if r.severity == "hard" else 0, begin, end,
                                kind="intake", one_on_one=True)]
        gap = r.params.get("max_days_between")
        if gap is not None and (min(data.days[-1], t.end) - (t.last_regie_contact or t.start)).days > gap:
            return [ContactNeed(t.id, responsible, 0, 60, 1, 1 if r.severity == "hard" else 0, begin, end,
                                kind="regie", one_on_one=True)]
    return []
