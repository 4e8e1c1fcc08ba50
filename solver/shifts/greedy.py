"""A fast plain-Python start roster that keeps every hard rule of a ShiftProblem.

Employee by employee, one pass over the days with the row's state (current run, minutes, counts
per shift, weekends used): work when the cover still wants someone (or the minimum minutes would
otherwise not be reached), take the allowed shift with the most open cover, and only start a run
of work when it can be carried to the minimum length. Every row is checked with ``row_violations``;
a row that fails is retried with more eagerness to work, and an employee who cannot be placed is
left to CP-SAT (the caller), so the result is always hard-feasible where it claims to be.
"""

from __future__ import annotations

import math
import random

from solver.shifts.problem import EmployeeRules, Roster, ShiftProblem


def row_violations(p: ShiftProblem, e: EmployeeRules, row: list[str | None]) -> int:
    """Number of hard rules the row breaks (0 = feasible); written straight from the rules."""
    h, bad = p.horizon, 0
    shifts = p._shift_index()
    works = [c is not None for c in row]
    bad += sum(1 for d in range(h - 1) if row[d] and row[d + 1] and row[d + 1] in shifts[row[d]].forbidden_next)
    bad += sum(1 for s in shifts if sum(1 for c in row if c == s) > e.max_per_shift.get(s, h))
    minutes = sum(shifts[c].minutes for c in row if c)
    bad += minutes < e.min_minutes or (e.max_minutes is not None and minutes > e.max_minutes)
    bad += sum(1 for d in e.days_off if 0 <= d < h and works[d])
    for value, limit in ((True, e.min_consecutive), (False, e.min_days_off)):
        d = 0
        while d < h:
            k = d
            while k < h and works[k] == value:
                k += 1
            if k > d:
                if value and e.max_consecutive is not None and k - d > e.max_consecutive:
                    bad += 1
                if 0 < d and k < h and k - d < limit:
                    bad += 1
                d = k
            else:
                d += 1
    if e.max_weekends is not None:
        bad += sum(1 for days in p.weekends() if any(works[d] for d in days)) > e.max_weekends
    if e.weekly_free_pair:
        for mon in (d for d in range(h) if (p.first_weekday + d) % 7 == 0 and d + 7 <= h):
            bad += not any(not works[d] and not works[d + 1] for d in range(mon, mon + 6))
    return bad


class _Demand:
    """Open cover per (day, shift) and request weights per (employee, day, shift)."""

    def __init__(self, p: ShiftProblem) -> None:
        self.open = {(c.day, c.shift): c.required for c in p.cover}
        self.under = {(c.day, c.shift): c.under_weight for c in p.cover}
        self.over = {(c.day, c.shift): c.over_weight for c in p.cover}
        self.pref: dict[tuple[str, int, str], int] = {}
        for r in p.on_requests:
            self.pref[r.employee, r.day, r.shift] = self.pref.get((r.employee, r.day, r.shift), 0) + r.weight
        for r in p.off_requests:
            self.pref[r.employee, r.day, r.shift] = self.pref.get((r.employee, r.day, r.shift), 0) - r.weight

    def gain(self, eid: str, d: int, sid: str) -> int:
        """What working sid on d is worth now: under weight while short, minus over weight beyond, plus wishes."""
        k = (d, sid)
        cover = self.under.get(k, 0) if self.open.get(k, 0) > 0 else -self.over.get(k, 0)
        return cover + self.pref.get((eid, d, sid), 0)

    def take(self, row: list[str | None]) -> None:
        for d, sid in enumerate(row):
            if sid is not None:
                self.open[d, sid] = self.open.get((d, sid), 0) - 1


