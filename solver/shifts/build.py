"""CP-SAT model of a ShiftProblem, one ``add_*`` function per rule family.

``x[e, d, s]`` is true when employee e works shift s on day d; variables exist only where the
employee may work at all (fixed days off and zero maxima are filtered at build time, which is
both presolve the solver need not redo and a big saving on the year-long instances).
Employees outside ``free`` are fixed to ``fixed`` and enter only as constants in the cover rows and
the companion rules, so the same builder makes the full model and every repair (LNS) neighbourhood.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from ortools.sat.python import cp_model

from solver.shifts.problem import EmployeeRules, Roster, ShiftProblem, known_cell


@dataclass
class ShiftModel:
    """The CP-SAT model plus the variables needed to read and hint a roster."""
    problem: ShiftProblem
    model: cp_model.CpModel
    free: list[EmployeeRules]
    fixed: Roster = field(default_factory=dict)  # rows of everybody; free rows matter outside ``days``
    days: range | None = None  # the days on which free employees are free (None: all)
    x: dict[tuple[str, int, str], cp_model.IntVar] = field(default_factory=dict)
    work: dict[tuple[str, int], object] = field(default_factory=dict)  # BoolVar, or 0 when never allowed
    terms: list = field(default_factory=list)  # objective terms (linear expressions)
    offset: int = 0  # objective constant (unmet on-requests of fixed staff, fixed cover parts)
    shortage: list = field(default_factory=list)  # the terms' weighted under-cover part (a lexicographic first level)
    # auxiliary variables with how to compute them from a roster: a complete hint is one CP-SAT uses
    aux: list[tuple[cp_model.IntVar, Callable[[Roster], int]]] = field(default_factory=list)

    def is_free(self, d: int) -> bool:
        """Is day d decided by the model (for free employees)?"""
        return self.days is None or d in self.days

    def const(self, eid: str, d: int) -> str | None:
        """The fixed cell of a free employee on a day outside the window."""
        return self.fixed[eid][d]

    def span(self) -> range:
        """The free days, widened by one on each side (the rules that look at neighbours)."""
        h = self.problem.horizon
        if self.days is None:
            return range(h)
        return range(max(0, self.days.start - 1), min(h, self.days.stop + 1))

    def shifts_of(self, eid: str, d: int) -> list[tuple[str, cp_model.IntVar]]:
        """The (shift id, variable) pairs of e on day d."""
        return [(s.id, self.x[eid, d, s.id]) for s in self.problem.shifts if (eid, d, s.id) in self.x]

    def hint(self, roster: Roster) -> None:
        """Give the solver a complete starting roster for the free employees."""
        self.model.ClearHints()
        for (eid, d, sid), var in self.x.items():
            self.model.AddHint(var, roster.get(eid, [None] * (d + 1))[d] == sid)
        for (eid, d), w in self.work.items():
            if not isinstance(w, int):
                self.model.AddHint(w, roster.get(eid, [None] * (d + 1))[d] is not None)
        for var, value in self.aux:
            self.model.AddHint(var, value(roster))

    def roster(self, solver: cp_model.CpSolver, fixed: Roster | None = None) -> Roster:
        """The solver's roster for free employees, merged with the fixed rows."""
        out = {k: list(v) for k, v in (fixed or self.fixed or {}).items()}
        window = self.days if self.days is not None else range(self.problem.horizon)
        for e in self.free:
            row = out.setdefault(e.id, [None] * self.problem.horizon)
            for d in window:
                row[d] = None
        for (eid, d, sid), var in self.x.items():
            if solver.BooleanValue(var):
                out[eid][d] = sid
        return out


