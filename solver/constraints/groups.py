"""Group session families: who is present at each session occurrence (decision 2).

A session that cannot be staffed is not held (``held`` false): unmet demand
with the highest penalty, never a silent staffing violation.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.domain import Education
from planner.roles import is_registered_professional
from planner.rules import Rule
from planner.semantics.eligibility import holds_registration, registration_ok
from planner.semantics.staffing import required_staff_for_ratio, staff_count_bounds
from solver.constraints import candidate_filter
from solver.model import PlanModel


def _count_rule(pm: PlanModel, rule: Rule, o, expr, need: int, name: str) -> None:
    """expr >= need whenever the occurrence is held: hard, or soft with a shortfall penalty."""
    held = pm.held[pm.occ_key(o)]
    if need <= 0:
        return
    if rule.severity == "hard":
        pm.model.Add(expr >= need).OnlyEnforceIf([held, *pm.enforce(rule, f"sessie:{o.label}")])
    else:
        short = pm.new_int(0, need, f"{name}[{o.label}]")
        pm.model.Add(short >= need - expr - need * (1 - held))
        pm.penalize(rule, short, where=f"groepssessie {o.label}")


def add_group_size_max(pm: PlanModel, rule: Rule) -> None:
    """Data rule: enrolments decide the group size; reported by the checker and in explanations."""


def add_staff_ratio(pm: PlanModel, rule: Rule) -> None:
    """Staff present >= ceil(enrolled / jeugdigen_per_staff) in every held session."""
    per = float(rule.params["jeugdigen_per_staff"])
    for o in pm.occurrences_for(rule):
        need = required_staff_for_ratio(pm.data.enrolled(o), per)
        _count_rule(pm, rule, o, cp_model.LinearExpr.sum(list(pm.present(o).values())), need, "ratio_short")


def add_group_staff_count(pm: PlanModel, rule: Rule) -> None:
    """Staff present within [min, max] in every held session with jeugdigen."""
    lo, hi = staff_count_bounds(rule)
    for o in pm.occurrences_for(rule):
        if pm.data.enrolled(o) == 0:
            continue
        present = cp_model.LinearExpr.sum(list(pm.present(o).values()))
        if lo is not None:
            _count_rule(pm, rule, o, present, int(lo), "count_short")
        if hi is not None:
            if rule.severity == "hard":
                pm.model.Add(present <= int(hi)).OnlyEnforceIf(pm.enforce(rule, f"sessie:{o.label}"))
            else:
                over = pm.new_int(0, len(pm.present(o)), f"count_over[{o.label}]")
                pm.model.Add(over >= present - int(hi))
                pm.penalize(rule, over, where=f"groepssessie {o.label}")


def add_group_min_education_present(pm: PlanModel, rule: Rule) -> None:
    """At least ``count`` present with education >= ``education`` (e.g. one wo in 45F32)."""
    level, count = Education(rule.params["education"]), int(rule.params.get("count", 1))
    staff = pm.data.bundle.staff
    for o in pm.occurrences_for(rule):
        if pm.data.enrolled(o) == 0:
            continue
        qualified = [v for sid, v in pm.present(o).items() if staff[sid].education >= level]
        _count_rule(pm, rule, o, sum(qualified), count, "edu_short")


@candidate_filter
def add_group_min_education_all(pm: PlanModel, rule: Rule) -> None:
    """Only staff with education >= ``education`` work in the group."""
    level = Education(rule.params["education"])
    pm.restrict_sessions(rule, pm.occurrences_for(rule), lambda m, o: m.education >= level)


@candidate_filter
def add_group_registration_required(pm: PlanModel, rule: Rule) -> None:
    """Staff at or above ``min_education`` in the group hold one of ``registrations``."""
    level, regs, professions = rule.params.get("min_education", "hbo"), rule.params["registrations"], \
        rule.params.get("professions")
    pm.restrict_sessions(rule, pm.occurrences_for(rule), lambda m, o: registration_ok(m, level, regs, professions))


def add_group_mbo3_needs_mbo4(pm: PlanModel, rule: Rule) -> None:
    """An mbo3 present requires someone with mbo4 or higher present."""
    staff = pm.data.bundle.staff
    for o in pm.occurrences_for(rule):
        present = pm.present(o)
        seniors = [v for sid, v in present.items() if staff[sid].education >= Education.MBO4]
        for sid, v in present.items():
            if staff[sid].education == Education.MBO3:
                pm.model.Add(sum(seniors) >= 1).OnlyEnforceIf([v, *pm.enforce(rule, f"sessie:{o.label}")])


def add_group_mbo4_under_registered(pm: PlanModel, rule: Rule) -> None:
    """Staff below hbo work only with a registered professional present (interpretation ``aanwezig``)."""
    if rule.interpretations.get("onder_regie") and rule.interpretation("onder_regie") != "aanwezig":
        return  # "verantwoordelijk": a case-level duty, not a presence constraint
    staff, regs = pm.data.bundle.staff, rule.params.get("registrations", ["SKJ"])
    for o in pm.occurrences_for(rule):
        present = pm.present(o)
        registered = [v for sid, v in present.items()
                      if is_registered_professional(staff[sid]) and holds_registration(staff[sid], regs)]
        for sid, v in present.items():
            if staff[sid].education < Education.HBO:
                pm.model.Add(sum(registered) >= 1).OnlyEnforceIf([v, *pm.enforce(rule, f"sessie:{o.label}")])


def add_supervision_span(pm: PlanModel, rule: Rule) -> None:
    """Unregistered staff present <= max_unregistered x registered hbo+ present."""
    span = int(rule.params["max_unregistered"])
    staff = pm.data.bundle.staff
    for o in pm.occurrences_for(rule):
        present = pm.present(o)
        reg = [v for sid, v in present.items() if is_registered_professional(staff[sid])]
        unreg = [v for sid, v in present.items() if not is_registered_professional(staff[sid])]
        if unreg:
            pm.model.Add(sum(unreg) <= span * sum(reg)).OnlyEnforceIf(pm.enforce(rule, f"sessie:{o.label}"))


