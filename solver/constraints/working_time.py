"""Working-time families in the assignment stage: availability, absences, double booking, weekly load.

The weekly load of a medewerker in this stage is the contact demand of the
toewijzingen they execute plus their group sessions.  The daily rules (shift
length, daily and weekly rest, travel buffer) are decided where contacts are
placed in time: solver/contacts/; here only candidate filters keep sessions
clear of the daily rest and the working day around fixed shifts (the
previous period's and stage 0's), so that stage 2 can keep those rules.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from datetime import datetime, timedelta

from planner.rules import Rule
from planner.timeutil import minutes, within_availability
from solver.constraints import candidate_filter
from solver.contacts.needs import split_into_contacts
from solver.model import PlanModel


@candidate_filter
def add_availability(pm: PlanModel, rule: Rule) -> None:
    """Work only inside the weekly availability pattern (sessions here; contacts in the contact stage)."""
    pm.restrict_sessions(rule, pm.data.occurrences, lambda m, o: within_availability(m, o.start, o.end))
    pm.after_variables.append(lambda pm: _weekly_capacity(pm, rule))


@candidate_filter
def add_absence(pm: PlanModel, rule: Rule) -> None:
    """No work during verlof, ziekte or training."""
    pm.restrict_sessions(rule, pm.data.occurrences, lambda m, o: not pm.data.absent(m.id, o.start, o.end))


@candidate_filter
def add_double_booking(pm: PlanModel, rule: Rule) -> None:
    """No overlapping work: nobody joins a session during their residential shift, nor two overlapping sessions."""
    pm.restrict_sessions(rule, pm.data.occurrences, lambda m, o: not pm.data.on_shift(m.id, o.start, o.end))
    pm.after_variables.append(lambda pm: _overlapping_sessions(pm, rule))


class _FixedShifts:
    """Per person the fixed shifts sessions must fit around: the previous period's (history) and this
    period's residential shifts (stage 0), sorted by start, to look up those near an occurrence."""

    def __init__(self, shifts: list):
        self.by_staff: dict[str, list] = defaultdict(list)
        for s in sorted(shifts, key=lambda s: (s.start, s.end)):
            self.by_staff[s.staff_id].append(s)
        self.starts = {sid: [s.start for s in lst] for sid, lst in self.by_staff.items()}
        self.longest = max((s.end - s.start for s in shifts), default=timedelta(0))

    def near(self, staff_id: str, o, margin: timedelta) -> list:
        """The person's shifts within ``margin`` of occurrence ``o``."""
        if staff_id not in self.by_staff:
            return []
        lst = self.by_staff[staff_id]
        lo = bisect_left(self.starts[staff_id], o.start - margin - self.longest)
        return [s for s in lst[lo:bisect_left(self.starts[staff_id], o.end + margin)] if o.start < s.end + margin]


@candidate_filter
def add_daily_rest(pm: PlanModel, rule: Rule) -> None:
    """Rest around fixed shifts: nobody joins a session that starts less than ``hours`` after the end, or ends
    less than ``hours`` before the start, of one of their shifts (the previous period's, a night ending on
    day 0 at 07:00, or this period's from stage 0), unless the session and the shift start on the same day
    and last at most 24 - ``hours`` h together: one working day, as stage 2 counts it (W.max_dienst bounds
    it further).  The shortening to ``reduced_hours`` is not used here: it is allowed once per
    ``reduced_per_days`` x 24 h and a filter judges one session at a time, so two sessions could each take
    it; stage 2 may use it for contacts and keeps the rest around all work (solver/contacts/)."""
    rest = timedelta(hours=float(rule.params.get("hours", 11)))
    one_day = timedelta(days=1) - rest  # the longest working day that leaves the rest in its 24 h
    fixed = _FixedShifts([*pm.data.history_shifts, *pm.data.shifts])

    def ok(m, o) -> bool:
        return all(s.start.date() == o.start.date() and max(s.end, o.end) - min(s.start, o.start) <= one_day
                   for s in fixed.near(m.id, o, rest))
    if fixed.by_staff:
        pm.restrict_sessions(rule, pm.data.occurrences, ok)


@candidate_filter
def add_max_shift_hours(pm: PlanModel, rule: Rule) -> None:
    """A working day of at most ``hours``: nobody joins a session on the day one of their residential shifts
    starts when the two together span more than ``hours`` (stage 2 counts a day from its first start to its
    last end, a night belonging to the day it starts; stricter than the checker's dienst for a morning
    session before a night)."""
    limit = timedelta(hours=float(rule.params.get("hours", 12)))
    by_staff: dict[tuple, list] = defaultdict(list)
    for s in pm.data.shifts:
        by_staff[s.staff_id, s.start.date()].append(s)
    if by_staff:
        pm.restrict_sessions(rule, pm.data.occurrences, lambda m, o: not any(
            max(s.end, o.end) - min(s.start, o.start) > limit for s in by_staff.get((m.id, o.start.date()), ())))


