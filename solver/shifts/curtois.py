"""Translate a parsed Curtois instance (planner.curtois) into the generic ShiftProblem."""

from __future__ import annotations

from planner.curtois import CurtoisInstance
from solver.shifts.problem import CoverDemand, EmployeeRules, ShiftProblem, ShiftRequest, ShiftType


def problem_from_curtois(inst: CurtoisInstance) -> ShiftProblem:
    """Same rules, same objective: the model's objective equals the benchmark penalty."""
    shifts = [ShiftType(s.id, s.minutes, frozenset(s.forbidden_next)) for s in inst.shifts.values()]
    staff = [EmployeeRules(p.id, dict(p.max_shifts), p.min_minutes, p.max_minutes, p.max_consecutive,
                           p.min_consecutive, p.min_days_off, p.max_weekends, frozenset(p.days_off))
             for p in inst.staff.values()]
    req = lambda r: ShiftRequest(r.staff, r.day, r.shift, r.weight)  # noqa: E731
    cover = [CoverDemand(c.day, c.shift, c.requirement, c.weight_under, c.weight_over) for c in inst.cover]
    return ShiftProblem(inst.horizon, shifts, staff, [req(r) for r in inst.on_requests],
                        [req(r) for r in inst.off_requests], cover, first_weekday=0)
