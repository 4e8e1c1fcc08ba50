"""Rule kinds decided when contacts are placed in time: ``add_<kind>(cm, rule)`` on a ContactModel."""

from __future__ import annotations



from planner.rules import Rule
from solver.contacts.model import DAY, ContactModel


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
    """Planned contact hours stay within ``max_hours`` (counts are capped when needs are made)."""
    cap = int(float(rule.params["max_hours"]) * 60)
    per_t = {}
    for pv in _mine(cm, rule):
        per_t.setdefault(pv.need.toewijzing_id, []).append(pv)
    for pvs in per_t.values():
        cm.model.Add(sum(pv.need.length * pv.presence for pv in pvs) <= cap)


def add_regie_one_on_one(cm: ContactModel, rule: Rule) -> None:
    """The responsible's one-on-one intake/regie contact is placed (needs come from the rule's params)."""
    for pv in _mine(cm, rule):
        if pv.need.one_on_one and rule.severity == "hard":
            cm.penalties.append((10_000, 1 - pv.presence))


def add_contact_by_executor(cm: ContactModel, rule: Rule) -> None:
    """By construction: contacts are placed in the executor's (or, one-on-one, the responsible's) model."""


def add_max_shift_hours(cm: ContactModel, rule: Rule) -> None:
    """A working day (first start to last end) lasts at most ``hours``."""
    limit = int(float(rule.params.get("hours", 12)) * 60)
    for d, ds in cm.day_start.items():
        cm.model.Add(cm.day_end[d] - ds <= limit)


def add_daily_rest(cm: ContactModel, rule: Rule) -> None:
    """At least ``hours`` between the end of one working day and the start of the next; the previous
    period's last shift counts as the working day before day 0."""
    rest = int(float(rule.params.get("hours", 11)) * 60)
    for d in range(len(cm.day_start) - 1):
        cm.model.Add(cm.day_start[d + 1] - cm.day_end[d] >= rest).OnlyEnforceIf([cm.works[d], cm.works[d + 1]])
    if cm.history_end is not None and cm.history_end + rest > 0 and cm.day_start:
        cm.model.Add(cm.day_start[0] >= cm.history_end + rest).OnlyEnforceIf(cm.works[0])


def add_weekly_rest(cm: ContactModel, rule: Rule) -> None:
    """Each calendar week has a free day with ``hours`` of uninterrupted rest around it (from the end of the
    previous period's last shift when that reaches into day 0)."""
    rest = int(float(rule.params.get("hours", 36)) * 60)
    for w in range(cm.data.weeks):
        options = []
        for d in range(7 * w, 7 * w + 7):
            ok = cm.model.NewBoolVar(f"weekly_rest[{d}]")
            prev_end = cm.day_end[d - 1] if d > 7 * w else max(7 * w * DAY, cm.history_end or 0)
            next_start = cm.day_start[d + 1] if d < 7 * w + 6 else (7 * w + 7) * DAY
            cm.model.Add(cm.works[d] == 0).OnlyEnforceIf(ok)
            cm.model.Add(next_start - prev_end >= rest).OnlyEnforceIf(ok)
            options.append(ok)
        cm.model.AddBoolOr(options)


def add_travel_buffer(cm: ContactModel, rule: Rule) -> None:
    """``minutes`` of travel after each home visit (kept free of other work)."""
    pad = int(rule.params.get("minutes", 30))
    for pv in cm.placed:
        if pv.need.home_visit:
            cm.padding[pv.index] = pad


def add_max_week_hours(cm: ContactModel, rule: Rule) -> None:
    """Placed contacts plus sessions per calendar week <= ``hours``."""
    cap = int(float(rule.params.get("hours", 60)) * 60)
    for w in range(cm.data.weeks):
        cm.model.Add(cm.weekly_minutes(w) <= cap)


def add_contract_hours(cm: ContactModel, rule: Rule) -> None:
    """Hours above contract x (1 + tolerance) per week are penalised per started hour (soft)."""
    tol = float(rule.params.get("tolerance_pct", 0)) / 100
    cap = round(cm.staff.contract_hours * (1 + tol) * 60)
    for w in range(cm.data.weeks):
        over = cm.model.NewIntVar(0, 7 * 24, f"over[{w}]")
        cm.model.Add(60 * over >= cm.weekly_minutes(w) - cap)
        cm.rule_penalties.append((rule.id, rule.penalty, over))


