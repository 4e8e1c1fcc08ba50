"""The generic shift-roster problem: shift types, per-employee limits, requests and coverage demand.

It expresses exactly what the Curtois benchmark expresses (see ``solver/shifts/curtois.py``) and is
the base the residential (24/7 woongroep) rosters build on: those add their own staff ratio,
education mix and history by translating into these fields (cover per day/shift, MaxShifts = 0 as a
skill filter, days off for absences, requests for wishes, companions for "an mbo3 only with an mbo4").
"""

from __future__ import annotations

from dataclasses import dataclass, field

# A roster: employee id -> one cell per day, a shift id or None for a day off.
Roster = dict[str, list[str | None]]


@dataclass(frozen=True)
class ShiftType:
    """A shift: length (for minute limits) and the shifts that may not be worked the next day."""
    id: str
    minutes: int
    forbidden_next: frozenset[str] = frozenset()


@dataclass(frozen=True)
class EmployeeRules:
    """Hard limits for one employee over the whole horizon.

    ``max_per_shift`` missing a shift means unlimited; 0 means never (a skill filter).
    ``history`` is the previous period's tail: the cells (shift id or None) of the days just before
    day 0, most recent last. It is known, not decided: successions into day 0 and runs that cross the
    edge (max consecutive days, min runs) follow it.
    Min-run rules only apply to runs with a day of the other kind on both sides inside the known days
    (history and horizon): runs touching the first known day or the last day are exempt, as in the
    benchmark, and so is a run begun in the history that a day which can never be worked cuts short.
    """
    id: str
    max_per_shift: dict[str, int] = field(default_factory=dict)
    min_minutes: int = 0
    max_minutes: int | None = None
    max_consecutive: int | None = None
    min_consecutive: int = 1
    min_days_off: int = 1
    max_weekends: int | None = None
    days_off: frozenset[int] = frozenset()
    # every calendar week of ``ShiftProblem.free_pair_weeks`` has two consecutive days off inside it: with
    # 8-hour shifts between 07:00 and 07:00 that is the Arbeidstijdenwet's 36 hours of weekly rest (residential)
    weekly_free_pair: bool = False
    history: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class ShiftRequest:
    """A wish: on-request costs ``weight`` when not granted, off-request costs ``weight`` when violated."""
    employee: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class CoverDemand:
    """Wanted number of staff on (day, shift); every person short or extra costs its weight."""
    day: int
    shift: str
    required: int
    under_weight: int
    over_weight: int


@dataclass(frozen=True)
class Companion:
    """Hard: on any day, when one of ``juniors`` works one of ``shifts``, one of ``seniors`` works that
    same shift that day (e.g. an mbo3 on a woongroep only with an mbo4 or higher, A:3051)."""
    shifts: frozenset[str]
    juniors: frozenset[str]
    seniors: frozenset[str]


@dataclass(frozen=True)
class FairShare:
    """Soft: ``weight`` x (max - min) over ``employees`` (None: all) of each one's count of days worked
    on one of ``shifts`` (None: any shift), counting only Saturdays and Sundays when ``weekend``
    (e.g. nights: shifts {"N"}; weekends: worked weekend days)."""
    shifts: frozenset[str] | None
    weekend: bool
    weight: int
    employees: frozenset[str] | None = None


