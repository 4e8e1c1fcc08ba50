"""Violation cases for ``group_responsible_hours`` (planner/checks/presence.py)."""

from __future__ import annotations

import math
from datetime import timedelta

from planner.plan import Shift
from planner.rules import Rule, RulePack
from planner.semantics.presence import PRESENCE_KIND, jeugdige_days, min_hours, per_jeugdige
from tests.builders import at
from tests.cases.common import RESPONSIBLE, add_clean_toewijzing
from tests.cases.residential import GROUP, clean_residential_case, product_of


def presence_case(pack: RulePack, product: str, rule: Rule | None = None, hours: float | None = None):
    """The clean residential case of ``product`` with a toewijzing ``T1`` for its first jeugdige (responsible
    ``M-R``) and a presence block of ``M-R`` on the group on Wednesday from 10:00: as long as the product's
    ``group_responsible_hours`` rules ask, or ``hours``."""
    b, p = clean_residential_case(pack, product)
    add_clean_toewijzing(b, p, pack, product, "T1", jid=f"{GROUP}-J0")
    days = [b.manifest.period_start + timedelta(days=i) for i in range(7)]
    if hours is None:
        rules = [r for r in pack.rules_of("group_responsible_hours") if r.applies_to(product)]
        hours = max([min_hours(r) * (jeugdige_days(b, GROUP, days, r) / 7 if per_jeugdige(r) else 1) for r in rules] + [0])
    if hours:
        start = at(days[2], 10)
        p.shifts.append(Shift(GROUP, RESPONSIBLE, start, start + timedelta(hours=math.ceil(hours * 4) / 4), PRESENCE_KIND))
    return b, p


def case_group_responsible_hours(rule: Rule, pack: RulePack):
    """Clean: the block is as long as the rule asks; broken: an hour shorter (one week, one group: once)."""
    product = product_of(rule, pack)
    clean = presence_case(pack, product)
    b, p = presence_case(pack, product)
    block = next(s for s in p.shifts if s.kind == PRESENCE_KIND)
    p.shifts[p.shifts.index(block)] = Shift(block.group_id, block.staff_id, block.start,
                                            block.end - timedelta(hours=1), block.kind)
    return clean, (b, p)
