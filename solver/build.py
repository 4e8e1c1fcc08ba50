"""Build the assignment-stage model: filters, variables, constraint families, objective."""

from __future__ import annotations

from solver.candidates import limit_candidates, limit_session_candidates
from solver.constraints import ADDERS
from solver.constraints.contact_days import filter_unfit_executors, reserve_contact_days
from solver.constraints.integrity import staffed_when_held
from solver.constraints.oncall import fairness_terms
from solver.data import ProblemData, SolveOptions
from solver.hints import add_greedy_hint
from solver.model import PlanModel


def build_model(data: ProblemData, explain: bool = False, options: SolveOptions | None = None) -> PlanModel:
    options = options or SolveOptions()
    pm = PlanModel(data, explain=explain)
    rules = [r for r in data.pack.rules if r.kind in ADDERS]
    filters = [r for r in rules if getattr(ADDERS[r.kind], "candidate_filter", False)]
    for rule in filters:
        ADDERS[rule.kind](pm, rule)
    _pin(pm)
    filter_unfit_executors(pm)
    limit_candidates(pm, options.candidate_limit)
    limit_session_candidates(pm, options.session_candidate_limit)
    pm.create_variables()
    for rule in rules:
        if rule not in filters:
            ADDERS[rule.kind](pm, rule)
    for build in pm.after_variables:
        build(pm)
    staffed_when_held(pm)  # also without the integrity pack: a held session has someone present
    reserve_contact_days(pm)
    _continuity(pm)
    fairness_terms(pm)
    if data.previous is not None:
        _hint_from_previous(pm)
    elif options.greedy_hint:
        add_greedy_hint(pm)
    pm.model.Minimize(sum(pm.objective_terms()))
    return pm


def _pin(pm: PlanModel) -> None:
    """Pinned decisions of the fixed plan narrow the candidate pools to themselves."""
    fixed = pm.data.fixed
    if fixed is None:
        return
    for a in fixed.caseload:
        if a.pinned and a.toewijzing_id in pm.exec_candidates:
            pm.exec_candidates[a.toewijzing_id] &= set(a.executor_ids[:1])
            if a.responsible_id:
                pm.resp_candidates[a.toewijzing_id] &= {a.responsible_id}
    for s in fixed.sessions:
        key = (s.session_id, s.date)
        if s.pinned and key in pm.session_candidates:
            pm.pinned_sessions[key] = set(s.staff_ids) & pm.session_candidates[key]
    for b in fixed.oncall:  # a pinned on-call block keeps its person on every day it covers
        if not b.pinned:
            continue
        for d in range(len(pm.data.days)):
            start, end = pm.day_bounds(d)
            if b.start < end and start < b.end and b.staff_id in pm.oncall_candidates.get((b.team_id, d), ()):
                pm.oncall_candidates[b.team_id, d] = {b.staff_id}


def _continuity(pm: PlanModel) -> None:
    """Keep current executors/responsibles (toewijzing data) and the previous plan's choices."""
    prev = {a.toewijzing_id: a for a in (pm.data.previous.caseload if pm.data.previous else [])}
    for t in pm.data.toewijzingen:
        a = prev.get(t.id)
        current = (a.executor_ids[0] if a and a.executor_ids else None) or t.current_executor_id
        if current and (t.id, current) in pm.x:
            pm.continuity.append(1 - pm.x[t.id, current])
        resp = (a.responsible_id if a else None) or t.current_responsible_id
        if resp and (t.id, resp) in pm.r:
            pm.continuity.append(1 - pm.r[t.id, resp])
    for key, staff in pm.pinned_sessions.items():
        for sid in staff:
            pm.model.Add(pm.y[key, sid] == 1)
    if pm.data.previous:
        prev_sessions = {(s.session_id, s.date): set(s.staff_ids) for s in pm.data.previous.sessions}
        for (key, sid), var in pm.y.items():
            if key in prev_sessions:
                pm.continuity.append(var if sid not in prev_sessions[key] else 1 - var)


def _hint_from_previous(pm: PlanModel) -> None:
    """Hints from the previous plan (a warm start for re-planning)."""
    prev = pm.data.previous
    if prev is None:
        return
    for a in prev.caseload:
        for sid in a.executor_ids[:1]:
            if (a.toewijzing_id, sid) in pm.x:
                pm.model.AddHint(pm.x[a.toewijzing_id, sid], 1)
    for b in prev.oncall:
        d = (b.start.date() - pm.data.period_start).days
        if (b.team_id, d, b.staff_id) in pm.oncall:
            pm.model.AddHint(pm.oncall[b.team_id, d, b.staff_id], 1)



