"""Rule kinds decided when contacts are placed in time: ``add_<kind>(cm, rule)`` on a ContactModel."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from planner.rules import Rule
from planner.semantics.history import cap_minutes_left, cap_scope
from planner.semantics.holidays import contact_closed
from planner.semantics.rest import daily_rest_params
from solver.contacts.model import DAY, ContactModel
from solver.contacts.rest import (
    last_history_shortening,
    require_rest_day,
    weekly_rest_windows,
)


def _mine(cm: ContactModel, rule: Rule):
    ts = cm.data.bundle.toewijzingen
    return [pv for pv in cm.placed
            if rule.applies_to(ts[pv.need.toewijzing_id].product_code, ts[pv.need.toewijzing_id].intervention)]


def add_contact_frequency(cm: ContactModel, rule: Rule) -> None:
    """Contacts of one toewijzing in a week on different days (counts come from the omvang and the rule)."""
    by_need = {}
    for pv in _mine(cm, rule):
        if pv.need.kind == "contact":
            by_need.setdefault((pv.need.toewijzing_id, pv.need.week), []).append(pv)
    for group in by_need.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                for d in set(a.days) & set(b.days):
                    cm.model.AddBoolOr([a.days[d].Not(), b.days[d].Not()])


def add_start_within(cm: ContactModel, rule: Rule) -> None:
    """The first contact of a new toewijzing starts within ``hours`` of its start (Families First, ASH)."""
    for pv in _mine(cm, rule):
        if pv.need.first_deadline is not None and pv.index == min(
                p.index for p in cm.placed if p.need is pv.need):
            cm.model.Add(pv.start <= cm.minute(pv.need.first_deadline)).OnlyEnforceIf(pv.presence)
            cm.penalties.append((10_000, 1 - pv.presence))


def add_omvang_cap(cm: ContactModel, rule: Rule) -> None:
    """Placed contact minutes plus the care history (realisatie) stay within ``max_hours`` per scope (calendar
    year or traject; counts are also capped when needs are made, solver.contacts.needs)."""
    per_t: dict[tuple[str, str], list] = {}
    for pv in _mine(cm, rule):
        scope = cap_scope(rule, pv.need.earliest.date())
        per_t.setdefault((pv.need.toewijzing_id, scope), []).append(pv)
    for (tid, scope), pvs in per_t.items():
        left = cap_minutes_left(rule, cm.data.history.get(tid, ()), pvs[0].need.earliest.date())
        cm.model.Add(sum(pv.need.length * pv.presence for pv in pvs) <= left)


def add_no_contact_on_holiday(cm: ContactModel, rule: Rule) -> None:
    """No contact of a covered toewijzing on a feestdag unless the manifest allows it (planner.semantics.holidays);
    group sessions on a feestdag do not occur at all (session_occurrences), so stage 1 never staffs them."""
    ts, pack = cm.data.bundle.toewijzingen, cm.data.pack.model_copy(update={"rules": [rule]})
    for pv in cm.placed:
        t = ts[pv.need.toewijzing_id]
        for d, lit in pv.days.items():
            if 0 <= d < len(cm.data.days) and contact_closed(cm.data.bundle, pack, t, cm.data.days[d]):
                cm.model.Add(lit == 0)


def add_regie_one_on_one(cm: ContactModel, rule: Rule) -> None:
    """The responsible's one-on-one intake/regie contact is placed (needs come from the rule's params)."""
    for pv in _mine(cm, rule):
        if pv.need.one_on_one and rule.severity == "hard":
            cm.penalties.append((10_000, 1 - pv.presence))


def add_contact_by_executor(cm: ContactModel, rule: Rule) -> None:
    """By construction: contacts are placed in the executor's (or, one-on-one, the responsible's) model, so the
    visits (kind contact) are always the first executor's (``executor_only``, FF A:3649)."""


def add_contact_within_toewijzing(cm: ContactModel, rule: Rule) -> None:
    """Contacts fall on the toewijzing's valid dates (start date 00:00 to the day after the end date): the
    needs' windows are cut to them, and each placed contact is kept inside them."""
    ts = cm.data.bundle.toewijzingen
    for pv in cm.placed:
        t = ts[pv.need.toewijzing_id]
        lo = cm.minute(datetime.combine(t.start, datetime.min.time()))
        hi = cm.minute(datetime.combine(t.end + timedelta(days=1), datetime.min.time()))
        cm.model.Add(pv.start >= lo).OnlyEnforceIf(pv.presence)
        cm.model.Add(pv.start + pv.need.length <= hi).OnlyEnforceIf(pv.presence)


def add_max_shift_hours(cm: ContactModel, rule: Rule) -> None:
    """A working day (first start to last end) lasts at most ``hours``."""
    limit = int(float(rule.params.get("hours", 12)) * 60)
    for d, ds in cm.day_start.items():
        cm.model.Add(cm.day_end[d] - ds <= limit)


