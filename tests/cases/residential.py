"""Violation cases for residential rule kinds (planner/checks/residential.py)."""

from __future__ import annotations

import math
from datetime import timedelta

from planner.domain import Enrolment, Groep
from planner.plan import Shift
from planner.rules import Rule, RulePack
from tests.builders import add_client, add_staff, at, bundle, plan_for, staff

GROUP = "RG"
# dag 07-15, avond 15-23, night 23-07: three 8-hour shifts
SHIFT_HOURS = {"dag": 7, "avond": 15, "slaapnacht": 23, "waaknacht": 23}
# Each person works one shift in the week (<= 8 h a week, well inside every
# working-time rule, and one shortened daily rest at most).


def rules_for(pack: RulePack, product: str, kind: str) -> list[Rule]:
    return [r for r in pack.rules_of(kind) if r.applies_to(product)]


def max_occupancy(pack: RulePack, product: str) -> int:
    return min((r.params["max_jeugdigen"] for r in rules_for(pack, product, "residential_occupancy_max")), default=12)


def staff_per_hour(pack: RulePack, product: str, enrolled: int) -> int:
    """Staff on each dag/avond hour so that every ratio and minimum-staff rule of the product holds."""
    return max([math.ceil(enrolled / r.params["jeugdigen_per_staff"]) for r in rules_for(pack, product, "shift_staff_ratio")]
               + [r.params["min"] for r in rules_for(pack, product, "shift_min_staff")] + [1])


def night_kinds(pack: RulePack, product: str) -> list[str]:
    """One night shift per required kind; ``any`` is met by a waaknacht (or by any other night shift)."""
    kinds = {r.params["kind"] for r in rules_for(pack, product, "night_shift_required")}
    specific = sorted(kinds - {"any"})
    return specific or (["waaknacht"] if kinds else [])


def product_of(rule: Rule, pack: RulePack) -> str:
    """The rule's first product; for a rule on all products, the pack's first verblijf product."""
    return rule.products[0] if rule.products else next(p.code for p in pack.products if p.setting == "verblijf")


def enrol(b, jid: str, start, end=None) -> None:
    add_client(b, jid)
    b.enrolments.append(Enrolment(GROUP, jid, start, end))


def clean_residential_case(pack: RulePack, product: str, enrolled: int | None = None):
    """One verblijf group ``RG`` of ``product`` for a week, staffed so that every rule of the pack holds.

    ``enrolled`` jeugdigen (default: 4, or the pack's maximum when lower), dag
    and avond shifts with enough staff for every ratio/minimum rule, and one
    night shift per required night kind, every shift worked by another person
    (wo+, 36 contract hours) with one shift in the week per person, so the
    working-time rules hold however strictly they read the daily rest.
    """
    b = bundle(pack.id)
    first = b.manifest.period_start
    n = enrolled if enrolled is not None else min(4, max_occupancy(pack, product))
    b.groups[GROUP] = Groep(GROUP, f"Verblijfsgroep {GROUP}", product)
    for i in range(n):
        enrol(b, f"{GROUP}-J{i}", first - timedelta(days=14))
    per_hour = staff_per_hour(pack, product, n)
    slots = [(k, i) for k in ("dag", "avond") for i in range(per_hour)] + [(k, 0) for k in night_kinds(pack, product)]
    p = plan_for(b)
    from tests.cases.common import add_required_staff
    add_required_staff(b, pack, product)
    for kind, i in slots:
        for d in range(7):
            # available all week: the windows join at midnight, so a night shift fits
            m = staff(f"{kind[:2].upper()}{i}-{d}")
            add_staff(b, m)
            start = at(first + timedelta(days=d), SHIFT_HOURS[kind])
            p.shifts.append(Shift(GROUP, m.id, start, start + timedelta(hours=8), kind))
    return b, p


def _wednesday(b):
    return b.manifest.period_start + timedelta(days=2)


