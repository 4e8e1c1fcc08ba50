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
from collections import Counter
import random

from solver.shifts.problem import EmployeeRules, Roster, ShiftProblem, known_cell


def row_violations(p: ShiftProblem, e: EmployeeRules, row: list[str | None], min_minutes: bool = True) -> int:
    """Number of hard rules the row breaks (0 = feasible); written straight from the rules.

    ``min_minutes=False`` leaves the minimum minutes out (while a short row is being topped up).
    The employee's history stands before day 0: runs are judged on history + row, and a run that
    ends inside the history is the history's own matter.
    """
    h, bad = p.horizon, 0
    shifts = p._shift_index()
    works = [c is not None for c in row]
    last = e.history[-1] if e.history else None
    bad += bool(h and last and row[0] and row[0] in shifts[last].forbidden_next)
    bad += sum(1 for d in range(h - 1) if row[d] and row[d + 1] and row[d + 1] in shifts[row[d]].forbidden_next)
    bad += sum(1 for s, n in Counter(c for c in row if c).items() if n > e.max_per_shift.get(s, h))
    minutes = sum(shifts[c].minutes for c in row if c)
    bad += (min_minutes and minutes < e.min_minutes) or (e.max_minutes is not None and minutes > e.max_minutes)
    bad += sum(1 for d in e.days_off if 0 <= d < h and works[d])
    bad += _run_violations(p, e, [c is not None for c in e.history] + works)
    if e.max_weekends is not None:
        bad += sum(1 for days in p.weekends() if any(works[d] for d in days)) > e.max_weekends
    bad += p.weeks_without_free_pair(e, row)
    return bad


def _run_violations(p: ShiftProblem, e: EmployeeRules, known: list[bool]) -> int:
    """Runs of history + row (``known``) too long, or too short with the other kind on both sides.

    A run must reach into the row to count (one that ends on the history's last day does: day 0
    ended it); a run begun in the history and cut short by a day e can never work is exempt.
    """
    past, n, bad, d = len(e.history), len(known), 0, 0
    while d < n:
        k = d
        while k < n and known[k] == known[d]:
            k += 1
        if known[d] and e.max_consecutive is not None and k - d > e.max_consecutive and k > past:
            bad += 1
        limit = e.min_consecutive if known[d] else e.min_days_off
        if 0 < d and past <= k < n and k - d < limit:
            cut = known[d] and d < past and not all(p.workable(e, t - past) for t in range(max(d + 1, past),
                                                                                           min(d + limit, n)))
            bad += not cut
        d = k
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
        """Count a row's shifts as covering demand."""
        for d, sid in enumerate(row):
            if sid is not None:
                self.open[d, sid] = self.open.get((d, sid), 0) - 1

    def take_all(self, roster: Roster) -> None:
        for row in roster.values():
            self.take(row)


