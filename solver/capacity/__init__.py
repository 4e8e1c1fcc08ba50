"""Capacity what-if: a 52-week forecast of demand, supply, waiting list and hires (issue 5).

``run_capacity`` forecasts one bundle; ``recommend_hires`` adds candidate
profiles; ``run_scenarios`` applies named scenarios and runs them (in worker
processes).  See docs/capacity.md.
"""

from solver.capacity.hiring import Candidate, HiringGoal, recommend_hires
from solver.capacity.instance import CapacityOptions
from solver.capacity.result import Hire, ScenarioResult, UnmetRow, WaitingClient
from solver.capacity.run import run_scenarios
from solver.capacity.solve import run_capacity

__all__ = ["CapacityOptions", "Candidate", "Hire", "HiringGoal", "ScenarioResult", "UnmetRow", "WaitingClient",
           "recommend_hires", "run_capacity", "run_scenarios"]