@dataclass
class ShiftProblem:
    """Everything the shift model needs. Day 0 is ``first_weekday`` (0 = Monday)."""
    horizon: int
    shifts: list[ShiftType]
    employees: list[EmployeeRules]
    on_requests: list[ShiftRequest] = field(default_factory=list)
    off_requests: list[ShiftRequest] = field(default_factory=list)
    cover: list[CoverDemand] = field(default_factory=list)
    first_weekday: int = 0
    companions: list[Companion] = field(default_factory=list)  # cross-employee hard rules
    fair_shares: list[FairShare] = field(default_factory=list)  # cross-employee soft rules

    def shift(self, sid: str) -> ShiftType:
        """The shift type with this id."""
        return self._shift_index()[sid]

    def _shift_index(self) -> dict[str, ShiftType]:
        return {s.id: s for s in self.shifts}

    def weekends(self) -> list[tuple[int, ...]]:
        """Per (possibly partial) weekend inside the horizon: its Saturday/Sunday day indexes."""
        sat = (5 - self.first_weekday) % 7
        out = []
        for start in range(sat - 7 if sat == 6 else sat, self.horizon, 7):
            days = tuple(d for d in (start, start + 1) if 0 <= d < self.horizon)
            if days:
                out.append(days)
        return out

    def allowed(self, e: EmployeeRules, day: int, sid: str) -> bool:
        """Can e ever work sid on day (not a fixed day off, not excluded by a zero maximum)?"""
        return day not in e.days_off and e.max_per_shift.get(sid, self.horizon) > 0

    def workable(self, e: EmployeeRules, day: int) -> bool:
        """Can e work some shift on day (allowed, and on day 0 not forbidden after the last history shift)?"""
        last = self.shift(e.history[-1]).forbidden_next if day == 0 and e.history and e.history[-1] else ()
        return any(self.allowed(e, day, s.id) and s.id not in last for s in self.shifts)

    def free_pair_weeks(self, e: EmployeeRules) -> list[int]:
        """The Mondays (day indexes) of the calendar weeks in which e needs two days off in a row: every week
        with six or seven days inside the horizon (the day after the horizon counts as off, as the checker
        sees it; a shorter last week has two such days), and the one begun before day 0 when e's history
        knows its days there (a negative Monday; day -k is ``e.history[-k]``). Empty without ``weekly_free_pair``."""
        if not e.weekly_free_pair:
            return []
        return [mon for mon in range(-(self.first_weekday % 7), self.horizon - 5, 7) if mon >= -len(e.history)]

    def weeks_without_free_pair(self, e: EmployeeRules, row: list[str | None]) -> int:
        """Weeks of ``free_pair_weeks`` where history + row has no two days off in a row although the row
        works one of the week's days (a week begun in the history whose days in the horizon are all off is
        not the row's matter; with two or more such days being off already makes the pair)."""
        bad = 0
        for mon in self.free_pair_weeks(e):
            off = [known_cell(e, row, d) is None for d in range(mon, mon + 7)]
            bad += not any(a and b for a, b in zip(off, off[1:])) and not all(off[max(0, -mon):])
        return bad

    def fair_members(self, fs: FairShare) -> list[str]:
        """The employees a fair share compares, in problem order."""
        return [e.id for e in self.employees if fs.employees is None or e.id in fs.employees]

    def fair_days(self, fs: FairShare) -> list[int]:
        """The days a fair share counts: all, or the Saturdays and Sundays."""
        return sorted(d for days in self.weekends() for d in days) if fs.weekend else list(range(self.horizon))

    def fair_count(self, fs: FairShare, row: list[str | None]) -> int:
        """How many counted days the row works."""
        return sum(1 for d in self.fair_days(fs) if row[d] is not None and (fs.shifts is None or row[d] in fs.shifts))


def known_cell(e: EmployeeRules, row: list[str | None], d: int) -> str | None:
    """e's cell on day d of the row, of its history for d < 0 (day -1 is its last day); off (None) after
    the row and before the history."""
    if d < 0:
        return e.history[d] if -d <= len(e.history) else None
    return row[d] if d < len(row) else None


def companion_violations(problem: ShiftProblem, roster: Roster) -> int:
    """Number of (junior, day, shift) cells of the roster without a senior companion on that shift that day."""
    bad = 0
    for c in problem.companions:
        for d in range(problem.horizon):
            on = {roster[eid][d] for eid in c.seniors if eid in roster} & c.shifts
            bad += sum(1 for eid in c.juniors if eid in roster and roster[eid][d] in c.shifts
                       and roster[eid][d] not in on)
    return bad

