"""What changed between two plans of the same period, in Dutch, for a re-plan report."""

from __future__ import annotations

from datetime import timedelta

from planner.plan import Plan


def _oncall_days(plan: Plan) -> dict[tuple[str, object], str]:
    days = {}
    for b in plan.oncall:
        t = b.start
        while t < b.end:
            days[b.team_id, t.date()] = b.staff_id
            t += timedelta(days=1)
    return days


def plan_changes(old: Plan, new: Plan) -> list[str]:
    out = []
    before = {a.toewijzing_id: a for a in old.caseload}
    for a in new.caseload:
        b = before.get(a.toewijzing_id)
        if b is None:
            out.append(f"Toewijzing {a.toewijzing_id}: nieuw ingepland bij {', '.join(a.executor_ids)}.")
            continue
        if b.executor_ids != a.executor_ids:
            out.append(f"Toewijzing {a.toewijzing_id}: uitvoerder {', '.join(b.executor_ids)} -> {', '.join(a.executor_ids)}.")
        if b.responsible_id != a.responsible_id:
            out.append(f"Toewijzing {a.toewijzing_id}: verantwoordelijke {b.responsible_id} -> {a.responsible_id}.")
    for u in new.unserved:
        if u.toewijzing_id in before:
            out.append(f"Toewijzing {u.toewijzing_id}: niet meer bemenst ({u.reason}).")
    old_sessions = {(s.session_id, s.date): s for s in old.sessions}
    for s in new.sessions:
        o = old_sessions.get((s.session_id, s.date))
        if o and (set(o.staff_ids) != set(s.staff_ids) or o.cancelled != s.cancelled):
            what = "vervalt" if s.cancelled else f"{', '.join(o.staff_ids) or '-'} -> {', '.join(s.staff_ids) or '-'}"
            out.append(f"Sessie {s.session_id} {s.date.isoformat()}: {what}.")
    old_days, new_days = _oncall_days(old), _oncall_days(new)
    for key in sorted(set(old_days) | set(new_days), key=lambda k: (k[0], k[1])):
        if old_days.get(key) != new_days.get(key):
            out.append(f"Bereikbaarheid {key[0]} {key[1].isoformat()}: {old_days.get(key, '-')} -> {new_days.get(key, '-')}.")
    moved = {(c.toewijzing_id, c.staff_id, c.start) for c in old.contacts} ^ {(c.toewijzing_id, c.staff_id, c.start) for c in new.contacts}
    if moved:
        out.append(f"{len(moved)} contactmoment(en) verplaatst, toegevoegd of vervallen.")
    return out
