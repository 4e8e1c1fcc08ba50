"""Violation cases: for every rule kind, a factory ``case_<kind>(rule, pack)``.

It returns ``(clean, broken)``, two ``(bundle, plan)`` pairs for the rule's
product: ``clean`` passes the whole pack without any violation, ``broken``
differs in one thing and breaks ``rule`` exactly once.  ``test_rule_coverage``
runs every rule of every pack through its factory.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.domain import Bundle
from planner.plan import Plan
from planner.registry import collect
from planner.rules import Rule, RulePack

Case = tuple[Bundle, Plan]
CaseFn = Callable[[Rule, RulePack], tuple[Case, Case]]


CASES: dict[str, CaseFn] = collect(__name__, __path__, "case_")