class _RowState:
    """One employee's row under construction, day by day, with what the hard rules still allow."""

    def __init__(self, p: ShiftProblem, e: EmployeeRules, ration: bool = False) -> None:
        self.p, self.e, self.h, self.ration = p, e, p.horizon, ration
        self.sat_sun = {d: i for i, days in enumerate(p.weekends()) for d in days}
        self.n_wk = max(1, len(p.weekends()))
        self.row: list[str | None] = [None] * p.horizon
        self.count = {s.id: 0 for s in p.shifts}
        self.minutes, self.weekends_used, self.counted = 0, 0, set()
        self.run_work, self.run_off, self.off_inner = 0, 0, False
        self.past = len(e.history)  # days of history before day 0
        self.cut_short = False  # the run begun in the history cannot reach its minimum (it is exempt)
        for c in e.history:
            self._advance(c is not None)
        if 0 < self.run_work < e.min_consecutive and self.run_work < self.past:
            self.cut_short = not all(p.workable(e, d) for d in range(min(e.min_consecutive - self.run_work, p.horizon)))
        self.max_cons = e.max_consecutive if e.max_consecutive is not None else p.horizon
        self.max_min = e.max_minutes if e.max_minutes is not None else 10 ** 9
        self.max_wk = e.max_weekends if e.max_weekends is not None else p.horizon
        self.avg = sum(s.minutes for s in p.shifts) / max(1, len(p.shifts))
        self.shortest = min((s.minutes for s in p.shifts), default=0)

    def _can_take(self, d: int, s) -> bool:
        e = self.e
        if d in e.days_off or self.count[s.id] >= e.max_per_shift.get(s.id, self.h) or \
                self.minutes + s.minutes > self.max_min:
            return False
        prev = known_cell(self.e, self.row, d - 1)
        if prev is not None and s.id in self.p.shift(prev).forbidden_next:
            return False
        wk = self.sat_sun.get(d)
        if wk is None or wk in self.counted:
            return True
        # rationed: weekends spread pro rata over the horizon, so late runs are not cut by the limit
        rationed = self.ration and not self.must_work(d)
        cap = math.ceil(self.max_wk * (wk + 1) / self.n_wk) if rationed else self.max_wk
        return self.weekends_used < min(cap, self.max_wk)

    def _continues(self, d: int, s) -> bool:
        """Some shift can follow s on d+1 (needed while a run is shorter than its minimum)."""
        if d + 1 >= self.h:
            return True
        if d + 1 in self.e.days_off:
            return False
        return any(t.id not in s.forbidden_next and self.count[t.id] + (t.id == s.id) < self.e.max_per_shift.get(t.id, self.h)
                   and self.minutes + s.minutes + t.minutes <= self.max_min for t in self.p.shifts)

    def _run_possible(self, d: int) -> bool:
        """A new run starting on d can reach the minimum length (or the horizon's end) on workable days."""
        need = min(self.e.min_consecutive, self.h - d) if d > -self.past else 1
        days = range(d, d + need)
        if any(k in self.e.days_off for k in days):
            return False
        new_wk = {self.sat_sun[k] for k in days if k in self.sat_sun and self.sat_sun[k] not in self.counted}
        return self.weekends_used + len(new_wk) <= self.max_wk and self.minutes + need * self.shortest <= self.max_min

    def must_work(self, d: int) -> bool:
        """Inside a run that started after the first known day and is still shorter than the minimum."""
        return 0 < self.run_work < self.e.min_consecutive and (d - self.run_work) > -self.past and \
            not (self.cut_short and d - self.run_work < 0)

    def options(self, d: int) -> list:
        """The shifts e may take on d (empty: must be off)."""
        e = self.e
        if d in e.days_off or self.run_work >= self.max_cons or (self.off_inner and 0 < self.run_off < e.min_days_off):
            return []
        if self.run_work == 0 and not self._run_possible(d):
            return []
        opts = [s for s in self.p.shifts if self._can_take(d, s)]
        if self.run_work + 1 < e.min_consecutive and d - self.run_work > -self.past and \
                not (self.cut_short and d - self.run_work < 0):
            opts = [s for s in opts if self._continues(d, s)]
        return opts

    def behind(self, d: int, eager: float) -> float:
        """How far (in shifts) the worked minutes lag a pace that reaches the minimum; > 0: work now."""
        e, left = self.e, self.h - d
        deficit = e.min_minutes - self.minutes
        if deficit <= 0:
            return -1.0
        capacity = left * self.avg * self.max_cons / (self.max_cons + e.min_days_off)
        return (deficit - (1.0 - eager) * capacity) / self.avg

    def push(self, d: int, s) -> None:
        """Fix day d: shift s, or off when s is None."""
        self.row[d] = s.id if s is not None else None
        if s is not None:
            self.count[s.id] += 1
            self.minutes += s.minutes
            wk = self.sat_sun.get(d)
            if wk is not None and wk not in self.counted:
                self.counted.add(wk)
                self.weekends_used += 1
        self._advance(s is not None)

    def _advance(self, worked: bool) -> None:
        """The run counters after one more day (worked or off)."""
        if worked:
            self.off_inner = False
            self.run_work, self.run_off = self.run_work + 1, 0
        else:
            if self.run_work > 0:
                self.off_inner = True
            self.run_work, self.run_off = 0, self.run_off + 1


def _row(p: ShiftProblem, e: EmployeeRules, dem: _Demand, eager: float, rng: random.Random,
         ration: bool = False) -> list[str | None]:
    """One pass over the days for e; ``eager`` in [0, 1] pushes towards working (for the minimum minutes)."""
    st = _RowState(p, e, ration)
    for d in range(p.horizon):
        options, choice = st.options(d), None
        if options:
            best = max(options, key=lambda s: (dem.gain(e.id, d, s.id), rng.random()))
            if st.must_work(d) or dem.gain(e.id, d, best.id) > 0 or st.behind(d, eager) >= 0:
                choice = best
        if choice is None and st.must_work(d):
            return st.row  # cannot continue the run: the row fails the check and is retried
        st.push(d, choice)
    return st.row


