"""Shared clean fixtures for toewijzing-based rule kinds.

:func:`clean_toewijzing_case` builds one active toewijzing that passes the
whole pack: a fully qualified executor and responsible (``tests.builders.staff``
defaults), its case assignment, and contacts that satisfy the pack's
``contact_frequency`` rules.  Everything is read from the pack, so it stays
clean when other helpers add rules of other kinds.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

from planner.domain import Bundle, Registration, Toewijzing
from planner.plan import CaseAssignment, Contact, OnCallBlock, Plan
from planner.rules import Rule, RulePack
from planner.semantics.oncall import fits_layer
from planner.timeutil import add_months
from tests.builders import (
    MONDAY,
    add_staff,
    add_team,
    add_toewijzing,
    at,
    bundle,
    plan_for,
    staff,
)

EXECUTOR, RESPONSIBLE = "M-U", "M-R"
START_BEFORE_PERIOD = timedelta(days=14)
GROUP_SETTINGS = {"groep", "verblijf"}


def case_monday(rule: Rule) -> date:
    """``MONDAY``, or the first Monday of the week the rule holds in when it does not hold then (validity dates)."""
    if rule.valid_between(MONDAY, MONDAY + timedelta(days=6)):
        return MONDAY
    day = rule.geldig_vanaf or date(2025, 1, 6)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def applicable(pack: RulePack, kind: str, product: str, intervention: str | None = None) -> list[Rule]:
    """Rules of ``kind`` in ``pack`` that apply to a toewijzing of ``product``/``intervention``."""
    return [r for r in pack.rules_of(kind) if r.applies_to(product, intervention)]


def oncall_interventions(pack: RulePack, product: str) -> set[str]:
    """Interventions for which an ``oncall_coverage`` rule of the product asks 24/7 bereikbaarheid."""
    return {i for r in pack.rules_of("oncall_coverage") if not r.products or product in r.products
            for i in r.interventions}


def needs_oncall(pack: RulePack, product: str, intervention: str | None) -> bool:
    """The product (with this intervention) asks 24/7 bereikbaarheid (planner.semantics.oncall)."""
    return any(r.applies_to(product, intervention) for r in pack.rules_of("oncall_coverage"))


def pick_intervention(pack: RulePack, rule: Rule, product: str, required: bool = False) -> str | None:
    """An intervention that makes ``rule`` apply; without on-call duty where there is a choice."""
    p = pack.product(product)
    options = list(rule.interventions) or (list(p.interventions) if p else [])
    if not options:
        return "MST" if required else None
    quiet = [i for i in options if i not in oncall_interventions(pack, product)]
    return (quiet or options)[0]


def case_product(rule: Rule, pack: RulePack) -> str:
    """The rule's first product, or the pack's first non-group product for an all-products rule."""
    if rule.products:
        return rule.products[0]
    return next(p.code for p in pack.products if p.setting not in GROUP_SETTINGS)


def trajectory_end(pack: RulePack, product: str, intervention: str | None, start: date) -> date:
    """Six months, or shorter when a ``max_trajectory_length`` rule asks."""
    end = start + timedelta(days=180)
    for r in applicable(pack, "max_trajectory_length", product, intervention):
        end = min(end, add_months(start, r.params["months"]) - timedelta(days=1))
    return end


def ensure_staff(b: Bundle, *ids: str) -> None:
    for sid in ids:
        if sid not in b.staff:
            add_staff(b, staff(sid))


def _contacts_per_week(pack: RulePack, t: Toewijzing) -> int:
    rules = applicable(pack, "contact_frequency", t.product_code, t.intervention)
    # a fractional minimum (e.g. 0.16 a week: a visit every six weeks) still needs one contact per week
    return max([math.ceil(r.params.get("min_per_week") or 0) for r in rules] + [0])


def add_contacts(b: Bundle, p: Plan, pack: RulePack, t: Toewijzing, staff_id: str, slot: int = 0) -> None:
    """``min_per_week`` contacts of 1 h on weekdays, from 10:00 (+ ``slot`` hours, so several
    toewijzingen of one executor do not overlap)."""
    n = _contacts_per_week(pack, t)
    for week in range(p.weeks):
        for i in range(n):
            day = p.period_start + timedelta(days=7 * week + i % 5)
            hour = 10 + slot + 3 * (i // 5)
            p.contacts.append(Contact(t.id, staff_id, at(day, hour), at(day, hour + 1), kind="contact"))


def add_oncall(b: Bundle, p: Plan, t: Toewijzing, staff_id: str, pack: RulePack | None = None) -> str:
    """A 24/7 team for the toewijzing's intervention with ``staff_id`` on call the whole period; with ``pack``,
    one more member on call for each layer (``professions``, planner.semantics.oncall) ``staff_id`` does not fit."""
    team_id = f"TEAM-{t.intervention or t.product_code}"
    if team_id not in b.teams:
        add_team(b, team_id, t.intervention)
        m = b.staff[staff_id]
        b.staff[staff_id] = replace(m, teams=m.teams | {team_id})
        start = at(p.period_start, 0)
        p.oncall.append(OnCallBlock(team_id, staff_id, start, start + timedelta(weeks=p.weeks)))
        layers = [r for r in (pack.rules_of("oncall_coverage") if pack else []) if r.applies_to(t.product_code, t.intervention)
                  and not fits_layer(r, b.staff[staff_id])]
        for i, rule in enumerate(layers):
            sid = f"{team_id}-L{i + 1}"
            add_staff(b, staff(sid, profession=(rule.params.get("professions") or ["gz-psycholoog"])[0],
                               teams=(team_id,)))
            p.oncall.append(OnCallBlock(team_id, sid, start, start + timedelta(weeks=p.weeks)))
    return team_id


def qualify(b: Bundle, pack: RulePack, t: Toewijzing, executor: str) -> None:
    """Give the executor every register an ``executor_registration`` rule of the product asks
    (e.g. Register Vaktherapie), on top of the default SKJ and BIG."""
    m = b.staff[executor]
    for rule in applicable(pack, "executor_registration", t.product_code, t.intervention):
        wanted = {Registration(r) for r in rule.params["registrations"]}
        if not wanted & m.registrations:
            m = replace(m, registrations=m.registrations | wanted)
    b.staff[executor] = m


def qualify_more(b: Bundle, pack: RulePack, t: Toewijzing, executor: str) -> None:
    """The executor's profession (``executor_profession``, A:2201) and certification (``executor_certification``,
    A:2173) as the product's rules ask."""
    m = b.staff[executor]
    for rule in applicable(pack, "executor_profession", t.product_code, t.intervention):
        m = replace(m, profession=rule.params["professions"][0],
                    registrations=m.registrations | {Registration(r) for r in rule.params.get("registrations") or ()})
    for rule in applicable(pack, "executor_certification", t.product_code, t.intervention):
        m = replace(m, certifications=m.certifications | {rule.params["certification"]})
    b.staff[executor] = m