def add_variables(sm: ShiftModel) -> None:
    """x variables and the day-is-worked indicator; at most one shift per day (rule 1).

    Outside the window ``work`` is the constant 0/1 of the fixed cell; shifts that a fixed neighbour
    day forbids get no variable at all (forbidden successions across the window's edges, and from the
    last day of the employee's history into day 0).
    """
    p, m = sm.problem, sm.model
    index = p._shift_index()
    for e in sm.free:
        for d in range(p.horizon):
            if not sm.is_free(d):
                sm.work[e.id, d] = int(sm.const(e.id, d) is not None)
                continue
            before = sm.const(e.id, d - 1) if d > 0 and not sm.is_free(d - 1) else None
            if d == 0 and e.history:
                before = e.history[-1]  # the previous period's last day
            after = sm.const(e.id, d + 1) if d + 1 < p.horizon and not sm.is_free(d + 1) else None
            day_vars = []
            for s in p.shifts:
                if not p.allowed(e, d, s.id):
                    continue
                if before is not None and s.id in index[before].forbidden_next:
                    continue
                if after is not None and after in s.forbidden_next:
                    continue
                v = m.NewBoolVar(f"x_{e.id}_{d}_{s.id}")
                sm.x[e.id, d, s.id] = v
                day_vars.append(v)
            if day_vars:
                w = m.NewBoolVar(f"w_{e.id}_{d}")
                m.Add(sum(day_vars) == w)
                sm.work[e.id, d] = w
            else:
                sm.work[e.id, d] = 0


def add_successions(sm: ShiftModel) -> None:
    """Forbidden successions, aggregated: x[d, s] + sum of forbidden x[d+1, t] <= 1 (one shift a day)."""
    p, m = sm.problem, sm.model
    days = sm.days if sm.days is not None else range(p.horizon)
    for e in sm.free:
        for d in days:
            if d + 1 >= p.horizon:
                continue
            for s in p.shifts:
                if (e.id, d, s.id) not in sm.x:
                    continue
                nxt = [sm.x[e.id, d + 1, t] for t in sorted(s.forbidden_next) if (e.id, d + 1, t) in sm.x]
                if nxt:
                    m.Add(sm.x[e.id, d, s.id] + sum(nxt) <= 1)


def add_totals(sm: ShiftModel) -> None:
    """Maximum count per shift type and the min/max worked minutes over the horizon."""
    p, m = sm.problem, sm.model
    for e in sm.free:
        consts = [sm.const(e.id, d) for d in range(p.horizon) if not sm.is_free(d)]
        length = {s.id: s.minutes for s in p.shifts}
        minutes, base = [], sum(length[c] for c in consts if c)
        for s in p.shifts:
            vs = [sm.x[e.id, d, s.id] for d in range(p.horizon) if (e.id, d, s.id) in sm.x]
            cap = e.max_per_shift.get(s.id, p.horizon) - consts.count(s.id)
            if vs and cap < len(vs):
                m.Add(sum(vs) <= cap)
            minutes += [s.minutes * v for v in vs]
        total = sum(minutes) + base
        if e.min_minutes > 0:
            m.Add(total >= e.min_minutes)
        if e.max_minutes is not None:
            m.Add(total <= e.max_minutes)


def add_runs(sm: ShiftModel) -> None:
    """Max consecutive working days (windows) and min runs of work and of days off (run-start clauses).

    The employee's history stands in front of day 0 as constant days: a run continuing from it counts
    its days there, and a run that begins in it must still reach its minimum.
    """
    p, m = sm.problem, sm.model
    span = sm.span()
    for e in sm.free:
        past = [int(c is not None) for c in e.history]
        work = past + [sm.work[e.id, d] for d in range(p.horizon)]
        n, known = len(work), range(span.start + len(past), span.stop + len(past))  # span in these indexes
        if e.max_consecutive is not None and e.max_consecutive < n:
            k = e.max_consecutive
            for d in range(max(0, known.start - k), min(n - k, known.stop)):
                window = [w for w in work[d:d + k + 1] if not isinstance(w, int)]
                const = sum(w for w in work[d:d + k + 1] if isinstance(w, int))
                if window and len(window) + const > k:
                    m.Add(sum(window) <= k - const)
        _forbid_short_runs(m, work, e.min_consecutive, worked=True, span=known)
        _forbid_short_runs(m, work, e.min_days_off, worked=False, span=known)


