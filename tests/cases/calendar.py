"""Violation case for the calendar rule kind (``planner/checks/calendar.py``): no contact on a feestdag."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from planner.demand import CONTACT_SETTINGS
from planner.domain import HolidaySettings
from planner.plan import Contact
from planner.rules import Rule, RulePack
from tests.builders import at
from tests.cases.common import EXECUTOR, applicable, clean_toewijzing_case


def quiet_contact_product(pack: RulePack) -> str:
    """A non-crisis contact product without a contact_frequency rule (so one extra contact changes nothing else)."""
    return next(p.code for p in pack.products if p.setting in CONTACT_SETTINGS and p.kind != "crisis"
                and not applicable(pack, "contact_frequency", p.code) and not applicable(pack, "oncall_coverage", p.code))


def case_no_contact_on_holiday(rule: Rule, pack: RulePack):
    product = quiet_contact_product(pack)
    clean = clean_toewijzing_case(pack, product)
    b, p = clean_toewijzing_case(pack, product)
    day = b.manifest.period_start + timedelta(days=2)  # the provider closes on this Wednesday (an extra feestdag)
    b.manifest = replace(b.manifest, holidays=HolidaySettings(extra=(day,)))
    p.contacts.append(Contact("T1", EXECUTOR, at(day, 10), at(day, 11)))
    return clean, (b, p)
