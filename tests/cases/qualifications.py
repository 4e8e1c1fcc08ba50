"""Violation cases for provider-level data rules (planner/checks/qualifications.py)."""

from __future__ import annotations

from planner.rules import Rule, RulePack
from tests.cases.common import case_product, clean_toewijzing_case


def case_requires_concurrent_product(rule: Rule, pack: RulePack):
    """Clean: the jeugdige also has a toewijzing of a required product (clean_toewijzing_case adds it); broken:
    that toewijzing is gone."""
    product = case_product(rule, pack)
    clean = clean_toewijzing_case(pack, product)
    b, p = clean_toewijzing_case(pack, product)
    del b.toewijzingen["T1-BIJ"]
    p.caseload = [a for a in p.caseload if a.toewijzing_id != "T1-BIJ"]
    p.contacts = [c for c in p.contacts if c.toewijzing_id != "T1-BIJ"]
    p.oncall = [o for o in p.oncall if o.team_id in {t.team_id for t in b.toewijzingen.values()}]
    return clean, (b, p)


def case_staff_available(rule: Rule, pack: RulePack):
    """Clean: clean_toewijzing_case adds a staff member of the first profession; broken: that one is gone."""
    product = case_product(rule, pack)
    clean = clean_toewijzing_case(pack, product)
    b, p = clean_toewijzing_case(pack, product)
    for sid in [sid for sid in b.staff if sid.startswith("M-IN-DIENST-")]:
        del b.staff[sid]
    return clean, (b, p)