def _forbid_short_runs(m: cp_model.CpModel, work: list, min_len: int, worked: bool, span: range) -> None:
    """No run of ``worked`` days shorter than min_len with the other kind on both sides inside ``work``.

    A run that starts on ``start`` (the other kind the day before) must still be of its kind on
    ``start + j`` for every j < min_len that lies inside the horizon: the 3-literal clause
    ``not other[start-1] or not kind[start] or kind[start+j]``. It is exact (a run ending early is
    followed by a day of the other kind inside the horizon; runs touching the last day are exempt)
    and stronger in the LP than forbidding each short pattern whole (shift_scheduling_sat style).
    Constant days (outside the window, never workable, or history) are 0/1 ints; only clauses
    touching a variable day (inside ``span``) are written. A run whose start is constant and that a
    constant day cuts short (begun in the history, before a day that can never be worked) is exempt.
    """
    h = len(work)

    def lit(d: int, value: bool):
        w = work[d]
        if isinstance(w, int):  # a constant day: the literal is simply true or false
            return bool(w) == value
        return w if value else w.Not()

    for start in range(max(1, span.start - min_len + 1), min(h - 1, span.stop + 1)):
        before, first = lit(start - 1, not worked), lit(start, worked)
        if before is False or first is False:
            continue  # no run of this kind starts here
        head = [x.Not() for x in (before, first) if x is not True]
        later = [lit(start + j, worked) for j in range(1, min(min_len, h - start))]
        if not head and any(x is False for x in later):
            continue  # begun among constants and cut short by one: nothing to decide
        for x in later:
            if x is not True:
                clause = head + ([] if x is False else [x])
                if clause:
                    m.AddBoolOr(clause)


def add_weekends(sm: ShiftModel) -> None:
    """A weekend counts when Saturday or Sunday is worked; at most max_weekends of them."""
    p, m = sm.problem, sm.model
    for e in sm.free:
        if e.max_weekends is None:
            continue
        flags, worked = [], 0
        for wk, days in enumerate(p.weekends()):
            cells = [sm.work[e.id, d] for d in days]
            if any(isinstance(w, int) and w for w in cells):
                worked += 1  # a fixed worked day: the weekend counts whatever the model does
                continue
            ws = [w for w in cells if not isinstance(w, int)]
            if not ws:
                continue
            f = m.NewBoolVar(f"wk_{e.id}_{wk}")
            sm.aux.append((f, lambda r, eid=e.id, days=days: int(any(r[eid][d] for d in days))))
            for w in ws:
                m.AddImplication(w, f)
            if len(ws) > 1:  # the flag is only pushed up by the limit, but tying it down helps the LP
                m.AddBoolOr(ws).OnlyEnforceIf(f)
            else:
                m.AddImplication(f, ws[0])
            flags.append(f)
        if len(flags) > e.max_weekends - worked:
            m.Add(sum(flags) <= e.max_weekends - worked)


def add_weekly_free_pair(sm: ShiftModel) -> None:
    """Per calendar week of ``free_pair_weeks`` two consecutive days off (history days, and the day after the
    horizon, as constants); a week begun in the history with only its Sunday (day 0) in the horizon may
    instead leave that day off."""
    p, m = sm.problem, sm.model
    span = sm.span()
    for e in sm.free:
        known = lambda k, e=e: sm.work.get((e.id, k), 0) if k >= 0 else int(e.history[k] is not None)  # noqa: E731
        for mon in p.free_pair_weeks(e):
            if mon + 7 <= span.start or mon >= span.stop:
                continue  # a week the model does not touch
            sunday = known(0) if mon + 6 == 0 else 1  # the only day in the horizon of such a week
            done = isinstance(sunday, int) and not sunday  # nothing worked in the week
            options = [] if isinstance(sunday, int) else [sunday.Not()]
            for d in range(mon, mon + 6):
                cells = [known(k) for k in (d, d + 1)]
                if done or any(isinstance(w, int) and w for w in cells):
                    continue  # a fixed worked day: this pair is no option
                pair = [w for w in cells if not isinstance(w, int)]
                done = not pair  # two days off that are fixed: the week is fine
                if pair:
                    f = m.NewBoolVar(f"free_pair_{e.id}_{d}")
                    sm.aux.append((f, lambda r, e=e, d=d: int(not any(known_cell(e, r[e.id], k) for k in (d, d + 1)))))
                    for w in pair:
                        m.AddImplication(f, w.Not())
                    options.append(f)
            if not done:
                m.AddBoolOr(options)


