"""How many staff a group session needs: ratios (F:193 "1 op 4") and counts (F:192 "drie behandelaars")."""

from __future__ import annotations

import math

from planner.rules import Rule


def required_staff_for_ratio(enrolled: int, jeugdigen_per_staff: float) -> int:
    return math.ceil(enrolled / jeugdigen_per_staff) if enrolled else 0



def staff_count_bounds(rule: Rule) -> tuple[int | None, int | None]:
    """(min, max) staff per session; interpretation ``aantal: exact`` makes the minimum also the maximum."""
    lo, hi = rule.params.get("min"), rule.params.get("max")
    if "aantal" in rule.interpretations and rule.interpretation("aantal") == "exact" and lo is not None:
        hi = lo if hi is None else min(hi, lo)
    return lo, hi

