"""Volumes a form asks per week, read from the toewijzing's omvang (``planner.semantics.volumes``).

A data kind (``DATA_KINDS``): the allocation sets the omvang, no planning decision mends it; the plan
realising the omvang is the checker's unmet demand.
"""

from __future__ import annotations

from collections.abc import Iterator

from planner.checker import CheckContext, Violation
from planner.rules import Rule
from planner.semantics.volumes import omvang_per_week, omvang_problem


def check_omvang_per_week(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Every active toewijzing of the rule's products/interventions whose omvang is in a unit the rule reads
    has, per week (averaged over the toewijzing), at least ``min`` / at most ``max`` of ``unit``."""
    for t in ctx.active_toewijzingen():
        if not ctx.rule_applies(rule, t):
            continue
        problem = omvang_problem(rule, t)
        if problem:
            value = omvang_per_week(rule, t) or 0.0
            bound = float(rule.params.get("min") or rule.params.get("max") or 0)
            yield ctx.violation(rule, f"Toewijzing {t.id} ({t.product_code}{'/' + t.intervention if t.intervention else ''}): "
                                      f"{problem}.", ("toewijzing", t.id), amount=round(abs(value - bound), 2) or 1.0)
