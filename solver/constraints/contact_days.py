"""Stage 1 reserves the days that stage 2 needs for the contacts (not a rule kind: capacity coupling).

The weekly load (``working_time.weekly_load``) counts minutes.  Stage 2 also needs room on *days*: the
contacts of one toewijzing with a frequency rule go on different days, each a block of contact + travel
buffer inside an availability window between 08:00 and 21:00, around the person's group sessions and
shifts.  Minutes alone miss that (a person with four working days and two Families First gezinnen at four
visits a week has no room for a group session in the middle of one of those days).  Two parts:

* ``filter_unfit_executors``: a candidate executor whose availability inside the toewijzing's valid days
  cannot hold the week's contacts (e.g. works Monday-Thursday, the toewijzing starts on Friday) is
  dropped, when another candidate can hold them all;
* ``reserve_contact_days``: for toewijzingen with a hard minimum of contacts a week, one day variable per
  (toewijzing, executor, day) and per (executor, day) at most as many of them as blocks fit in that day
  once the chosen sessions are out; a contact that finds no day costs as much as stage 2 leaving it out.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from planner.demand import CONTACT_SETTINGS
from planner.semantics.holidays import contact_closed
from solver.contacts.needs import (
    GRANULARITY,
    contact_dates,
    days_available,
    first_contact_deadline,
    frequency_bounds,
    week_contacts,
    week_span,
)
from solver.model import W_UNMET_MINUTE, PlanModel

CONTACT_HOURS = (time(8, 0), time(21, 0))  # as solver/contacts/model.py
W_REQUIRED_SHORT = 10_000  # a required contact (hard frequency minimum) that finds no day


def travel_minutes(pm: PlanModel) -> int:
    return max((int(r.params.get("minutes", 30)) for r in pm.data.pack.rules_of("travel_buffer")), default=0)


def _minute(t: time) -> int:
    return t.hour * 60 + t.minute


class DayRoom:
    """Free stretches of one person's day for contacts: availability within contact hours, minus absences and
    stage 0's shifts (minutes from the day's 00:00).  ``blocks`` counts contact + travel blocks that fit."""

    def __init__(self, pm: PlanModel):
        self.pm = pm
        self.pad = travel_minutes(pm)
        self._segments = lru_cache(maxsize=None)(self._free)
        self._blocks = lru_cache(maxsize=None)(self._count)

    def _free(self, sid: str, day: date) -> tuple[tuple[int, int, bool], ...]:
        m = self.pm.data.bundle.staff[sid]
        lo, hi = _minute(CONTACT_HOURS[0]), _minute(CONTACT_HOURS[1])
        # no availability rows: no spans (not available, as within_availability says)
        spans = [(_minute(w.start), 1440 if w.end <= w.start or w.end >= time(23, 59) else _minute(w.end))
                 for w in m.availability if w.weekday == day.weekday()]
        spans = [(max(s, lo), min(e, hi)) for s, e in spans if min(e, hi) > max(s, lo)]
        base = datetime.combine(day, time(0))
        busy = [(a.start, a.end) for a in self.pm.data._absences(sid)]
        busy += [(s.start, s.end) for s in self.pm.data.shifts if s.staff_id == sid]
        blocked = [(int((s - base).total_seconds() // 60), int((e - base).total_seconds() // 60)) for s, e in busy]
        return tuple(seg for s, e in spans for seg in _cut(s, e, [(a, b) for a, b in blocked if a < e and s < b]))

    def blocks(self, sid: str, day: date, length: int, extra: tuple[tuple[int, int], ...] = ()) -> int:
        return self._blocks(sid, day, length, extra)

    def _count(self, sid: str, day: date, length: int, extra: tuple[tuple[int, int], ...]) -> int:
        """Contact blocks of ``length`` (+ travel) that fit in the day, with ``extra`` (sessions) blocked too;
        the travel buffer of the last block of a window may run past the window's end, not into other work."""
        total = 0
        for s, e, open_end in self._segments(sid, day):
            for a, b, end_free in _cut(s, e, [(x, y) for x, y in extra if x < e and s < y], open_end):
                a = -(-a // GRANULARITY) * GRANULARITY
                room = b - a + (self.pad if end_free else 0)
                total += max(room, 0) // (length + self.pad)
        return total


def _cut(s: int, e: int, blocked: list[tuple[int, int]], open_end: bool = True) -> list[tuple[int, int, bool]]:
    """[s, e) minus ``blocked``; the flag says the stretch ends at the window's end (not at other work)."""
    out, cur = [], s
    for a, b in sorted(blocked):
        if a > cur:
            out.append((cur, min(a, e), False))
        cur = max(cur, b)
        if cur >= e:
            return out
    if cur < e:
        out.append((cur, e, open_end))
    return out


class ToewijzingWeeks:
    """What the day checks need of a toewijzing and week that does not depend on the medewerker, computed once.

    ``filter_unfit_executors`` and ``reserve_contact_days`` ask for every qualified (toewijzing, medewerker)
    pair: at XL 111,000 pairs in a 200-staff part, each recomputing the week's open days (a feestdag check per
    day), the contact split (frequency rules, history windows, caps) and the rules that apply.  Per pair only
    the medewerker's number of working days differs, and ``week_contacts`` depends on that number alone."""

    def __init__(self, pm: PlanModel):
        self.pm = pm
        self._days: dict[tuple[str, int], list[int]] = {}
        self._dates: dict[tuple[str, int], list[date]] = {}
        self._contacts: dict[tuple[str, int, int], tuple[int, int, int]] = {}
        self._distinct: dict[str, bool] = {}

    def days(self, t, w: int) -> list[int]:
        """Day indices of week ``w`` on which ``t`` is valid and open for contacts (no feestdag)."""
        key = (t.id, w)
        if key not in self._days:
            self._days[key] = _open_days(self.pm, t, w)
        return self._days[key]

    def working_days(self, m, t, w: int) -> int:
        """``needs._working_days(data, m, w, t)``, with the dates of ``t`` and ``w`` computed once."""
        key = (t.id, w)
        if key not in self._dates:
            self._dates[key] = contact_dates(self.pm.data, w, t)
        return days_available(m, self._dates[key])

    def contacts(self, m, t, w: int) -> tuple[int, int, int]:
        """``week_contacts`` of ``t`` in week ``w`` for ``m`` (count, length, required)."""
        n = self.working_days(m, t, w)
        key = (t.id, w, n)
        if key not in self._contacts:
            self._contacts[key] = week_contacts(self.pm.data, t, w, n)
        return self._contacts[key]

    def distinct(self, t) -> bool:
        """A contact_frequency rule applies: the contacts go on different days."""
        if t.id not in self._distinct:
            self._distinct[t.id] = any(r.applies_to(t.product_code, t.intervention)
                                       for r in self.pm.data.pack.rules_of("contact_frequency"))
        return self._distinct[t.id]


def _weeks(pm: PlanModel) -> ToewijzingWeeks:
    """The model's ToewijzingWeeks (made by the first of the two passes that asks)."""
    weeks = getattr(pm, "toewijzing_weeks", None)
    if weeks is None:
        weeks = pm.toewijzing_weeks = ToewijzingWeeks(pm)
    return weeks


def _open_days(pm: PlanModel, t, w: int) -> list[int]:
    span = week_span(pm.data, t, w)
    if span is None:
        return []
    return [d for d in range(7 * w, 7 * w + 7) if span[0] <= pm.data.start_dt + timedelta(days=d) < span[1]
            and not contact_closed(pm.data.bundle, pm.data.pack, t, pm.data.days[d])]  # feestdag


def _week_days(pm: PlanModel, t, w: int) -> list[int]:
    return _weeks(pm).days(t, w)


def _contact_product(pm: PlanModel, t) -> bool:
    product = pm.data.pack.product(t.product_code)
    return product is not None and product.setting in CONTACT_SETTINGS


def _short(pm: PlanModel, room: DayRoom, t, sid: str) -> int:
    """Contacts of ``t`` over the period that ``sid``'s free days cannot hold (sessions not counted)."""
    m = pm.data.bundle.staff[sid]
    weeks = _weeks(pm)
    short = 0
    for w in range(pm.data.weeks):
        days = weeks.days(t, w)
        if not days:
            continue
        count, length, _ = weeks.contacts(m, t, w)
        per_day = [room.blocks(sid, pm.data.days[d], length) for d in days]
        fit = sum(min(n, 1) for n in per_day) if weeks.distinct(t) else sum(per_day)
        short += max(count - fit, 0)
    return short


def filter_unfit_executors(pm: PlanModel) -> None:
    """Drop candidate executors whose free days cannot hold a toewijzing's contacts, when others can (the
    best-fitting ones stay otherwise, and stage 2 reports what they cannot place)."""
    rule = next(iter(pm.data.pack.rules_of("availability")), None)
    if rule is None:
        return
    pinned = {a.toewijzing_id for a in (pm.data.fixed.caseload if pm.data.fixed else []) if a.pinned}
    room = pm.day_room = DayRoom(pm)
    for t in pm.data.toewijzingen:
        if t.id in pinned or not _contact_product(pm, t):
            continue
        pool = pm.exec_candidates[t.id]
        shorts = {sid: _short(pm, room, t, sid) for sid in pool}
        best = min(shorts.values(), default=0)
        for sid, short in shorts.items():
            if short > best:
                pm.exclude(pm.exec_candidates, t.id, sid, rule, f"uitvoerder:{t.id}")


def reserve_contact_days(pm: PlanModel) -> None:
    """Per (executor, day): the days taken by contacts with a hard weekly minimum <= the blocks that fit
    once the chosen group sessions are out; a contact without a day costs its minutes + a required bonus."""
    room = getattr(pm, "day_room", None) or DayRoom(pm)
    per_day: dict[tuple[str, int], list] = defaultdict(list)  # (sid, d) -> [(z, length)]
    for t in pm.data.toewijzingen:
        hard_lo = frequency_bounds(pm.data, t)[2]
        if hard_lo < 2 or not _contact_product(pm, t):
            continue
        for sid, x in pm.exec_vars(t.id).items():
            m = pm.data.bundle.staff[sid]
            for w in range(pm.data.weeks):
                days = _week_days(pm, t, w)
                _, length, required = _weeks(pm).contacts(m, t, w)
                if not days or not required:
                    continue
                _require_days(pm, room, per_day, (t, sid, x, w), days, length, required, "contact_day")
    _reserve_first_contact_day(pm, room, per_day)
    sessions = _sessions_by_staff_day(pm)
    for (sid, d), items in per_day.items():
        day = pm.data.days[d]
        length = max(n for _, n in items)
        base = room.blocks(sid, day, length)
        drops = []
        for o, y in sessions.get((sid, d), ()):
            span = (_minute(o.start.time()), _minute(o.end.time()) if o.end.date() == day else 1440)
            drop = base - room.blocks(sid, day, length, (span,))
            if drop > 0:
                drops.append(drop * y)
        pm.model.Add(sum(z for z, _ in items) + sum(drops) <= base)


def _require_days(pm: PlanModel, room: DayRoom, per_day: dict, who: tuple, days: list[int], length: int,
                  required: int, name: str) -> None:
    """``required`` of ``days`` taken for contacts of ``length`` when executor ``sid`` takes ``t`` (``x``); each
    taken day is a block of that day's room (``per_day``), a missing one costs what stage 2 leaving it out does."""
    t, sid, x, w = who
    zs = []
    for d in days:
        if room.blocks(sid, pm.data.days[d], length):
            z = pm.model.new_bool_var(f"{name}[{t.id},{sid},{d}]")
            pm.model.AddImplication(z, x)
            per_day[sid, d].append((z, length))
            zs.append(z)
    short = pm.new_int(0, required, f"{name}_short[{t.id},{sid},{w}]")
    pm.model.Add(sum(zs) + short >= required * x)
    pm.contact_day_short.append((t.id, sid, w, short))
    pm.extra_objective.append((W_UNMET_MINUTE * length + W_REQUIRED_SHORT) * short)


def _reserve_first_contact_day(pm: PlanModel, room: DayRoom, per_day: dict) -> None:
    """start_within (FF/ASH: first contact within 24 h of the start, A:3641, A:3681): the executor keeps a block
    free on a day before the deadline, so stage 2 can place the first contact there (a toewijzing starting on a
    Thursday needs room on that Thursday, not just somewhere in the week)."""
    for t in pm.data.toewijzingen:
        deadline = first_contact_deadline(pm.data, t)
        if deadline is None or not _contact_product(pm, t):
            continue
        days = [d for d, day in enumerate(pm.data.days)
                if t.start <= day and datetime.combine(day, time(0)) < deadline]
        w = (t.start - pm.data.period_start).days // 7
        for sid, x in pm.exec_vars(t.id).items():
            m = pm.data.bundle.staff[sid]
            length = _weeks(pm).contacts(m, t, w)[1] or 60
            _require_days(pm, room, per_day, (t, sid, x, w), days, length, 1, "first_contact_day")


def _sessions_by_staff_day(pm: PlanModel) -> dict[tuple[str, int], list]:
    index = {day: d for d, day in enumerate(pm.data.days)}
    out: dict[tuple[str, int], list] = defaultdict(list)
    for (key, sid), y in pm.y.items():
        o = pm.occurrence_by_key[key]
        if o.date in index:
            out[sid, index[o.date]].append((o, y))
    return out
