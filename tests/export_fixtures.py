"""A small bundle solved by the real solver, shared by the export tests."""

from __future__ import annotations

from datetime import date

from planner.domain import Bundle
from planner.plan import Plan
from planner.rules import load_pack
from solver.data import SolveOptions
from solver.solve import solve
from tests.builders import add_group, add_staff, add_team, add_toewijzing, bundle, staff

_CACHE: dict[date, tuple[Bundle, Plan]] = {}


def small_bundle(start: date) -> Bundle:
    """Four staff, an MST team on call 24/7, three ambulant toewijzingen and one group."""
    b = bundle(start=start)
    add_team(b, "T-MST", "MST")
    add_staff(b, *(staff(f"M{i}", teams=("T-MST",)) for i in range(1, 5)))
    add_toewijzing(b, "TW1", "45F34", intervention="MST", team_id="T-MST", hours_per_week=3)
    add_toewijzing(b, "TW2", "45F21", hours_per_week=2)
    add_toewijzing(b, "TW3", "45F31", hours_per_week=1.5)
    add_group(b, "GR1", "45F22", enrolled=4, weekday=2)
    return b


def solved(start: date = date(2026, 12, 7)) -> tuple[Bundle, Plan]:
    """The bundle and a plan from ``solver.solve.solve`` (cached per start date)."""
    if start not in _CACHE:
        b = small_bundle(start)
        result = solve(b, load_pack("flevoland-multi"), options=SolveOptions(time_limit=10, workers=2))
        assert result.plan is not None, result.explanation
        _CACHE[start] = (b, result.plan)
    return _CACHE[start]
