"""Stage 0: 24/7 shift rosters for residential groups (woongroep, behandelgroep, ...), on the generic
shift-roster model of ``solver.shifts``.

Per residential group with jeugdigen, its fixed team (``Groep.team_id``) covers a day shift (07-15), an
evening shift (15-23) and a night shift (23-07): day and evening need the staff the ratio and
minimum-staff rules ask for at that day's occupancy, the night one person with the night rule's
education; an mbo3 works a shift only with an mbo4+ on it (a ``Companion``).  Working-time rules become
shift successions (no day shift after an evening or night, ...), runs of days off and hour caps, so the
checker's rest rules hold.  Below any person short on a shift, the roster grants the team's wishes
(``wensen.csv``) and spreads nights and weekend days evenly (fair shares).  The previous plan's last
week is each member's history, so successions and runs hold across the period's edge.  The shifts
then are fixed work for the assignment and contact stages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from planner.domain import Education, Groep, Medewerker, WishKind
from planner.plan import Shift
from planner.rules import Rule
from planner.timeutil import within_availability
from solver.data import ProblemData, SolveOptions
from solver.shifts import (Companion, CoverDemand, EmployeeRules, FairShare, Roster, ShiftProblem, ShiftRequest,
                           ShiftSolveOptions, ShiftType, solve_shifts)

SHIFT_TIMES = {"D": (time(7), time(15), "dag"), "A": (time(15), time(23), "avond"), "N": (time(23), time(7), None)}
CODE_OF_KIND = {"dag": "D", "avond": "A", "slaapnacht": "N", "waaknacht": "N"}
HARD_WEIGHT = 10_000  # per person short on a shift a hard rule asks for
# per unit of (max - min) of nights and of weekend days per person; capped below a third of the cheapest
# person short, so that spreading never leaves a shift short (a soft rule costs penalty x 8 per person)
FAIR_NIGHTS_WEIGHT, FAIR_WEEKENDS_WEIGHT = 20, 10
MAX_WISH_WEIGHT = 100  # wensen.csv gewicht is 1-100
# per person beyond the need: more than a wish and the fair shares can gain from one extra shift (each
# share's max - min moves by at most 1), so neither puts staff on a shift that is already staffed
OVER_WEIGHT = MAX_WISH_WEIGHT + FAIR_NIGHTS_WEIGHT + FAIR_WEEKENDS_WEIGHT + 1
HISTORY_DAYS = 7  # days before the period taken from the previous plan (the longest run rule is 5 days)


@dataclass
class ResidentialResult:
    shifts: list[Shift] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    penalties: dict[str, int] = field(default_factory=dict)  # soft rule -> penalty, counted as the checker does
    causes: list = field(default_factory=list)  # solver.causes.Cause: shifts short, per night/day and rule


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
        self.asked: dict[tuple[int, str], list[tuple[Rule, int]]] = {}  # (day, shift) -> the rules asking staff
        self.night_kind = "slaapnacht"
        self.night_education: Education | None = None
        self.min_education: Education | None = None  # for every shift
        self.mbo3_needs_mbo4 = False  # an mbo3 works a shift only together with an mbo4 or higher
        self.team_only = True  # shift_by_team_member: always so, the roster is made for the team
        self.staff_ok: list = []  # (Medewerker) -> bool: who may work the group's shifts at all (VOG, ...)
        self.present: list = []  # (shift ids, (Medewerker) -> bool): someone qualified on each such shift worked

    def require(self, d: int, sid: str, staff: int, rule: Rule) -> None:
        weight = HARD_WEIGHT if rule.severity == "hard" else rule.penalty * 8  # 8 staff-hours per person short
        self.asked.setdefault((d, sid), []).append((rule, staff))
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
    out = []
    for shifts_of, ok in rb.present:  # shift_min_education_present: the unqualified only beside a qualified one
        juniors = frozenset(m.id for m in team if not ok(m))
        if juniors:
            out.append(Companion(frozenset(shifts_of), juniors, frozenset(m.id for m in team if ok(m))))
    if not rb.mbo3_needs_mbo4:
        return out
    shifts = {"D", "A"} | ({"N"} if rb.night_education is None or rb.night_education <= Education.MBO3 else set())
    juniors = frozenset(m.id for m in team if m.education == Education.MBO3)
    seniors = frozenset(m.id for m in team if m.education >= Education.MBO4)
    return out + ([Companion(frozenset(shifts), juniors, seniors)] if juniors else [])


def add_shift_by_team_member(rb: RosterBuilder, rule: Rule) -> None:
    """Only members of the group's team (``Groep.team_id``) work its shifts: by construction, the roster's
    employees are the team's members (``roster_problem``); without a team the group gets no roster and
    every shift is reported short."""
    rb.team_only = True


def add_vog_valid(rb: RosterBuilder, rule: Rule) -> None:
    """Only staff with a valid VOG work the group's shifts (A:1213, A:4183; ``planner.semantics.eligibility``)."""
    from planner.semantics.eligibility import vog_ok

    first, last = rb.data.days[0], rb.data.days[-1]
    rb.staff_ok.append(lambda m: vog_ok(m, rule, first, last))


