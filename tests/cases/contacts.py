"""Violation cases for contact rule kinds (planner/checks/contacts.py)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

from planner.demand import CONTACT_SETTINGS
from planner.plan import CaseAssignment, Contact
from planner.rules import Rule, RulePack
from tests.builders import add_staff, add_toewijzing, at, bundle, plan_for, staff

TID, EXECUTOR, RESPONSIBLE = "T1", "M1", "M2"


def rules_for(pack: RulePack, product: str, kind: str, intervention: str | None = None) -> list[Rule]:
    return [r for r in pack.rules_of(kind) if r.applies_to(product, intervention)]


def per_week(pack: RulePack, product: str, intervention: str | None) -> int:
    """Contacts a week that satisfy every contact_frequency rule of the product (1 when none applies)."""
    rules = rules_for(pack, product, "contact_frequency", intervention)
    n = max([r.params.get("min_per_week") or 0 for r in rules] + [1])
    return min([n] + [r.params["max_per_week"] for r in rules if r.params.get("max_per_week") is not None])


def trajectory_days(pack: RulePack, product: str, intervention: str | None) -> int:
    """A trajectory length inside every max_trajectory_length rule of the product (at most 180 days)."""
    days = [180]
    for r in rules_for(pack, product, "max_trajectory_length", intervention):
        if "months" in r.params:
            days.append(int(r.params["months"] * 28) - 1)
        if "weeks" in r.params:
            days.append(int(r.params["weeks"] * 7) - 1)
    return min(days)


def first_contact_hour(pack: RulePack, product: str, intervention: str | None) -> int:
    """09:00 on the first day, earlier when a start_within rule allows fewer hours."""
    limits = [r.params["hours"] for r in rules_for(pack, product, "start_within", intervention)]
    return max(0, min([9] + [math.floor(h) - 1 for h in limits]))


def clean_contacts_case(pack: RulePack, product: str, intervention: str | None = None, *,
                        starts_in_period: bool = False, weeks: int = 1):
    """Toewijzing ``T1`` of ``product`` with executor M1 and responsible M2, clean against the whole pack.

    M1 holds ``per_week`` one-hour contacts each week (Mon, Tue, ...); M2 holds
    one one-on-one contact (``intake`` when the toewijzing starts in the
    period, else ``regie``).  A toewijzing not starting in the period started
    a week before it, with its last regie contact on that day.
    """
    b = bundle(pack.id, weeks=weeks)
    first = b.manifest.period_start
    start = first if starts_in_period else first - timedelta(days=7)
    end = start + timedelta(days=max(trajectory_days(pack, product, intervention), 7 * weeks + 7))
    add_toewijzing(b, TID, product, start=start, end=end, intervention=intervention,
                   current_executor_id=EXECUTOR, current_responsible_id=RESPONSIBLE,
                   last_regie_contact=None if starts_in_period else start)
    add_staff(b, staff(EXECUTOR), staff(RESPONSIBLE))
    p = plan_for(b)
    p.caseload.append(CaseAssignment(TID, (EXECUTOR,), RESPONSIBLE))
    hour, n = first_contact_hour(pack, product, intervention), per_week(pack, product, intervention)
    for w in range(weeks):
        for i in range(n):
            day = first + timedelta(days=7 * w + i)
            h = hour if day == first else 10
            p.contacts.append(Contact(TID, EXECUTOR, at(day, h), at(day, h + 1)))
    p.contacts.append(Contact(TID, RESPONSIBLE, at(first, 13), at(first, 14),
                              kind="intake" if starts_in_period else "regie", one_on_one=True))
    return b, p


def _intervention(rule: Rule) -> str | None:
    return rule.interventions[0] if rule.interventions else None


def _product(rule: Rule, pack: RulePack) -> str:
    """The rule's first product; for a rule on all products, the pack's first contact-based product."""
    if rule.products:
        return rule.products[0]
    return next(p.code for p in pack.products if p.setting in CONTACT_SETTINGS)


def _with_contacts(b, p, contacts):
    """The same plan with another contact list."""
    p2 = plan_for(b)
    p2.caseload = list(p.caseload)
    p2.contacts = list(contacts)
    return p2


def case_contact_frequency(rule: Rule, pack: RulePack):
    product, iv = _product(rule, pack), _intervention(rule)
    b, p = clean = clean_contacts_case(pack, product, iv)
    visits = [c for c in p.contacts if c.kind == "contact"]
    others = [c for c in p.contacts if c.kind != "contact"]
    lo, hi = rule.params.get("min_per_week"), rule.params.get("max_per_week")
    if lo:
        return clean, (b, _with_contacts(b, p, others + visits[:lo - 1]))
    extra = [Contact(TID, EXECUTOR, at(b.manifest.period_start + timedelta(days=i % 7), 16 + i // 7),
                     at(b.manifest.period_start + timedelta(days=i % 7), 17 + i // 7))
             for i in range(hi + 1 - len(visits))]
    return clean, (b, _with_contacts(b, p, p.contacts + extra))


def case_start_within(rule: Rule, pack: RulePack):
    product, iv, limit = _product(rule, pack), _intervention(rule), float(rule.params["hours"])
    weeks = math.ceil((limit + 24) / (7 * 24))
    b, p = clean = clean_contacts_case(pack, product, iv, starts_in_period=True, weeks=weeks)
    deadline = at(b.toewijzingen[TID].start, 0) + timedelta(hours=limit)
    late = [c for c in p.contacts if c.start > deadline]
    late.append(Contact(TID, EXECUTOR, deadline + timedelta(hours=1), deadline + timedelta(hours=2)))
    return clean, (b, _with_contacts(b, p, late))


def case_omvang_cap(rule: Rule, pack: RulePack):
    b, p = clean = clean_contacts_case(pack, _product(rule, pack), _intervention(rule))
    planned = sum((c.end - c.start).total_seconds() / 3600 for c in p.contacts)
    extra = float(rule.params["max_hours"]) - planned + 1
    start = at(b.manifest.period_start + timedelta(days=2), 14)
    long_contact = Contact(TID, EXECUTOR, start, start + timedelta(hours=extra))
    return clean, (b, _with_contacts(b, p, p.contacts + [long_contact]))


def case_regie_one_on_one(rule: Rule, pack: RulePack):
    product, iv = _product(rule, pack), _intervention(rule)
    if rule.params.get("intake", True):
        b, p = clean = clean_contacts_case(pack, product, iv, starts_in_period=True)
        return clean, (b, _with_contacts(b, p, [c for c in p.contacts if c.staff_id != RESPONSIBLE]))
    clean = clean_contacts_case(pack, product, iv)
    b, p = clean_contacts_case(pack, product, iv)
    last_day: date = b.manifest.period_start + timedelta(days=6)
    b.toewijzingen[TID] = replace(b.toewijzingen[TID],
                                  last_regie_contact=last_day - timedelta(days=rule.params["max_days_between"] + 1))
    return clean, (b, _with_contacts(b, p, [c for c in p.contacts if c.staff_id != RESPONSIBLE]))


def case_contact_by_executor(rule: Rule, pack: RulePack):
    clean = clean_contacts_case(pack, _product(rule, pack), _intervention(rule))
    b, p = clean_contacts_case(pack, _product(rule, pack), _intervention(rule))
    add_staff(b, staff("MX"))
    first, *rest = p.contacts
    return clean, (b, _with_contacts(b, p, [replace(first, staff_id="MX")] + rest))
