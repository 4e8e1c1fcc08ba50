"""Caseload families: who executes and who is responsible for each toewijzing (decision 1).

Qualification rules are candidate filters: a pair that breaks a hard rule is
never a variable, and the excluding rule is remembered for explanations.  The
eligibility predicates are the checker's own (planner.semantics.eligibility), so
solver and checker cannot disagree on who qualifies.
"""

from __future__ import annotations

from collections import defaultdict

from planner.domain import Education
from planner.rules import Rule
from planner.semantics.eligibility import executor_bound_roles, has_role, registration_ok, responsible_ok
from solver.constraints import candidate_filter
from solver.model import PlanModel


def _failing(pm: PlanModel, rule: Rule, ok, key) -> dict[object, set[str]]:
    """Staff failing ``ok`` per distinct ``key(t)``: the predicate depends on the product/intervention,
    not on the toewijzing itself, so it is evaluated once per key and staff member."""
    out: dict[object, set[str]] = {}
    for t in pm.toewijzingen_for(rule):
        k = key(t)
        if k not in out:
            out[k] = {m.id for m in pm.data.staff if not ok(t, m)}
    return out


def _filter_exec(pm: PlanModel, rule: Rule, ok) -> None:
    """Hard: drop pairs that break the rule.  Soft: keep them, with the rule's penalty per pair."""
    failing = _failing(pm, rule, ok, lambda t: (t.product_code, t.intervention))
    bad = [(t.id, sid) for t in pm.toewijzingen_for(rule)
           for sid in sorted(pm.exec_candidates[t.id] & failing[t.product_code, t.intervention])]
    if rule.severity == "soft":
        pm.after_variables.append(lambda pm: [pm.penalize(rule, pm.x[k], where=f"toewijzing {k[0]}, uitvoerder {k[1]}")
                                              for k in bad if k in pm.x])
        return
    for tid, sid in bad:
        pm.exclude(pm.exec_candidates, tid, sid, rule, f"uitvoerder:{tid}")


@candidate_filter
def add_executor_min_education(pm: PlanModel, rule: Rule) -> None:
    """Executors have education >= ``education`` (qualification mix of the product)."""
    level = Education(rule.params["education"])
    _filter_exec(pm, rule, lambda t, m: m.education >= level)


@candidate_filter
def add_executor_registration(pm: PlanModel, rule: Rule) -> None:
    """Executors at or above ``min_education`` hold one of ``registrations``."""
    level, regs, professions = rule.params.get("min_education", "hbo"), rule.params["registrations"], \
        rule.params.get("professions")
    _filter_exec(pm, rule, lambda t, m: registration_ok(m, level, regs, professions))


@candidate_filter
def add_intervention_certification(pm: PlanModel, rule: Rule) -> None:
    """Executors are certified for the toewijzing's intervention (MST, MDFT, FAST, ...)."""
    _filter_exec(pm, rule, lambda t, m: not t.intervention
                 or t.intervention.casefold() in {c.casefold() for c in m.certifications})


@candidate_filter
def add_responsible_role(pm: PlanModel, rule: Rule) -> None:
    """A responsible professional with the product's derived role (regiebehandelaar, gedragswetenschapper, ...)."""
    def domain(t):
        product = pm.data.pack.product(t.product_code)
        return product.domain if product else None

    failing = _failing(pm, rule, lambda t, m: responsible_ok(m, rule, domain(t)), domain)
    for t in pm.toewijzingen_for(rule):
        pm.resp_needed.add(t.id)
        for sid in sorted(pm.resp_candidates[t.id] & failing[domain(t)]):
            if rule.severity == "soft":
                pm.after_variables.append(lambda pm, k=(t.id, sid): pm.penalize(
                    rule, pm.r[k], where=f"toewijzing {k[0]}, verantwoordelijke {k[1]}") if k in pm.r else None)
            else:
                pm.exclude(pm.resp_candidates, t.id, sid, rule, f"verantwoordelijke:{t.id}")
    if rule.params.get("by_executor_education"):
        pm.after_variables.append(lambda pm: _executor_bound(pm, rule, domain))


