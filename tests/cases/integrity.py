"""Violation cases for the integrity rule kinds (pack ``integrity``, ``planner/checks/integrity.py``).

The integrity rules apply to every product, so each case picks a product of the pack that fits: a
toewijzing product for contacts and references, a group product for sessions, a verblijf product (or, in
a pack without one, a group product) for shifts.  ``contact_by_executor`` has its case in ``contacts.py``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from planner.plan import Contact, Unserved
from planner.rules import Rule, RulePack
from tests.builders import add_team, at
from tests.cases.common import EXECUTOR, case_product, clean_toewijzing_case
from tests.cases.groups import clean_group
from tests.cases.residential import GROUP, clean_residential_case

TEAM = "T-RG"


def group_product(pack: RulePack) -> str:
    return next(p.code for p in pack.products if p.setting == "groep")


def shift_product(pack: RulePack) -> str:
    """A verblijf product of the pack, or a group product when it has none (Flevoland)."""
    return next((p.code for p in pack.products if p.setting == "verblijf"), None) or group_product(pack)


def _toewijzing_pair(rule: Rule, pack: RulePack):
    product = case_product(rule, pack)
    return clean_toewijzing_case(pack, product), clean_toewijzing_case(pack, product)


def case_contact_within_toewijzing(rule: Rule, pack: RulePack):
    """One more contact, the day before the toewijzing starts (before the period, too: reported once)."""
    clean, (b, p) = _toewijzing_pair(rule, pack)
    day = b.toewijzingen["T1"].start - timedelta(days=1)
    p.contacts.append(Contact("T1", EXECUTOR, at(day, 10), at(day, 11)))
    return clean, (b, p)


def case_session_on_schedule(rule: Rule, pack: RulePack):
    """The session's staff listed once more, the day after the session's weekday."""
    product = group_product(pack)
    clean = clean_group(pack, product)
    b, p = clean_group(pack, product)
    entry = p.sessions[0]
    p.sessions.append(replace(entry, date=entry.date + timedelta(days=1)))
    return clean, (b, p)


def team_residential_case(pack: RulePack):
    """The clean residential case with a fixed team ``T-RG`` whose members work every shift."""
    b, p = clean_residential_case(pack, shift_product(pack))
    add_team(b, TEAM, oncall=False)
    b.groups[GROUP] = replace(b.groups[GROUP], team_id=TEAM)
    for sid in {s.staff_id for s in p.shifts}:
        b.staff[sid] = replace(b.staff[sid], teams=b.staff[sid].teams | {TEAM})
    return b, p


def case_shift_by_team_member(rule: Rule, pack: RulePack):
    clean = team_residential_case(pack)
    b, p = team_residential_case(pack)
    sid = p.shifts[0].staff_id
    b.staff[sid] = replace(b.staff[sid], teams=frozenset())  # works one shift, is not in the team
    return clean, (b, p)


def case_held_session_staffed(rule: Rule, pack: RulePack):
    product = group_product(pack)
    clean = clean_group(pack, product)
    b, p = clean_group(pack, product)
    p.sessions[0] = replace(p.sessions[0], staff_ids=())
    return clean, (b, p)


def case_no_duplicates(rule: Rule, pack: RulePack):
    """The toewijzing's case assignment listed twice."""
    clean, (b, p) = _toewijzing_pair(rule, pack)
    p.caseload.append(p.caseload[0])
    return clean, (b, p)


def case_plan_references(rule: Rule, pack: RulePack):
    """The plan declares a toewijzing unserved that is not in the data."""
    clean, (b, p) = _toewijzing_pair(rule, pack)
    p.unserved.append(Unserved("T-ONBEKEND", "geen uitvoerder"))
    return clean, (b, p)

