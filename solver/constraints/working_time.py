"""Working-time families in the assignment stage: availability, absences, double booking, weekly load.

The weekly load of a medewerker in this stage is the contact demand of the
toewijzingen they execute plus their group sessions and shifts, per calendar
week.  The daily rules (shift length, daily and weekly rest, travel buffer)
are decided where contacts are placed in time: solver/contacts/; stage 1
keeps the sessions such that stage 2 can keep them (solver/constraints/rest.py).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from planner.demand import CONTACT_SETTINGS
from planner.rules import Rule
from planner.timeutil import minutes, within_availability
from solver.constraints import candidate_filter
from solver.contacts.needs import week_contacts, week_span
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
    """Staff minutes a toewijzing takes in a week: its contacts as stage 2 splits them (count x length, at
    least the demand) plus the travel buffer that stage 2 keeps free after every visit."""
    product = pm.data.pack.product(t.product_code)
    if product is None or product.setting not in CONTACT_SETTINGS or week_span(pm.data, t, week) is None:
        return 0
    count, length, _ = week_contacts(pm.data, t, week)
    travel = max((int(r.params.get("minutes", 30)) for r in pm.data.pack.rules_of("travel_buffer")), default=0)
    return count * (length + travel)


def weekly_load(pm: PlanModel) -> dict[tuple[str, int], tuple[list, int]]:
    """Per (staff, calendar week): linear terms of planned minutes (contact demand + group sessions) and the
    minutes of stage 0's shifts in it; built once.  Weeks are calendar weeks (Monday 00:00) as the checker
    counts them, work split at Monday; a period that starts mid-week has a partial first and last week.

    Contacts are asked per 7 days from the period start (solver/contacts/needs.py); a block that spans two
    calendar weeks gets, per person, a split variable: the minutes stage 2 may place in the first of them."""
    if pm.weekly_load is not None:
        return pm.weekly_load
    data = pm.data
    terms: dict[tuple[str, int], list] = defaultdict(list)
    fixed: dict[tuple[str, int], int] = defaultdict(int)
    demand: dict[tuple[str, int], list] = defaultdict(list)
    for t in data.toewijzingen:
        for w in range(data.weeks):
            need = toewijzing_week_minutes(pm, t, w)
            for sid, var in pm.exec_vars(t.id).items() if need else ():
                demand[sid, w].append((need, var))
    for (sid, w), parts in demand.items():
        first, last = data.calendar_week(7 * w), data.calendar_week(7 * w + 6)
        expr = sum(need * var for need, var in parts)
        if first == last:
            terms[sid, first].append(expr)
            continue
        early = pm.new_int(0, sum(need for need, _ in parts), f"contacts_first_week[{sid},{w}]")
        pm.model.Add(early <= expr)
        terms[sid, first].append(early)
        terms[sid, last].append(expr - early)
    for o in data.occurrences:
        for week, mins in data.week_minutes(o.start, o.end).items():
            for sid, var in pm.present(o).items():
                terms[sid, week].append(mins * var)
    for s in data.shifts:  # residential shifts of stage 0 are fixed work
        for week, mins in data.week_minutes(s.start, s.end).items():
            fixed[s.staff_id, week] += mins
    pm.weekly_load = {key: (terms.get(key, []), fixed.get(key, 0)) for key in {*terms, *fixed}}
    return pm.weekly_load


def _available(pm: PlanModel, sid: str, days) -> int:
    """Minutes inside the availability windows of ``days``, minus absences (no windows: none, as
    ``within_availability`` says: a medewerker without beschikbaarheid rows is not planned)."""
    m = pm.data.bundle.staff[sid]
    total = 0
    for day in days:
        spans = [(datetime.combine(day, w.start), datetime.combine(day, w.end))
                 for w in m.availability if w.weekday == day.weekday()]
        for s, e in spans:
            if not pm.data.absent(sid, s, e):
                total += minutes(s, e)
    return total


def available_minutes(pm: PlanModel, sid: str, week: int) -> int:
    """Minutes inside the availability windows of the 7 days from day ``7 * week``, minus absences."""
    return _available(pm, sid, [pm.data.period_start + timedelta(days=7 * week + d) for d in range(7)])


def _weekly_capacity(pm: PlanModel, rule: Rule) -> None:
    data = pm.data
    for (sid, week), (terms, fixed) in weekly_load(pm).items():
        days = [day for d, day in enumerate(data.days) if data.calendar_week(d) == week]
        if terms:
            pm.model.Add(sum(terms) <= max(_available(pm, sid, days) - fixed, 0)).OnlyEnforceIf(
                pm.enforce(rule, f"medewerker:{sid}"))


def add_max_week_hours(pm: PlanModel, rule: Rule) -> None:
    """Worked hours per calendar week <= ``hours`` (Arbeidstijdenwet); the history shifts of a week begun
    before the period count as fixed load, as the checker counts them."""
    cap = int(rule.params.get("hours", 60) * 60)
    history = pm.data.history_week_minutes
    pm.after_variables.append(lambda pm: [
        pm.model.Add(sum(terms) <= max(cap - fixed - history.get((sid, w), 0), 0)).OnlyEnforceIf(
            pm.enforce(rule, f"medewerker:{sid}:week:{w}"))
        for (sid, w), (terms, fixed) in weekly_load(pm).items() if terms])


def add_contract_hours(pm: PlanModel, rule: Rule) -> None:
    """Worked hours per calendar week above contract x (1 + tolerance) are penalised per started hour; the
    history shifts of a week begun before the period count, as the checker counts them (only in a week
    with the plan's own work)."""
    tol = float(rule.params.get("tolerance_pct", 0)) / 100
    history = pm.data.history_week_minutes

    def build(pm: PlanModel) -> None:
        for (sid, w), (terms, fixed) in weekly_load(pm).items():
            cap = round(pm.data.bundle.staff[sid].contract_hours * (1 + tol) * 60)
            base = fixed + history.get((sid, w), 0)
            over = pm.new_int(0, 7 * 24, f"contract_over_h[{sid},{w}]")
            ct = pm.model.Add(60 * over >= sum(terms) + base - cap)
            if not fixed and base > cap:  # the history alone is over: it counts once the plan works that week
                works = pm.model.NewBoolVar(f"works_week[{sid},{w}]")
                pm.model.Add(sum(terms) <= 7 * 24 * 60 * works)
                ct.OnlyEnforceIf(works)
            pm.penalize(rule, over, where=f"medewerker {sid}, kalenderweek {w + 1}")
    pm.after_variables.append(build)
