"""From toewijzingen and the stage-1 caseload to the contacts each medewerker must place."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from planner.domain import Toewijzing
from planner.plan import Plan
from planner.rules import Rule
from planner.semantics.eligibility import regie_duty_applies
from planner.semantics.holidays import contact_closed
from planner.semantics.history import (cap_minutes_left, cap_scope, history_visits, is_fractional, last_regie_date,
                                       visits_missing, window, window_weeks)
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
    return days_available(m, contact_dates(data, week, t))


def contact_dates(data: ProblemData, week: int, t: Toewijzing | None = None) -> list[date]:
    """The dates of planning week ``week`` that can hold a contact of ``t`` (all seven without ``t``); the part
    of :func:`_working_days` that does not depend on the medewerker (stage 1 computes it once per toewijzing)."""
    first = data.period_start + timedelta(days=7 * week)
    dates = [first + timedelta(days=i) for i in range(7)]
    if t is not None:  # no contact on a feestdag (planner.semantics.holidays)
        dates = [d for d in dates if t.start <= d <= t.end and not contact_closed(data.bundle, data.pack, t, d)]
    return dates


def days_available(m, dates: list[date]) -> int:
    """How many of ``dates`` fall on a weekday on which ``m`` has an availability window."""
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
    """(minimum, maximum, hard minimum) contacts per week from the whole-number contact_frequency bounds of ``t``;
    a fractional minimum ("gemiddeld 1 x per 6 weken") is a window over the history (:func:`_window_minimum`)."""
    freq = _rules(data, "contact_frequency", t)
    whole = [(r, r.params.get("min_per_week")) for r in freq]
    lo = max((math.ceil(b) for _, b in whole if b is not None and not is_fractional(b)), default=None)
    hi = min((math.floor(r.params["max_per_week"]) for r in freq if r.params.get("max_per_week") is not None),
             default=None)
    hard_lo = max((math.ceil(b) for r, b in whole if r.severity == "hard" and b is not None and not is_fractional(b)),
                  default=0)
    return lo, hi, hard_lo


def _window_minimum(data: ProblemData, t: Toewijzing, w: int, planned: list[date]) -> tuple[int, int]:
    """(minimum, hard minimum) of visits in week ``w`` from fractional minimums: what the window of the rule
    (planner.semantics.history) still misses after the history's visits and ``planned`` (a date per visit of
    the earlier weeks of the period)."""
    monday = data.period_start + timedelta(days=7 * w)
    rows = data.history.get(t.id, ())
    lo = hard = 0
    for r in _rules(data, "contact_frequency", t):
        bound = r.params.get("min_per_week")
        if not is_fractional(bound):
            continue
        first, last, full = window(t, monday, window_weeks(r, bound))
        have = history_visits(rows, first, last) + sum(1 for d in planned if first <= d <= last)
        missing = visits_missing(bound, full, have)
        lo, hard = max(lo, missing), max(hard, missing if r.severity == "hard" else 0)
    return lo, hard


def _cap_left(data: ProblemData, t: Toewijzing, w: int, planned: list[tuple[date, int]]) -> int | None:
    """Minutes the omvang_cap rules of ``t`` still allow in week ``w`` after the history (realisatie) and the
    ``planned`` (date, minutes) of the earlier weeks; None without a cap (A:2197, A:2571, A:2575, A:3885)."""
    monday = data.period_start + timedelta(days=7 * w)
    rows = data.history.get(t.id, ())
    left = None
    for r in _rules(data, "omvang_cap", t):
        scope = cap_scope(r, monday)
        free = cap_minutes_left(r, rows, monday) - sum(m for d, m in planned if cap_scope(r, d) == scope)
        left = max(free, 0) if left is None else min(left, max(free, 0))
    return left


def week_span(data: ProblemData, t: Toewijzing, w: int) -> tuple[datetime, datetime] | None:
    """The part of planning week ``w`` in which ``t`` is valid (None when it is not)."""
    wk_start = data.start_dt + timedelta(days=7 * w)
    begin = max(wk_start, datetime.combine(t.start, datetime.min.time()))
    end = min(wk_start + timedelta(days=7), datetime.combine(t.end + timedelta(days=1), datetime.min.time()))
    return (begin, end) if begin < end else None


def week_contacts(data: ProblemData, t: Toewijzing, w: int, days: int = 7) -> tuple[int, int, int]:
    """(count, length, required) of the contacts of ``t`` in planning week ``w`` for an executor who works
    ``days`` days a week (contacts of one toewijzing go on different days): the split stage 2 places and
    stage 1 reserves.  The earlier weeks of the period count as planned this way, with the care history
    (realisatie), for the hour caps and the fractional minimums."""
    visits: list[date] = []
    minutes: list[tuple[date, int]] = []
    out = (0, 0, 0)
    for v in range(w + 1):
        out = _one_week(data, t, v, days, visits, minutes)
        monday = data.period_start + timedelta(days=7 * v)
        visits += [monday] * out[0]
        minutes.append((monday, out[0] * out[1]))
    return out


def _one_week(data: ProblemData, t: Toewijzing, w: int, days: int, visits: list[date],
              minutes: list[tuple[date, int]]) -> tuple[int, int, int]:
    lo, hi, hard_lo = frequency_bounds(data, t)
    if _full_week(data, t, w):
        win_lo, win_hard = _window_minimum(data, t, w, visits)
        lo = max(lo or 0, win_lo) or None
        hard_lo = max(hard_lo, win_hard)
    else:
        lo = hard_lo = None
    count, length = split_into_contacts(data.weekly_demand_minutes(t, w), lo, min(hi or days, days) or None)
    left = _cap_left(data, t, w, minutes)
    if left is not None and count * length > left:  # never plan beyond the cap (A:2197, A:2575, A:3885)
        count = min(count, left // max(length, 1))
        if not count and left >= 30:
            count, length = 1, left - left % GRANULARITY
    return count, length, min(hard_lo or 0, count)


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
        deadline = first_contact_deadline(data, t)
        for w in range(data.weeks):
            wk_start = data.start_dt + timedelta(days=7 * w)
            days = _working_days(data, data.bundle.staff[a.executor_ids[0]], w, t)
            count, length, required = week_contacts(data, t, w, days)
            if not count or begin >= min(end, wk_start + timedelta(days=7)):
                continue
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
        if gap is not None and (min(data.days[-1], t.end) - (last_regie_date(t, data.history.get(t.id, ())) or t.start)).days > gap:
            return [ContactNeed(t.id, responsible, 0, 60, 1, 1 if r.severity == "hard" else 0, begin, end,
                                kind="regie", one_on_one=True)]
    return []
