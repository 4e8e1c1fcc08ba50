"""Explanations in the teamleider's words: why something is not served, why a model is infeasible.

Infeasibility is explained with assumptions: every hard constraint is built
under a literal per (rule, scope); the solver returns a small set of literals
that cannot hold together, which we translate into rule id, citation, entity
and what is short.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from ortools.sat.python import cp_model

from planner.timeutil import WEEKDAYS_NL
from solver.model import PlanModel


def _exclusions(pm: PlanModel, scope: str) -> Counter:
    return Counter(rule_id for (sc, _), rule_id in pm.excluded_by.items() if sc == scope)


def _rule_phrase(pm: PlanModel, rule_id: str, count: int) -> str:
    rule = pm.data.pack.rule(rule_id)
    return f"{count} medewerker(s) uitgesloten door {rule.id} ({rule.citation}: {rule.text})"


def _assignment_rule(pm: PlanModel, t) -> str:
    rule = next((r for r in pm.data.pack.rules_of("assignment_present")
                 if r.applies_to(t.product_code, t.intervention)), None)
    return rule.id if rule else "toewijzing_bemenst"


def unserved_reason(pm: PlanModel, t) -> str:
    """Dutch reason why toewijzing ``t`` got no executor/responsible this period: rule id and toewijzing
    first, then what is missing and who was excluded by which rule."""
    label = f"toewijzing {t.id} ({t.product_code}{' ' + t.intervention if t.intervention else ''})"
    hours = pm.data.demand_minutes(t) / 60 / max(pm.data.weeks, 1)
    for role, pool, scope in (("uitvoerder", pm.exec_candidates, f"uitvoerder:{t.id}"),
                              ("verantwoordelijke", pm.resp_candidates, f"verantwoordelijke:{t.id}")):
        if role == "verantwoordelijke" and t.id not in pm.resp_needed:
            continue
        if not pool[t.id]:
            excluded = _exclusions(pm, scope).most_common()
            why = "; ".join(_rule_phrase(pm, r, n) for r, n in excluded)
            lead = excluded[0][0] if excluded else _assignment_rule(pm, t)
            fix = f"; nodig: een {role} die aan {lead} voldoet" if excluded else ""
            return f"{lead} — {label}: geen geschikte {role}{fix}; {why or 'geen medewerkers'}."
    eligible = pm.eligible_count.get(t.id, len(pm.exec_candidates[t.id]))
    return (f"{_assignment_rule(pm, t)} — {label}: onvoldoende capaciteit; alle {eligible} geschikte "
            f"uitvoerder(s) zijn deze periode volgepland; nodig: {hours:.1f} uur per week bij een geschikte uitvoerder.")


def cancelled_reason(pm: PlanModel, o) -> str:
    """Dutch reason why a group session occurrence is not held: rule id and session first, what is short, who
    was excluded by which rule."""
    from planner.domain import Education
    from planner.semantics.staffing import required_staff_for_ratio, staff_count_bounds

    staff = pm.data.bundle.staff
    pool = pm.session_candidates[pm.occ_key(o)]
    n = pm.data.enrolled(o)
    excluded = _exclusions(pm, f"sessie:{o.label}")
    why = "; ".join(_rule_phrase(pm, r, k) for r, k in excluded.most_common())
    head = f"groepssessie {o.label} afgelast: {n} jeugdigen"
    for rule in pm.data.pack.rules:
        if rule.severity != "hard" or not rule.applies_to(pm.data.group_product(o)):
            continue
        need, have, what = 0, len(pool), "medewerkers"
        if rule.kind == "staff_ratio":
            need = required_staff_for_ratio(n, float(rule.params["jeugdigen_per_staff"]))
        elif rule.kind == "group_staff_count":
            need = staff_count_bounds(rule)[0] or 0
        elif rule.kind == "group_min_education_present":
            level = Education(rule.params["education"])
            need, what = int(rule.params.get("count", 1)), f"medewerker(s) met minstens {level.value}"
            have = sum(1 for s in pool if staff[s].education >= level)
        if need > have:
            return (f"{rule.id} — {head} vragen {need} {what} ({rule.citation}); beschikbaar: "
                    f"{have if have else 'geen'}, {need - have} te weinig{' (' + why + ')' if why else ''}.")
    lead = excluded.most_common(1)[0][0] if excluded else next(
        (r.id for r in pm.data.pack.rules_of("held_session_staffed")), "sessie_bemenst")
    return (f"{lead} — {head}: niet te bemensen met de beschikbare medewerkers ({len(pool)} inzetbaar"
            f"{'; ' + why if why else ''}).")


def _scope_text(pm: PlanModel, scope: str) -> str:
    parts = scope.split(":")
    if parts[0] == "team":
        team, day = parts[1], pm.data.period_start + timedelta(days=int(parts[3]))
        members = pm.data.members(team)
        pool = pm.oncall_candidates.get((team, int(parts[3])), set())
        excluded = [f"{sid} ({pm.excluded_by.get((f'bereikbaarheid:{team}:{parts[3]}', sid), '?')})"
                    for sid in sorted(m.id for m in members) if sid not in pool]
        return (f"Team {team} op {WEEKDAYS_NL[day.weekday()]} {day.isoformat()}: {len(members)} teamleden, "
                f"inzetbaar: {', '.join(sorted(pool)) or 'niemand'}"
                + (f"; uitgesloten: {', '.join(excluded)}" if excluded else ""))
    if parts[0] == "sessie":
        label = scope.split(":", 1)[1]
        o = next((o for o in pm.data.occurrences if o.label == label), None)
        if o is None:
            return f"Groepssessie {label}"
        pool = pm.session_candidates[pm.occ_key(o)]
        staff = pm.data.bundle.staff
        levels = Counter(staff[s].education.value for s in pool)
        return (f"Groepssessie {label}: {pm.data.enrolled(o)} jeugdigen; beschikbaar: {len(pool)} medewerker(s)"
                + (f" ({', '.join(f'{n}x {lvl}' for lvl, n in sorted(levels.items()))})" if levels else ""))
    if parts[0] == "medewerker":
        return f"Medewerker {parts[1]}" + (f", week {int(parts[3]) + 1}" if len(parts) > 3 and parts[2] == "week" else "")
    if parts[0] == "gezin":
        return f"Gezin {parts[1]}"
    return scope


def explain_infeasible(pm: PlanModel, time_limit: float = 10.0) -> list[str]:
    """A small set of hard rules that cannot hold together, in Dutch (pm must be built with explain=True)."""
    names = sorted(pm.literals)
    pm.model.AddAssumptions([pm.literals[n] for n in names])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1  # assumption cores need the sequential search
    status = solver.Solve(pm.model)
    if status != cp_model.INFEASIBLE:
        return ["Geen tegenstrijdige harde regels gevonden binnen de tijdslimiet."]
    by_index = {pm.literals[n].Index(): n for n in names}
    core = [by_index[i] for i in solver.SufficientAssumptionsForInfeasibility() if i in by_index]
    lines = []
    for name in core:
        rule, scope = pm.literal_info[name]
        lines.append(f"{rule.id} ({rule.citation}): {rule.text} — {_scope_text(pm, scope)}.")
    return lines or ["Het model is onoplosbaar, maar er is geen kleine verklaring gevonden."]