def _without(b, p, drop):
    """The same plan without the shifts for which ``drop(shift)`` holds."""
    p2 = plan_for(b)
    p2.shifts = [s for s in p.shifts if not drop(s)]
    return p2


def case_residential_occupancy_max(rule: Rule, pack: RulePack):
    product, limit = product_of(rule, pack), rule.params["max_jeugdigen"]
    clean = clean_residential_case(pack, product)
    b, p = clean_residential_case(pack, product)
    for i in range(limit - len(b.enrolments) + 1):
        enrol(b, f"{GROUP}-X{i}", b.manifest.period_start - timedelta(days=14))
    return clean, (b, p)


def case_shift_staff_ratio(rule: Rule, pack: RulePack):
    """Extra jeugdigen on Wednesday only: one more staff member needed all that day."""
    product = product_of(rule, pack)
    clean = clean_residential_case(pack, product)
    b, p = clean_residential_case(pack, product)
    have, per = staff_per_hour(pack, product, len(b.enrolments)), rule.params["jeugdigen_per_staff"]
    wed = _wednesday(b)
    for i in range(math.floor(have * per) - len(b.enrolments) + 1):
        enrol(b, f"{GROUP}-X{i}", wed, wed)
    return clean, (b, p)


def case_shift_min_staff(rule: Rule, pack: RulePack):
    """Wednesday's dag shift one person short of the minimum."""
    product = product_of(rule, pack)
    b, p = clean = clean_residential_case(pack, product)
    wed = _wednesday(b)
    dag = [s for s in p.shifts if s.kind == "dag" and s.start.date() == wed]
    drop = {id(s) for s in dag[:len(dag) - rule.params["min"] + 1]}
    return clean, (b, _without(b, p, lambda s: id(s) in drop))


def case_night_shift_required(rule: Rule, pack: RulePack):
    """No night shift in the night from Wednesday to Thursday."""
    b, p = clean = clean_residential_case(pack, product_of(rule, pack))
    wed = _wednesday(b)
    return clean, (b, _without(b, p, lambda s: s.kind in ("slaapnacht", "waaknacht") and s.start.date() == wed))


def case_shift_min_education_all(rule: Rule, pack: RulePack):
    """The person on Wednesday's dag shift (who works only that shift) is one level too low."""
    from dataclasses import replace

    from planner.domain import Education
    from tests.cases.groups import BELOW

    product = product_of(rule, pack)
    clean = clean_residential_case(pack, product)
    b, p = clean_residential_case(pack, product)
    wed = _wednesday(b)
    sid = next(s.staff_id for s in p.shifts if s.kind == "dag" and s.start.date() == wed)
    b.staff[sid] = replace(b.staff[sid], education=Education(BELOW[rule.params["education"]]))
    return clean, (b, p)


def case_shift_mbo3_needs_mbo4(rule: Rule, pack: RulePack):
    """Wednesday's dag shift is worked by one mbo3 alone (07-15: the night and avond shifts only touch it).

    The clean case has mbo3 on Tuesday's dag shift too, with an mbo4 colleague on the same shift."""
    from dataclasses import replace

    from planner.domain import Education

    product = product_of(rule, pack)
    cases = []
    for broken in (False, True):
        b, p = clean_residential_case(pack, product)
        for d, day in enumerate((b.manifest.period_start + timedelta(days=1), _wednesday(b))):
            dag = [s for s in p.shifts if s.kind == "dag" and s.start.date() == day]
            b.staff[dag[0].staff_id] = replace(b.staff[dag[0].staff_id], education=Education.MBO3)
            if d == 0 or not broken:  # an mbo4 colleague on the same shift
                m = staff(f"MBO4-{d}", education="mbo4")
                add_staff(b, m)
                p.shifts.append(Shift(GROUP, m.id, dag[0].start, dag[0].end, "dag"))
            else:  # nobody else on Wednesday's dag shift
                p = _without(b, p, lambda s, drop={id(s) for s in dag[1:]}: id(s) in drop)
        cases.append((b, p))
    return cases[0], cases[1]