def _by_day(p: ShiftProblem, dem: _Demand, rng: random.Random, eager: float) -> Roster:
    """All employees at once, day by day: who must work works, then open cover goes to those in a
    run and those furthest behind their minimum minutes, then whoever is behind works anyway."""
    states = {e.id: _RowState(p, e, ration=True) for e in p.employees}
    for d in range(p.horizon):
        opts = {eid: st.options(d) for eid, st in states.items()}
        chosen: dict[str, object] = {}
        for eid, st in states.items():
            if st.must_work(d) and opts[eid]:
                chosen[eid] = max(opts[eid], key=lambda s: (dem.gain(eid, d, s.id), rng.random()))
                dem.open[d, chosen[eid].id] = dem.open.get((d, chosen[eid].id), 0) - 1
        # fill open cover, scarcest shift first: those in a run, then those furthest behind their minimum
        cands = {sh.id: [eid for eid, o in opts.items() if eid not in chosen and sh in o] for sh in p.shifts}
        by_id = {sh.id: sh for sh in p.shifts}
        for sid in sorted(cands, key=lambda k: len(cands[k])):
            ranked = sorted(cands[sid], key=lambda eid: (states[eid].run_work > 0,
                                                          states[eid].behind(d, 0.5) + dem.pref.get((eid, d, sid), 0),
                                                          rng.random()), reverse=True)
            for eid in ranked:
                if dem.open.get((d, sid), 0) <= 0:
                    break
                if eid in chosen or dem.pref.get((eid, d, sid), 0) < 0:
                    continue
                chosen[eid] = by_id[sid]
                dem.open[d, sid] = dem.open.get((d, sid), 0) - 1
        for eid, st in states.items():
            if eid not in chosen and opts[eid] and st.behind(d, eager) >= 0:
                s = max(opts[eid], key=lambda s: (dem.gain(eid, d, s.id), rng.random()))
                chosen[eid] = s
                dem.open[d, s.id] = dem.open.get((d, s.id), 0) - 1
        for eid, st in states.items():
            st.push(d, chosen.get(eid))
    return {eid: st.row for eid, st in states.items()}


def top_up(p: ShiftProblem, e: EmployeeRules, row: list[str | None], dem: _Demand) -> bool:
    """Add shifts on days off (most wanted first) until the minimum minutes are met, keeping every
    other rule; True when the row ends feasible. The row is changed in place; ``dem`` is updated."""
    index = p._shift_index()
    if row_violations(p, e, row, min_minutes=False):
        return False
    minutes = sum(index[c].minutes for c in row if c)
    days = [d for d in range(p.horizon) if row[d] is None and d not in e.days_off]
    best_of = {d: max(p.shifts, key=lambda s: dem.gain(e.id, d, s.id)) for d in days}
    for d in sorted(days, key=lambda d: -dem.gain(e.id, d, best_of[d].id)):
        if minutes >= e.min_minutes:
            break
        for s in sorted(p.shifts, key=lambda s: -dem.gain(e.id, d, s.id)):
            if not p.allowed(e, d, s.id):
                continue
            row[d] = s.id
            if row_violations(p, e, row, min_minutes=False) == 0:
                minutes += s.minutes
                dem.open[d, s.id] = dem.open.get((d, s.id), 0) - 1
                break
            row[d] = None
    return minutes >= e.min_minutes


def greedy_roster(p: ShiftProblem, seed: int = 0, tries: int = 12) -> tuple[Roster, list[str]]:
    """A roster and the ids of employees for whom no feasible row was found (their rows stay empty).

    First all employees day by day; the rows that break a rule are then rebuilt one employee at a
    time against the cover the others leave open (with growing eagerness to work).
    """
    rng = random.Random(seed)
    dem = _Demand(p)
    roster = _by_day(p, dem, rng, eager=0.3)
    by_id = {e.id: e for e in p.employees}
    redo = [eid for eid, row in roster.items() if row_violations(p, by_id[eid], row)]
    redo = [eid for eid in redo if not top_up(p, by_id[eid], roster[eid], dem)]
    for eid in redo:
        roster[eid] = [None] * p.horizon
    dem = _Demand(p)
    dem.take_all(roster)
    failed = []
    for eid in redo:
        e, row = by_id[eid], None
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
    mend_companions(p, roster, dem)
    return roster, failed


def mend_companions(p: ShiftProblem, roster: Roster, dem: _Demand) -> int:
    """Give every junior cell without a senior companion one, keeping every row feasible: a senior who
    is off that day takes the shift, else the junior moves to a shift a senior works, else is off.
    Cells that none of these mends are left to CP-SAT. Returns the number of changes."""
    by_id, changes = {e.id: e for e in p.employees}, 0

    def tryset(eid: str, d: int, sid: str | None) -> bool:
        row, old = roster[eid], roster[eid][d]
        row[d] = sid
        if row_violations(p, by_id[eid], row) == 0:
            for k, delta in ((old, 1), (sid, -1)):
                if k is not None:
                    dem.open[d, k] = dem.open.get((d, k), 0) + delta
            return True
        row[d] = old
        return False

    for c in p.companions:
        seniors = sorted(eid for eid in c.seniors if eid in roster)
        for d in range(p.horizon):
            for j in sorted(c.juniors - c.seniors):
                sid = roster.get(j, [None] * p.horizon)[d]
                on = {roster[k][d] for k in seniors}
                if sid not in c.shifts or sid in on:
                    continue
                idle = sorted((k for k in seniors if roster[k][d] is None and p.allowed(by_id[k], d, sid)),
                              key=lambda k: sum(x is not None for x in roster[k]))
                if any(tryset(k, d, sid) for k in idle) or \
                        any(tryset(j, d, t) for t in sorted(on & c.shifts) if p.allowed(by_id[j], d, t)) or \
                        tryset(j, d, None):
                    changes += 1
    return changes


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
                    prev = known_cell(e, row, d - 1)
                    if prev and t in index[prev].forbidden_next:
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
