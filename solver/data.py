"""ProblemData: the validated instance a solve works on (bundle + pack + period + previous plan).

Derived once, shared by every constraint family.  No CP-SAT here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from planner.demand import CONTACT_SETTINGS, required_minutes
from planner.domain import Bundle, Medewerker, Team, Toewijzing
from planner.plan import Plan
from planner.rules import RulePack
from planner.semantics.history import history_by_toewijzing
from planner.semantics.oncall import duty_teams
from planner.semantics.occurrences import (
    Occurrence,
    enrolled_at,
    period_days,
    session_occurrences,
)
from planner.timeutil import overlaps, union, within_availability


@dataclass
class ProblemData:
    bundle: Bundle
    pack: RulePack
    period_start: date
    weeks: int
    previous: Plan | None = None  # hints, pins and history
    fixed: Plan | None = None  # pinned decisions of the previous plan that must stay
    shifts: list = field(default_factory=list)  # residential shifts planned in stage 0 (fixed work)

    @cached_property
    def days(self) -> list[date]:
        return period_days(self.period_start, self.weeks)

    @property
    def start_dt(self) -> datetime:
        return datetime.combine(self.period_start, datetime.min.time())

    @property
    def end_dt(self) -> datetime:
        return self.start_dt + timedelta(weeks=self.weeks)

    @cached_property
    def staff(self) -> list[Medewerker]:
        return sorted(self.bundle.staff.values(), key=lambda m: m.id)

    @cached_property
    def history(self) -> dict[str, list]:
        """The bundle's realisatie (care before the period) per toewijzing id (planner.semantics.history)."""
        return history_by_toewijzing(self.bundle)

    @cached_property
    def toewijzingen(self) -> list[Toewijzing]:
        """Active toewijzingen of the pack's products, by id."""
        first, last = self.days[0], self.days[-1]
        codes = self.pack.product_codes
        return sorted((t for t in self.bundle.toewijzingen.values()
                       if t.start <= last and t.end >= first and t.product_code in codes), key=lambda t: t.id)

    @cached_property
    def occurrences(self) -> list[Occurrence]:
        return session_occurrences(self.bundle, self.days)

    def enrolled(self, occ: Occurrence) -> int:
        return enrolled_at(self.bundle, occ)

    def group_product(self, occ: Occurrence) -> str:
        return self.bundle.groups[occ.session.group_id].product_code

    def demand_minutes(self, t: Toewijzing) -> int:
        """Contact minutes the toewijzing asks for in the period (0 for group/residential products)."""
        product = self.pack.product(t.product_code)
        if product is None or product.setting not in CONTACT_SETTINGS:
            return 0
        return required_minutes(t, self.days[0], self.days[-1]) or 0

    def weekly_demand_minutes(self, t: Toewijzing, week: int) -> int:
        first = self.days[7 * week]
        product = self.pack.product(t.product_code)
        if product is None or product.setting not in CONTACT_SETTINGS:
            return 0
        return required_minutes(t, first, first + timedelta(days=6)) or 0

    @cached_property
    def oncall_teams(self) -> list[Team]:
        """Teams that carry the 24/7 duty of an active toewijzing: the duty comes from the product (an
        ``oncall_coverage`` rule), the team from the toewijzing (planner.semantics.oncall)."""
        return duty_teams(self.bundle, self.pack, self.toewijzingen)

    def members(self, team_id: str) -> list[Medewerker]:
        return [m for m in self.staff if team_id in m.teams]

    def absent(self, staff_id: str, start: datetime, end: datetime) -> bool:
        return any(a.staff_id == staff_id and overlaps(a.start, a.end, start, end) for a in self._absences(staff_id))

    def _absences(self, staff_id: str):
        return self._absence_index.get(staff_id, ())

    @cached_property
    def _absence_index(self) -> dict[str, list]:
        idx: dict[str, list] = {}
        for a in self.bundle.absences:
            idx.setdefault(a.staff_id, []).append(a)
        return idx

    def on_shift(self, staff_id: str, start: datetime, end: datetime) -> bool:
        """A residential shift of this person overlaps [start, end)."""
        return any(s.staff_id == staff_id and overlaps(s.start, s.end, start, end) for s in self.shifts)

    @cached_property
    def history_shifts(self) -> list:
        """The previous plan's residential shifts (and its history shifts) that start before the period: known
        work the rest rules look back at (the checker counts them too, as ``plan.history_shifts``)."""
        prev = self.previous
        return [] if prev is None else [s for s in [*prev.history_shifts, *prev.shifts] if s.start < self.start_dt]

    @property
    def kept_history_shifts(self) -> list:
        """The history shifts of the 28 days before the period: those the new plan keeps as its
        ``history_shifts``, so exactly what the checker counts."""
        return [s for s in self.history_shifts if self.start_dt - timedelta(days=28) <= s.start]

    # --- calendar weeks (Monday 00:00), as the checker counts week hours and the weekly rest ------------
    @property
    def calendar_weeks(self) -> int:
        """Calendar weeks the period touches; week 0 holds the period start (and, mid-week, history days)."""
        return self.calendar_week(len(self.days) - 1) + 1

    def calendar_week(self, day: int) -> int:
        """Calendar week of day index ``day`` (negative: before the period start)."""
        return (day + self.period_start.weekday()) // 7

    def week_minutes(self, start: datetime, end: datetime) -> dict[int, int]:
        """Minutes of [start, end) per calendar week of the period, split at Monday 00:00 as the checker does;
        the part before the Monday of week 0 is left out."""
        monday0 = self.start_dt - timedelta(days=self.period_start.weekday())
        out: dict[int, int] = {}
        while start < end:
            week = (start - monday0).days // 7
            cut = min(end, monday0 + timedelta(weeks=week + 1))
            if week >= 0:
                out[week] = out.get(week, 0) + int((cut - start).total_seconds() // 60)
            start = cut
        return out

    @cached_property
    def history_week_minutes(self) -> dict[tuple[str, int], int]:
        """Per (staff, calendar week) the minutes of the history shifts the checker counts in that week: the
        days of week 0 before a mid-week start (and a night of the history that runs into day 0)."""
        by_staff: dict[str, list] = {}
        for s in self.kept_history_shifts:
            by_staff.setdefault(s.staff_id, []).append((s.start, s.end))
        out: dict[tuple[str, int], int] = {}
        for sid, spans in by_staff.items():
            for s, e in union(spans):
                for week, mins in self.week_minutes(s, e).items():
                    out[sid, week] = out.get((sid, week), 0) + mins
        return out

    def available(self, m: Medewerker, start: datetime, end: datetime) -> bool:
        """Inside one weekly availability window and not absent."""
        return within_availability(m, start, end) and not self.absent(m.id, start, end)


@dataclass
class SolveOptions:
    time_limit: float = 30.0
    relative_gap: float = 0.0
    workers: int = 2
    log: bool = False
    seed: int = 0
    candidate_limit: int = 25  # executor candidates kept per toewijzing (0 = all), see solver/candidates.py
    session_candidate_limit: int = 15  # staff candidates kept per group session occurrence (0 = all)
    greedy_hint: bool = True
    # CP-SAT full-problem workers; with 2 cores the default portfolio has no bound-proving worker, while
    # max_lp + core prove size-M weeks optimal (measured: docs/performance.md).  Empty = CP-SAT's default.
    subsolvers: tuple[str, ...] = ("max_lp", "core")
    # decomposition (solver/decompose.py, solver/parallel.py): ``parts`` 0 = parts of about ``part_staff``
    # staff when the provider has more than ``decompose_above`` (S, M and L stay one model), 1 = always one
    # model; ``pool``: "process" (a local process pool, ``workers`` parts at a time), "serial" (in this
    # process) or "queue" (Huey tasks, ``planner deelverwerker``)
    parts: int = 0
    part_staff: int = 125
    decompose_above: int = 400
    pool: str = "process"
