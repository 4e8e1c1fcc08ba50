"""A first-fit starting solution for the capacity model (a CP-SAT hint).

Running toewijzingen keep their current executor when it fits, otherwise go to
the candidate with the most room; waiting clients, in first-come-first-served
order, start in the first week a candidate has room for the whole trajectory,
with a colleague of the discipline furthest below its share (``discipline_mix``:
today's running clients of the product) of the product's clients in care *that
week*, so a new client replaces one who finished and every week keeps today's
mix where care allows: the objective is indifferent among those disciplines, so
the hint decides (issue 23).  Balancing only the count of new clients per
discipline let a discipline whose own clients finish late (vaktherapeut on
45F31) take its share of new ones from week 1 and pile up.
The hint only speeds the search up: CP-SAT may change every part of it.
"""

from __future__ import annotations

from collections import defaultdict

from solver.capacity.model import CapacityModel, discipline_mix, order_key


def _room(free: dict[str, list[int]], sid: str, first: int, end: int) -> int:
    row = free.get(sid)
    return min(row[first:end], default=0) if row is not None else -1


def _take(free: dict[str, list[int]], sid: str, first: int, end: int, minutes: int) -> None:
    for w in range(first, end):
        free[sid][w] -= minutes


def add_hint(cm: CapacityModel) -> None:
    inst, m = cm.inst, cm.model
    free = {sid: list(row) for sid, row in inst.supply.items()}
    served: dict[tuple[int, int], str] = {}  # running (item, segment) -> the hint's executor
    add_roster_hint(cm, free)  # groups first: sessions are fixed in time, clients can move to colleagues
    for (i, k), u in sorted(cm.u.items()):
        item, (a, b) = inst.items[i], cm.span[i, k]
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
            served[i, k] = chosen
    mix, staff = discipline_mix(inst), inst.bundle.staff
    # per queue and discipline: its clients in care per week as the hint has them (running, then each start)
    care: dict[tuple, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0] * inst.weeks))
    for (i, k), sid in served.items():
        item, (a, b) = inst.items[i], cm.span[i, k]
        row = care[item.queue][staff[sid].profession]
        for w in range(max(a, item.first), min(b, item.end, inst.weeks)):
            row[w] += 1
    waiting = sorted(cm.start, key=lambda i: order_key(inst.items[i]))
    for i in waiting:
        item = inst.items[i]
        cands = [sid for (j, sid) in cm.w if j == i]
        share, now = mix.get(item.queue, {}), care[item.queue]
        choice = None
        for s in range(item.earliest, inst.weeks):
            end = min(s + item.duration, inst.horizon)
            fits = [sid for sid in cands if _room(free, sid, s, end) >= item.minutes]
            if fits:  # the discipline furthest below its share of the product's clients in care that week
                n = sum(row[s] for row in now.values()) + 1
                choice = (s, max(fits, key=lambda sid: (share.get(staff[sid].profession, 0) * n
                                                        - now[staff[sid].profession][s], _room(free, sid, s, end))))
                row = now[staff[choice[1]].profession]
                for w in range(s, min(end, inst.weeks)):
                    row[w] += 1
                break
        m.AddHint(cm.start[i], choice[0] if choice else inst.weeks)
        for sid in cands:
            m.AddHint(cm.w[i, sid], choice is not None and sid == choice[1])
        if choice:
            _take(free, choice[1], choice[0], min(choice[0] + item.duration, inst.horizon), item.minutes)


def add_roster_hint(cm: CapacityModel, free: dict[str, list[int]]) -> None:
    """Per session and segment: people who meet an education requirement first, then anyone, up to the need."""
    inst, staff = cm.inst, cm.inst.bundle.staff
    for need in inst.sessions:
        for (s_id, k), (a, b) in cm.span.items():
            if s_id != need.session.id:
                continue
            pool = [sid for (s, sid, kk) in cm.y if s == need.session.id and kk == k]
            weeks = [w for w in range(a, b) if need.enrolled[w]]
            if not pool or not weeks:
                continue
            want = max((max(r.counts[w] for w in weeks) for r in need.requirements), default=0)
            if need.max_staff is not None:
                want = min(want, need.max_staff)
            levels = [r.min_education for r in need.requirements if r.min_education is not None]
            fits = [sid for sid in pool if min(free[sid][w] for w in weeks) >= need.minutes]
            fits.sort(key=lambda sid: (not any(staff[sid].education >= lv for lv in levels),
                                       -min(free[sid][w] for w in weeks)))
            chosen = set(fits[:want])
            for sid in pool:
                cm.model.AddHint(cm.y[need.session.id, sid, k], sid in chosen)
            for sid in chosen:
                for w in weeks:
                    free[sid][w] -= need.minutes