def add_daily_rest(cm: ContactModel, rule: Rule) -> None:
    """At least ``hours`` between the end of one working day and the start of the next; the previous
    period's last shift counts as the working day before day 0.

    As the checker allows, a gap between two days of the period may be shortened to ``reduced_hours`` once
    per ``reduced_per_days`` x 24 h.  With working days of at most 24 - ``hours`` h (W.max_dienst), only the
    gap after a day can leave that day's starts without the full rest, so the checker's episode of a
    shortened gap after day ``d`` begins on day ``d``.  Hence at most one shortened gap in any
    ``reduced_per_days`` + 1 consecutive days (their episodes then begin at least ``reduced_per_days`` x
    24 h apart; stricter than the checker when they are exactly 7 days apart), and none that begins within
    ``reduced_per_days`` x 24 h of the history's last allowed shortening.  The gap after the history keeps
    the full rest, so the history's own episodes stay as the checker reads them."""
    full, reduced, per = daily_rest_params(rule)
    rest = int(full.total_seconds() // 60)
    short = []
    for d in range(len(cm.day_start) - 1):
        both = [cm.works[d], cm.works[d + 1]]
        gap = cm.day_start[d + 1] - cm.day_end[d]
        if reduced is None or reduced >= full:
            cm.model.Add(gap >= rest).OnlyEnforceIf(both)
            continue
        shortened = cm.model.NewBoolVar(f"short_rest[{d}]")
        cm.model.Add(gap >= int(reduced.total_seconds() // 60)).OnlyEnforceIf(both)
        cm.model.Add(gap >= rest).OnlyEnforceIf([*both, shortened.Not()])
        short.append(shortened)
    if cm.history_end is not None and cm.history_end + rest > 0 and cm.day_start:
        cm.model.Add(cm.day_start[0] >= cm.history_end + rest).OnlyEnforceIf(cm.works[0])
    if not short:
        return
    span = math.ceil(per / timedelta(days=1)) + 1  # days d < d' with d' - d >= span: starts >= per apart
    for i in range(max(len(short) - span, 0) + 1):
        cm.model.AddAtMostOne(short[i:i + span])
    last = last_history_shortening(cm, full, reduced, per)
    if last is not None:
        for d, shortened in enumerate(short):
            if d * DAY - last < per / timedelta(minutes=1):
                cm.model.Add(shortened == 0)


def add_weekly_rest(cm: ContactModel, rule: Rule) -> None:
    """An uninterrupted rest of ``hours`` around a free day, in every calendar week of the period (interpretation
    ``venster`` ``kalenderweek``, the default) or in the 7 x 24 h from the first start of every working day
    (``glijdend``), as the checker measures it: the previous period's shifts count for a week or window begun
    before day 0, the days after the horizon are free, and it is asked only when the person works in that
    week or window in this period (the checker reports only those)."""
    rest = int(float(rule.params.get("hours", 36)) * 60)
    for name, days, lo, hi, asking in weekly_rest_windows(rule, cm.data.days, cm.history, lambda j: cm.day_start[j]):
        require_rest_day(cm, days, lo, hi, rest, [cm.works[k] for k in asking], f"weekly_rest[{name}]")


def add_travel_buffer(cm: ContactModel, rule: Rule) -> None:
    """``minutes`` of travel after each home visit (kept free of other work)."""
    pad = int(rule.params.get("minutes", 30))
    for pv in cm.placed:
        if pv.need.home_visit:
            cm.padding[pv.index] = pad


def add_max_week_hours(cm: ContactModel, rule: Rule) -> None:
    """Placed contacts plus fixed work per calendar week <= ``hours``; the history shifts of a week begun
    before day 0 count, as the checker counts them."""
    cap = int(float(rule.params.get("hours", 60)) * 60)
    for w in range(cm.data.calendar_weeks):
        placed, own, history = cm.weekly_minutes(w)
        if not isinstance(placed, int):
            cm.model.Add(placed <= max(cap - own - history, 0))


def add_contract_hours(cm: ContactModel, rule: Rule) -> None:
    """Hours above contract x (1 + tolerance) per calendar week are penalised per started hour (soft); the
    history shifts of a week begun before day 0 count once this period has work in that week."""
    tol = float(rule.params.get("tolerance_pct", 0)) / 100
    cap = round(cm.staff.contract_hours * (1 + tol) * 60)
    for w in range(cm.data.calendar_weeks):
        placed, own, history = cm.weekly_minutes(w)
        if isinstance(placed, int) and not own:
            continue
        over = cm.model.NewIntVar(0, 7 * 24, f"over[{w}]")
        ct = cm.model.Add(60 * over >= placed + own + history - cap)
        if not own and history > cap:  # only the history is over: counted when a contact is placed that week
            works = cm.model.NewBoolVar(f"works_week[{w}]")
            cm.model.Add(placed <= 7 * 24 * 60 * works)
            ct.OnlyEnforceIf(works)
        monday = cm.data.period_start + timedelta(days=7 * w - cm.data.period_start.weekday())
        cm.rule_penalties.append((rule.id, rule.penalty, over,
                                  f"medewerker {cm.staff.id}, week van {monday.isoformat()} (contract "
                                  f"{cm.staff.contract_hours:g} uur, uren boven contract)"))
