"""VOG (A:1213, A:4183): staff without a valid VOG get no client-facing duty.

A candidate filter over every pool of the assignment stage (executors, responsibles, session staff and
on-call); the residential roster leaves them out of its team (``solver.residential.add_vog_valid``).
Validity is :func:`planner.semantics.eligibility.vog_ok`, the checker's own predicate.
"""

from __future__ import annotations

from planner.rules import Rule
from planner.semantics.eligibility import vog_ok
from solver.constraints import candidate_filter
from solver.model import PlanModel


@candidate_filter
def add_vog_valid(pm: PlanModel, rule: Rule) -> None:
    """Hard: no pair with a staff member without a valid VOG; soft: the rule's penalty per such pair."""
    first, last = pm.data.days[0], pm.data.days[-1]
    bad = {m.id for m in pm.data.staff if not vog_ok(m, rule, first, last)}
    if not bad:
        return
    pools = [(pm.exec_candidates, {t.id: f"uitvoerder:{t.id}" for t in pm.toewijzingen_for(rule)}, "x"),
             (pm.resp_candidates, {t.id: f"verantwoordelijke:{t.id}" for t in pm.toewijzingen_for(rule)}, "r")]
    groups = {g.id for g in pm.data.bundle.groups.values() if not rule.products or g.product_code in rule.products}
    pools.append((pm.session_candidates, {pm.occ_key(o): f"sessie:{o.label}" for o in pm.data.occurrences
                                          if o.session.group_id in groups}, "y"))
    if not rule.products:
        pools.append((pm.oncall_candidates, {k: f"bereikbaarheid:{k[0]}" for k in pm.oncall_candidates}, "oncall"))
    for pool, scopes, var in pools:
        for key, scope in scopes.items():
            for sid in sorted(pool.get(key, set()) & bad):
                if rule.severity == "hard":
                    pm.exclude(pool, key, sid, rule, scope)
                else:
                    pm.after_variables.append(lambda pm, var=var, k=key, sid=sid, scope=scope: _soft(
                        pm, rule, var, k, sid, scope))


def _soft(pm: PlanModel, rule: Rule, var: str, key, sid: str, scope: str) -> None:
    table = {"x": pm.x, "r": pm.r, "y": pm.y}.get(var)
    if table is not None and (key, sid) in table:
        pm.penalize(rule, table[key, sid], where=f"{scope}, medewerker {sid}")
    elif var == "oncall" and (key[0], key[1], sid) in pm.oncall:
        pm.penalize(rule, pm.oncall[key[0], key[1], sid], where=f"{scope}, medewerker {sid}")
