"""Stage 0, after the rosters: ``aanwezig`` blocks for ``group_responsible_hours`` (A:3095, A:3239, A:3323,
A:3487, A:3011).

Per group the rule applies to, one professional with the rule's ``role`` who may work on the group (a member of
its fixed team when it has one, ``shift_by_team_member``; VOG, education and registration as for its shifts) is
"aan de locatie verbonden": the current responsible of the group's jeugdigen where possible.  In every plan
week with jeugdigen on the group they get a presence block on the group (kind ``aanwezig`` in
``plan.shifts``, from 10:00 on a weekday without a shift of their own the day before or that day) of the hours
the rule asks: ``min_hours`` (per medewerker) or ``min_hours`` per jeugdige, pro rata the week's jeugdige-days
(per jeugdige).  Stage 1 then only makes someone with enough time on the group its responsible
(``solver.constraints.presence``), so the checker's ``planner.semantics.presence`` holds.
"""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta

from planner.domain import Groep, Medewerker
from planner.plan import Shift
from planner.rules import Rule
from planner.semantics.eligibility import has_role
from planner.semantics.presence import (PRESENCE_KIND, hours_on_group, jeugdige_days, min_hours, per_jeugdige,
                                        presence_groups, week_days)
from planner.timeutil import within_availability
from solver.data import ProblemData

BLOCK_START = time(10, 0)
MAX_BLOCK_HOURS = 8


def _eligible(data: ProblemData, g: Groep, rule: Rule) -> list[Medewerker]:
    from solver.residential import roster_builder

    rb = roster_builder(data, g)
    product = data.pack.product(g.product_code)
    domain = product.domain if product else None
    return [m for m in data.staff if has_role(m, rule.params["role"], domain)
            and (not g.team_id or g.team_id in m.teams)
            and (rb.min_education is None or m.education >= rb.min_education) and all(ok(m) for ok in rb.staff_ok)]


def _current_responsibles(data: ProblemData, g: Groep, rule: Rule) -> set[str]:
    jeugdigen = {e.jeugdige_id for e in data.bundle.enrolments if e.group_id == g.id}
    tids = {t.id for t in data.toewijzingen if t.jeugdige_id in jeugdigen and rule.applies_to(t.product_code)}
    out = {t.current_responsible_id for t in data.toewijzingen if t.id in tids and t.current_responsible_id}
    for plan in (data.previous, data.fixed):
        out |= {a.responsible_id for a in (plan.caseload if plan else []) if a.toewijzing_id in tids and a.responsible_id}
    return out


def _free_day(data: ProblemData, m: Medewerker, day, hours: float, shifts: list[Shift]) -> tuple[datetime, datetime] | None:
    start = datetime.combine(day, BLOCK_START)
    end = start + timedelta(hours=hours)
    own = [s for s in shifts if s.staff_id == m.id]
    lo = datetime.combine(day - timedelta(days=1), time(0))
    if any(s.start < end + timedelta(hours=11) and s.end > lo for s in own):
        return None  # a shift the day before, that day or within the daily rest after the block
    if not within_availability(m, start, end) or data.absent(m.id, start, end):
        return None
    return start, end


def presence_blocks(data: ProblemData, shifts: list[Shift]) -> tuple[list[Shift], list[str]]:
    """The ``aanwezig`` blocks every ``group_responsible_hours`` rule asks, on top of ``shifts``; and notes (Dutch)
    for weeks no eligible person could be placed."""
    blocks: list[Shift] = []
    notes: list[str] = []
    weeks = week_days(data.period_start, data.weeks)
    for rule in data.pack.rules_of("group_responsible_hours"):
        for g in presence_groups(data.bundle, data.pack, rule):
            if not any(jeugdige_days(data.bundle, g.id, days, rule) for days in weeks):
                continue
            current = _current_responsibles(data, g, rule)
            worked = lambda m: sum(((s.end - s.start) for s in shifts if s.staff_id == m.id), timedelta(0))  # noqa: E731
            people = sorted(_eligible(data, g, rule), key=lambda m: (m.id not in current, worked(m), m.id))
            if not people:
                notes.append(f"{rule.id} — groep {g.id}: geen {rule.params['role']} die op de groep mag werken; "
                             f"aanwezigheid niet ingepland.")
                continue
            for w, days in enumerate(weeks):
                jdays = jeugdige_days(data.bundle, g.id, days, rule)
                if not jdays:
                    continue
                need = min_hours(rule) * (jdays / 7 if per_jeugdige(rule) else 1)
                need = math.ceil(need * 4) / 4  # quarter hours
                placed = False
                for m in people:
                    have = hours_on_group(data.bundle, shifts + blocks, [], rule, m.id, g, days)
                    mine = _place(data, m, g, days, need - have, shifts + blocks)
                    if mine is not None:
                        blocks += mine
                        placed = True
                        people = [m] + [p for p in people if p is not m]  # the same person in the next weeks
                        break
                if not placed:
                    notes.append(f"{rule.id} — groep {g.id}, week {w + 1}: geen {rule.params['role']} vrij voor "
                                 f"{need:g} uur aanwezigheid.")
    return blocks, notes


def _place(data: ProblemData, m: Medewerker, g: Groep, days, hours: float, shifts: list[Shift]) -> list[Shift] | None:
    """Blocks of at most ``MAX_BLOCK_HOURS`` on free days of the week (weekdays first) adding up to ``hours``."""
    if hours <= 0:
        return []
    out: list[Shift] = []
    inside = [d for d in days if data.period_start <= d < data.period_start + timedelta(weeks=data.weeks)]
    for day in sorted(inside, key=lambda d: (d.weekday() >= 5, d)):
        if hours <= 0:
            break
        length = min(hours, MAX_BLOCK_HOURS)
        span = _free_day(data, m, day, length, shifts + out)
        if span is not None:
            out.append(Shift(g.id, m.id, span[0], span[1], PRESENCE_KIND))
            hours -= length
    return out if hours <= 0 else None
