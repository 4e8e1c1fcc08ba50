"""On-call (bereikbaarheid, consignatie) rules: 24/7 coverage per team, consent, 28-day limits, night shifts.

Coverage is owned by the municipality packs (F:103, A:2829-2843, ...); the
limits come from the ``working-time`` pack (Arbeidstijdenbesluit, CAO
Jeugdzorg).  Rolling 28-day windows include ``plan.history_oncall`` and
``plan.history_shifts`` so they cross the start of the period.  Times are
naive local wall-clock times: DST is not an issue (see working_time).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from planner.checker import CheckContext, Violation
from planner.checks.working_time import absences_by_staff, fmt, subtract
from planner.timeutil import DAY, Interval, union
from planner.rules import Rule
from planner.semantics.oncall import (duties, fits_layer, layer_label, may_carry, offering_teams, required_spans,
                                      window_text)
from planner.timeutil import day_start, hours

NIGHT_KINDS = {"slaapnacht", "waaknacht"}


def oncall_by_staff(ctx: CheckContext, history: bool = True) -> dict[str, list[Interval]]:
    """Per staff member the union of on-call blocks of the plan (and its history)."""
    blocks = ctx.plan.oncall + (ctx.plan.history_oncall if history else [])
    out: dict[str, list[Interval]] = defaultdict(list)
    for o in blocks:
        out[o.staff_id].append((o.start, o.end))
    return {sid: union(lst) for sid, lst in out.items()}


def planned_staff(ctx: CheckContext) -> set[str]:
    """Staff with on-call in this period: only they can break a rolling limit now."""
    return {o.staff_id for o in ctx.plan.oncall}


def check_oncall_consent(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """W.consignatie_instemming: staff who need consent (pension, pregnancy) are on call only with it."""
    for o in ctx.plan.oncall:
        m = ctx.staff(o.staff_id)
        if m is not None and m.oncall_consent_required and not m.oncall_consent:
            yield ctx.violation(rule, f"Medewerker {m.id} heeft bereikbaarheidsdienst ({o.team_id}, {fmt(o.start)} tot "
                                      f"{fmt(o.end)}) zonder instemming.", ("medewerker", m.id), ("team", o.team_id))


def _covered_before(starts: list[datetime], ends: list[datetime], cum: list[timedelta], t: datetime) -> timedelta:
    """Covered time of a sorted union before ``t`` (``cum[i]`` = covered time before ``starts[i]``)."""
    i = bisect_right(starts, t) - 1
    return timedelta(0) if i < 0 else cum[i] + min(t, ends[i]) - starts[i]


def check_oncall_max_per_28d(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """W.consignatie_max_28d: in any ``window_days`` (28) days at most ``max_days`` (7) x 24 h on call.

    The fullest window starts at a block's start or ends at a block's end, so
    only those windows are measured (prefix sums + bisect).  Windows must reach
    into the period; one violation per person, for the fullest window.
    """
    window = timedelta(days=float(rule.params.get("window_days", 28)))
    limit = timedelta(days=float(rule.params.get("max_days", 7)))
    lo, hi = ctx.period_start_dt, ctx.period_end_dt
    blocks = oncall_by_staff(ctx)
    for sid in sorted(planned_staff(ctx)):
        iv = blocks[sid]
        starts, ends = [s for s, _ in iv], [e for _, e in iv]
        cum, total = [], timedelta(0)
        for s, e in iv:
            cum.append(total)
            total += e - s
        worst, worst_t0 = timedelta(0), None
        for t0 in starts + [e - window for e in ends]:
            if t0 + window <= lo or t0 >= hi:
                continue
            got = _covered_before(starts, ends, cum, t0 + window) - _covered_before(starts, ends, cum, t0)
            if got > worst:
                worst, worst_t0 = got, t0
        if worst > limit:
            yield ctx.violation(rule, f"Medewerker {sid}: {hours(worst):g} uur bereikbaarheidsdienst in de "
                                      f"{window.days} dagen vanaf {fmt(worst_t0)}, maximaal {hours(limit):g} uur.",
                                ("medewerker", sid), amount=round(hours(worst - limit), 2))


def oncall_days(iv: list[Interval]) -> list[date]:
    """Sorted calendar days touched by on-call (a block ending at 00:00 does not touch the next day)."""
    days: set[date] = set()
    for s, e in iv:
        d = s.date()
        while day_start(d) < e:
            days.add(d)
            d += DAY
    return sorted(days)


def check_oncall_free_periods(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """W.consignatie_vrije_perioden: per ``window_days`` (28) days >= ``min_free`` (14) calendar days without on-call.

    Each window of 28 consecutive days ending on a day of the period is
    counted (history included); one violation per person, for the worst window.
    """
    window = int(rule.params.get("window_days", 28))
    need = int(rule.params.get("min_free", 14))
    blocks = oncall_by_staff(ctx)
    for sid in sorted(planned_staff(ctx)):
        days = oncall_days(blocks[sid])
        worst, worst_end = window + 1, None
        for end in ctx.days:
            first = end - timedelta(days=window - 1)
            free = window - (bisect_right(days, end) - bisect_left(days, first))
            if free < worst:
                worst, worst_end = free, end
        if worst < need:
            first = worst_end - timedelta(days=window - 1)
            yield ctx.violation(rule, f"Medewerker {sid}: {worst} dagen zonder bereikbaarheidsdienst in de {window} dagen "
                                      f"van {first:%d-%m-%Y} tot en met {worst_end:%d-%m-%Y}, minimaal {need}.",
                                ("medewerker", sid), amount=need - worst)


def check_oncall_night_shift_buffer(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """W.consignatie_nachtdienst: no on-call ``before`` (11) h before or ``after`` (14) h after a night shift."""
    before = timedelta(hours=float(rule.params.get("before", 11)))
    after = timedelta(hours=float(rule.params.get("after", 14)))
    nights: dict[str, list] = defaultdict(list)
    for s in ctx.plan.history_shifts + ctx.plan.shifts:
        if s.kind in NIGHT_KINDS:
            nights[s.staff_id].append(s)
    for lst in nights.values():
        lst.sort(key=lambda n: n.start)
    for o in sorted(ctx.plan.oncall, key=lambda o: (o.staff_id, o.start)):
        for n in nights.get(o.staff_id, ()):
            for lo, hi, when in ((n.start - before, n.start, "voor"), (n.end, n.end + after, "na")):
                if o.start < hi and lo < o.end:
                    yield ctx.violation(rule, f"Medewerker {o.staff_id}: bereikbaarheidsdienst {fmt(o.start)} tot "
                                              f"{fmt(o.end)} binnen {hours(hi - lo):g} uur {when} de nachtdienst "
                                              f"{n.group_id} van {fmt(n.start)}.", ("medewerker", o.staff_id),
                                        amount=round(hours(min(o.end, hi) - max(o.start, lo)), 2))


# --- coverage -----------------------------------------------------------------
def required_oncall(ctx: CheckContext, rule: Rule, ts: list, offered: bool = False) -> list[Interval]:
    """The stretches of the period in which ``rule`` asks someone on call: the days on which one of ``ts`` is
    active (whatever the plan's ``unserved`` says), or all of it for a team that offers the product of a
    ``while_offered`` rule, within the rule's window (planner.semantics.oncall.required_spans)."""
    return required_spans(rule, ts, offered, ctx.period_start_dt, ctx.period_end_dt)


def check_oncall_coverage(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """24/7 bereikbaarheid: every minute a toewijzing with the product's duty is active (or, for a rule with
    ``while_offered``, every minute of the period for a team that offers the product), a qualified member
    of the team that carries it is on call.

    The duty comes from the product (the rule applies to the toewijzing), not from the team's
    ``bereikbaarheid_24_7`` flag; the team is the toewijzing's ``team_id`` or the team of its intervention
    (:mod:`planner.semantics.oncall`).  A toewijzing with the duty and no such team is care left undone for
    every day it is active.  Qualified: the team is in the member's ``teams``, if the team names an
    intervention the member holds that certification, and the member fits the rule's layer (``professions``,
    ``min_education``, ``registrations``).  Only the rule's window (``hours`` on ``weekdays``) is asked.
    On-call during the member's own absence does not count; a block of someone who may not carry the
    team's phone at all is a wrong decision of its own (unknown staff ids are left to ``plan_references``).
    Optional ``teams_with_intervention`` limits the rule to teams whose intervention is listed.  Each
    uncovered stretch is reported once, as care left undone (shortfall) with the plan's reasons for the
    team's unserved toewijzingen, if any.
    """
    only = rule.params.get("teams_with_intervention")
    absent = absences_by_staff(ctx)
    by_team, orphans = duties(ctx.bundle, rule, ctx.active_toewijzingen(), only)
    offered = {team.id for team in offering_teams(ctx.bundle, rule)}
    label, window = layer_label(rule), window_text(rule)
    for t in sorted(orphans, key=lambda t: t.id):
        need = required_oncall(ctx, rule, [t])
        if need:
            total = sum(hours(e - s) for s, e in need)
            what = f"geen team met interventie {t.intervention}" if t.intervention else "geen team"
            yield ctx.violation(rule, f"Toewijzing {t.id} ({t.product_code}) vraagt 24/7 bereikbaarheid, maar er is "
                                      f"{what} dat die draagt: niemand bereikbaar ({total:g} uur).",
                                ("toewijzing", t.id), amount=round(total, 2), shortfall=True,
                                reason=ctx.reason_for(t.id))
    for team_id in sorted(set(by_team) | offered):
        team = ctx.bundle.teams[team_id]
        ts = by_team.get(team_id, [])
        need = required_oncall(ctx, rule, ts, team_id in offered)
        if not need:
            continue
        reason = ctx.reason_for(*sorted(t.id for t in ts))
        cover: list[Interval] = []
        for o in ctx.plan.oncall:
            if o.team_id != team.id:
                continue
            m = ctx.staff(o.staff_id)
            if m is not None and may_carry(team, m):
                if fits_layer(rule, m):
                    cover.extend(subtract([(o.start, o.end)], absent.get(m.id, [])))
            elif m is not None:  # a wrong decision: someone who may not carry the team's phone
                why = "geen lid van het team" if team.id not in m.teams else f"niet gecertificeerd voor {team.intervention}"
                yield ctx.violation(rule, f"Team {team.id}: bereikbaarheidsdienst van {fmt(o.start)} tot {fmt(o.end)} "
                                          f"door {m.id}, {why}.", ("team", team.id), ("medewerker", m.id))
        who = f"geen {label} bereikbaar" if label else "niemand bereikbaar"
        cert = f" (met certificering {team.intervention})" if team.intervention else ""
        for s, e in subtract(need, union(cover)):
            yield ctx.violation(rule, f"Team {team.id}: {who} van {fmt(s)} tot {fmt(e)}{cert}{window}.",
                                ("team", team.id), amount=round(hours(e - s), 2), shortfall=True, reason=reason)
