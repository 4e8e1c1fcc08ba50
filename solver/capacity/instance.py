"""The capacity instance: weekly demand items, group needs and supply, derived once from the data.

Demand per toewijzing comes from its omvang and dates (:mod:`planner.demand`),
its length capped by the product's ``max_trajectory_length`` rule.  A
toewijzing that runs at the start of the horizon with a current executor is
*running*; every other contact toewijzing is *waiting* until the model starts
it (first come, first served by referral date per product queue, unless a
priority is set).  Group sessions ask for staff per week as the group rules
say; who may serve what comes from :mod:`solver.capacity.eligibility`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from planner.domain import Bundle, Education, GroupSession, Toewijzing
from planner.rules import RulePack
from planner.semantics.oncall import duty_team
from planner.semantics.staffing import required_staff_for_ratio, staff_count_bounds
from planner.timeutil import add_months, minutes
from solver.capacity.eligibility import Pools, candidate_pools, is_contact_demand
from solver.capacity.supply import oncall_load, supply_minutes, week_monday, week_of
from solver.contacts.needs import split_into_contacts


@dataclass
class CapacityOptions:
    weeks: int = 52
    time_limit: float = 20.0
    workers: int = 2
    relative_gap: float = 0.02  # the tail of the objective is continuity and roster hours
    oncall_hours_per_day: float = 1.0  # expected work per day on call (calls, call-outs)
    seed: int = 0


@dataclass
class DemandItem:
    t: Toewijzing
    minutes: int  # staff minutes per week while active: contact time plus travel after each visit
    duration: int  # weeks
    candidates: frozenset[str]
    responsibles: frozenset[str] | None  # None: no responsible required
    running: bool
    first: int = 0  # running: first active week (>= 0)
    end: int = 0  # running: first week after the trajectory
    earliest: int = 0  # waiting: first week it may start
    referral: int = 0  # waiting: week of referral (may be negative)
    priority: int | None = None
    queue: tuple[str, str] = ("", "")  # (product, intervention): FCFS within a queue
    care: int = 0  # contact minutes per week the omvang asks for (what is reported as care)


@dataclass
class Requirement:
    """A group staffing need per session occurrence: ``count`` staff (qualifying by ``min_education``)."""

    rule_id: str
    severity: str
    penalty: int
    label: str  # Dutch discipline label, e.g. "wo aanwezig"
    min_education: Education | None
    counts: list[int]  # per week


@dataclass
class SessionNeed:
    session: GroupSession
    product: str
    minutes: int
    enrolled: list[int]  # per week
    candidates: frozenset[str]
    requirements: list[Requirement]
    max_staff: int | None  # hard maximum present


@dataclass
class CapacityInstance:
    bundle: Bundle
    pack: RulePack
    start: date
    weeks: int
    horizon: int  # weeks modelled (weeks + the longest trajectory, so a start late in the year is still carried)
    supply: dict[str, list[int]]  # after on-call load, length ``horizon``
    oncall: dict[str, list[int]]
    uncovered_oncall: dict[str, list[float]]
    items: list[DemandItem]
    sessions: list[SessionNeed]
    segments: list[tuple[int, int]]  # [first, end) week ranges with one roster and one executor per toewijzing
    pools: Pools
    priorities: dict[str, int] = field(default_factory=dict)
    changed_at: dict[int, frozenset[str]] = field(default_factory=dict)  # segment boundary -> staff who change

    def spans(self, staff: frozenset[str]) -> list[tuple[int, int, int]]:
        """(k, first, end): the segments merged where none of ``staff`` changes, k the first one's index.

        A client whose candidates all stay has no reason for a handover, so it gets one executor
        over the merged range (fewer variables, same answers).
        """
        out: list[tuple[int, int, int]] = []
        for k, (a, b) in enumerate(self.segments):
            if out and not (self.changed_at.get(a, frozenset()) & staff):
                out[-1] = (out[-1][0], out[-1][1], b)
            else:
                out.append((k, a, b))
        return out

    def absent_at(self, sid: str, session: GroupSession, w: int) -> bool:
        day = week_monday(self.start, w) + timedelta(days=session.weekday)
        s, e = datetime.combine(day, session.start), datetime.combine(day, session.end)
        return any(a.staff_id == sid and a.start < e and s < a.end for a in self._absences.get(sid, ()))

    @property
    def _absences(self) -> dict[str, list]:
        if not hasattr(self, "_abs"):
            self._abs: dict[str, list] = {}
            for a in self.bundle.absences:
                self._abs.setdefault(a.staff_id, []).append(a)
        return self._abs


def capped_end(pack: RulePack, t: Toewijzing) -> date:
    """The toewijzing's end, capped by the product's maximum trajectory length (hard rules only)."""
    end = t.end
    for r in pack.rules_of("max_trajectory_length"):
        if r.severity == "hard" and r.applies_to(t.product_code, t.intervention):
            end = min(end, add_months(t.start, r.params["months"]) - timedelta(days=1))
    return end


def weekly_minutes(t: Toewijzing, end: date) -> int:
    """Contact minutes per full week of the trajectory (0 when the omvang is not in time)."""
    if t.omvang is None:
        return 0
    per_week = t.omvang.minutes_per_week(trajectory_days=(end - t.start).days + 1)
    return math.ceil(per_week) if per_week else 0


def travel_minutes(pack: RulePack, t: Toewijzing, care: int) -> int:
    """Travel after each home visit (``travel_buffer`` rule), for the contacts the planner would make of ``care``.

    The weekly planner keeps this time free after every visit, so it is staff time the
    capacity model must count, or it would promise more than the planner can place.
    """
    buffer = max((int(r.params.get("minutes", 30)) for r in pack.rules_of("travel_buffer")
                  if r.applies_to(t.product_code, t.intervention)), default=0)
    return split_into_contacts(care, None, None)[0] * buffer if care and buffer else 0


def _item(pack: RulePack, pools: Pools, start: date, t: Toewijzing, priorities: dict[str, int]) -> DemandItem | None:
    end = capped_end(pack, t)
    duration = max(1, math.ceil(((end - t.start).days + 1) / 7))
    running = t.start < start and t.current_executor_id is not None
    care = weekly_minutes(t, end)
    item = DemandItem(t, care + travel_minutes(pack, t, care), duration, pools.executors.get(t.id, frozenset()),
                      pools.responsibles.get(t.id), running, priority=priorities.get(t.id),
                      queue=(t.product_code, t.intervention or ""), care=care)
    if running:
        item.first, item.end = 0, week_of(start, end) + 1
        return item if item.end > 0 else None
    if end < start:  # the allocation expired before the horizon: nothing left to start
        return None
    # whole weeks: a trajectory whose allocation starts after a Monday starts the next Monday,
    # so capacity never counts a part week the executor may not work (see docs/capacity.md)
    item.earliest = max(0, week_of(start, t.start) + (1 if t.start > start and t.start.weekday() else 0))
    item.referral = week_of(start, t.referral_date or t.start)
    return item


def _requirements(pack: RulePack, product: str, enrolled: list[int]) -> tuple[list[Requirement], int | None]:
    """Staffing needs of a group product from its rules (ratio, staff count, education present)."""
    reqs, max_staff = [], None
    for r in pack.rules:
        if not r.applies_to(product):
            continue
        if r.kind == "staff_ratio":
            per = float(r.params["jeugdigen_per_staff"])
            reqs.append(Requirement(r.id, r.severity, r.penalty, f"1 op {per:g}", None,
                                    [required_staff_for_ratio(n, per) for n in enrolled]))
        elif r.kind == "group_staff_count":
            lo, hi = staff_count_bounds(r)
            if lo:
                reqs.append(Requirement(r.id, r.severity, r.penalty, f"minimaal {lo} begeleiders", None,
                                        [int(lo) if n else 0 for n in enrolled]))
            if hi is not None and r.severity == "hard":
                max_staff = int(hi) if max_staff is None else min(max_staff, int(hi))
        elif r.kind == "group_min_education_present":
            level, count = Education(r.params["education"]), int(r.params.get("count", 1))
            reqs.append(Requirement(r.id, r.severity, r.penalty, f"{level.value} aanwezig", level,
                                    [count if n else 0 for n in enrolled]))
    return reqs, max_staff


def _sessions(b: Bundle, pack: RulePack, pools: Pools, start: date, horizon: int) -> list[SessionNeed]:
    out = []
    for s in sorted(b.sessions.values(), key=lambda s: s.id):
        group = b.groups.get(s.group_id)
        if group is None:
            continue
        days = [week_monday(start, w) + timedelta(days=s.weekday) for w in range(horizon)]
        enrolled = [sum(1 for e in b.enrolments if e.group_id == s.group_id and e.active_on(d)) for d in days]
        if not any(enrolled):
            continue
        reqs, max_staff = _requirements(pack, group.product_code, enrolled)
        mins = minutes(datetime.combine(days[0], s.start), datetime.combine(days[0], s.end))
        out.append(SessionNeed(s, group.product_code, mins, enrolled, pools.sessions.get(s.id, frozenset()),
                               reqs, max_staff))
    return out


def _segments(horizon: int, supply: dict[str, list[int]], changes: dict[str, list[tuple[date, float]]],
              start: date) -> tuple[list[tuple[int, int]], dict[int, frozenset[str]]]:
    """Week ranges between lasting staff changes (someone leaves, joins or changes hours), and who
    changes at each boundary.

    Within a segment a running toewijzing keeps one executor and a session one roster; at a
    boundary where one of its candidates changes both may be handed over.  A change lasts when it
    holds for at least four weeks, so a holiday is a dip in supply, not a handover.
    """
    who: dict[int, set[str]] = {}
    for sid, when_list in changes.items():
        for d, _ in when_list:
            who.setdefault(week_of(start, d), set()).add(sid)
    for sid, row in supply.items():
        for w in range(1, horizon - 3):
            if (row[w - 1] > 0) != (row[w] > 0) and all((row[v] > 0) == (row[w] > 0) for v in range(w, w + 4)):
                who.setdefault(w, set()).add(sid)
    edges = sorted({0, horizon} | {c for c in who if 0 < c < horizon})
    return [(a, b) for a, b in zip(edges, edges[1:])], {c: frozenset(v) for c, v in who.items() if 0 < c < horizon}


def build_instance(bundle: Bundle, pack: RulePack, options: CapacityOptions,
                   contract_changes: dict[str, list[tuple[date, float]]] | None = None,
                   priorities: dict[str, int] | None = None, start: date | None = None,
                   optional_staff: frozenset[str] = frozenset()) -> CapacityInstance:
    """Derive demand, supply and group needs for ``options.weeks`` weeks from ``start`` (default: the manifest's)."""
    start = start or bundle.manifest.period_start
    changes, priorities = contract_changes or {}, priorities or {}
    pools = candidate_pools(bundle, pack, keep=optional_staff)
    items = [i for t in sorted(bundle.toewijzingen.values(), key=lambda t: t.id)
             if is_contact_demand(pack, t) and (i := _item(pack, pools, start, t, priorities)) is not None]
    items = [i for i in items if i.running or i.earliest < options.weeks]
    longest = max((i.duration for i in items if not i.running), default=0)
    horizon = options.weeks + longest
    raw = supply_minutes(bundle, start, horizon, changes)
    active: dict[str, set[int]] = {}
    for i in items:  # the 24/7 duty comes from the product, the team from the toewijzing (semantics.oncall)
        team = duty_team(bundle, pack, i.t)
        if team is not None:
            first, end = (i.first, i.end) if i.running else (i.earliest, i.earliest + i.duration)
            active.setdefault(team.id, set()).update(range(first, min(end, horizon)))
    load, uncovered = oncall_load(bundle, pack, start, horizon, raw, active, options.oncall_hours_per_day,
                                   optional_staff)
    supply = {sid: [max(0, s - l) for s, l in zip(raw[sid], load[sid])] for sid in raw}
    sessions = _sessions(bundle, pack, pools, start, horizon)
    segments, changed = _segments(horizon, supply, changes, start)
    return CapacityInstance(bundle, pack, start, options.weeks, horizon, supply, load, uncovered, items, sessions,
                            segments, pools, priorities, changed)
