"""Generic shift rostering (CP-SAT): shift types, cover demand, per-employee limits, requests.

Used by the Curtois benchmark adapter (``solver.shifts.curtois``) and the residential 24/7 rosters
(``solver.residential``), which add companions, fair shares of nights and weekends, and history.
"""

from solver.shifts.problem import (Companion, CoverDemand, EmployeeRules, FairShare, Roster, ShiftProblem, ShiftRequest,
                                   ShiftType, companion_violations)
from solver.shifts.solve import ShiftResult, ShiftSolveOptions, solve_shifts

__all__ = ["Companion", "CoverDemand", "EmployeeRules", "FairShare", "Roster", "ShiftProblem", "ShiftRequest",
           "ShiftType", "ShiftResult", "ShiftSolveOptions", "companion_violations",
           "solve_shifts"]
