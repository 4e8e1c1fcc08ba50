"""Stage 0: 24/7 shift rosters for residential groups (woongroep, behandelgroep, ...), on the generic
shift-roster model of ``solver.shifts``.

Per residential group with jeugdigen, its fixed team (``Groep.team_id``) covers a day shift (07-15), an
evening shift (15-23) and a night shift (23-07): day and evening need the staff the ratio and
minimum-staff rules ask for at that day's occupancy, the night one person with the night rule's
education; an mbo3 works a shift only with an mbo4+ on it (a ``Companion``).  Working-time rules become
shift successions (no day shift after an evening or night, ...), runs of days off and hour caps, so the
checker's rest rules hold.  The shifts then are fixed work for the assignment and contact stages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from planner.domain import Education, Groep
from planner.plan import Shift
from planner.rules import Rule
from planner.timeutil import within_availability
from solver.data import ProblemData, SolveOptions
from solver.shifts import (Companion, CoverDemand, EmployeeRules, ShiftProblem, ShiftSolveOptions, ShiftType,
                           solve_shifts)

SHIFT_TIMES = {"D": (time(7), time(15), "dag"), "A": (time(15), time(23), "avond"), "N": (time(23), time(7), None)}
HARD_WEIGHT = 10_000  # per person short on a shift a hard rule asks for


@dataclass
class ResidentialResult:
    shifts: list[Shift] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    penalties: dict[str, int] = field(default_factory=dict)  # soft rule -> penalty, counted as the checker does


def residential_groups(data: ProblemData) -> list[Groep]:
    groups = []
    for g in sorted(data.bundle.groups.values(), key=lambda g: g.id):
        product = data.pack.product(g.product_code)
        if product is not None and product.setting == "verblijf" and any(occupancy(data, g, d) for d in data.days):
            groups.append(g)
    return groups


def occupancy(data: ProblemData, g: Groep, day) -> int:
    return sum(1 for e in data.bundle.enrolments if e.group_id == g.id and e.active_on(day))


def _applies(rule: Rule, g: Groep) -> bool:
    """Residential rules select groups of their products, or every verblijf group when they name none."""
    return not rule.products or g.product_code in rule.products


def _rules(data: ProblemData, g: Groep, kind: str) -> list[Rule]:
    return [r for r in data.pack.rules_of(kind) if _applies(r, g)]


def _span(day, sid: str) -> tuple[datetime, datetime]:
    start, end, _ = SHIFT_TIMES[sid]
    s = datetime.combine(day, start)
    e = datetime.combine(day + timedelta(days=1) if end <= start else day, end)
    return s, e


class RosterBuilder:
    """Collects what the residential rule kinds ask of one group's roster, then makes the ShiftProblem."""

    def __init__(self, data: ProblemData, g: Groep):
        self.data, self.g = data, g
        self.need: dict[tuple[int, str], tuple[int, int]] = {}  # (day, shift) -> (staff, weight per person short)
        self.night_kind = "slaapnacht"
        self.night_education: Education | None = None
        self.min_education: Education | None = None  # for every shift
        self.mbo3_needs_mbo4 = False  # an mbo3 works a shift only together with an mbo4 or higher

    def require(self, d: int, sid: str, staff: int, rule: Rule) -> None:
        weight = HARD_WEIGHT if rule.severity == "hard" else rule.penalty * 8  # 8 staff-hours per person short
        old_staff, old_weight = self.need.get((d, sid), (0, 1))
        self.need[d, sid] = (max(old_staff, staff), max(old_weight, weight))

    def occupied_days(self):
        return [(d, occ) for d, day in enumerate(self.data.days) if (occ := occupancy(self.data, self.g, day))]


def add_residential_occupancy_max(rb: RosterBuilder, rule: Rule) -> None:
    """Data rule: enrolments decide the occupancy; the checker reports it as a data problem."""


def add_shift_staff_ratio(rb: RosterBuilder, rule: Rule) -> None:
    """Day and evening shifts: ceil(occupancy / jeugdigen_per_staff) staff (e.g. 1 op 6 in a woongroep, A:3043)."""
    for d, occ in rb.occupied_days():
        for sid in ("D", "A"):
            rb.require(d, sid, math.ceil(occ / float(rule.params["jeugdigen_per_staff"])), rule)


def add_shift_min_staff(rb: RosterBuilder, rule: Rule) -> None:
    """Day and evening shifts: at least ``min`` staff (e.g. JeugdzorgPlus, A:3473)."""
    for d, _ in rb.occupied_days():
        for sid in ("D", "A"):
            rb.require(d, sid, int(rule.params["min"]), rule)


def add_night_shift_required(rb: RosterBuilder, rule: Rule) -> None:
    """Every night a night shift of the rule's kind by someone with its minimum education (A:3055, ...)."""
    if rule.params.get("kind") in ("slaapnacht", "waaknacht"):
        rb.night_kind = rule.params["kind"]
    if rule.params.get("education"):
        level = Education(rule.params["education"])
        rb.night_education = max(rb.night_education, level) if rb.night_education else level
    for d, _ in rb.occupied_days():
        rb.require(d, "N", 1, rule)


