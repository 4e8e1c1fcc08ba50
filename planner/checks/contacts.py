"""Contact rules: frequency, start within, omvang cap, regiebehandelaar one-on-one, who holds a contact."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from planner.checker import CheckContext, Violation
from planner.checks.caseload import assignments
from planner.domain import Toewijzing
from planner.plan import Contact
from planner.rules import Rule
from planner.semantics.eligibility import regie_duty_applies
from planner.semantics.history import (cap_scope, history_visits, is_fractional, last_regie_date, used_minutes, window,
                                       window_bound, window_weeks)
from planner.timeutil import day_start, hours

# Kinds that count as sessions/visits of the intervention itself.  Intake and
# regie contacts are the responsible professional's and do not count towards
# "4-5 visits a week" (A:3649) or "2-3 sessions a week" (A:2079-2091).
FREQUENCY_KINDS = {"contact"}
# A one-on-one contact of the responsible professional with the jeugdige (A:2153, A:3143).
REGIE_KINDS = {"intake", "regie"}


def contacts_by_toewijzing(ctx: CheckContext) -> dict[str, list[Contact]]:
    """The plan's contacts per toewijzing id, sorted by start."""
    out: dict[str, list[Contact]] = defaultdict(list)
    for c in ctx.plan.contacts:
        out[c.toewijzing_id].append(c)
    for lst in out.values():
        lst.sort(key=lambda c: (c.start, c.end))
    return out


def toewijzingen_for(ctx: CheckContext, rule: Rule) -> list[Toewijzing]:
    """Toewijzingen overlapping the period to which ``rule`` applies."""
    return [t for t in ctx.active_toewijzingen() if ctx.rule_applies(rule, t)]


def full_weeks(ctx: CheckContext, t: Toewijzing) -> list[date]:
    """Mondays of the calendar weeks wholly inside the period in which ``t`` is active every day."""
    first, last = ctx.days[0], ctx.days[-1]
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    weeks = []
    while monday + timedelta(days=6) <= last:
        if t.start <= monday and monday + timedelta(days=6) <= t.end:
            weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def starts_in_period(ctx: CheckContext, t: Toewijzing) -> bool:
    return ctx.days[0] <= t.start <= ctx.days[-1]


def _weekly_counts(ctx: CheckContext, t: Toewijzing, contacts: list[Contact]) -> list[tuple[date, int]]:
    """(Monday, number of visits/sessions) for every full week of ``t`` in the period."""
    out = []
    for monday in full_weeks(ctx, t):
        sunday = monday + timedelta(days=6)
        out.append((monday, sum(1 for c in contacts if c.kind in FREQUENCY_KINDS and monday <= c.start.date() <= sunday)))
    return out


