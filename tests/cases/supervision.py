"""Violation cases for group qualification and supervision kinds (``planner/checks/supervision.py``)."""

from __future__ import annotations

from dataclasses import replace

from planner.domain import Education
from planner.rules import Rule, RulePack
from tests.builders import add_staff, staff
from tests.cases.groups import BELOW, clean_group, restaffed


def _broken_group(rule: Rule, pack: RulePack):
    """Two independent clean one-session groups of the rule's product: (clean, to-be-broken)."""
    return clean_group(pack, rule.products[0]), clean_group(pack, rule.products[0])


def _session_staff(p) -> list[str]:
    return list(p.sessions[0].staff_ids)


def case_group_min_education_all(rule: Rule, pack: RulePack):
    if rule.params["education"] not in BELOW:
        raise ValueError(f"{rule.id}: minimum {rule.params['education']} is het laagste niveau; de regel kan niet "
                         "overtreden worden (laat hem weg of voeg een lager niveau toe aan Education)")
    clean, (b, p) = _broken_group(rule, pack)
    first = _session_staff(p)[0]
    b.staff[first] = replace(b.staff[first], education=Education(BELOW[rule.params["education"]]))
    return clean, (b, p)


def case_group_registration_required(rule: Rule, pack: RulePack):
    clean, (b, p) = _broken_group(rule, pack)
    first = _session_staff(p)[0]  # wo+, so above any min_education
    profession = (rule.params.get("professions") or ["orthopedagoog"])[0]  # A:2345: only a vaktherapeut is asked
    b.staff[first] = replace(b.staff[first], profession=profession, registrations=frozenset())
    return clean, (b, p)


def case_group_mbo3_needs_mbo4(rule: Rule, pack: RulePack):
    clean, (b, p) = _broken_group(rule, pack)
    for sid in _session_staff(p):
        b.staff[sid] = replace(b.staff[sid], education=Education.MBO3)
    return clean, (b, p)


def case_group_mbo4_under_registered(rule: Rule, pack: RulePack):
    clean, (b, p) = _broken_group(rule, pack)
    ids = _session_staff(p)
    for sid in ids:  # nobody registered ...
        b.staff[sid] = replace(b.staff[sid], registrations=frozenset())
    b.staff[ids[0]] = replace(b.staff[ids[0]], education=Education.MBO4)  # ... and an mbo 4 present
    return clean, (b, p)


def case_supervision_span(rule: Rule, pack: RulePack):
    clean, (b, p) = _broken_group(rule, pack)
    ids = _session_staff(p)
    # one registered professional and max_unregistered + 1 unregistered colleagues
    unregistered = [staff(f"MU{i}", education="mbo4", profession="sociaalpedagogisch medewerker", registrations=())
                    for i in range(int(rule.params["max_unregistered"]) + 1)]
    add_staff(b, *unregistered)
    return clean, (b, restaffed(b, p, [ids[0]] + [m.id for m in unregistered]))
