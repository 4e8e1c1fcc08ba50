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


def _rules(data: ProblemData, kind: str, t: Toewijzing) -> list[Rule]:
    return [r for r in data.pack.rules_of(kind) if r.applies_to(t.product_code, t.intervention)]


def _round_up(minutes: float) -> int:
    return int(math.ceil(minutes / GRANULARITY) * GRANULARITY)


def _full_week(data: ProblemData, t: Toewijzing, w: int) -> bool:
    monday = data.period_start + timedelta(days=7 * w)
    return t.start <= monday and monday + timedelta(days=6) <= t.end


def _working_days(data: ProblemData, m, week: int) -> int:
    """Days of the week on which ``m`` has an availability window (all 7 without a pattern): contacts of one
    toewijzing go on different days, so more contacts than this cannot be placed."""
    if not m.availability:
        return 7
    return len({w.weekday for w in m.availability})


def split_into_contacts(minutes: int, lo: int | None, hi: int | None) -> tuple[int, int]:
    """(count, length): about an hour a contact, within the frequency bounds, 30-240 minutes each."""
    count = max(math.ceil(minutes / 60), lo or 1) if minutes else (lo or 0)
    if hi:
        count = min(count, hi)
    if not count:
        return 0, 0
    length = min(max(_round_up(minutes / count) if minutes else 60, 30), 240)
    return count, length


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
        freq = _rules(data, "contact_frequency", t)
        # a fractional minimum ("gemiddeld 1 x per 6 weken") still means a visit in a week that is planned
        lo = max((math.ceil(r.params["min_per_week"]) for r in freq if r.params.get("min_per_week") is not None),
                 default=None)
        hi = min((math.floor(r.params["max_per_week"]) for r in freq if r.params.get("max_per_week") is not None),
                 default=None)
        hard_lo = max((math.ceil(r.params["min_per_week"]) for r in freq
                       if r.severity == "hard" and r.params.get("min_per_week") is not None), default=0)
        cap = min((r.params["max_hours"] * 60 for r in _rules(data, "omvang_cap", t)), default=None)
        deadline = None
        for r in _rules(data, "start_within", t):
            if data.start_dt <= datetime.combine(t.start, datetime.min.time()) < data.end_dt:
                d = datetime.combine(t.start, datetime.min.time()) + timedelta(hours=float(r.params["hours"]))
                deadline = min(deadline, d) if deadline else d
        placed_total = 0
        for w in range(data.weeks):
            wk_start = data.start_dt + timedelta(days=7 * w)
            lo_w = lo if _full_week(data, t, w) else None
            days = _working_days(data, data.bundle.staff[a.executor_ids[0]], w)
            count, length = split_into_contacts(data.weekly_demand_minutes(t, w), lo_w, min(hi or days, days) or None)
            if cap is not None:  # never plan beyond the cap (A:2197, A:3885)
                count = min(count, max(int((cap - placed_total) // max(length, 1)), 0))
            if not count or begin >= min(end, wk_start + timedelta(days=7)):
                continue
            placed_total += count * length
            in_week = deadline if deadline and wk_start <= deadline < wk_start + timedelta(days=7) else None
            needs.append(ContactNeed(t.id, a.executor_ids[0], w, length, count,
                                     min(hard_lo if lo_w else 0, count), max(begin, wk_start),
                                     min(end, wk_start + timedelta(days=7)), home_visit=home, first_deadline=in_week))
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
