"""Check functions, one per rule kind: ``check_<kind>(ctx, rule) -> Iterable[Violation]``.

Every module in this package is scanned; each function named ``check_<kind>``
is the checker for rules of that kind.  The rule id is the key: a rule of kind
``staff_ratio`` is checked by ``check_staff_ratio``, modelled by
``add_staff_ratio`` in the solver and tested by ``test_staff_ratio_*``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.checker import CheckContext, Violation
    from planner.rules import Rule

CheckFn = Callable[["CheckContext", "Rule"], Iterable["Violation"]]


def _collect() -> dict[str, CheckFn]:
    found: dict[str, CheckFn] = {}
    for info in pkgutil.iter_modules(__path__):
        mod = importlib.import_module(f"{__name__}.{info.name}")
        for name, fn in vars(mod).items():
            if name.startswith("check_") and callable(fn) and fn.__module__ == mod.__name__:
                kind = name.removeprefix("check_")
                if kind in found:
                    raise RuntimeError(f"check_{kind} is twice defined")
                found[kind] = fn
    return found


CHECKS: dict[str, CheckFn] = _collect()

# Kinds whose violations are properties of the data (toewijzingen, enrolments), not of the plan:
# no planning decision can mend them, so they are reported to the teamleider as data problems.
DATA_KINDS = frozenset({"per_gezin_financing", "max_trajectory_length", "group_size_max",
                        "residential_occupancy_max"})
