"""Check functions, one per rule kind: ``check_<kind>(ctx, rule) -> Iterable[Violation]``.

Every module in this package is scanned; each function named ``check_<kind>``
is the checker for rules of that kind.  The rule id is the key: a rule of kind
``staff_ratio`` is checked by ``check_staff_ratio``, modelled by
``add_staff_ratio`` in the solver and tested by ``test_staff_ratio_*``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from planner.registry import collect

if TYPE_CHECKING:
    from planner.checker import CheckContext, Violation
    from planner.rules import Rule

CheckFn = Callable[["CheckContext", "Rule"], Iterable["Violation"]]


CHECKS: dict[str, CheckFn] = collect(__name__, __path__, "check_")

# Kinds whose violations are properties of the data (toewijzingen, enrolments), not of the plan:
# no planning decision can mend them, so they are reported to the teamleider as data problems.
DATA_KINDS = frozenset({"per_gezin_financing", "max_trajectory_length", "group_size_max",
                        "residential_occupancy_max", "omvang_per_week",
                        "requires_concurrent_product", "staff_available"})
