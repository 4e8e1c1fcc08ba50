"""Volumes per week (``omvang_per_week``): a data rule on the toewijzing's omvang.

The solver plans the omvang as it is (unmet demand otherwise); no decision changes the omvang, so this is a
documented no-op, as for the other data kinds (``planner.checks.DATA_KINDS``).
"""

from __future__ import annotations

from planner.rules import Rule
from solver.model import PlanModel


def add_omvang_per_week(pm: PlanModel, rule: Rule) -> None:
    """Data rule: the checker reports an omvang outside the bounds as a data problem."""
