"""A greedy first plan as a CP-SAT hint, so large instances start from a good feasible point.

Toewijzingen with the fewest candidates go first, each to the candidate with
the most free weekly minutes; sessions get the staff their count and
education rules ask for; on-call days go round the pool.  CP-SAT repairs
whatever the greedy plan gets wrong.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from planner.domain import Education
from planner.roles import is_registered_professional
from planner.semantics.staffing import required_staff_for_ratio, staff_count_bounds
from planner.timeutil import minutes, overlaps
from solver.constraints.working_time import available_minutes, toewijzing_week_minutes
from solver.model import PlanModel


def _session_need(pm: PlanModel, o) -> tuple[int, Education | None]:
    """Staff to put in a session and the education one of them needs, from the pack's count rules."""
    product, n = pm.data.group_product(o), pm.data.enrolled(o)
    need, level = 0, None
    for r in pm.data.pack.rules:
        if not r.applies_to(product):
            continue
        if r.kind == "staff_ratio":
            need = max(need, required_staff_for_ratio(n, float(r.params["jeugdigen_per_staff"])))
        elif r.kind == "group_staff_count":
            lo, hi = staff_count_bounds(r)
            need = max(need, lo or 0)
            if hi is not None:
                need = min(need, hi)
        elif r.kind == "group_min_education_present":
            level = max(level, Education(r.params["education"])) if level else Education(r.params["education"])
    return (need if n else 0), level


def add_greedy_hint(pm: PlanModel) -> None:
    data = pm.data
    free: dict[tuple[str, int], int] = {}
    for m in data.staff:
        for w in range(data.weeks):
            free[m.id, w] = min(available_minutes(pm, m.id, w), int(m.contract_hours * 60))
    # sessions first: they are fixed in time and few
    taken: dict[str, list] = defaultdict(list)  # staff -> (start, end) already hinted
    seniors = {m.id for m in data.staff if m.education >= Education.HBO and is_registered_professional(m)}
    for o in data.occurrences:
        k, w = pm.occ_key(o), (o.date - data.period_start).days // 7
        need, level = _session_need(pm, o)
        staff = data.bundle.staff
        # registered hbo+ staff first: they satisfy the education, registration and supervision rules at once
        pool = sorted((s for s in pm.present(o) if s in seniors
                       and not any(overlaps(a, b, o.start, o.end) for a, b in taken[s])),
                      key=lambda s: (-(level is not None and staff[s].education >= level), -free[s, w], s))
        chosen = pool[:need] if len(pool) >= need else []
        pm.model.AddHint(pm.held[k], 1 if chosen or not need else 0)
        for sid in pm.present(o):
            pm.model.AddHint(pm.y[k, sid], int(sid in chosen))
        for sid in chosen:
            free[sid, w] -= minutes(o.start, o.end)
            taken[sid].append((o.start, o.end))
    resp_load: Counter = Counter()
    resp_of: dict[str, list[str]] = defaultdict(list)
    for tid, sid in pm.r:
        resp_of[tid].append(sid)
    for t in sorted(data.toewijzingen, key=lambda t: len(pm.exec_vars(t.id))):
        demand = [toewijzing_week_minutes(pm, t, w) for w in range(data.weeks)]
        fits = [s for s in pm.exec_vars(t.id) if all(free[s, w] >= demand[w] for w in range(data.weeks))]
        best = max(fits, key=lambda s: (sum(free[s, w] for w in range(data.weeks)), s), default=None)
        if t.id in pm.resp_needed and not resp_of[t.id]:
            best = None  # no responsible possible: the toewijzing stays unserved
        pm.model.AddHint(pm.unassigned[t.id], int(best is None))
        for sid, var in pm.exec_vars(t.id).items():
            pm.model.AddHint(var, int(sid == best))
        if best is None:
            continue
        for w in range(data.weeks):
            free[best, w] -= demand[w]
        resp = resp_of[t.id]
        if resp:
            pick = best if best in resp else min(resp, key=lambda s: (resp_load[s], s))
            resp_load[pick] += 1
            for s in resp:
                pm.model.AddHint(pm.r[t.id, s], int(s == pick))
    days_on: Counter = Counter()
    by_day = defaultdict(list)
    for (team, d, sid) in pm.oncall:
        by_day[team, d].append(sid)
    busy_day = set()
    for (team, d), pool in sorted(by_day.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        options = [s for s in pool if (d, s) not in busy_day and days_on[s] < 7]
        pick = min(options, key=lambda s: (days_on[s], s), default=None)
        for s in pool:
            pm.model.AddHint(pm.oncall[team, d, s], int(s == pick))
        if pick:
            days_on[pick] += 1
            busy_day.add((d, pick))