def add_shift_registration_required(rb: RosterBuilder, rule: Rule) -> None:
    """Only staff below ``min_education`` or holding one of ``registrations`` work the group's shifts (A:1205)."""
    from planner.semantics.eligibility import registration_ok

    level, regs = rule.params.get("min_education", "hbo"), rule.params["registrations"]
    rb.staff_ok.append(lambda m: registration_ok(m, level, regs))


def add_shift_min_education_present(rb: RosterBuilder, rule: Rule) -> None:
    """A qualified professional on every day and evening shift (and night, interpretation ``uren`` = ``etmaal``)
    that anyone works (A:3403): a ``Companion`` of the unqualified with the qualified. ``count`` above 1 is not
    modelled by the roster (the checker still reports it)."""
    from planner.semantics.eligibility import qualified_registered

    etmaal = "uren" in rule.interpretations and rule.interpretation("uren") == "etmaal"
    level, regs = rule.params["education"], rule.params.get("registrations")
    rb.present.append(({"D", "A", "N"} if etmaal else {"D", "A"}, lambda m: qualified_registered(m, level, regs)))


RESIDENTIAL_ADDERS = {name.removeprefix("add_"): fn for name, fn in dict(globals()).items()
                      if name.startswith("add_") and callable(fn)}


def roster_builder(data: ProblemData, g: Groep) -> RosterBuilder:
    """What the residential rule kinds ask of the group's roster."""
    rb = RosterBuilder(data, g)
    for rule in data.pack.rules:
        if rule.kind in RESIDENTIAL_ADDERS and _applies(rule, g):
            RESIDENTIAL_ADDERS[rule.kind](rb, rule)
    return rb


def roster_problem(data: ProblemData, g: Groep) -> tuple[ShiftProblem, str, list[str]]:
    """The group's week(s) as a ShiftProblem; returns it with the night kind and Dutch notes."""
    rb = roster_builder(data, g)
    shifts = [ShiftType("D", 480), ShiftType("A", 480, frozenset({"D"})), ShiftType("N", 480, frozenset({"D", "A"}))]
    cover = [CoverDemand(d, sid, staff, weight, OVER_WEIGHT) for (d, sid), (staff, weight) in sorted(rb.need.items())]
    team = [m for m in data.staff if g.team_id and g.team_id in m.teams
            and (rb.min_education is None or m.education >= rb.min_education) and all(ok(m) for ok in rb.staff_ok)]
    notes = [] if team else [f"{next((r.id for r, _ in next(iter(rb.asked.values()), [])), 'rooster')} — verblijfsgroep "
                             f"{g.id}: geen vast team (team_id) met leden die er mogen werken; diensten niet ingeroosterd."]
    history = shift_history(data, {m.id for m in team})
    employees = []
    for m in team:
        off = frozenset(d for d, day in enumerate(data.days)
                        if not all(within_availability(m, *_span(day, s)) and not data.absent(m.id, *_span(day, s))
                                   for s in ("D", "A", "N")))
        per_shift = {"N": 0} if rb.night_education is not None and m.education < rb.night_education else {}
        # shift successions give the 11 h daily rest; two days off in a row inside each calendar week the 36 h
        employees.append(EmployeeRules(m.id, per_shift, max_minutes=int(m.contract_hours * 60 * data.weeks),
                                       max_consecutive=5, days_off=off, weekly_free_pair=True,
                                       history=history.get(m.id, ())))
    on, off_requests = _wishes(data, team)
    problem = ShiftProblem(horizon=len(data.days), shifts=shifts, employees=employees, cover=cover,
                           first_weekday=data.period_start.weekday(), companions=_companions(rb, team),
                           on_requests=on, off_requests=off_requests,
                           fair_shares=_fair_shares(employees, cover, len(data.days)))
    return problem, rb.night_kind, notes


def _wishes(data: ProblemData, team: list[Medewerker]) -> tuple[list[ShiftRequest], list[ShiftRequest]]:
    """The team's wishes (``wensen.csv``) inside the period as on- and off-requests; ``niet *`` is not D, A or N."""
    ids, index = {m.id for m in team}, {day: d for d, day in enumerate(data.days)}
    on, off = [], []
    for w in data.bundle.wishes:
        d, weight = index.get(w.date), max(1, min(w.weight, MAX_WISH_WEIGHT))
        if w.staff_id not in ids or d is None or (w.shift not in SHIFT_TIMES and w.shift != "*"):
            continue
        if w.kind is WishKind.WEL:
            on += [ShiftRequest(w.staff_id, d, w.shift, weight)] if w.shift in SHIFT_TIMES else []
        else:
            off += [ShiftRequest(w.staff_id, d, s, weight) for s in (SHIFT_TIMES if w.shift == "*" else (w.shift,))]
    return on, off