def add_clean_toewijzing(b: Bundle, p: Plan, pack: RulePack, product: str, tid: str, *, jid: str | None = None,
                         gezin_id: str | None = None, intervention: str | None = None,
                         executor: str = EXECUTOR, responsible: str = RESPONSIBLE) -> Toewijzing:
    """Add one active toewijzing (started before the period) with assignment and contacts."""
    ensure_staff(b, executor, responsible)
    slot = len(b.toewijzingen)
    start = b.manifest.period_start - START_BEFORE_PERIOD
    kw = {}
    if applicable(pack, "regie_one_on_one", product, intervention):
        kw["last_regie_contact"] = b.manifest.period_start - timedelta(days=1)
    t = add_toewijzing(b, tid, product, jid, start=start, end=trajectory_end(pack, product, intervention, start),
                       intervention=intervention, gezin_id=gezin_id, **kw)
    if needs_oncall(pack, product, intervention):
        team_id = add_oncall(b, p, t, executor, pack)
        t = b.toewijzingen[tid] = replace(t, team_id=team_id)
    qualify(b, pack, t, executor)
    qualify_more(b, pack, t, executor)
    p.caseload.append(CaseAssignment(tid, (executor,), responsible))
    add_contacts(b, p, pack, t, executor, slot)
    return t


def add_required_staff(b: Bundle, pack: RulePack, product: str) -> None:
    """A staff member (no duties) of the first profession of each ``staff_available`` rule of the product (A:3863;
    wo+ with SKJ and BIG and the rule's registers, so a rule on education, registration or role holds too)."""
    for i, r in enumerate(applicable(pack, "staff_available", product)):
        regs = ("SKJ", "BIG", *(r.params.get("registrations") or ()))
        add_staff(b, staff(f"M-IN-DIENST-{i}", profession=(r.params.get("professions") or ["gz-psycholoog"])[0],
                           registrations=regs))


def clean_toewijzing_case(pack: RulePack, product_code: str, intervention: str | None = None) -> tuple[Bundle, Plan]:
    """One active toewijzing ``T1`` of ``product_code`` that gives zero violations against ``pack``."""
    b = bundle(pack.id)
    p = plan_for(b)
    add_clean_toewijzing(b, p, pack, product_code, "T1", intervention=intervention)
    add_required_staff(b, pack, product_code)
    for r in applicable(pack, "requires_concurrent_product", product_code, intervention)[:1]:  # EVB (A:3581)
        add_clean_toewijzing(b, p, pack, r.params["products"][0], "T1-BIJ", jid=b.toewijzingen["T1"].jeugdige_id)
    return b, p
