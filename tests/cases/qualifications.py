"""Violation cases for provider-level data rules (planner/checks/qualifications.py)."""

from __future__ import annotations

from dataclasses import replace

from planner.rules import Rule, RulePack
from planner.semantics.eligibility import staff_member_counts
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
    """Clean: clean_toewijzing_case adds a staff member of the first profession; broken: that one is gone, and
    whoever else counts (the executor and responsible may: a gz-psycholoog wo+ with SKJ) becomes an unregistered
    sociaal werker."""
    product = case_product(rule, pack)
    clean = clean_toewijzing_case(pack, product)
    b, p = clean_toewijzing_case(pack, product)
    for sid in [sid for sid in b.staff if sid.startswith("M-IN-DIENST-")]:
        del b.staff[sid]
    for sid, m in list(b.staff.items()):
        if staff_member_counts(m, rule):
            b.staff[sid] = replace(m, profession="sociaal werker", registrations=frozenset())
    return clean, (b, p)


def _restaff_executor(b, **changes) -> None:
    from tests.cases.common import EXECUTOR

    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], **changes)


def case_executor_profession(rule: Rule, pack: RulePack):
    """Clean: the executor has the rule's first profession (``qualify_more``); broken: a gz-psycholoog."""
    product = case_product(rule, pack)
    clean = clean_toewijzing_case(pack, product)
    b, p = clean_toewijzing_case(pack, product)
    _restaff_executor(b, profession="gz-psycholoog")
    return clean, (b, p)


def case_executor_role(rule: Rule, pack: RulePack):
    """Clean: the executor is a gz-psycholoog with BIG (a regiebehandelaar); broken: an unregistered hbo sociaal
    werker."""
    from planner.domain import Education

    product = case_product(rule, pack)
    clean = clean_toewijzing_case(pack, product)
    b, p = clean_toewijzing_case(pack, product)
    _restaff_executor(b, profession="sociaal werker", education=Education.HBO, registrations=frozenset())
    return clean, (b, p)


def case_executor_certification(rule: Rule, pack: RulePack):
    """Clean: the executor holds the certification (``qualify_more``); broken: without it."""
    product = case_product(rule, pack)
    clean = clean_toewijzing_case(pack, product)
    b, p = clean_toewijzing_case(pack, product)
    _restaff_executor(b, certifications=frozenset())
    return clean, (b, p)
