"""ContactModel: one medewerker's contacts in time (stage 2), minutes since the period start."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from ortools.sat.python import cp_model

from planner.domain import Medewerker
from planner.timeutil import union, within_availability
from solver.contacts.needs import GRANULARITY, ContactNeed
from solver.data import ProblemData

DAY = 1440
# Contacts are placed between these hours, inside the availability pattern (none given = always available)
CONTACT_HOURS = (time(8, 0), time(21, 0))
W_UNMET_MINUTE = 100
W_REQUIRED = 1_000_000  # a required contact (hard frequency, intake) missing: placed before any other contact


@dataclass
class PlacedVar:
    need: ContactNeed
    index: int
    start: cp_model.IntVar
    presence: cp_model.IntVar
    days: dict[int, cp_model.IntVar] = field(default_factory=dict)

    @property
    def end(self):
        return self.start + self.need.length


class ContactModel:
    def __init__(self, data: ProblemData, staff: Medewerker, needs: list[ContactNeed],
                 fixed: list[tuple[datetime, datetime]]):
        self.data, self.staff, self.needs = data, staff, needs
        self.model = cp_model.CpModel()
        self.horizon = data.weeks * 7 * DAY
        self.fixed = [(self.minute(s), self.minute(e)) for s, e in union(fixed)]
        self.placed: list[PlacedVar] = []
        self.penalties: list = []  # (weight, expr): unplaced contacts
        self.rule_penalties: list = []  # (rule id, weight, expr, place): soft rules, reported per rule like the checker
        self.padding: dict[int, int] = {}  # placed index -> minutes of travel buffer after it
        self.day_start: dict[int, cp_model.IntVar] = {}
        self.day_end: dict[int, cp_model.IntVar] = {}
        self.works: dict[int, cp_model.IntVar] = {}
        # the person's shifts of the previous period as the checker sees them (minutes, sorted; a night may
        # end after day 0 began)
        self.history = sorted((self.minute(s.start), self.minute(s.end)) for s in data.kept_history_shifts
                              if s.staff_id == staff.id)
        self.history_end: int | None = max((e for _, e in self.history), default=None)
        self._create()

    def minute(self, dt: datetime) -> int:
        return int((dt - self.data.start_dt).total_seconds() // 60)

    def at(self, minute: int) -> datetime:
        return self.data.start_dt + timedelta(minutes=minute)

    def candidate_starts(self, need: ContactNeed) -> list[int]:
        """Starts (every 15 min) where the whole contact fits availability and no absence."""
        out = []
        lo, hi = self.minute(need.earliest), self.minute(need.latest_end) - need.length
        s = -(-lo // GRANULARITY) * GRANULARITY
        while s <= hi:
            start, end = self.at(s), self.at(s + need.length)
            if self._allowed(start, end):
                out.append(s)
            s += GRANULARITY
        return out

    def _allowed(self, start: datetime, end: datetime) -> bool:
        in_hours = start.date() == end.date() and CONTACT_HOURS[0] <= start.time() and end.time() <= CONTACT_HOURS[1]
        return in_hours and within_availability(self.staff, start, end) and not self.data.absent(self.staff.id, start, end)

    def _create(self) -> None:
        m = self.model
        for need in self.needs:
            starts = self.candidate_starts(need)
            for i in range(need.count):
                name = f"{need.toewijzing_id}#{need.week}.{i}"
                if not starts:
                    p = m.NewConstant(0)
                    start = m.NewConstant(self.minute(need.earliest))
                else:
                    p = m.NewBoolVar(f"placed[{name}]")
                    start = m.NewIntVarFromDomain(cp_model.Domain.FromValues(starts), f"start[{name}]")
                pv = PlacedVar(need, len(self.placed), start, p)
                for d in sorted({s // DAY for s in starts}):
                    lit = m.NewBoolVar(f"day[{name},{d}]")
                    m.Add(start >= d * DAY).OnlyEnforceIf(lit)
                    m.Add(start < (d + 1) * DAY).OnlyEnforceIf(lit)
                    pv.days[d] = lit
                m.Add(sum(pv.days.values()) == p)
                self.placed.append(pv)
                weight = W_UNMET_MINUTE * need.length + (W_REQUIRED if i < need.required else 0)
                self.penalties.append((weight, 1 - p))
            # the same need's contacts in order (symmetry), on different days where possible
            same = self.placed[-need.count:] if need.count else []
            for a, b in zip(same, same[1:]):
                m.Add(a.start < b.start).OnlyEnforceIf([a.presence, b.presence])

    def build_days(self) -> None:
        """Per day the first start and last end of work, and whether there is work (for rest rules)."""
        m = self.model
        for d in range(self.data.weeks * 7):
            ds = m.NewIntVar(d * DAY, (d + 1) * DAY, f"day_start[{d}]")
            de = m.NewIntVar(d * DAY, (d + 2) * DAY, f"day_end[{d}]")
            m.Add(de >= ds)
            lits = [pv.days[d] for pv in self.placed if d in pv.days]
            work = m.NewBoolVar(f"works[{d}]")
            for lit, pv in ((pv.days[d], pv) for pv in self.placed if d in pv.days):
                m.Add(ds <= pv.start).OnlyEnforceIf(lit)
                m.Add(de >= pv.end).OnlyEnforceIf(lit)
            fixed_today = [(s, e) for s, e in self.fixed if s // DAY == d]
            for s, e in fixed_today:
                m.Add(ds <= s)
                m.Add(de >= e)
            if fixed_today:
                m.Add(work == 1)
            else:
                m.AddMaxEquality(work, lits) if lits else m.Add(work == 0)
            self.day_start[d], self.day_end[d], self.works[d] = ds, de, work

    def weekly_minutes(self, week: int) -> tuple:
        """Calendar week ``week`` (0 = the week of the period start, Monday 00:00) as the checker counts it:
        (minutes of the contacts placed in it, minutes of this period's fixed work in it, minutes of the
        history shifts in it), work split at Monday 00:00."""
        lo = (7 * week - self.data.period_start.weekday()) * DAY
        hi = lo + 7 * DAY
        placed = sum(pv.need.length * lit for pv in self.placed for d, lit in pv.days.items() if lo <= d * DAY < hi)

        def inside(spans) -> int:
            return sum(max(min(e, hi) - max(s, lo), 0) for s, e in union(spans, 0))
        own = inside(self.fixed)
        return placed, own, inside([*self.fixed, *self.history]) - own

    def finish(self) -> None:
        """No overlap (with travel padding) and the objective."""
        intervals = []
        for pv in self.placed:
            size = pv.need.length + self.padding.get(pv.index, 0)
            end = self.model.NewIntVar(0, self.horizon + DAY, f"end[{pv.index}]")
            intervals.append(self.model.NewOptionalIntervalVar(pv.start, size, end, pv.presence, f"iv[{pv.index}]"))
        for s, e in self.fixed:
            intervals.append(self.model.NewIntervalVar(s, e - s, e, f"fixed[{s}]"))
        self.model.AddNoOverlap(intervals)
        self.model.Minimize(sum(w * e for w, e in self.penalties) + sum(w * e for _, w, e, _ in self.rule_penalties))
