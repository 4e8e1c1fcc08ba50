"""Small solver instances and the assertion every solver test makes: the checker agrees."""

from __future__ import annotations

from planner.checker import check_plan
from planner.rules import RulePack
from solver.data import SolveOptions
from solver.result import SolveResult
from solver.solve import solve

FAST = SolveOptions(time_limit=10, workers=2)


def solve_and_check(b, pack: RulePack, options: SolveOptions = FAST, **kw) -> tuple[SolveResult, object]:
    """Solve; when a plan comes back, the independent checker finds no hard violation in it."""
    result = solve(b, pack, options=options, **kw)
    report = check_plan(b, pack, result.plan) if result.plan is not None else None
    if report is not None:
        assert report.plan_hard == [], [v.message for v in report.plan_hard]
    return result, report


def explanation_text(result: SolveResult) -> str:
    return "\n".join(result.explanation)
