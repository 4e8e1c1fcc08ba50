"""Violation cases: for every rule kind, a factory ``case_<kind>(rule, pack)``.

It returns ``(clean, broken)``, two ``(bundle, plan)`` pairs for the rule's
product: ``clean`` passes the whole pack without any violation, ``broken``
differs in one thing and breaks ``rule`` exactly once.  ``test_rule_coverage``
runs every rule of every pack through its factory.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from planner.domain import Bundle
from planner.plan import Plan
from planner.rules import Rule, RulePack

Case = tuple[Bundle, Plan]
CaseFn = Callable[[Rule, RulePack], tuple[Case, Case]]


def _collect() -> dict[str, CaseFn]:
    found: dict[str, CaseFn] = {}
    for info in pkgutil.iter_modules(__path__):
        mod = importlib.import_module(f"{__name__}.{info.name}")
        for name, fn in vars(mod).items():
            if name.startswith("case_") and callable(fn) and fn.__module__ == mod.__name__:
                found[name.removeprefix("case_")] = fn
    return found


CASES: dict[str, CaseFn] = _collect()
