"""Violation cases for group-session rule kinds."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import timedelta

from planner.domain import Education, Enrolment
from planner.plan import SessionStaffing
from planner.rules import Rule, RulePack
from tests.builders import add_client, add_group, add_staff, bundle, plan_for, staff

BELOW = {"mbo3": "mbo2", "mbo4": "mbo3", "hbo": "mbo4", "hbo+": "hbo", "wo": "hbo+", "wo+": "wo"}


def rules_for(pack: RulePack, product: str, kind: str) -> list[Rule]:
    return [r for r in pack.rules_of(kind) if r.applies_to(product)]


def max_group_size(pack: RulePack, product: str) -> int:
    return min((r.params["max_jeugdigen"] for r in rules_for(pack, product, "group_size_max")), default=12)


def clean_group(pack: RulePack, product: str, enrolled: int | None = None, staff_count: int | None = None):
    """A one-session group of ``product`` staffed so that every group rule of the pack holds."""
    n = enrolled if enrolled is not None else min(4, max_group_size(pack, product))
    need = max([math.ceil(n / r.params["jeugdigen_per_staff"]) for r in rules_for(pack, product, "staff_ratio")]
               + [r.params.get("min") or 0 for r in rules_for(pack, product, "group_staff_count")]
               + [r.params.get("count", 1) for r in rules_for(pack, product, "group_min_education_present")]
               + [1])
    k = staff_count if staff_count is not None else need
    b = bundle(pack.id)
    session = add_group(b, "GR", product, n)
    members = [staff(f"M{i}") for i in range(k)]
    add_staff(b, *members)
    p = plan_for(b)
    day = b.manifest.period_start + timedelta(days=session.weekday)
    p.sessions.append(SessionStaffing(session.id, day, tuple(m.id for m in members)))
    return b, p


def restaffed(b, p, staff_ids):
    """The same plan with another set of staff in the (only) session."""
    p2 = plan_for(b)
    p2.sessions.append(replace(p.sessions[0], staff_ids=tuple(staff_ids)))
    return p2


def case_group_size_max(rule: Rule, pack: RulePack):
    product, limit = rule.products[0], rule.params["max_jeugdigen"]
    clean = clean_group(pack, product, enrolled=limit)
    b, p = clean_group(pack, product, enrolled=limit)
    add_client(b, "GR-Jextra")
    b.enrolments.append(Enrolment("GR", "GR-Jextra", b.manifest.period_start))
    return clean, (b, p)


def case_staff_ratio(rule: Rule, pack: RulePack):
    # a full group, so the ratio (not a staff-count rule) sets the staff count
    b, p = clean = clean_group(pack, rule.products[0], enrolled=max_group_size(pack, rule.products[0]))
    return clean, (b, restaffed(b, p, p.sessions[0].staff_ids[:-1]))


def case_group_staff_count(rule: Rule, pack: RulePack):
    b, p = clean = clean_group(pack, rule.products[0])
    ids = list(p.sessions[0].staff_ids)
    if rule.params.get("min") is not None:
        return clean, (b, restaffed(b, p, ids[:-1]))
    extra = [staff(f"MX{i}") for i in range(rule.params["max"] + 1 - len(ids))]
    add_staff(b, *extra)
    return clean, (b, restaffed(b, p, ids + [m.id for m in extra]))


def case_group_min_education_present(rule: Rule, pack: RulePack):
    clean = clean_group(pack, rule.products[0])
    b, p = clean_group(pack, rule.products[0])
    for sid in p.sessions[0].staff_ids:  # everyone just below the level
        b.staff[sid] = replace(b.staff[sid], education=Education(BELOW[rule.params["education"]]))
    return clean, (b, p)