def add_shift_min_education_all(rb: RosterBuilder, rule: Rule) -> None:
    """Only staff with education >= ``education`` work the group's shifts (A:3091, ...)."""
    level = Education(rule.params["education"])
    rb.min_education = max(rb.min_education, level) if rb.min_education else level


def add_shift_mbo3_needs_mbo4(rb: RosterBuilder, rule: Rule) -> None:
    """An mbo3 works a shift only when someone with mbo4 or higher works that same shift (A:3051, A:3565):
    a ``Companion`` of the shift problem (juniors: the team's mbo3, seniors: mbo4 and higher)."""
    rb.mbo3_needs_mbo4 = True


def _companions(rb: RosterBuilder, team) -> list[Companion]:
    """The shift problem's companion rule for ``shift_mbo3_needs_mbo4``; the night only when an mbo3 may work it."""
    if not rb.mbo3_needs_mbo4:
        return []
    shifts = {"D", "A"} | ({"N"} if rb.night_education is None or rb.night_education <= Education.MBO3 else set())
    juniors = frozenset(m.id for m in team if m.education == Education.MBO3)
    seniors = frozenset(m.id for m in team if m.education >= Education.MBO4)
    return [Companion(frozenset(shifts), juniors, seniors)] if juniors else []


RESIDENTIAL_ADDERS = {name.removeprefix("add_"): fn for name, fn in dict(globals()).items()
                      if name.startswith("add_") and callable(fn)}


def roster_problem(data: ProblemData, g: Groep) -> tuple[ShiftProblem, str, list[str]]:
    """The group's week(s) as a ShiftProblem; returns it with the night kind and Dutch notes."""
    rb = RosterBuilder(data, g)
    for rule in data.pack.rules:
        if rule.kind in RESIDENTIAL_ADDERS and _applies(rule, g):
            RESIDENTIAL_ADDERS[rule.kind](rb, rule)
    shifts = [ShiftType("D", 480), ShiftType("A", 480, frozenset({"D"})), ShiftType("N", 480, frozenset({"D", "A"}))]
    cover = [CoverDemand(d, sid, staff, weight, 1) for (d, sid), (staff, weight) in sorted(rb.need.items())]
    team = [m for m in data.staff if g.team_id and g.team_id in m.teams
            and (rb.min_education is None or m.education >= rb.min_education)]
    notes = [] if team else [f"Verblijfsgroep {g.id}: geen vast team (team_id) met leden; diensten niet ingeroosterd."]
    employees = []
    for m in team:
        off = frozenset(d for d, day in enumerate(data.days)
                        if not all(within_availability(m, *_span(day, s)) and not data.absent(m.id, *_span(day, s))
                                   for s in ("D", "A", "N")))
        per_shift = {"N": 0} if rb.night_education is not None and m.education < rb.night_education else {}
        # shift successions give the 11 h daily rest; two days off in a row inside each calendar week the 36 h
        employees.append(EmployeeRules(m.id, per_shift, max_minutes=int(m.contract_hours * 60 * data.weeks),
                                       max_consecutive=5, days_off=off, weekly_free_pair=True))
    problem = ShiftProblem(horizon=len(data.days), shifts=shifts, employees=employees, cover=cover,
                           first_weekday=data.period_start.weekday(), companions=_companions(rb, team))
    return problem, rb.night_kind, notes


def plan_residential(data: ProblemData, options: SolveOptions, time_limit: float) -> ResidentialResult:
    out = ResidentialResult()
    groups = residential_groups(data)
    for i, g in enumerate(groups):
        problem, night_kind, notes = roster_problem(data, g)
        out.notes += notes
        if not problem.employees:
            continue
        limit = max(time_limit / max(len(groups) - i, 1), 1.0)
        res = solve_shifts(problem, ShiftSolveOptions(time_limit=limit, workers=options.workers, seed=options.seed))
        out.stats[g.id] = {"status": res.status, "objective": res.objective, "bound": res.bound, "seconds": res.seconds}
        if res.roster is None:
            out.notes.append(f"Verblijfsgroep {g.id}: geen rooster gevonden binnen de tijd.")
            continue
        for sid, cells in sorted(res.roster.items()):
            for d, shift in enumerate(cells):
                if shift is None:
                    continue
                start, end = _span(data.days[d], shift)
                out.shifts.append(Shift(g.id, sid, start, end, SHIFT_TIMES[shift][2] or night_kind))
        _soft_penalties(data, g, res.roster, out.penalties)
    return out


def _soft_penalties(data: ProblemData, g: Groep, roster, into: dict[str, int]) -> None:
    """Per soft ratio/min-staff rule: staff-hours short on day and evening shifts x the rule's penalty."""
    for d, day in enumerate(data.days):
        occ = occupancy(data, g, day)
        if not occ:
            continue
        for sid in ("D", "A"):
            present = sum(1 for cells in roster.values() if cells[d] == sid)
            for r in _rules(data, g, "shift_staff_ratio") + _rules(data, g, "shift_min_staff"):
                if r.severity != "soft":
                    continue
                need = (math.ceil(occ / float(r.params["jeugdigen_per_staff"])) if r.kind == "shift_staff_ratio"
                        else int(r.params["min"]))
                if need > present:
                    into[r.id] = into.get(r.id, 0) + r.penalty * 8 * (need - present)
