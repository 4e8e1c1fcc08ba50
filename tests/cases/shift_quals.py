"""Violation cases for shift qualifications (planner/checks/shift_quals.py)."""

from __future__ import annotations

from dataclasses import replace

from planner.domain import Education
from planner.rules import Rule, RulePack
from tests.cases.residential import _wednesday, clean_residential_case, product_of


def case_shift_registration_required(rule: Rule, pack: RulePack):
    """The person on Wednesday's dag shift (who works only that shift) has no registration."""
    product = product_of(rule, pack)
    clean = clean_residential_case(pack, product)
    b, p = clean_residential_case(pack, product)
    wed = _wednesday(b)
    sid = next(s.staff_id for s in p.shifts if s.kind == "dag" and s.start.date() == wed)
    level = max(b.staff[sid].education, Education(rule.params.get("min_education", "hbo")))
    b.staff[sid] = replace(b.staff[sid], education=level, registrations=frozenset())
    return clean, (b, p)


def case_shift_min_education_present(rule: Rule, pack: RulePack):
    """Nobody on Wednesday's dag and avond shifts holds a registration (a wrong decision, one day)."""
    product = product_of(rule, pack)
    clean = clean_residential_case(pack, product)
    b, p = clean_residential_case(pack, product)
    wed = _wednesday(b)
    for s in p.shifts:
        if s.start.date() == wed and s.kind in ("dag", "avond"):
            b.staff[s.staff_id] = replace(b.staff[s.staff_id], registrations=frozenset())
    return clean, (b, p)