def _cell(sm: ShiftModel, fixed: Roster, eid: str, d: int, free: set[str]) -> str | None:
    """The constant cell of (eid, d): a fixed employee's, or a free employee's outside the window."""
    if eid not in free or not sm.is_free(d):
        return fixed[eid][d]
    return None  # a free day without a variable for this shift: never worked


def add_requests(sm: ShiftModel, fixed: Roster) -> None:
    """On-requests cost their weight unless granted, off-requests when violated."""
    free = {e.id for e in sm.free}
    for r in sm.problem.on_requests:
        if (r.employee, r.day, r.shift) in sm.x:
            sm.offset += r.weight
            sm.terms.append(-r.weight * sm.x[r.employee, r.day, r.shift])
        else:
            sm.offset += 0 if _cell(sm, fixed, r.employee, r.day, free) == r.shift else r.weight
    for r in sm.problem.off_requests:
        if (r.employee, r.day, r.shift) in sm.x:
            sm.terms.append(r.weight * sm.x[r.employee, r.day, r.shift])
        else:
            sm.offset += r.weight if _cell(sm, fixed, r.employee, r.day, free) == r.shift else 0


def add_cover(sm: ShiftModel, fixed: Roster) -> None:
    """Soft cover: count - required = over - under, each person short/extra costs its weight."""
    p, m = sm.problem, sm.model
    free = {e.id for e in sm.free}
    on_shift = defaultdict(list)
    for (eid, d, sid), v in sm.x.items():
        on_shift[d, sid].append(v)
    fixed_count = defaultdict(int)
    for eid, row in fixed.items():
        for d, sid in enumerate(row):
            if sid and (eid not in free or not sm.is_free(d)):
                fixed_count[d, sid] += 1
    for c in p.cover:
        vs, base = on_shift.get((c.day, c.shift), []), fixed_count[c.day, c.shift]
        need = c.required - base
        if not vs:
            sm.offset += need * c.under_weight if need > 0 else -need * c.over_weight
            continue
        under = m.NewIntVar(0, max(need, 0), f"under_{c.day}_{c.shift}")
        over = m.NewIntVar(0, max(len(vs) - need, 0), f"over_{c.day}_{c.shift}")
        n_of = lambda r, d=c.day, sid=c.shift: sum(1 for e in sm.free if r[e.id][d] == sid)  # noqa: E731
        sm.aux.append((under, lambda r, f=n_of, k=need: max(k - f(r), 0)))
        sm.aux.append((over, lambda r, f=n_of, k=need: max(f(r) - k, 0)))
        m.Add(sum(vs) - over + under == need)  # need < 0: fixed staff already over, every free one is extra
        sm.terms.append(c.under_weight * under + c.over_weight * over)
        sm.shortage.append(c.under_weight * under)