def _row(p: ShiftProblem, e: EmployeeRules, dem: _Demand, eager: float, rng: random.Random,
         ration: bool = False) -> list[str | None]:
    """One pass over the days for e; ``eager`` in [0, 1] pushes towards working (for the minimum minutes)."""
    h, shifts = p.horizon, p.shifts
    sat_sun = {d: i for i, days in enumerate(p.weekends()) for d in days}
    n_wk = max(1, len(p.weekends()))
    row: list[str | None] = [None] * h
    count = {s.id: 0 for s in shifts}
    minutes, weekends_used, counted = 0, 0, set()
    run_work, run_off, off_started_after_work = 0, 0, False
    max_cons = e.max_consecutive if e.max_consecutive is not None else h
    max_min = e.max_minutes if e.max_minutes is not None else 10 ** 9
    max_wk = e.max_weekends if e.max_weekends is not None else h
    avg = sum(s.minutes for s in shifts) / max(1, len(shifts))

    def can_take(d: int, s) -> bool:
        if d in e.days_off or count[s.id] >= e.max_per_shift.get(s.id, h) or minutes + s.minutes > max_min:
            return False
        if d > 0 and row[d - 1] is not None and s.id in p.shift(row[d - 1]).forbidden_next:
            return False
        wk = sat_sun.get(d)
        if wk is None or wk in counted:
            return True
        # rationed: weekends spread pro rata over the horizon, so late runs are not cut by the limit
        cap = math.ceil(max_wk * (wk + 1) / n_wk) if ration else max_wk
        return weekends_used < min(cap, max_wk)

    def continues(d: int, s) -> bool:
        """Some shift can follow s on d+1 (needed while a run is shorter than its minimum)."""
        if d + 1 >= h:
            return True
        if d + 1 in e.days_off:
            return False
        return any(t.id not in s.forbidden_next and count[t.id] + (t.id == s.id) < e.max_per_shift.get(t.id, h)
                   and minutes + s.minutes + t.minutes <= max_min for t in shifts)

    def run_possible(d: int) -> bool:
        """A new run starting on d can reach the minimum length (or the horizon's end) on workable days."""
        need = min(e.min_consecutive, h - d) if d > 0 else 1
        days = range(d, d + need)
        if any(k in e.days_off for k in days):
            return False
        new_wk = {sat_sun[k] for k in days if k in sat_sun and sat_sun[k] not in counted}
        return weekends_used + len(new_wk) <= max_wk and minutes + need * min(s.minutes for s in shifts) <= max_min

    for d in range(h):
        must_off = d in e.days_off or run_work >= max_cons or (off_started_after_work and 0 < run_off < e.min_days_off)
        must_work = 0 < run_work < e.min_consecutive and (d - run_work) > 0  # an inner run still too short
        choice = None
        if not must_off and (run_work > 0 or run_possible(d)):
            options = [s for s in shifts if can_take(d, s)]
            if run_work + 1 < e.min_consecutive and (d - run_work > 0 or run_work == 0 and d > 0):
                options = [s for s in options if continues(d, s)]
            if options:
                best = max(options, key=lambda s: (dem.gain(e.id, d, s.id), rng.random()))
                left = h - d
                deficit = e.min_minutes - minutes
                want = dem.gain(e.id, d, best.id) > 0
                # work anyway when the minimum minutes need more than ``eager`` of the remaining days
                pressed = deficit > 0 and deficit >= (1.0 - eager) * left * avg * max_cons / (max_cons + e.min_days_off)
                if must_work or want or pressed:
                    choice = best
        if choice is None and must_work:
            return row  # cannot continue the run: the row fails the check and is retried
        row[d] = choice.id if choice is not None else None
        if choice is not None:
            count[choice.id] += 1
            minutes += choice.minutes
            wk = sat_sun.get(d)
            if wk is not None and wk not in counted:
                counted.add(wk)
                weekends_used += 1
            off_started_after_work = False
            run_work, run_off = run_work + 1, 0
        else:
            if run_work > 0:
                off_started_after_work = True
            run_work, run_off = 0, run_off + 1
    return row


def greedy_roster(p: ShiftProblem, seed: int = 0, tries: int = 12) -> tuple[Roster, list[str]]:
    """A roster and the ids of employees for whom no feasible row was found (their rows stay empty)."""
    rng = random.Random(seed)
    dem = _Demand(p)
    roster: Roster = {}
    failed = []
    # the most constrained (fewest workable cells) first, so they get what they can do
    order = sorted(p.employees, key=lambda e: sum(1 for s in p.shifts if e.max_per_shift.get(s.id, 1) > 0))
    for e in order:
        row = None
        for t in range(tries):
            cand = _row(p, e, dem, eager=min(1.0, (t // 2) / (tries // 2 - 1)), rng=rng, ration=t % 2 == 1)
            if row_violations(p, e, cand) == 0:
                row = cand
                break
        if row is None:
            failed.append(e.id)
            row = [None] * p.horizon
        else:
            dem.take(row)
        roster[e.id] = row
    roster = {e.id: roster[e.id] for e in p.employees}
    retype(p, roster, dem)
    return roster, failed


def retype(p: ShiftProblem, roster: Roster, dem: _Demand) -> int:
    """Local search on worked cells: change a cell's shift type when that lowers the penalty.

    The work pattern stays as it is, so only the rules that depend on the type are checked
    (successions with both neighbours, count per type, total minutes): each check is O(1).
    Returns the number of changes.
    """
    index = p._shift_index()
    h, changes = p.horizon, 0
    by_id = {e.id: e for e in p.employees}
    for _ in range(3):
        improved = 0
        for eid, row in roster.items():
            e = by_id[eid]
            count: dict[str, int] = {}
            for c in row:
                if c:
                    count[c] = count.get(c, 0) + 1
            minutes = sum(index[c].minutes for c in row if c)
            max_min = e.max_minutes if e.max_minutes is not None else 10 ** 9
            for d, cur in enumerate(row):
                if cur is None:
                    continue
                dem.open[d, cur] = dem.open.get((d, cur), 0) + 1  # as if the cell were empty
                base = dem.gain(eid, d, cur)
                best, best_gain = cur, base
                for s in p.shifts:
                    t = s.id
                    if t == cur or count.get(t, 0) >= e.max_per_shift.get(t, h) or not p.allowed(e, d, t):
                        continue
                    if not e.min_minutes <= minutes - index[cur].minutes + s.minutes <= max_min:
                        continue
                    if d > 0 and row[d - 1] and t in index[row[d - 1]].forbidden_next:
                        continue
                    if d + 1 < h and row[d + 1] and row[d + 1] in s.forbidden_next:
                        continue
                    g = dem.gain(eid, d, t)
                    if g > best_gain:
                        best, best_gain = t, g
                if best != cur:
                    count[cur] -= 1
                    count[best] = count.get(best, 0) + 1
                    minutes += index[best].minutes - index[cur].minutes
                    row[d] = best
                    improved += 1
                dem.open[d, best] = dem.open.get((d, best), 0) - 1
        changes += improved
        if not improved:
            break
    return changes
