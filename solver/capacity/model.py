"""The capacity model in CP-SAT: weeks as time, medewerkers as cumulative resources.

Each demand is an interval in weeks that needs minutes per week from one
medewerker:
- a running toewijzing, per segment, is a fixed interval on exactly one of its
  candidates (or unserved: unmet demand);
- a waiting toewijzing is one interval of its trajectory's length whose start
  week the model chooses (not started within the horizon is allowed and costs
  every week of waiting); once started it keeps its executor to the end;
- a group session, per segment, has a roster: optional fixed intervals for the
  weeks the rostered person is there.
A medewerker's weekly supply is a cumulative capacity (lower weeks are filled
with fixed blocker intervals).  Why CP-SAT and not an LP: see docs/capacity.md.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.domain import Education
from planner.roles import is_registered_professional
from planner.semantics.eligibility import holds_registration
from solver.capacity.instance import CapacityInstance, DemandItem, SessionNeed

W_UNMET_MINUTE = 100  # per minute of care not given (running unserved, or waiting)
W_CONTINUITY = 20  # per executor change (against the current executor or between segments)
W_STAFF_HOUR = 1  # per rostered staff-hour in groups: keep capacity free
W_OTHER_DISCIPLINE = 10  # per new client given to a discipline that serves none of the product's clients today


@dataclass
class CapacityModel:
    inst: CapacityInstance
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[tuple[int, str, int], cp_model.IntVar] = field(default_factory=dict)  # running: (item, staff, seg)
    u: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)  # running unserved: (item, seg)
    start: dict[int, cp_model.IntVar] = field(default_factory=dict)  # waiting: start week (weeks = not started)
    w: dict[tuple[int, str], cp_model.IntVar] = field(default_factory=dict)  # waiting executor
    y: dict[tuple[str, str, int], cp_model.IntVar] = field(default_factory=dict)  # roster: (session, staff, seg)
    short: dict[tuple[str, int, str], cp_model.IntVar] = field(default_factory=dict)  # (session, week, rule)
    intervals: dict[str, list[tuple[cp_model.IntervalVar, int]]] = field(default_factory=lambda: defaultdict(list))
    cases: dict[str, list[cp_model.IntervalVar]] = field(default_factory=lambda: defaultdict(list))
    terms: list = field(default_factory=list)  # objective
    running_unmet: list = field(default_factory=list)  # the part of the objective that is running care not given
    care: list = field(default_factory=list)  # unmet care minutes in the reported weeks, as result.py reports them
    hire: dict[str, cp_model.IntVar] = field(default_factory=dict)  # optional staff (hiring) -> hired literal
    span: dict[tuple, tuple[int, int]] = field(default_factory=dict)  # (item, k) or (session, k) -> [first, end)

    @property
    def capacity(self) -> dict[str, int]:
        if not hasattr(self, "_cap"):
            self._cap = {sid: max(row, default=0) for sid, row in self.inst.supply.items()}
        return self._cap

    def usable(self, sid: str, first: int, end: int, need: int) -> bool:
        """``sid`` has ``need`` minutes in every week of [first, end)."""
        row = self.inst.supply.get(sid)
        return row is not None and all(row[v] >= need for v in range(first, min(end, len(row))))

    def staff_literal(self, sid: str, var) -> None:
        """An optional (hiring) medewerker serves only when hired."""
        if sid in self.hire:
            self.model.AddImplication(var, self.hire[sid])


def _responsible_active(inst: CapacityInstance, item: DemandItem, first: int, end: int) -> bool:
    if item.responsibles is None:
        return True
    return any(max(inst.supply.get(sid, [0])[first:end] or [0]) > 0 for sid in item.responsibles)


def add_running(cm: CapacityModel, i: int, item: DemandItem) -> None:
    inst, m = cm.inst, cm.model
    previous = None
    for k, a, b in inst.spans(item.candidates):
        first, end = max(a, item.first), min(b, item.end, inst.horizon)
        if first >= end:
            continue
        u = m.NewBoolVar(f"unserved[{item.t.id},{k}]")
        cm.u[i, k] = u
        cm.span[i, k] = (a, b)
        cands = [s for s in sorted(item.candidates) if cm.usable(s, first, end, item.minutes)] \
            if _responsible_active(inst, item, first, end) else []
        lits = []
        for sid in cands:
            v = m.NewBoolVar(f"x[{item.t.id},{sid},{k}]")
            cm.x[i, sid, k] = v
            cm.staff_literal(sid, v)
            iv = m.NewOptionalFixedSizeIntervalVar(first, end - first, v, f"iv[{item.t.id},{sid},{k}]")
            cm.intervals[sid].append((iv, item.minutes))
            cm.cases[sid].append(iv)
            lits.append(v)
        m.AddExactlyOne([*lits, u])
        cm.terms.append(W_UNMET_MINUTE * max(item.minutes, 60) * (end - first) * u)
        cm.running_unmet.append(max(item.minutes, 60) * (end - first) * u)
        if item.care and first < inst.weeks:
            cm.care.append(item.care * (min(end, inst.weeks) - first) * u)
        current = item.t.current_executor_id
        if k == 0 and current and (i, current, 0) in cm.x:
            cm.terms.append(W_CONTINUITY * (1 - cm.x[i, current, 0]))
        if previous is not None:
            for sid in cands:
                if (i, sid, previous) in cm.x:  # a handover between segments costs a little
                    change = m.NewBoolVar(f"handover[{item.t.id},{sid},{k}]")
                    m.Add(change >= cm.x[i, sid, previous] - cm.x[i, sid, k])
                    cm.terms.append(W_CONTINUITY * change)
        previous = k


def add_waiting(cm: CapacityModel, i: int, item: DemandItem) -> None:
    inst, m = cm.inst, cm.model
    weeks = inst.weeks
    allowed = [s for s in range(item.earliest, weeks) if _responsible_active(inst, item, s, s + 1)]
    s = m.NewIntVarFromDomain(cp_model.Domain.FromValues([*allowed, weeks]), f"start[{item.t.id}]")
    cm.start[i] = s
    lits = []
    for sid in sorted(item.candidates):
        if max(inst.supply.get(sid, [0])[item.earliest:] or [0]) < item.minutes:
            continue
        v = m.NewBoolVar(f"w[{item.t.id},{sid}]")
        cm.w[i, sid] = v
        cm.staff_literal(sid, v)
        iv = m.NewOptionalFixedSizeIntervalVar(s, item.duration, v, f"iv[{item.t.id},{sid}]")
        cm.intervals[sid].append((iv, item.minutes))
        cm.cases[sid].append(iv)
        lits.append(v)
    started = m.NewBoolVar(f"started[{item.t.id}]")
    m.Add(sum(lits) == started)
    m.Add(s <= weeks - 1).OnlyEnforceIf(started)
    m.Add(s == weeks).OnlyEnforceIf(started.Not())
    cm.terms.append(W_UNMET_MINUTE * max(item.minutes, 60) * (s - item.earliest))
    if item.care:  # s <= weeks: the weeks waited within the horizon
        cm.care.append(item.care * (s - item.earliest))


def add_fcfs(cm: CapacityModel) -> None:
    """First come, first served within a product queue: an earlier (or prioritised) client starts no later.

    A client whose allocation only starts later does not hold back the ones behind it
    before that date.
    """
    queues: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, item in enumerate(cm.inst.items):
        if i in cm.start:
            queues[item.queue].append(i)
    for members in queues.values():
        members.sort(key=lambda i: order_key(cm.inst.items[i]))
        for a, b in zip(members, members[1:]):
            ea, sa, sb = cm.inst.items[a].earliest, cm.start[a], cm.start[b]
            if ea <= cm.inst.items[b].earliest:
                cm.model.Add(sa <= sb)
            else:
                after = cm.model.NewBoolVar(f"after[{a},{b}]")
                cm.model.Add(sb >= ea).OnlyEnforceIf(after)
                cm.model.Add(sb < ea).OnlyEnforceIf(after.Not())
                cm.model.Add(sa <= sb).OnlyEnforceIf(after)


def order_key(item: DemandItem) -> tuple:
    """Priority first (1 before 2, set before unset), then referral week and date, then id."""
    ref = item.t.referral_date or item.t.start
    return (item.priority if item.priority is not None else 1_000_000, ref, item.t.id)


def add_session(cm: CapacityModel, need: SessionNeed) -> None:
    inst, m = cm.inst, cm.model
    staff = inst.bundle.staff
    sid_s = need.session.id
    for k, a, b in inst.spans(need.candidates):
        weeks = [w for w in range(a, b) if need.enrolled[w]]
        if not weeks:
            continue
        cm.span[sid_s, k] = (a, b)
        roster = {}
        for sid in sorted(need.candidates):
            if cm.capacity.get(sid, 0) < need.minutes:
                continue
            v = m.NewBoolVar(f"y[{sid_s},{sid},{k}]")
            roster[sid] = cm.y[sid_s, sid, k] = v
            cm.staff_literal(sid, v)
            present = [w for w in weeks if not inst.absent_at(sid, need.session, w)]
            for first, length in runs(present):
                iv = m.NewOptionalFixedSizeIntervalVar(first, length, v, f"g[{sid_s},{sid},{first}]")
                cm.intervals[sid].append((iv, need.minutes))
            cm.terms.append(W_STAFF_HOUR * max(1, need.minutes // 60) * len(weeks) * v)
        if need.max_staff is not None:
            m.Add(sum(roster.values()) <= need.max_staff)
        _roster_rules(cm, need, roster)
        for w in weeks:
            if w >= inst.weeks:
                continue
            here = {sid: v for sid, v in roster.items() if not inst.absent_at(sid, need.session, w)}
            for r in need.requirements:
                c = r.counts[w]
                if c <= 0:
                    continue
                ok = [v for sid, v in here.items() if r.min_education is None or staff[sid].education >= r.min_education]
                short = m.NewIntVar(0, c, f"short[{sid_s},{w},{r.rule_id}]")
                m.Add(short >= c - sum(ok))
                cm.short[sid_s, w, r.rule_id] = short
                weight = (W_UNMET_MINUTE * need.minutes * max(need.enrolled[w], 1) if r.severity == "hard"
                          else max(r.penalty, 1))
                cm.terms.append(weight * short)
                if r.severity == "hard":  # a session below a hard staffing rule: staff hours short
                    cm.care.append(need.minutes * short)


def runs(weeks: list[int]) -> list[tuple[int, int]]:
    """Sorted week numbers as (first, length) runs of consecutive weeks."""
    out: list[tuple[int, int]] = []
    for w in weeks:
        if out and out[-1][0] + out[-1][1] == w:
            out[-1] = (out[-1][0], out[-1][1] + 1)
        else:
            out.append((w, 1))
    return out


def _roster_rules(cm: CapacityModel, need: SessionNeed, roster: dict) -> None:
    """Hard presence rules that pair people (mbo under regie, mbo3 with mbo4, supervision span) on the roster."""
    staff, m = cm.inst.bundle.staff, cm.model
    for r in cm.inst.pack.rules:
        if not r.applies_to(need.product) or r.severity != "hard":
            continue
        if r.kind == "group_mbo4_under_registered" and (
                not r.interpretations.get("onder_regie") or r.interpretation("onder_regie") == "aanwezig"):
            regs = r.params.get("registrations", ["SKJ"])
            reg = [v for sid, v in roster.items()
                   if is_registered_professional(staff[sid]) and holds_registration(staff[sid], regs)]
            for sid, v in roster.items():
                if staff[sid].education < Education.HBO:
                    m.Add(sum(reg) >= 1).OnlyEnforceIf(v)
        elif r.kind == "group_mbo3_needs_mbo4":
            seniors = [v for sid, v in roster.items() if staff[sid].education >= Education.MBO4]
            for sid, v in roster.items():
                if staff[sid].education == Education.MBO3:
                    m.Add(sum(seniors) >= 1).OnlyEnforceIf(v)
        elif r.kind == "supervision_span":
            reg = [v for sid, v in roster.items() if is_registered_professional(staff[sid])]
            unreg = [v for sid, v in roster.items() if not is_registered_professional(staff[sid])]
            if unreg:
                m.Add(sum(unreg) <= int(r.params["max_unregistered"]) * sum(reg))


def add_resources(cm: CapacityModel) -> None:
    """Per medewerker: weekly minutes within supply (cumulative), caseload within the maximum."""
    inst, m = cm.inst, cm.model
    caseload_rule = any(r.severity == "hard" for r in inst.pack.rules_of("caseload_max"))
    for sid, uses in cm.intervals.items():
        cap, row = cm.capacity[sid], inst.supply[sid]
        blocks, w = [], 0
        while w < len(row):  # weeks below the top supply are filled by fixed blockers
            v = w
            while v + 1 < len(row) and row[v + 1] == row[w]:
                v += 1
            if row[w] < cap:
                blocks.append((m.NewIntervalVar(w, v + 1 - w, v + 1, f"block[{sid},{w}]"), cap - row[w]))
            w = v + 1
        every = [*uses, *blocks]
        m.AddCumulative([iv for iv, _ in every], [d for _, d in every], cap)
        limit = inst.bundle.staff[sid].caseload_max
        if caseload_rule and limit is not None and len(cm.cases[sid]) > limit:
            m.AddCumulative(cm.cases[sid], [1] * len(cm.cases[sid]), limit)


def discipline_mix(inst: CapacityInstance) -> dict[tuple[str, str], dict[str, float]]:
    """Per queue (product, intervention): the share of each discipline (beroep) among its running clients'
    current executors, the mix new clients keep (:mod:`solver.capacity.hint`, issue 23)."""
    staff = inst.bundle.staff
    now: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in inst.items:
        sid = item.t.current_executor_id
        if item.running and sid in staff:
            now[item.queue][staff[sid].profession] += 1
    return {q: {p: n / sum(c.values()) for p, n in c.items()} for q, c in now.items()}


def add_mix(cm: CapacityModel) -> None:
    """A new client given to a discipline that serves none of the product's running clients costs a little
    (``W_OTHER_DISCIPLINE``, far below a week of care), so the disciplines' load keeps today's mix where
    care allows (issue 23); the proportions among the disciplines that do serve it come from the hint."""
    mix, staff = discipline_mix(cm.inst), cm.inst.bundle.staff
    for (i, sid), v in cm.w.items():
        share = mix.get(cm.inst.items[i].queue)
        if share and staff[sid].profession not in share:
            cm.terms.append(W_OTHER_DISCIPLINE * v)


def build_capacity_model(inst: CapacityInstance, hires: dict[str, cp_model.IntVar] | None = None,
                         model: cp_model.CpModel | None = None) -> CapacityModel:
    cm = CapacityModel(inst, model=model or cp_model.CpModel(), hire=hires or {})
    for i, item in enumerate(inst.items):
        (add_running if item.running else add_waiting)(cm, i, item)
    add_fcfs(cm)
    add_mix(cm)
    for need in inst.sessions:
        add_session(cm, need)
    add_resources(cm)
    return cm