def _executor_bound(pm: PlanModel, rule: Rule, domain) -> None:
    """An executor whose education asks a role of the responsible (A:2103: a wo executor works under a
    regiebehandelaar) never goes with a responsible without that role."""
    staff = pm.data.bundle.staff
    for t in pm.toewijzingen_for(rule):
        for sid, x in pm.exec_vars(t.id).items():
            roles = executor_bound_roles(rule, [staff[sid]])
            for rid in sorted(pm.resp_candidates[t.id]):
                if roles and (t.id, rid) in pm.r and not all(has_role(staff[rid], role, domain(t)) for role in roles):
                    if rule.severity == "soft":
                        both = pm.model.new_bool_var(f"resp_role[{t.id},{sid},{rid}]")
                        pm.model.Add(both >= x + pm.r[t.id, rid] - 1)
                        pm.penalize(rule, both, where=f"toewijzing {t.id}, uitvoerder {sid}, verantwoordelijke {rid}")
                    else:
                        pm.model.AddBoolOr([x.Not(), pm.r[t.id, rid].Not()]).OnlyEnforceIf(
                            pm.enforce(rule, f"verantwoordelijke:{t.id}"))


def add_working_area(pm: PlanModel, rule: Rule) -> None:
    """Executors work in the jeugdige's gemeente (soft: penalty per assignment outside the area)."""
    for t in pm.toewijzingen_for(rule):
        gemeente = pm.data.bundle.jeugdigen[t.jeugdige_id].gemeente
        for sid, var in pm.exec_vars(t.id).items():
            area = pm.data.bundle.staff[sid].gemeenten
            if area and gemeente not in area:
                if rule.severity == "hard":
                    pm.model.Add(var == 0).OnlyEnforceIf(pm.enforce(rule, f"toewijzing:{t.id}"))
                else:
                    pm.penalize(rule, var, where=f"toewijzing {t.id}, uitvoerder {sid} buiten werkgebied {gemeente}")


def add_caseload_max(pm: PlanModel, rule: Rule) -> None:
    """A medewerker executes at most ``caseload_max`` toewijzingen (when set)."""
    per_staff = defaultdict(list)
    for t in pm.toewijzingen_for(rule):
        for sid, var in pm.exec_vars(t.id).items():
            per_staff[sid].append(var)
    for sid, vars_ in per_staff.items():
        limit = pm.data.bundle.staff[sid].caseload_max
        if limit is None or len(vars_) <= limit:
            continue
        if rule.severity == "hard":
            pm.model.Add(sum(vars_) <= limit).OnlyEnforceIf(pm.enforce(rule, f"medewerker:{sid}"))
        else:
            over = pm.new_int(0, len(vars_), f"caseload_over[{sid}]")
            pm.model.Add(over >= sum(vars_) - limit)
            pm.penalize(rule, over, where=f"medewerker {sid} (maximaal {limit} toewijzingen)")


def add_casusregisseur(pm: PlanModel, rule: Rule) -> None:
    """One casusregisseur per gezin with several trajectories, from its executors/responsibles (F:21)."""
    by_gezin = defaultdict(list)
    for t in pm.toewijzingen_for(rule):
        by_gezin[pm.data.bundle.gezin_of(t)].append(t)
    for gezin, ts in by_gezin.items():
        if len(ts) < 2:
            continue
        involved = defaultdict(list)
        for t in ts:
            for sid, var in pm.exec_vars(t.id).items():
                involved[sid].append(var)
            for sid in pm.resp_candidates[t.id]:
                if (t.id, sid) in pm.r:
                    involved[sid].append(pm.r[t.id, sid])
        served = [1 - pm.unassigned[t.id] for t in ts]
        choice = {sid: pm.model.NewBoolVar(f"casusregie[{gezin},{sid}]") for sid in involved}
        pm.casusregie[gezin] = choice
        # exactly one casusregisseur while at least two of the gezin's trajectories are served
        some = pm.model.NewBoolVar(f"casusregie_needed[{gezin}]")
        pm.model.Add(sum(served) >= 2).OnlyEnforceIf(some)
        pm.model.Add(sum(served) <= 1).OnlyEnforceIf(some.Not())
        pm.model.Add(sum(choice.values()) == 1).OnlyEnforceIf([some, *pm.enforce(rule, f"gezin:{gezin}")])
        pm.model.Add(sum(choice.values()) == 0).OnlyEnforceIf(some.Not())
        for sid, var in choice.items():
            pm.model.Add(var <= sum(involved[sid]))


def add_max_trajectory_length(pm: PlanModel, rule: Rule) -> None:
    """Data rule: a toewijzing's own dates decide it; planning cannot change them (reported by the checker)."""


def add_per_gezin_financing(pm: PlanModel, rule: Rule) -> None:
    """Data rule: the toewijzingen themselves decide it; planning cannot change them (reported by the checker)."""


def add_assignment_present(pm: PlanModel, rule: Rule) -> None:
    """Every active toewijzing gets an executor (and responsible where required), or is reported unserved.

    Encoded in PlanModel.create_variables: exactly one executor or the unassigned
    literal, whose penalty is the highest in the objective (unmet demand).
    """