def add_companions(sm: ShiftModel, fixed: Roster) -> None:
    """Companions (hard): a junior working shift s on day d implies a senior on s that day.

    Per day inside the window, shift and companion: ``x[junior] -> OR(x[senior])``. Fixed cells (fixed
    employees, and free ones outside ``days``) are constants, as in ``add_cover``: a fixed senior on
    the shift settles it, a fixed junior on it asks a free senior. A junior and no senior who could
    come: the junior may not work it. Days outside the window are all constants and not written.
    """
    p, m = sm.problem, sm.model
    free = {e.id for e in sm.free}
    days = sm.days if sm.days is not None else range(p.horizon)

    def const_on(ids: frozenset[str], d: int, sid: str) -> bool:
        return any(fixed.get(eid, [None] * p.horizon)[d] == sid for eid in ids if eid not in free)

    for c in p.companions:
        for d in days:
            for sid in sorted(c.shifts):
                if const_on(c.seniors, d, sid):
                    continue
                seniors = [sm.x[eid, d, sid] for eid in sorted(c.seniors) if (eid, d, sid) in sm.x]
                juniors = [sm.x[eid, d, sid] for eid in sorted(c.juniors - c.seniors) if (eid, d, sid) in sm.x]
                if const_on(c.juniors - c.seniors, d, sid) and seniors:
                    m.AddBoolOr(seniors)
                    continue  # some senior works the shift: every free junior may join
                for j in juniors:
                    if seniors:
                        m.AddBoolOr(seniors).OnlyEnforceIf(j)
                    else:
                        m.Add(j == 0)


def add_fair_shares(sm: ShiftModel, fixed: Roster) -> None:
    """Fair shares (soft): weight x (max - min) over the members of their counts of counted days.

    Per share, ``hi``/``lo`` are the exact max/min (``AddMaxEquality``) of one count per member: a free
    member's x on counted cells inside the window plus its constant cells outside it; a fixed member's
    count is a constant from ``fixed``, as in ``add_cover``. With no free member it is all offset.
    """
    p, m = sm.problem, sm.model
    free = {e.id for e in sm.free}
    for i, fs in enumerate(p.fair_shares):
        days, counts = p.fair_days(fs), []
        for eid in p.fair_members(fs):
            row = fixed.get(eid) or [None] * p.horizon
            if eid not in free:
                counts.append(p.fair_count(fs, row))
                continue
            base = sum(1 for d in days if not sm.is_free(d) and row[d] and (fs.shifts is None or row[d] in fs.shifts))
            vs = [v for d in days if sm.is_free(d) for sid, v in sm.shifts_of(eid, d)
                  if fs.shifts is None or sid in fs.shifts]
            counts.append(sum(vs) + base if vs else base)
        if all(isinstance(c, int) for c in counts):
            sm.offset += fs.weight * (max(counts) - min(counts)) if counts else 0
            continue
        hi, lo = m.NewIntVar(0, len(days), f"fair_hi_{i}"), m.NewIntVar(0, len(days), f"fair_lo_{i}")
        m.AddMaxEquality(hi, counts)
        m.AddMinEquality(lo, counts)
        def of(r: Roster, fs=fs) -> list[int]:
            return [p.fair_count(fs, r.get(eid, [None] * p.horizon)) for eid in p.fair_members(fs)]
        sm.aux.append((hi, lambda r, of=of: max(of(r))))
        sm.aux.append((lo, lambda r, of=of: min(of(r))))
        sm.terms.append(fs.weight * (hi - lo))


# the families that concern one employee's row alone (the rest couple rows: requests and cover through the
# objective, companions, fair shares); column generation prices rows with exactly these (solver.shifts.colgen)
ROW_RULES = (add_variables, add_successions, add_totals, add_runs, add_weekends, add_weekly_free_pair)


def build(problem: ShiftProblem, free_ids: list[str] | None = None, fixed: Roster | None = None,
          days: range | None = None) -> ShiftModel:
    """The model for the free employees (all by default) with the others fixed to ``fixed``.

    With ``days`` the free employees are only free on those days: their other cells are constants
    from ``fixed`` and only the rules touching the window are written (a small time-window move).
    """
    ids = set(free_ids) if free_ids is not None else {e.id for e in problem.employees}
    free = [e for e in problem.employees if e.id in ids]
    fixed = fixed or {}
    sm = ShiftModel(problem, cp_model.CpModel(), free, fixed, days)
    for add in ROW_RULES:
        add(sm)
    add_requests(sm, fixed)
    add_cover(sm, fixed)
    add_companions(sm, fixed)
    add_fair_shares(sm, fixed)
    sm.model.Minimize(sum(sm.terms) + sm.offset)
    return sm
