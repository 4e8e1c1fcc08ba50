"""A first-fit starting solution for the capacity model (a CP-SAT hint).

Running toewijzingen keep their current executor when it fits, otherwise go to
the candidate with the most room; waiting clients, in first-come-first-served
order, start in the first week a candidate has room for the whole trajectory.
The hint only speeds the search up: CP-SAT may change every part of it.
"""

from __future__ import annotations

from solver.capacity.model import CapacityModel, order_key


def _room(free: dict[str, list[int]], sid: str, first: int, end: int) -> int:
    row = free.get(sid)
    return min(row[first:end], default=0) if row is not None else -1


def _take(free: dict[str, list[int]], sid: str, first: int, end: int, minutes: int) -> None:
    for w in range(first, end):
        free[sid][w] -= minutes


def add_hint(cm: CapacityModel) -> None:
    inst, m = cm.inst, cm.model
    free = {sid: list(row) for sid, row in inst.supply.items()}
    for (i, k), u in sorted(cm.u.items()):
        item, (a, b) = inst.items[i], inst.segments[k]
        first, end = max(a, item.first), min(b, item.end, inst.horizon)
        cands = [sid for (j, sid, kk) in cm.x if j == i and kk == k]
        current = item.t.current_executor_id
        order = ([current] if current in cands else []) + sorted(cands, key=lambda s: -_room(free, s, first, end))
        chosen = next((sid for sid in order if _room(free, sid, first, end) >= item.minutes), None)
        for sid in cands:
            m.AddHint(cm.x[i, sid, k], sid == chosen)
        m.AddHint(u, chosen is None)
        if chosen:
            _take(free, chosen, first, end, item.minutes)
    waiting = sorted(cm.start, key=lambda i: order_key(inst.items[i]))
    for i in waiting:
        item = inst.items[i]
        cands = [sid for (j, sid) in cm.w if j == i]
        choice = None
        for s in range(item.earliest, inst.weeks):
            end = min(s + item.duration, inst.horizon)
            fits = [sid for sid in cands if _room(free, sid, s, end) >= item.minutes]
            if fits:
                choice = (s, max(fits, key=lambda sid: _room(free, sid, s, end)))
                break
        m.AddHint(cm.start[i], choice[0] if choice else inst.weeks)
        for sid in cands:
            m.AddHint(cm.w[i, sid], choice is not None and sid == choice[1])
        if choice:
            _take(free, choice[1], choice[0], min(choice[0] + item.duration, inst.horizon), item.minutes)
