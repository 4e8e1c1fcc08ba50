"""Rest families in the assignment stage: the daily rest, the working day and the weekly rest.

Stage 2 (solver/contacts/) decides these rules where contacts are placed in time, around the sessions
stage 1 gives each person and their fixed shifts (stage 0's and the previous period's).  Here stage 1 keeps
that fixed work such that stage 2 can keep the rules with it: candidate filters keep sessions clear of the
rest and the working day around fixed shifts, a pairwise exclusion does the same between two sessions,
and the weekly rest asks a rest day that stage 2 can keep free.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from datetime import timedelta

from planner.rules import Rule
from solver.constraints import candidate_filter
from solver.contacts.model import DAY
from solver.contacts.rest import rest_day, weekly_rest_windows
from solver.model import PlanModel


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
    it; stage 2 may use it for contacts and keeps the rest around all work (solver/contacts/).

    Between two sessions the same holds (a pairwise exclusion per person): not both of two sessions on
    different days with less than ``hours`` between them, nor two on one day that, with that day's shifts,
    span more than 24 - ``hours`` h."""
    rest = timedelta(hours=float(rule.params.get("hours", 11)))
    one_day = timedelta(days=1) - rest  # the longest working day that leaves the rest in its 24 h
    fixed = _FixedShifts([*pm.data.history_shifts, *pm.data.shifts])

    def ok(m, o) -> bool:
        return all(s.start.date() == o.start.date() and max(s.end, o.end) - min(s.start, o.start) <= one_day
                   for s in fixed.near(m.id, o, rest))
    if fixed.by_staff:
        pm.restrict_sessions(rule, pm.data.occurrences, ok)
    spans = _day_span(pm)

    def clash(sid: str, a, b) -> bool:
        if a.start.date() == b.start.date():
            return _span(spans, sid, a, b) > one_day
        return b.start - a.end < rest
    pm.after_variables.append(lambda pm: _session_pairs(pm, rule, clash))


@candidate_filter
def add_max_shift_hours(pm: PlanModel, rule: Rule) -> None:
    """A working day of at most ``hours``: nobody joins a session on the day one of their residential shifts
    starts when the two together span more than ``hours`` (stage 2 counts a day from its first start to its
    last end, a night belonging to the day it starts; stricter than the checker's dienst for a morning
    session before a night).  Two sessions on one day that, with that day's shifts, span more than ``hours``
    are not both given to one person (a pairwise exclusion)."""
    limit = timedelta(hours=float(rule.params.get("hours", 12)))
    by_staff: dict[tuple, list] = defaultdict(list)
    for s in pm.data.shifts:
        by_staff[s.staff_id, s.start.date()].append(s)
    if by_staff:
        pm.restrict_sessions(rule, pm.data.occurrences, lambda m, o: not any(
            max(s.end, o.end) - min(s.start, o.start) > limit for s in by_staff.get((m.id, o.start.date()), ())))
    spans = _day_span(pm)
    pm.after_variables.append(lambda pm: _session_pairs(pm, rule, lambda sid, a, b: a.start.date() == b.start.date()
                                                        and _span(spans, sid, a, b) > limit))


def _session_pairs(pm: PlanModel, rule: Rule, clash) -> None:
    """Per person, not both of two candidate sessions starting within two days of each other for which
    ``clash(staff_id, first, second)`` holds (hard rules only: a soft one is left to the checker's report)."""
    if rule.severity != "hard":
        return
    by_staff: dict[str, list] = defaultdict(list)
    for o in pm.data.occurrences:  # sorted by start
        for sid, var in pm.present(o).items():
            by_staff[sid].append((o, var))
    for sid, lst in by_staff.items():
        lst.sort(key=lambda pair: pair[0].start)
        for i, (a, va) in enumerate(lst):
            for b, vb in lst[i + 1:]:
                if b.start >= a.start + timedelta(days=2):
                    break
                if clash(sid, a, b):
                    pm.model.AddBoolOr([va.Not(), vb.Not()]).OnlyEnforceIf(pm.enforce(rule, f"medewerker:{sid}"))


def _day_span(pm: PlanModel):
    """(staff, date) -> the first start and last end of the residential shifts starting that day."""
    out: dict[tuple, tuple] = {}
    for s in pm.data.shifts:
        lo, hi = out.get((s.staff_id, s.start.date()), (s.start, s.end))
        out[s.staff_id, s.start.date()] = (min(lo, s.start), max(hi, s.end))
    return out


def _span(spans: dict, sid: str, a, b) -> timedelta:
    """Length of the working day of sessions ``a`` and ``b`` (same start date) and that day's shifts."""
    lo, hi = spans.get((sid, a.start.date()), (a.start, a.end))
    return max(hi, a.end, b.end) - min(lo, a.start, b.start)


