"""On-call families: the 24/7 bereikbaarheid rota (decision 3).

The rota is made of 24-hour blocks from 00:00, one team member per team per
day.  Rolling 28-day windows include the previous plan's on-call days as
history, so the limits hold across the period's edge.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from planner.rules import Rule
from planner.semantics.oncall import duties, fits_layer, offering_teams, qualification
from solver.constraints import candidate_filter
from solver.model import W_UNMET_MINUTE, PlanModel

NIGHT_KINDS = ("slaapnacht", "waaknacht")


@candidate_filter
def add_oncall_coverage(pm: PlanModel, rule: Rule) -> None:
    """Every day of the period, each team that carries a toewijzing's 24/7 duty (from its product, A:2829,
    F:103; the team from planner.semantics.oncall) or offers a product whose rule holds ``while_offered``
    (A:3689, A:3613, A:3477) has a certified member on call, and one per layer (``professions``,
    ``min_education``, ``registrations``: crisisdienst achterwacht A:3619, voorwacht A:3629).  Blocks are
    whole days, so a window (``hours``: night A:3177, office hours A:2755) is covered by the day's block.
    A toewijzing with the duty and no team cannot be covered; the checker reports it."""
    by_team, _ = duties(pm.data.bundle, rule, pm.data.toewijzingen, rule.params.get("teams_with_intervention"))
    wanted = set(by_team) | {team.id for team in offering_teams(pm.data.bundle, rule)}
    teams = [team for team in pm.data.oncall_teams if team.id in wanted]
    absence_rule = next(iter(pm.data.pack.rules_of("absence")), rule)  # name the rule that really excludes
    layers: dict[str, list[Rule]] = pm.__dict__.setdefault("oncall_layers", {})
    for team in teams:
        pm.oncall_required.add(team.id)
        certs = team.intervention.casefold() if team.intervention else None
        for d in range(len(pm.data.days)):
            start, end = pm.day_bounds(d)
            for m in pm.data.members(team.id):
                scope = f"bereikbaarheid:{team.id}:{d}"
                if certs and certs not in {c.casefold() for c in m.certifications}:
                    pm.exclude(pm.oncall_candidates, (team.id, d), m.id, rule, scope)
                elif pm.data.absent(m.id, start, end):
                    pm.exclude(pm.oncall_candidates, (team.id, d), m.id, absence_rule, scope)
        if team.id not in layers:
            pm.after_variables.append(lambda pm, team=team: _cover(pm, team.id))
        layers.setdefault(team.id, []).append(rule)


W_UNCOVERED_DAY = 10 * W_UNMET_MINUTE * 24 * 60  # a team day without anyone on call: ten times a day of care


def _cover(pm: PlanModel, team_id: str) -> None:
    """Per team and day one member on call per layer (rules with the same qualification are one layer), or
    the layer's day is uncovered: a slack per (team, layer, day) that costs more than any other care
    (``W_UNCOVERED_DAY``), so a team that cannot be covered leaves the rest of the plan intact.  The first
    layer's slack is ``pm.oncall_uncovered`` (the explanation lists the day with every member and why not).
    With one layer exactly one member is on call; with more, at most one per layer and each extra on-call
    day costs as much as a day away from the fair share.  Nobody is on call for two teams at once."""
    rules = sorted(pm.oncall_layers[team_id], key=lambda r: (qualification(r) != (frozenset(), None, frozenset()), r.id))
    layers: dict[tuple, Rule] = {}
    for r in rules:
        layers.setdefault(qualification(r), r)
    first = next(iter(layers.values()))
    pm.oncall_rule.setdefault(team_id, first.id)
    staff = pm.data.bundle.staff
    for d in range(len(pm.data.days)):
        pool = [sid for sid in sorted(pm.oncall_candidates[team_id, d]) if (team_id, d, sid) in pm.oncall]
        on = [pm.oncall[team_id, d, sid] for sid in pool]
        for i, layer in enumerate(layers.values()):
            uncovered = pm.model.new_bool_var(f"oncall_uncovered[{team_id},{layer.id},{d}]")
            if i == 0:
                pm.oncall_uncovered[team_id, d] = uncovered
            fit = [pm.oncall[team_id, d, sid] for sid in pool if fits_layer(layer, staff[sid])]
            if len(layers) == 1:
                pm.model.Add(sum(fit) + uncovered == 1)
                pm.model.Add(sum(on) == sum(fit))  # nobody outside the layer
            else:
                pm.model.Add(sum(fit) + uncovered >= 1)
            pm.extra_objective.append(W_UNCOVERED_DAY * uncovered)
        if len(layers) > 1:
            pm.model.Add(sum(on) <= len(layers))
            pm.fairness.extend(on)
        for sid in pool:
            others = [v for (tm, dd, s), v in pm.oncall.items() if s == sid and dd == d and tm < team_id]
            if others:
                pm.model.AddAtMostOne([pm.oncall[team_id, d, sid], *others])


@candidate_filter
def add_oncall_consent(pm: PlanModel, rule: Rule) -> None:
    """Staff who need to consent (CAO) are on call only with consent."""
    staff = pm.data.bundle.staff
    for key, pool in pm.oncall_candidates.items():
        for sid in list(pool):
            if staff[sid].oncall_consent_required and not staff[sid].oncall_consent:
                pm.exclude(pm.oncall_candidates, key, sid, rule, f"bereikbaarheid:{key[0]}:{key[1]}")


def history_days(pm: PlanModel) -> dict[str, set[int]]:
    """Per staff member, the day offsets (negative = before the period) with on-call in the previous plan."""
    out: dict[str, set[int]] = defaultdict(set)
    prev = pm.data.previous
    if prev is None:
        return out
    for b in [*prev.history_oncall, *prev.oncall]:
        t = b.start
        while t < b.end:
            offset = (t.date() - pm.data.period_start).days
            if offset < 0:
                out[b.staff_id].add(offset)
            t = datetime.combine(t.date() + timedelta(days=1), datetime.min.time())
    return out


def _oncall_by_staff_day(pm: PlanModel) -> dict[str, dict[int, list]]:
    out: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for (team, d, sid), v in pm.oncall.items():
        out[sid][d].append(v)
    return out


def _window_limit(pm: PlanModel, rule: Rule, limit_of_window, name: str) -> None:
    """For every 28-day window that overlaps the period: history days + planned days <= limit."""
    window = int(rule.params.get("window_days", 28))
    hist = history_days(pm)
    n = len(pm.data.days)
    for sid, per_day in _oncall_by_staff_day(pm).items():
        for first in range(-window + 1, n):
            days = range(max(first, 0), min(first + window, n))
            planned = [v for d in days for v in per_day.get(d, [])]
            if not planned:
                continue
            past = sum(1 for d in hist.get(sid, ()) if first <= d < 0)
            limit = limit_of_window(window) - past
            if len(planned) <= limit:
                continue
            pm.model.Add(sum(planned) <= max(limit, 0)).OnlyEnforceIf(pm.enforce(rule, f"medewerker:{sid}:{name}"))


def add_oncall_max_per_28d(pm: PlanModel, rule: Rule) -> None:
    """At most ``max_days`` x 24 h on call in any 28 days (CAO Jeugdzorg 6.4.1)."""
    pm.after_variables.append(lambda pm: _window_limit(pm, rule, lambda w: int(rule.params.get("max_days", 7)), "cao"))


def add_oncall_free_periods(pm: PlanModel, rule: Rule) -> None:
    """At least ``min_free`` on-call-free 24 h periods in every 28 days (Arbeidstijdenbesluit)."""
    min_free = int(rule.params.get("min_free", 14))
    pm.after_variables.append(lambda pm: _window_limit(pm, rule, lambda w: w - min_free, "vrij"))


@candidate_filter
def add_oncall_night_shift_buffer(pm: PlanModel, rule: Rule) -> None:
    """No on-call within ``before`` hours before or ``after`` hours after a night shift (known shifts: this
    period's, and the previous plan's before the period, which the new plan keeps as history)."""
    before, after = timedelta(hours=rule.params.get("before", 11)), timedelta(hours=rule.params.get("after", 14))
    shifts = [s for s in pm.data.shifts if s.kind in NIGHT_KINDS]
    for plan in (pm.data.previous, pm.data.fixed):
        if plan is not None:
            shifts += [s for s in [*plan.history_shifts, *plan.shifts]
                       if s.kind in NIGHT_KINDS and s.start < pm.data.start_dt]
    for s in shifts:
        for (team, d), pool in pm.oncall_candidates.items():
            start, end = pm.day_bounds(d)
            if s.staff_id in pool and start < s.end + after and s.start - before < end:
                pm.exclude(pm.oncall_candidates, (team, d), s.staff_id, rule, f"bereikbaarheid:{team}:{d}")


def fairness_terms(pm: PlanModel) -> None:
    """Objective (not a rule): on-call days spread relative to contract hours."""
    by_team = defaultdict(lambda: defaultdict(list))
    for (team, d, sid), v in pm.oncall.items():
        by_team[team][sid].append(v)
    for team, per_staff in by_team.items():
        total_contract = sum(pm.data.bundle.staff[s].contract_hours for s in per_staff) or 1
        days = len(pm.data.days)
        for sid, vs in per_staff.items():
            share = round(days * pm.data.bundle.staff[sid].contract_hours / total_contract)
            dev = pm.new_int(0, days, f"oncall_dev[{team},{sid}]")
            pm.model.AddAbsEquality(dev, sum(vs) - share)
            pm.fairness.append(dev)
