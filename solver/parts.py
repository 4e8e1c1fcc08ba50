"""A part of a decomposed problem as a bundle of its own, and the merge of the parts' results.

A part's sub-bundle holds the staff it owns and the gezinnen, groups and teams it decides, with the data
those refer to (jeugdigen, absences, wishes, realisatie), so ``solve`` runs today's models on it
unchanged.  The previous plan is cut the same way, so hints, continuity, pins and history stay.
"""

from __future__ import annotations

from dataclasses import replace

from planner.domain import Bundle
from planner.plan import Plan
from solver.decompose import Part
from solver.result import SolveResult

STATUS_ORDER = ("OPTIMAL", "FEASIBLE", "UNKNOWN", "INFEASIBLE", "MODEL_INVALID")


def sub_bundle(b: Bundle, part: Part) -> Bundle:
    """The bundle of one part (see the module docstring)."""
    groups = {g: b.groups[g] for g in sorted(part.groups)}
    enrolments = [e for e in b.enrolments if e.group_id in groups]
    jeugdigen = {j.id: j for j in b.jeugdigen.values() if j.gezin_id in part.gezinnen}
    for e in enrolments:  # a group's jeugdigen are data of the group too (occupancy, group size)
        jeugdigen.setdefault(e.jeugdige_id, b.jeugdigen[e.jeugdige_id])
    gezinnen = {g: b.gezinnen[g] for g in sorted({j.gezin_id for j in jeugdigen.values()})}
    toewijzingen = {t.id: t for t in b.toewijzingen.values() if b.jeugdigen[t.jeugdige_id].gezin_id in part.gezinnen}
    staff = {sid: m for sid, m in b.staff.items() if sid in part.staff}
    return Bundle(
        manifest=b.manifest, staff=staff, gezinnen=gezinnen, jeugdigen=jeugdigen, toewijzingen=toewijzingen,
        groups=groups, sessions={s.id: s for s in b.sessions.values() if s.group_id in groups},
        enrolments=enrolments, teams={t: b.teams[t] for t in b.teams if t in part.teams},
        absences=[a for a in b.absences if a.staff_id in staff],
        wishes=[w for w in b.wishes if w.staff_id in staff],
        realisatie=[r for r in b.realisatie if r.toewijzing_id in toewijzingen])


def sub_plan(plan: Plan | None, b: Bundle) -> Plan | None:
    """The previous plan's decisions about the part's entities (its staff and units only)."""
    if plan is None:
        return None
    staff, tw, groups = set(b.staff), set(b.toewijzingen), set(b.groups)
    sessions = {s for s in b.sessions}
    return replace(
        plan,
        caseload=[replace(a, executor_ids=tuple(s for s in a.executor_ids if s in staff),
                          responsible_id=a.responsible_id if a.responsible_id in staff else None)
                  for a in plan.caseload if a.toewijzing_id in tw],
        unserved=[u for u in plan.unserved if u.toewijzing_id in tw],
        casusregie=[c for c in plan.casusregie if c.gezin_id in b.gezinnen and c.staff_id in staff],
        sessions=[replace(s, staff_ids=tuple(x for x in s.staff_ids if x in staff))
                  for s in plan.sessions if s.session_id in sessions],
        oncall=[o for o in plan.oncall if o.team_id in b.teams and o.staff_id in staff],
        contacts=[c for c in plan.contacts if c.toewijzing_id in tw and c.staff_id in staff],
        shifts=[s for s in plan.shifts if s.group_id in groups and s.staff_id in staff],
        history_oncall=[o for o in plan.history_oncall if o.staff_id in staff],
        history_shifts=[s for s in plan.history_shifts if s.staff_id in staff],
        meta=dict(plan.meta))


def merge_plans(plans: list[Plan]) -> Plan:
    """One plan from the parts' plans: every part decides disjoint entities, so the lists just add up."""
    first = plans[0]
    out = Plan(first.period_start, first.weeks)
    for p in plans:
        for name in ("caseload", "unserved", "casusregie", "sessions", "oncall", "contacts", "shifts",
                     "history_oncall", "history_shifts"):
            getattr(out, name).extend(getattr(p, name))
    cancelled = [r for p in plans for r in p.meta.get("cancelled_reasons", [])]
    if cancelled:
        out.meta["cancelled_reasons"] = cancelled
    return out


def merge_results(results: list[SolveResult], seconds: float) -> SolveResult:
    """The whole week's result: objectives and bounds add up (the parts share no variable), the status is
    the weakest part's, the explanation lists every part's lines."""
    worst = max((r.status for r in results), key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else 9)
    ok = all(r.plan is not None for r in results)
    out = SolveResult(plan=merge_plans([r.plan for r in results]) if ok else None, status=worst, seconds=seconds)
    if ok:
        out.objective = sum(r.objective or 0 for r in results)
        out.bound = sum(r.bound or 0 for r in results)
    for i, r in enumerate(results, 1):
        prefix = f"deel {i}/{len(results)}: " if len(results) > 1 and not ok else ""
        out.explanation += [prefix + line for line in r.explanation]
        out.progress += r.progress
        for rid, p in r.penalties.items():
            out.penalties[rid] = out.penalties.get(rid, 0) + p
        for name, stage in r.stages.items():
            out.stages[f"{name} deel {i}"] = stage
    out.stages.update(_summed_stages(results))
    return out


def _summed_stages(results: list[SolveResult]) -> dict[str, dict]:
    """Per stage the sum over the parts (the CLI and the bench read ``toewijzing`` and ``contacten``)."""
    out: dict[str, dict] = {}
    for name in ("toewijzing", "contacten"):
        rows = [r.stages[name] for r in results if name in r.stages]
        if not rows:
            continue
        merged: dict = {"parts": len(rows)}
        for key in ("objective", "bound", "variables", "people", "contacts", "second_pass", "second_pass_improved"):
            vals = [row.get(key) for row in rows if isinstance(row.get(key), (int, float))]
            if vals:
                merged[key] = sum(vals)
        merged["seconds"] = round(max(row.get("seconds", 0) or 0 for row in rows), 3)
        statuses = [row.get("status") for row in rows if row.get("status")]
        if statuses:
            merged["status"] = max(statuses, key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else 9)
        out[name] = merged
    return out
