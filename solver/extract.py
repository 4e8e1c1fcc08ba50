"""Read a solved assignment-stage model back into a Plan."""

from __future__ import annotations

from datetime import timedelta

from planner.plan import CaseAssignment, Casusregie, OnCallBlock, Plan, SessionStaffing, Unserved
from solver.explain import cancelled_reason, unserved_reason
from solver.model import PlanModel


def extract_plan(pm: PlanModel, value) -> Plan:
    """``value(var)`` gives a variable's value in the solution."""
    data = pm.data
    plan = Plan(period_start=data.period_start, weeks=data.weeks)
    pinned = {a.toewijzing_id for a in (data.fixed.caseload if data.fixed else []) if a.pinned}
    responsible = {tid: sid for (tid, sid), v in pm.r.items() if value(v)}
    for t in data.toewijzingen:
        if value(pm.unassigned[t.id]):
            plan.unserved.append(Unserved(t.id, unserved_reason(pm, t)))
            continue
        execs = tuple(sid for sid, v in sorted(pm.exec_vars(t.id).items()) if value(v))
        plan.caseload.append(CaseAssignment(t.id, execs, responsible.get(t.id), pinned=t.id in pinned))
    for gezin, choice in sorted(pm.casusregie.items()):
        for sid, v in sorted(choice.items()):
            if value(v):
                plan.casusregie.append(Casusregie(gezin, sid))
    for o in data.occurrences:
        k = pm.occ_key(o)
        held = bool(value(pm.held[k]))
        staff = tuple(sid for sid, v in sorted(pm.present(o).items()) if value(v)) if held else ()
        cancelled = not held and data.enrolled(o) > 0
        plan.sessions.append(SessionStaffing(o.session.id, o.date, staff, pinned=k in pm.pinned_sessions,
                                             cancelled=cancelled))
        if cancelled:
            plan.meta.setdefault("cancelled_reasons", []).append(cancelled_reason(pm, o))
    for (team, d, sid), v in sorted(pm.oncall.items()):
        if value(v):
            start = data.start_dt + timedelta(days=d)
            plan.oncall.append(OnCallBlock(team, sid, start, start + timedelta(days=1)))
    plan.oncall = _merge_blocks(plan.oncall)
    if data.previous is not None:
        plan.history_oncall = [b for b in [*data.previous.history_oncall, *data.previous.oncall]
                               if b.end <= data.start_dt and b.end > data.start_dt - timedelta(days=28)]
        # residential shifts of the 28 days before the period: the next roster's history (rest, runs)
        plan.history_shifts = data.kept_history_shifts
    return plan


def _merge_blocks(blocks: list[OnCallBlock]) -> list[OnCallBlock]:
    """Consecutive days of one person for one team become one block."""
    out: list[OnCallBlock] = []
    for b in sorted(blocks, key=lambda b: (b.team_id, b.start)):
        last = out[-1] if out else None
        if last and last.team_id == b.team_id and last.staff_id == b.staff_id and last.end == b.start:
            out[-1] = OnCallBlock(b.team_id, b.staff_id, last.start, b.end)
        else:
            out.append(b)
    return out
