"""Exports of a plan: XLSX week roster, CSV of all assignments, iCal per medewerker, PDF, plan JSON.

Each format has a function returning bytes/text (for a web download) and a ``write_*`` for the
CLI (``planner export``). Secret per-person iCal feed tokens: :mod:`planner.export.feeds`.
See docs/import-export.md.
"""
