"""Provider-level data rules (``requires_concurrent_product``, ``staff_available``): documented no-ops; and the
executor qualifications ``executor_profession``, ``executor_role``, ``executor_certification`` as candidate
filters (the checker's predicates from ``planner.semantics.eligibility``).

Toewijzingen, enrolments and the staff list decide them; the checker reports them as data problems
(``planner.checks.DATA_KINDS``).
"""

from __future__ import annotations

from planner.rules import Rule
from solver.constraints import candidate_filter
from solver.constraints.caseload import _filter_exec
from solver.model import PlanModel


def add_requires_concurrent_product(pm: PlanModel, rule: Rule) -> None:
    """Data rule: the toewijzingen and enrolments decide it."""


def add_staff_available(pm: PlanModel, rule: Rule) -> None:
    """Data rule: the provider's staff list decides it."""


def _domain(pm: PlanModel, t) -> str | None:
    product = pm.data.pack.product(t.product_code)
    return product.domain if product else None


@candidate_filter
def add_executor_profession(pm: PlanModel, rule: Rule) -> None:
    """Executors of one of ``professions`` with their register (A:2201-2203; ``planner.semantics.eligibility``)."""
    from planner.semantics.eligibility import profession_ok

    profs, per, regs = rule.params["professions"], rule.params.get("profession_registrations"), \
        rule.params.get("registrations")
    _filter_exec(pm, rule, lambda t, m: profession_ok(m, profs, per, regs))


@candidate_filter
def add_executor_role(pm: PlanModel, rule: Rule) -> None:
    """Executors with one of the derived ``roles`` (A:2623); off with interpretation ``uitvoerder`` =
    ``ook_onderzoeker``, as the checker."""
    from planner.semantics.eligibility import executor_role_ok

    if "uitvoerder" in rule.interpretations and rule.interpretation("uitvoerder") == "ook_onderzoeker":
        return
    cache: dict = {}

    def ok(t, m):
        key = (m.id, _domain(pm, t))
        if key not in cache:
            cache[key] = executor_role_ok(m, rule, key[1])
        return cache[key]

    _filter_exec(pm, rule, ok)


@candidate_filter
def add_executor_certification(pm: PlanModel, rule: Rule) -> None:
    """Executors holding ``certification`` (A:2173, forensische zorg)."""
    from planner.semantics.eligibility import certified

    cert = rule.params["certification"]
    _filter_exec(pm, rule, lambda t, m: certified(m, cert))
