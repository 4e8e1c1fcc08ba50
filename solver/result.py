"""What a solve returns: the plan, status, objective, bound, gap, time and explanation."""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.plan import Plan


@dataclass(frozen=True)
class ProgressEvent:
    seconds: float
    objective: float
    bound: float
    stage: str = "toewijzing"

    @property
    def gap(self) -> float:
        return relative_gap(self.objective, self.bound)


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    if abs(objective) < 1e-9:
        return 0.0
    return abs(objective - bound) / max(abs(objective), 1e-9)


@dataclass
class SolveResult:
    plan: Plan | None
    status: str  # OPTIMAL | FEASIBLE | INFEASIBLE | UNKNOWN
    objective: int | None = None
    bound: int | None = None
    seconds: float = 0.0
    explanation: list[str] = field(default_factory=list)  # Dutch, for the teamleider
    penalties: dict[str, int] = field(default_factory=dict)  # per soft rule
    progress: list[ProgressEvent] = field(default_factory=list)
    stages: dict[str, dict] = field(default_factory=dict)  # per stage: status, objective, bound, seconds

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)

    def summary_line(self, unmet_minutes: int) -> str:
        gap = self.gap if self.gap is not None else 1.0
        return (f"status={self.status} objective={self.objective if self.objective is not None else -1} "
                f"bound={self.bound if self.bound is not None else -1} gap={gap:.4f} "
                f"seconds={self.seconds:.2f} unmet_minutes={unmet_minutes}")
