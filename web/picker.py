"""The "beschikbaar en bevoegd" picker: for one plan item, who could take it and why the others cannot.

No rule is re-implemented here.  For each candidate the item is moved to them in a copy of the plan and
the checker's own rule checks (:data:`planner.checks.CHECKS`, which take their meaning from
:mod:`planner.semantics`) run on the part of the plan that the move touches: the candidate's own work,
on-call and history, the item, its toewijzing's case assignment and (for on-call) the team's blocks.
The findings the move adds (after minus before) are the reasons; they are the findings the checker will
report for the whole plan after the same edit (``tests/web/test_board.py`` asserts it).

For a contact the candidate is also judged as an executor of the toewijzing (education, registration,
intervention, working area), so "not qualified for the product" shows even where the case assignment
already rules them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from planner.checker import CheckContext, Violation
from planner.checks.working_time import worked
from planner.domain import Bundle, Medewerker
from planner.plan import CaseAssignment, Plan
from planner.rules import RulePack
from planner.semantics.occurrences import period_days
from planner.timeutil import DAY, availability_spans, hours, union

# what the reason is, by the rule's kind (the words: not qualified, absent, not available, over contract)
GROUPS = {"absence": "afwezig", "contract_hours": "boven contract", "max_week_hours": "boven contract",
          **dict.fromkeys(("availability", "double_booking", "daily_rest", "weekly_rest", "travel_buffer",
                           "max_shift_hours", "no_contact_on_holiday", "oncall_max_per_28d", "oncall_free_periods",
                           "oncall_night_shift_buffer", "contact_within_toewijzing", "contact_frequency",
                           "omvang_cap", "start_within"), "niet beschikbaar")}
QUALIFICATION_KINDS = ("executor_min_education", "executor_registration", "intervention_certification",
                       "working_area")


def group_of(v: Violation) -> str:
    return GROUPS.get(v.kind, "niet bevoegd")


@dataclass
class Candidate:
    staff: Medewerker
    findings: list[Violation] = field(default_factory=list)  # what the move to them adds (checker findings)
    qualification: list[Violation] = field(default_factory=list)  # as executor of the toewijzing (contacts)
    free_day: float = 0.0  # available hours that day minus worked hours that day
    free_week: float = 0.0  # contract hours minus worked hours that week
    current: bool = False  # already on the item
    note: str = ""  # an edit that is not possible at all (already on the session)

    @property
    def reasons(self) -> list[Violation]:
        seen, out = set(), []
        for v in self.findings + self.qualification:
            if (v.rule_id, v.message) not in seen:
                seen.add((v.rule_id, v.message))
                out.append(v)
        return out

    @property
    def hard(self) -> bool:
        return any(v.severity == "hard" for v in self.reasons)

    @property
    def eligible(self) -> bool:
        return not self.note and not self.reasons

    @property
    def groups(self) -> list[str]:
        return list(dict.fromkeys(group_of(v) for v in self.reasons))


def _moved(plan: Plan, kind: str, index: int, staff_id: str, start: datetime | None, out: str | None) -> Plan:
    new = replace(plan, sessions=list(plan.sessions), oncall=list(plan.oncall), contacts=list(plan.contacts))
    if kind == "contact":
        c = new.contacts[index]
        begin = start or c.start
        new.contacts[index] = replace(c, staff_id=staff_id, start=begin, end=begin + (c.end - c.start))
    elif kind == "sessie":
        s = new.sessions[index]
        new.sessions[index] = replace(s, staff_ids=tuple(x for x in s.staff_ids if x != out) + (staff_id,))
    else:
        b = new.oncall[index]
        shift = (start - b.start) if start else timedelta(0)
        new.oncall[index] = replace(b, staff_id=staff_id, start=b.start + shift, end=b.end + shift)
    return new


def _part(plan: Plan, kind: str, index: int, staff_id: str) -> Plan:
    """The part of ``plan`` a move of item ``index`` to ``staff_id`` can change findings in."""
    team = plan.oncall[index].team_id if kind == "dienst" else None
    contacts = [c for i, c in enumerate(plan.contacts) if c.staff_id == staff_id or (kind == "contact" and i == index)]
    tids = {c.toewijzing_id for c in contacts}
    return Plan(plan.period_start, plan.weeks,
                caseload=[a for a in plan.caseload if a.toewijzing_id in tids],
                sessions=[s for i, s in enumerate(plan.sessions) if staff_id in s.staff_ids
                          or (kind == "sessie" and i == index)],
                oncall=[b for b in plan.oncall if b.staff_id == staff_id or b.team_id == team],
                contacts=contacts, shifts=[s for s in plan.shifts if s.staff_id == staff_id],
                history_oncall=[b for b in plan.history_oncall if b.staff_id == staff_id or b.team_id == team],
                history_shifts=[s for s in plan.history_shifts if s.staff_id == staff_id])


def _findings(bundle: Bundle, pack: RulePack, plan: Plan, kinds=None) -> set[Violation]:
    from planner.checks import CHECKS

    ctx = CheckContext(bundle, pack, plan)
    return {v for r in pack.rules if kinds is None or r.kind in kinds for v in CHECKS[r.kind](ctx, r)}


def _key(v: Violation) -> tuple[str, str]:
    return v.rule_id, v.message


def move_findings(bundle: Bundle, pack: RulePack, plan: Plan, kind: str, index: int, staff_id: str,
                  start: datetime | None = None, out: str | None = None) -> list[Violation]:
    """The findings a move of the item to ``staff_id`` (at ``start``) adds: checker findings after the move
    minus those before it, on the part of the plan the move touches."""
    after_plan = _moved(plan, kind, index, staff_id, start, out)
    before = {_key(v) for v in _findings(bundle, pack, _part(plan, kind, index, staff_id))}
    after = _findings(bundle, pack, _part(after_plan, kind, index, staff_id))
    return sorted((v for v in after if _key(v) not in before), key=lambda v: (v.severity != "hard", v.rule_id))


def _qualification(bundle: Bundle, pack: RulePack, plan: Plan, tid: str, staff_id: str) -> list[Violation]:
    """The executor rules of the toewijzing, judged with ``staff_id`` as its only executor."""
    part = Plan(plan.period_start, plan.weeks, caseload=[CaseAssignment(tid, (staff_id,))])
    found = _findings(bundle, pack, part, QUALIFICATION_KINDS)
    return sorted((v for v in found if ("medewerker", staff_id) in v.entities), key=lambda v: v.rule_id)


def _free_day(m: Medewerker, day: date, work) -> float:
    d0 = datetime.combine(day, time())
    avail = sum(hours(min(e, d0 + DAY) - max(s, d0)) for s, e in availability_spans(m, day, day)
                if s < d0 + DAY and e > d0)
    busy = sum(hours(min(e, d0 + DAY) - max(s, d0)) for s, e in (work.own if work else []) if s < d0 + DAY and e > d0)
    return max(0.0, avail - busy)


def _week_hours(day: date, work) -> float:
    monday = datetime.combine(day - timedelta(days=day.weekday()), time())
    return sum(hours(min(e, monday + 7 * DAY) - max(s, monday)) for s, e in (work.own if work else [])
               if s < monday + 7 * DAY and e > monday)


def item_staff(plan: Plan, kind: str, index: int) -> list[str]:
    if kind == "sessie":
        return list(plan.sessions[index].staff_ids)
    return [(plan.contacts if kind == "contact" else plan.oncall)[index].staff_id]


def item_day(plan: Plan, kind: str, index: int, start: datetime | None) -> date:
    if start is not None:
        return start.date()
    if kind == "sessie":
        return plan.sessions[index].date
    return (plan.contacts if kind == "contact" else plan.oncall)[index].start.date()


def candidates(bundle: Bundle, pack: RulePack, plan: Plan, kind: str, index: int, start: datetime | None = None,
               out: str | None = None) -> list[Candidate]:
    """Every medewerker judged for the item: eligible first, then by soft-only before hard, then by name.

    ``start``: the new start (contact, on-call block); ``out``: for a session, who is replaced."""
    days = period_days(plan.period_start, plan.weeks)
    pack = pack.for_period(days[0], days[-1])  # as check_plan does
    work = worked(CheckContext(bundle, pack, plan))
    on_item = set(item_staff(plan, kind, index))
    day = item_day(plan, kind, index, start)
    tid = plan.contacts[index].toewijzing_id if kind == "contact" else None
    if kind == "sessie" and out is None and plan.sessions[index].staff_ids:
        out = plan.sessions[index].staff_ids[0]
    own: dict[str, set[str]] = {}
    for x in plan.contacts:
        own.setdefault(x.staff_id, set()).add(x.toewijzing_id)
    result = []
    for m in bundle.staff.values():
        small = bundle
        if kind != "dienst":  # only on-call coverage needs every toewijzing (a team's duty); the rest need
            keep = own.get(m.id, set()) | {tid}  # the toewijzingen of the contacts in the part (see _part)
            small = replace(bundle, toewijzingen={k: bundle.toewijzingen[k] for k in keep if k in bundle.toewijzingen})
        c = Candidate(m, free_day=_free_day(m, day, work.get(m.id)),
                      free_week=m.contract_hours - _week_hours(day, work.get(m.id)))
        if kind == "sessie" and m.id in on_item and m.id != out:
            c.current, c.note = True, "staat al op deze sessie"
        elif m.id in on_item and (kind == "sessie" or start is None):
            c.current = True
        else:
            c.findings = move_findings(small, pack, plan, kind, index, m.id, start, out)
        if tid:
            c.qualification = _qualification(small, pack, plan, tid, m.id)
        result.append(c)
    return sorted(result, key=lambda c: (not c.current, not c.eligible, c.hard, len(c.reasons), c.staff.name, c.staff.id))
