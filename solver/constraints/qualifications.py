"""Provider-level data rules (``requires_concurrent_product``, ``staff_available``): documented no-ops.

Toewijzingen, enrolments and the staff list decide them; the checker reports them as data problems
(``planner.checks.DATA_KINDS``).
"""

from __future__ import annotations

from planner.rules import Rule
from solver.model import PlanModel


def add_requires_concurrent_product(pm: PlanModel, rule: Rule) -> None:
    """Data rule: the toewijzingen and enrolments decide it."""


def add_staff_available(pm: PlanModel, rule: Rule) -> None:
    """Data rule: the provider's staff list decides it."""
