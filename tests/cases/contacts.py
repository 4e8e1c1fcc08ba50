"""Violation cases for contact rule kinds (planner/checks/contacts.py)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

from planner.plan import Contact
from planner.rules import Rule, RulePack
from tests.builders import add_staff, at, bundle, plan_for, staff
from tests.cases.common import (EXECUTOR, RESPONSIBLE, add_clean_toewijzing, applicable, case_product,
                                pick_intervention, trajectory_end)

TID = "T1"


def first_contact_hour(pack: RulePack, product: str, intervention: str | None) -> int:
    """09:00 on the first day, earlier when a start_within rule allows fewer hours."""
    limits = [r.params["hours"] for r in applicable(pack, "start_within", product, intervention)]
    return max(0, min([9] + [math.floor(h) - 1 for h in limits]))


def clean_contacts_case(pack: RulePack, product: str, intervention: str | None = None, *,
                        starts_in_period: bool = False, weeks: int = 1):
    """Toewijzing ``T1`` of ``product`` (see :func:`tests.cases.common.add_clean_toewijzing`), clean against the pack.

    On top of the common fixture the responsible holds one one-on-one contact
    on the first day (``intake`` when the toewijzing starts in the period, at
    09:00 or earlier when a start_within rule asks; else ``regie``), so every
    toewijzing has at least one contact.
    """
    b = bundle(pack.id, weeks=weeks)
    p = plan_for(b)
    t = add_clean_toewijzing(b, p, pack, product, TID, intervention=intervention)
    first = b.manifest.period_start
    if starts_in_period:
        t = b.toewijzingen[TID] = replace(t, start=first, last_regie_contact=None,
                                          end=trajectory_end(pack, product, intervention, first))
    _top_up_visits(pack, p, b.toewijzingen[TID])
    hour = first_contact_hour(pack, product, intervention) if starts_in_period else 13
    p.contacts.append(Contact(TID, RESPONSIBLE, at(first, hour), at(first, hour + 1),
                              kind="intake" if starts_in_period else "regie", one_on_one=True))
    return b, p


def _top_up_visits(pack: RulePack, p, t) -> None:
    """Round a fractional ``min_per_week`` (e.g. 0.16, A:2969) up to whole visits in every week."""
    rules = applicable(pack, "contact_frequency", t.product_code, t.intervention)
    need = max([math.ceil(r.params.get("min_per_week") or 0) for r in rules] + [0])
    for week in range(p.weeks):
        monday = p.period_start + timedelta(days=7 * week)
        have = sum(1 for c in p.contacts if c.kind == "contact" and monday <= c.start.date() < monday + timedelta(days=7))
        for j in range(have, need):
            day = monday + timedelta(days=j % 7)
            p.contacts.append(Contact(t.id, EXECUTOR, at(day, 16), at(day, 17)))


def _intervention(rule: Rule, pack: RulePack) -> str | None:
    return pick_intervention(pack, rule, _product(rule, pack))


def _product(rule: Rule, pack: RulePack) -> str:
    return case_product(rule, pack)


def _with_contacts(b, p, contacts):
    """The same plan with another contact list."""
    p2 = plan_for(b)
    p2.caseload = list(p.caseload)
    p2.contacts = list(contacts)
    return p2


def case_contact_frequency(rule: Rule, pack: RulePack):
    product, iv = _product(rule, pack), _intervention(rule, pack)
    b, p = clean = clean_contacts_case(pack, product, iv)
    visits = [c for c in p.contacts if c.kind == "contact"]
    others = [c for c in p.contacts if c.kind != "contact"]
    lo, hi = rule.params.get("min_per_week"), rule.params.get("max_per_week")
    if lo:  # a fractional (average) minimum is broken by a period without visits
        keep = visits[:int(lo) - 1] if float(lo).is_integer() else []
        return clean, (b, _with_contacts(b, p, others + keep))
    extra = [Contact(TID, EXECUTOR, at(b.manifest.period_start + timedelta(days=i % 7), 16 + i // 7),
                     at(b.manifest.period_start + timedelta(days=i % 7), 17 + i // 7))
             for i in range(math.floor(hi) + 1 - len(visits))]
    return clean, (b, _with_contacts(b, p, p.contacts + extra))


def case_start_within(rule: Rule, pack: RulePack):
    product, iv, limit = _product(rule, pack), _intervention(rule, pack), float(rule.params["hours"])
    weeks = math.ceil((limit + 24) / (7 * 24))
    b, p = clean = clean_contacts_case(pack, product, iv, starts_in_period=True, weeks=weeks)
    deadline = at(b.toewijzingen[TID].start, 0) + timedelta(hours=limit)
    late = [c for c in p.contacts if c.start > deadline]
    late.append(Contact(TID, EXECUTOR, deadline + timedelta(hours=1), deadline + timedelta(hours=2)))
    return clean, (b, _with_contacts(b, p, late))


def case_omvang_cap(rule: Rule, pack: RulePack):
    b, p = clean = clean_contacts_case(pack, _product(rule, pack), _intervention(rule, pack))
    planned = sum((c.end - c.start).total_seconds() / 3600 for c in p.contacts)
    extra = float(rule.params["max_hours"]) - planned + 1
    start = at(b.manifest.period_start + timedelta(days=2), 14)
    long_contact = Contact(TID, EXECUTOR, start, start + timedelta(hours=extra))
    return clean, (b, _with_contacts(b, p, p.contacts + [long_contact]))


def case_regie_one_on_one(rule: Rule, pack: RulePack):
    product, iv = _product(rule, pack), _intervention(rule, pack)
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
    clean = clean_contacts_case(pack, _product(rule, pack), _intervention(rule, pack))
    b, p = clean_contacts_case(pack, _product(rule, pack), _intervention(rule, pack))
    add_staff(b, staff("MX"))
    kinds = rule.params.get("kinds")
    i = next((i for i, c in enumerate(p.contacts) if not kinds or c.kind in kinds), 0)  # a contact the rule sees
    contacts = list(p.contacts)
    contacts[i] = replace(contacts[i], staff_id="MX", kind=contacts[i].kind if not kinds else kinds[0])
    return clean, (b, _with_contacts(b, p, contacts))