def check_contact_frequency(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Contacts per full calendar week within [min_per_week, max_per_week] (A:3649 Families First, MDFT A:2079-2091).

    Only weeks wholly in the period and wholly inside the toewijzing count: a
    week in which the trajectory starts or ends is not a full week of it.  A
    whole bound is checked per week; a fractional one ('gemiddeld 1 x per 6
    weken' = 0.16, A:2969) is an average over a window of ``window_weeks``
    (default 1/bound rounded: 6) calendar weeks ending with each full week of
    the period, counting the visits of the care history (``realisatie.csv``)
    and of the plan against bound x the full weeks of the toewijzing in the
    window (planner.semantics.history); the first window that fails is reported.
    """
    lo, hi = rule.params.get("min_per_week"), rule.params.get("max_per_week")
    by_t = contacts_by_toewijzing(ctx)
    for t in toewijzingen_for(ctx, rule):
        contacts = by_t.get(t.id, [])
        weeks = _weekly_counts(ctx, t, contacts)
        if not weeks:
            continue
        for bound, is_min in ((lo, True), (hi, False)):
            if bound is None:
                continue
            if not is_fractional(bound):
                for monday, n in weeks:
                    yield from _frequency_breach(ctx, rule, t, f"week van {monday.isoformat()}", n, float(bound), is_min)
                continue
            span = window_weeks(rule, bound)
            for monday, _ in weeks:
                first, last, full = window(t, monday, span)
                n = history_visits(ctx.history.get(t.id, ()), first, last) + sum(
                    1 for c in contacts if c.kind in FREQUENCY_KINDS and first <= c.start.date() <= last)
                found = list(_frequency_breach(ctx, rule, t, f"{span} weken {first.isoformat()} t/m {last.isoformat()} "
                                                             f"(met realisatie)", n, window_bound(bound, full), is_min))
                if found:
                    yield from found
                    break


def _frequency_breach(ctx: CheckContext, rule: Rule, t: Toewijzing, when: str, n: int, bound: float,
                      is_min: bool) -> Iterator[Violation]:
    """One violation when ``n`` contacts in ``when`` fall below (``is_min``) or above ``bound``."""
    if is_min and n < bound - 1e-9:  # too few: care left undone
        yield ctx.violation(rule, f"Toewijzing {t.id}, {when}: {n} contact(en), minimaal {bound:g}.",
                            ("toewijzing", t.id), amount=round(bound - n, 2), shortfall=True,
                            reason=ctx.reason_for(t.id))
    elif not is_min and n > bound + 1e-9:
        yield ctx.violation(rule, f"Toewijzing {t.id}, {when}: {n} contacten, maximaal {bound:g}.",
                            ("toewijzing", t.id), amount=round(n - bound, 2))


def check_start_within(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """A toewijzing starting in the period has its first contact within ``hours`` of its start (FF/ASH A:3641, A:3681).

    The start is the start date at 00:00 (a toewijzing carries no time).  When
    the deadline lies after the period and no contact is planned yet, the next
    period decides: nothing is reported.  No or a late first contact is care left undone (shortfall).
    """
    limit = float(rule.params["hours"])
    by_t = contacts_by_toewijzing(ctx)
    for t in toewijzingen_for(ctx, rule):
        if not starts_in_period(ctx, t):
            continue
        begin = day_start(t.start)
        deadline = begin + timedelta(hours=limit)
        first = next((c for c in by_t.get(t.id, ()) if c.start >= begin), None)
        if first is None:
            if deadline < ctx.period_end_dt:
                yield ctx.violation(rule, f"Toewijzing {t.id} start {t.start.isoformat()}: geen eerste contact gepland, "
                                          f"uiterlijk binnen {limit:g} uur nodig.", ("toewijzing", t.id),
                                    shortfall=True, reason=ctx.reason_for(t.id))
        elif first.start > deadline:
            late = hours(first.start - deadline)
            yield ctx.violation(rule, f"Toewijzing {t.id} start {t.start.isoformat()}: eerste contact op "
                                      f"{first.start:%Y-%m-%d %H:%M}, {late:.1f} uur na de termijn van {limit:g} uur.",
                                ("toewijzing", t.id), ("medewerker", first.staff_id), amount=round(late, 2),
                                shortfall=True, reason=ctx.reason_for(t.id))


def check_omvang_cap(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Contact hours of a toewijzing <= ``max_hours`` per ``jaar`` or per ``traject`` (A:2197, A:2575, A:3885).

    The hours delivered before the period (``realisatie.csv``, every soort) count with the planned ones
    (planner.semantics.history); with ``per: jaar`` both are summed per calendar year of the contact.
    """
    cap = float(rule.params["max_hours"])
    by_t = contacts_by_toewijzing(ctx)
    for t in toewijzingen_for(ctx, rule):
        totals: dict[str, float] = defaultdict(float)
        for c in by_t.get(t.id, ()):
            totals[cap_scope(rule, c.start.date())] += hours(c.end - c.start)
        for key, planned in sorted(totals.items()):
            used = used_minutes(rule, ctx.history.get(t.id, ()), key) / 60
            total = planned + used
            if total > cap + 1e-9:
                scope = f"in {key}" if key != "traject" else "in het traject"
                yield ctx.violation(rule, f"Toewijzing {t.id}: {total:.1f} uur contact {scope} ({used:.1f} uur al "
                                          f"geleverd volgens de realisatie, {planned:.1f} uur gepland), maximaal "
                                          f"{cap:g} uur.", ("toewijzing", t.id), amount=round(total - cap, 2))


def _has_regie_contact(contacts: list[Contact], staff_id: str, first: date, last: date) -> bool:
    """A one-on-one intake/regie contact by ``staff_id`` on a day of [first, last]."""
    return any(c.one_on_one and c.kind in REGIE_KINDS and c.staff_id == staff_id and first <= c.start.date() <= last
               for c in contacts)


def check_regie_one_on_one(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """The responsible regiebehandelaar sees the jeugdige one-on-one (A:2153 'altijd'; A:3143 'minimaal twee keer per jaar').

    ``intake`` (default true): a toewijzing starting in the period has such a
    contact by its responsible on or after its start within the period.
    ``max_days_between``: the days from the last regie/intake contact before the period (``laatste_regiecontact``
    or ``realisatie.csv``, whichever is later; else the start)
    to the end of the period (or the toewijzing's end) may not exceed the
    limit unless such a contact lies in the period.  A toewijzing without a
    responsible is left to ``assignment_present``/``responsible_role``.
    """
    intake, max_gap = rule.params.get("intake", True), rule.params.get("max_days_between")
    by_a, by_t = assignments(ctx), contacts_by_toewijzing(ctx)
    first, last = ctx.days[0], ctx.days[-1]
    for t in toewijzingen_for(ctx, rule):
        a = by_a.get(t.id)
        if a is None or a.responsible_id is None:
            continue
        product = ctx.product(t.product_code)
        if not regie_duty_applies(rule, ctx.staff(a.responsible_id), product.domain if product else None):
            continue
        contacts, who = by_t.get(t.id, []), a.responsible_id
        if intake and starts_in_period(ctx, t) and not _has_regie_contact(contacts, who, t.start, last):
            yield ctx.violation(rule, f"Toewijzing {t.id} start {t.start.isoformat()}: geen 1-op-1 intake/regiecontact "
                                      f"van verantwoordelijke {who} in de periode.",
                                ("toewijzing", t.id), ("medewerker", who), shortfall=True, reason=ctx.reason_for(t.id))
            continue
        if max_gap is None:
            continue
        since = last_regie_date(t, ctx.history.get(t.id, ())) or t.start
        until = min(last, t.end)
        gap = (until - since).days
        if gap > max_gap and not _has_regie_contact(contacts, who, first, last):
            yield ctx.violation(rule, f"Toewijzing {t.id}: laatste 1-op-1 contact met verantwoordelijke {who} op "
                                      f"{since.isoformat()}, {gap} dagen tot {until.isoformat()}; maximaal {max_gap} dagen.",
                                ("toewijzing", t.id), ("medewerker", who), amount=gap - max_gap, shortfall=True,
                                reason=ctx.reason_for(t.id))


def check_contact_by_executor(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """A contact is held by an executor or the responsible of its toewijzing (caseload decision, PLANNING 3.1).

    ``executor_only: true`` leaves the responsible out: the visit is the certified professional's own
    (FF A:3649 "komt een gezinsmedewerker in het gezin", the executors that intervention_certification checks);
    ``kinds`` limits the rule to those contact kinds (e.g. [contact]: the visits, not the regie contact).
    """
    by_a = assignments(ctx)
    only, kinds = bool(rule.params.get("executor_only")), rule.params.get("kinds")
    for c in ctx.plan.contacts:
        t = ctx.toewijzing(c.toewijzing_id)
        if t is None or not ctx.rule_applies(rule, t) or (kinds and c.kind not in kinds):
            continue
        a = by_a.get(t.id)
        allowed = (set(a.executor_ids) | (set() if only else {a.responsible_id})) if a else set()
        if c.staff_id not in allowed:
            who = "uitvoerder" if only else "uitvoerder of verantwoordelijke"
            yield ctx.violation(rule, f"Contact {t.id} op {c.start:%Y-%m-%d %H:%M} door {c.staff_id}, "
                                      f"die geen {who} van deze toewijzing is.",
                                ("toewijzing", t.id), ("medewerker", c.staff_id))
