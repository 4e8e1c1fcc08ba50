"""What a re-plan changes, per medewerker: moved (same thing, other time), added, removed.

The re-plan's proposal is shown with this diff before it is kept or discarded.  An item that goes from
one medewerker to another is *removed* at the first ("naar M2") and *added* at the second ("van M1").
The toewijzing-level summary lines come from :func:`planner.plandiff.plan_changes`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from planner.domain import Bundle
from planner.plan import Plan
from planner.plandiff import plan_changes
from planner.semantics.occurrences import period_days, session_occurrences

DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")


def _when(start: datetime | date | None, end: datetime | None = None) -> str:
    if start is None:
        return "hele periode"
    if isinstance(start, datetime):
        text = f"{DAYS[start.weekday()]} {start:%d-%m %H:%M}"
        if end is not None:
            text += f"-{end:%H:%M}" if end.date() == start.date() else f" – {DAYS[end.weekday()]} {end:%d-%m %H:%M}"
        return text
    return f"{DAYS[start.weekday()]} {start:%d-%m}"


def _items(bundle: Bundle, plan: Plan) -> dict[str, set[tuple[str, str, object]]]:
    """Per medewerker: (what, when as text, sort key) of every decision of the plan that names them."""
    out: dict[str, set] = defaultdict(set)
    for a in plan.caseload:
        for sid in a.executor_ids:
            out[sid].add((f"uitvoerder van {a.toewijzing_id}", _when(None), ""))
        if a.responsible_id:
            out[a.responsible_id].add((f"verantwoordelijk voor {a.toewijzing_id}", _when(None), ""))
    occ = {(o.session.id, o.date): o for o in session_occurrences(bundle, period_days(plan.period_start, plan.weeks))}
    for s in plan.sessions:
        if s.cancelled:
            continue
        o = occ.get((s.session_id, s.date))
        for sid in s.staff_ids:
            start, end = (o.start, o.end) if o else (None, None)
            out[sid].add((f"groepssessie {s.session_id}", _when(start or s.date, end), str(start or s.date)))
    for c in plan.contacts:
        out[c.staff_id].add((f"{c.kind} {c.toewijzing_id}", _when(c.start, c.end), str(c.start)))
    for b in plan.oncall:
        out[b.staff_id].add((f"bereikbaar {b.team_id}", _when(b.start, b.end), str(b.start)))
    for sh in plan.shifts:
        out[sh.staff_id].add((f"dienst {sh.group_id} ({sh.kind})", _when(sh.start, sh.end), str(sh.start)))
    return out


def diff_per_person(bundle: Bundle, before: Plan, after: Plan) -> dict:
    """``people``: per medewerker with a change, ``moved`` / ``added`` / ``removed``; ``totals``; ``lines``."""
    old, new = _items(bundle, before), _items(bundle, after)
    removed_at = {sid: old[sid] - new.get(sid, set()) for sid in old}
    added_at = {sid: new[sid] - old.get(sid, set()) for sid in new}
    # who gets an item another loses (same what, same time): "van" / "naar"
    gained_by = {(w, t): sid for sid, items in added_at.items() for (w, t, _k) in items}
    lost_by = {(w, t): sid for sid, items in removed_at.items() for (w, t, _k) in items}
    people = []
    totals = {"moved": 0, "added": 0, "removed": 0}
    for sid in sorted(set(removed_at) | set(added_at)):
        gone = sorted(removed_at.get(sid, set()), key=lambda x: x[2])
        came = sorted(added_at.get(sid, set()), key=lambda x: x[2])
        moved = []
        for item in list(gone):
            if gained_by.get((item[0], item[1])) not in (None, sid):
                continue  # handed to someone else: removed here, added there
            match = next((x for x in came if x[0] == item[0] and lost_by.get((x[0], x[1])) in (None, sid)), None)
            if match is not None:
                moved.append({"what": item[0], "from": item[1], "to": match[1]})
                gone.remove(item)
                came.remove(match)
        added = [{"what": w, "when": t, "from": lost_by.get((w, t)) if lost_by.get((w, t)) != sid else None}
                 for w, t, _k in came]
        removed = [{"what": w, "when": t, "to": gained_by.get((w, t)) if gained_by.get((w, t)) != sid else None}
                   for w, t, _k in gone]
        if not (moved or added or removed):
            continue
        m = bundle.staff.get(sid)
        people.append({"staff_id": sid, "name": m.name if m else "", "moved": moved, "added": added,
                       "removed": removed})
        totals["moved"] += len(moved)
        totals["added"] += len(added)
        totals["removed"] += len(removed)
    return {"people": people, "totals": totals, "lines": plan_changes(before, after)}
