"""Capacity what-if: a 52-week forecast of demand, supply, waiting list and hires (issue 5).

``run_capacity`` forecasts one bundle; ``recommend_hires`` adds candidate
profiles; ``run_scenarios`` runs named scenarios (in worker processes).
"""