def _fair_shares(employees: list[EmployeeRules], cover: list[CoverDemand], horizon: int) -> list[FairShare]:
    """Nights and weekend days spread evenly (weight x (max - min)) over the members who can work them and
    are free on at least three quarters of the days (a long absence does not set the minimum)."""
    cap = max(1, (min((c.under_weight for c in cover), default=HARD_WEIGHT) - 1) // 3)
    present = [e for e in employees if len(e.days_off) <= horizon // 4]
    nights = frozenset(e.id for e in present if e.max_per_shift.get("N", 1) > 0)
    out = [FairShare(frozenset({"N"}), False, min(FAIR_NIGHTS_WEIGHT, cap), nights)] if len(nights) > 1 else []
    if len(present) > 1:
        out.append(FairShare(None, True, min(FAIR_WEEKENDS_WEIGHT, cap), frozenset(e.id for e in present)))
    return out


def shift_history(data: ProblemData, ids: set[str]) -> dict[str, tuple[str | None, ...]]:
    """Per staff member the codes (D/A/N, None = off) of the last ``HISTORY_DAYS`` days before the period:
    the previous plan's shifts and history shifts, on the days that plan covers (its period and, when it
    has history shifts, the 28 days before it). Empty when there is no previous plan reaching the period."""
    prev = data.previous
    if prev is None or prev.period_end < data.period_start:
        return {}
    known = prev.period_start - timedelta(days=28 if prev.history_shifts else 0)
    first = max(data.period_start - timedelta(days=HISTORY_DAYS), known)
    days = [first + timedelta(days=i) for i in range((data.period_start - first).days)]
    if not days:
        return {}
    cells = {(s.staff_id, s.start.date()): CODE_OF_KIND[s.kind] for s in [*prev.history_shifts, *prev.shifts]
             if s.staff_id in ids and first <= s.start.date() < data.period_start and s.kind in CODE_OF_KIND}
    return {sid: tuple(cells.get((sid, d)) for d in days) for sid in sorted(ids)}


def _roster_stats(data: ProblemData, problem: ShiftProblem, roster: Roster) -> dict:
    """Spread of nights and weekend days over the fair-share members, and wishes granted of those asked."""
    out: dict = {}
    for fs in problem.fair_shares:
        counts = [problem.fair_count(fs, roster[eid]) for eid in problem.fair_members(fs)]
        out["weekend_days" if fs.weekend else "nights"] = [min(counts), max(counts)]
    index = {day: d for d, day in enumerate(data.days)}
    asked = [(w, roster[w.staff_id][index[w.date]]) for w in data.bundle.wishes
             if w.staff_id in roster and w.date in index]
    granted = sum(1 for w, cell in asked if (cell == w.shift if w.kind is WishKind.WEL else
                                             cell is None if w.shift == "*" else cell != w.shift))
    out["wishes"] = [granted, len(asked)]
    return out


def plan_residential(data: ProblemData, options: SolveOptions, time_limit: float) -> ResidentialResult:
    out = ResidentialResult()
    groups = residential_groups(data)
    from solver.residential_explain import uncovered_causes

    for i, g in enumerate(groups):
        problem, night_kind, notes = roster_problem(data, g)
        out.notes += notes
        if not problem.employees:
            out.causes += uncovered_causes(data, g, roster_builder(data, g), {})
            continue
        limit = max(time_limit / max(len(groups) - i, 1), 1.0)
        res = solve_shifts(problem, ShiftSolveOptions(time_limit=limit, workers=options.workers, seed=options.seed))
        out.stats[g.id] = {"status": res.status, "objective": res.objective, "bound": res.bound, "seconds": res.seconds}
        if res.roster is None:
            out.notes.append(f"Verblijfsgroep {g.id}: geen rooster gevonden binnen de tijd.")
            out.causes += uncovered_causes(data, g, roster_builder(data, g), {})
            continue
        out.stats[g.id].update(_roster_stats(data, problem, res.roster))
        out.causes += uncovered_causes(data, g, roster_builder(data, g), res.roster)
        for sid, cells in sorted(res.roster.items()):
            for d, shift in enumerate(cells):
                if shift is None:
                    continue
                start, end = _span(data.days[d], shift)
                out.shifts.append(Shift(g.id, sid, start, end, SHIFT_TIMES[shift][2] or night_kind))
        _soft_penalties(data, g, res.roster, out.penalties)
    from solver.presence import presence_blocks  # the responsible's hours on the group (A:3095, A:3011)

    blocks, notes = presence_blocks(data, out.shifts)
    out.shifts += blocks
    out.notes += notes
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