def _overlapping_sessions(pm: PlanModel, rule: Rule) -> None:
    """At most one of any set of sessions running at the same moment, per person.

    The sessions active at each session's start form a clique (all overlap there); one AtMostOne per
    clique and person covers every overlapping pair with few constraints.
    """
    occ = pm.data.occurrences  # sorted by start
    cliques: set[tuple] = set()
    for i, o in enumerate(occ):
        clique = tuple(pm.occ_key(a) for a in occ[: i + 1] if a.end > o.start and a.start <= o.start)
        if len(clique) > 1:
            cliques.add(clique)
    for clique in cliques:
        per_staff: dict[str, list] = defaultdict(list)
        for k in clique:
            for sid in pm.session_candidates[k]:
                per_staff[sid].append(pm.y[k, sid])
        for sid, vs in per_staff.items():
            if len(vs) > 1:
                pm.model.Add(sum(vs) <= 1).OnlyEnforceIf(pm.enforce(rule, f"medewerker:{sid}"))


def toewijzing_week_minutes(pm: PlanModel, t, week: int) -> int:
    """Staff minutes a toewijzing takes in a week: its contact demand plus the travel buffer that stage 2
    keeps free after every visit."""
    need = pm.data.weekly_demand_minutes(t, week)
    if not need:
        return 0
    travel = max((int(r.params.get("minutes", 30)) for r in pm.data.pack.rules_of("travel_buffer")), default=0)
    return need + travel * split_into_contacts(need, None, None)[0]


def weekly_load(pm: PlanModel) -> dict[tuple[str, int], list]:
    """Per (staff, week): linear terms of planned minutes (contact demand + group sessions); built once."""
    if pm.weekly_load is not None:
        return pm.weekly_load
    load: dict[tuple[str, int], list] = defaultdict(list)
    for t in pm.data.toewijzingen:
        for w in range(pm.data.weeks):
            need = toewijzing_week_minutes(pm, t, w)
            if need:
                for sid, var in pm.exec_vars(t.id).items():
                    load[sid, w].append(need * var)
    for o in pm.data.occurrences:
        w = (o.date - pm.data.period_start).days // 7
        for sid, var in pm.present(o).items():
            load[sid, w].append(minutes(o.start, o.end) * var)
    for s in pm.data.shifts:  # residential shifts of stage 0 are fixed work
        load[s.staff_id, (s.start.date() - pm.data.period_start).days // 7].append(minutes(s.start, s.end))
    pm.weekly_load = load
    return load


def available_minutes(pm: PlanModel, sid: str, week: int) -> int:
    """Minutes inside the availability windows of one week, minus absences."""
    m = pm.data.bundle.staff[sid]
    total = 0
    for d in range(7):
        day = pm.data.period_start + timedelta(days=7 * week + d)
        windows = [w for w in m.availability if w.weekday == day.weekday()] if m.availability else None
        spans = ([(datetime.combine(day, w.start), datetime.combine(day, w.end)) for w in windows]
                 if windows is not None else [(datetime.combine(day, datetime.min.time()),
                                               datetime.combine(day + timedelta(days=1), datetime.min.time()))])
        for s, e in spans:
            if not pm.data.absent(sid, s, e):
                total += minutes(s, e)
    return total


def _weekly_capacity(pm: PlanModel, rule: Rule) -> None:
    for (sid, w), terms in weekly_load(pm).items():
        pm.model.Add(sum(terms) <= available_minutes(pm, sid, w)).OnlyEnforceIf(pm.enforce(rule, f"medewerker:{sid}"))


def add_max_week_hours(pm: PlanModel, rule: Rule) -> None:
    """Worked hours per calendar week <= ``hours`` (Arbeidstijdenwet)."""
    cap = int(rule.params.get("hours", 60) * 60)
    pm.after_variables.append(lambda pm: [
        pm.model.Add(sum(terms) <= cap).OnlyEnforceIf(pm.enforce(rule, f"medewerker:{sid}:week:{w}"))
        for (sid, w), terms in weekly_load(pm).items()])


def add_contract_hours(pm: PlanModel, rule: Rule) -> None:
    """Worked hours per week above contract x (1 + tolerance) are penalised per started hour."""
    tol = float(rule.params.get("tolerance_pct", 0)) / 100

    def build(pm: PlanModel) -> None:
        for (sid, w), terms in weekly_load(pm).items():
            cap = round(pm.data.bundle.staff[sid].contract_hours * (1 + tol) * 60)
            over = pm.new_int(0, 7 * 24, f"contract_over_h[{sid},{w}]")
            pm.model.Add(60 * over >= sum(terms) - cap)
            pm.penalize(rule, over)
    pm.after_variables.append(build)
