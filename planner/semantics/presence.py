"""Presence on a residential group: who is "aan de locatie verbonden" and how many hours they are there.

Two statements of Bijlage 1 ask time of a responsible professional on the group, kind
``group_responsible_hours``:

* "De regiebehandelaar is aan de locatie verbonden en structureel meerdere uren per week aanwezig" (HSW A:3095,
  BHG A:3239, DM A:3323, JZP A:3487): ``per: medewerker``, every responsible regiebehandelaar of a jeugdige on
  the group is there ``min_hours`` (default 2: "meerdere" is at least two) in every week of the plan in which
  they are responsible for one;
* "Per jeugdige wordt er gebruik gemaakt van een gedragswetenschapper ... voor gemiddeld 1 uur per week"
  (gezinshuis A:3011): ``per: jeugdige``, the responsible gedragswetenschappers of the group together are there
  ``min_hours`` per jeugdige per week, averaged over the period (jeugdige-days / 7 of the jeugdigen on the group
  with a toewijzing of the rule's products).

Time on the group is what the plan records there: the person's shifts on the group, of any kind, including the
``aanwezig`` blocks the solver plans for this rule (``solver.presence``); with interpretation ``telt_mee`` =
``met_contacten`` also the person's contacts with jeugdigen enrolled on the group that day.  Weeks are the plan's
7-day weeks from ``period_start``.

Also here, for ``shift_staff_ratio`` with ``exclude_products`` (A:3589): staff in a contact of extra
verblijfsbegeleiding do not count for the group's ratio (:func:`in_contact_of`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from planner.domain import Bundle, Groep
from planner.plan import Plan
from planner.rules import Rule, RulePack
from planner.semantics.eligibility import has_role

PRESENCE_KIND = "aanwezig"  # the kind of a presence block in plan.shifts


def in_contact_of(plan: Plan, bundle: Bundle, products: Iterable[str]) -> Callable[[str, datetime, datetime], bool]:
    """(staff_id, start, end) -> the person has a contact of a toewijzing of ``products`` overlapping [start, end)."""
    wanted = set(products)
    spans: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for c in plan.contacts:
        t = bundle.toewijzingen.get(c.toewijzing_id)
        if t is not None and t.product_code in wanted:
            spans[c.staff_id].append((c.start, c.end))
    return lambda sid, start, end: any(a < end and start < b for a, b in spans.get(sid, ()))


def min_hours(rule: Rule) -> float:
    return float(rule.params.get("min_hours", 2))


def per_jeugdige(rule: Rule) -> bool:
    return rule.params.get("per", "medewerker") == "jeugdige"


def with_contacts(rule: Rule) -> bool:
    return "telt_mee" in rule.interpretations and rule.interpretation("telt_mee") == "met_contacten"


def presence_groups(bundle: Bundle, pack: RulePack, rule: Rule) -> list[Groep]:
    """Groups of the rule's products (verblijf groups when it names none)."""
    out = []
    for g in bundle.groups.values():
        product = pack.product(g.product_code)
        if product is not None and rule.applies_to(g.product_code) and (rule.products or product.setting == "verblijf"):
            out.append(g)
    return sorted(out, key=lambda g: g.id)


def week_days(period_start: date, weeks: int) -> list[list[date]]:
    return [[period_start + timedelta(days=7 * w + i) for i in range(7)] for w in range(weeks)]


def enrolled_on(bundle: Bundle, group_id: str, day: date) -> set[str]:
    return {e.jeugdige_id for e in bundle.enrolments if e.group_id == group_id and e.active_on(day)}


def jeugdige_days(bundle: Bundle, group_id: str, days: list[date], rule: Rule | None = None) -> int:
    """Jeugdige-days on the group; with ``rule`` only of jeugdigen with an active toewijzing of its products."""
    total = 0
    for d in days:
        here = enrolled_on(bundle, group_id, d)
        if rule is not None:
            here = {t.jeugdige_id for t in bundle.toewijzingen.values() if t.jeugdige_id in here
                    and t.start <= d <= t.end and rule.applies_to(t.product_code, t.intervention)}
        total += len(here)
    return total


def responsibles(bundle: Bundle, pack: RulePack, plan: Plan, rule: Rule, g: Groep, days: list[date]) -> set[str]:
    """Responsibles (plan caseload) with the rule's ``role`` of an active toewijzing of the rule's products whose
    jeugdige is enrolled on ``g`` on one of ``days``."""
    product = pack.product(g.product_code)
    domain = product.domain if product else None
    out = set()
    for a in plan.caseload:
        t = bundle.toewijzingen.get(a.toewijzing_id)
        m = bundle.staff.get(a.responsible_id or "")
        if t is None or m is None or not rule.applies_to(t.product_code, t.intervention):
            continue
        if any(t.start <= d <= t.end and t.jeugdige_id in enrolled_on(bundle, g.id, d) for d in days) \
                and has_role(m, rule.params["role"], domain):
            out.add(m.id)
    return out


def hours_on_group(bundle: Bundle, plan_shifts, plan_contacts, rule: Rule, staff_id: str, g: Groep,
                   days: list[date]) -> float:
    """Hours ``staff_id`` spends on ``g`` within ``days``: shifts on the group (any kind), and with
    ``telt_mee`` = ``met_contacten`` contacts with jeugdigen enrolled on the group that day."""
    lo, hi = datetime.combine(days[0], time(0)), datetime.combine(days[-1] + timedelta(days=1), time(0))
    spans = [(s.start, s.end) for s in plan_shifts if s.staff_id == staff_id and s.group_id == g.id]
    if with_contacts(rule):
        for c in plan_contacts:
            t = bundle.toewijzingen.get(c.toewijzing_id)
            if c.staff_id == staff_id and t is not None and t.jeugdige_id in enrolled_on(bundle, g.id, c.start.date()):
                spans.append((c.start, c.end))
    return _union_hours([(max(a, lo), min(b, hi)) for a, b in spans if a < hi and b > lo])


def _union_hours(spans: list[tuple[datetime, datetime]]) -> float:
    total, cursor = timedelta(0), None
    for a, b in sorted(spans):
        if cursor is None or a > cursor:
            total += b - a
            cursor = b
        elif b > cursor:
            total += b - cursor
            cursor = b
    return total.total_seconds() / 3600


@dataclass(frozen=True)
class Shortfall:
    group_id: str
    week: int
    staff_id: str | None  # per medewerker: who; per jeugdige: None (the group's responsibles together)
    hours: float
    needed: float


def shortfalls(bundle: Bundle, pack: RulePack, plan: Plan, rule: Rule) -> list[Shortfall]:
    """Where the plan gives the group's responsibles less time on the group than the rule asks."""
    out = []
    weeks = week_days(plan.period_start, plan.weeks)
    for g in presence_groups(bundle, pack, rule):
        if per_jeugdige(rule):
            days = [d for w in weeks for d in w]
            needed = min_hours(rule) * jeugdige_days(bundle, g.id, days, rule) / 7
            who = responsibles(bundle, pack, plan, rule, g, days)
            have = sum(hours_on_group(bundle, plan.shifts, plan.contacts, rule, sid, g, days) for sid in who)
            if needed > 0 and have + 1e-9 < needed:
                out.append(Shortfall(g.id, -1, None, have, needed))
            continue
        for w, days in enumerate(weeks):
            for sid in sorted(responsibles(bundle, pack, plan, rule, g, days)):
                have = hours_on_group(bundle, plan.shifts, plan.contacts, rule, sid, g, days)
                if have + 1e-9 < min_hours(rule):
                    out.append(Shortfall(g.id, w, sid, have, min_hours(rule)))
    return out