class _Days:
    """One person's days as solver/contacts/rest.py reads them (``works``, ``day_start``, ``day_end`` per day
    of the period, ``history`` in minutes since the period start), with the work stage 1 knows: ``fixed``
    (stage 0's shifts), ``history`` (the previous period's) and ``sessions`` ((start, end, present literal)).
    With ``chosen`` False every candidate session counts as work and all values are numbers; with True a day
    with candidate sessions gets stage 2's day variables, bound by the sessions' literals.  A day without
    work reads as free from its start (for the day after it) to its end (for the day before it), as stage 2
    may set them; contacts are not known here, and stage 2 can keep them off a rest day."""

    def __init__(self, pm: PlanModel, sid: str, fixed: list, history: list, sessions: list, chosen: bool):
        self.model, self.history = pm.model, sorted(history)
        fixed_on: dict[int, list] = defaultdict(list)
        for s, e in fixed:
            fixed_on[s // DAY].append((s, e))
        optional: dict[int, list] = defaultdict(list)
        for s, e, var in sessions:
            optional[s // DAY].append((s, e, var))
        self.works, self.day_start, self.day_end = {}, {}, {}
        for d in range(len(pm.data.days)):
            work = fixed_on[d] + ([] if chosen else [(s, e) for s, e, _ in optional[d]])
            self.works[d] = int(bool(work))
            self.day_start[d] = min([(d + 1) * DAY, *(s for s, _ in work)])
            self.day_end[d] = max([d * DAY, *(e for _, e in work)])
            if chosen and optional[d]:
                self._variables(sid, d, bool(work), optional[d])

    def _variables(self, sid: str, d: int, fixed: bool, optional: list) -> None:
        """Stage 2's day variables for day ``d`` (solver/contacts/model.py, ``build_days``)."""
        m = self.model
        ds = m.NewIntVar(d * DAY, (d + 1) * DAY, f"rest_day_start[{sid},{d}]")
        de = m.NewIntVar(d * DAY, (d + 2) * DAY, f"rest_day_end[{sid},{d}]")
        m.Add(de >= ds)
        m.Add(de >= self.day_end[d])
        if fixed:
            m.Add(ds <= self.day_start[d])
        else:
            self.works[d] = m.NewBoolVar(f"rest_works[{sid},{d}]")
        for s, e, var in optional:
            m.Add(ds <= s).OnlyEnforceIf(var)
            m.Add(de >= e).OnlyEnforceIf(var)
            if not fixed:
                m.AddImplication(var, self.works[d])
        self.day_start[d], self.day_end[d] = ds, de


def add_weekly_rest(pm: PlanModel, rule: Rule) -> None:
    """W.wekelijkse_rust in stage 1: per person and calendar week (or 7 x 24 h window, ``venster`` ``glijdend``)
    in which they work, a rest day that stage 2 can keep free of contacts.

    Sufficient, never looser than the checker: a day on which none of the person's fixed work (stage 0's
    shifts, the previous period's, the sessions chosen here) starts, whose free time, read as stage 2 reads
    it (solver/contacts/rest.py: from the end of the work begun the day before or the day before that, to
    the first start on the day after; days after the horizon free), is ``hours`` inside the window.  The
    checker's longest rest in that window is at least as long.  A window that already holds such a day with
    every candidate session chosen needs nothing; when the shifts alone leave none, nothing is asked of the
    sessions (stage 1 cannot help; stage 2 then places no contacts for that person)."""
    rest = int(float(rule.params.get("hours", 36)) * 60)

    def build(pm: PlanModel) -> None:
        data = pm.data

        def minute(dt) -> int:
            return int((dt - data.start_dt).total_seconds() // 60)
        sessions: dict[str, list] = defaultdict(list)
        for o in data.occurrences:
            for sid, var in pm.present(o).items():
                sessions[sid].append((minute(o.start), minute(o.end), var))
        fixed: dict[str, list] = defaultdict(list)
        for s in data.shifts:
            fixed[s.staff_id].append((minute(s.start), minute(s.end)))
        history: dict[str, list] = defaultdict(list)
        for s in data.kept_history_shifts:
            history[s.staff_id].append((minute(s.start), minute(s.end)))
        for sid, mine in sessions.items():
            work = (pm, sid, fixed[sid], history[sid], mine)
            everything, view = _Days(*work, chosen=False), None
            # stage 2's windows; one from a day of the period starts here at that day's 00:00: its end comes no
            # later than from the day's first start, and the rest after that day's work is measured from its
            # end, so a rest day found here is one there too
            windows = weekly_rest_windows(rule, data.days, everything.history, lambda j: j * DAY)
            for name, days, lo, hi, asking in windows:
                if any(rest_day(everything, d, lo, hi, rest, "") is True for d in days):
                    continue
                if view is None:
                    view = _Days(*work, chosen=True)
                _require(pm, rule, sid, [view.works[k] for k in asking],
                         [rest_day(view, d, lo, hi, rest, f"rest_day[{sid},{name},{d}]") for d in days])
    pm.after_variables.append(build)


def _require(pm: PlanModel, rule: Rule, sid: str, when: list, options: list) -> None:
    """One of ``options`` (rest_day literals, True or None) holds when one of ``when`` does (1: a shift asks
    it; with no option left, the shifts alone leave none, and nothing is asked of the sessions)."""
    if any(o is True for o in options):
        return
    options = [o for o in options if o is not None]
    enforce = pm.enforce(rule, f"medewerker:{sid}")
    if any(isinstance(w, int) and w for w in when):
        if options:
            pm.model.AddBoolOr(options).OnlyEnforceIf(enforce)
        return
    for w in when:
        if isinstance(w, int):
            continue
        if options:
            pm.model.AddBoolOr(options).OnlyEnforceIf([w, *enforce])
        else:
            pm.model.Add(w == 0).OnlyEnforceIf(enforce)
