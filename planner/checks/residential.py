"""Residential rules (verblijf): occupancy, staff per hour on day shifts, night shifts, education mix.

A residential group is a ``Groep`` of a product the rule names (or, for a rule
naming none, of a product with setting ``verblijf``); its staffing is
``plan.shifts``.  Occupancy on a day is the number of
the group's enrolments active that day.

An hour or a night with too few staff is care left undone (``shortfall``: niet geleverde zorg); a shift
worked by the wrong person (education, team) is a wrong decision (``fout``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta

from planner.checker import CheckContext, Violation
from planner.domain import Education, Groep
from planner.plan import Shift
from planner.rules import Rule

DAY_KINDS = {"dag", "avond"}
NIGHT_KINDS = {"slaapnacht", "waaknacht"}
NIGHT_START, NIGHT_HOURS = time(23, 0), 8  # a night is 23:00-07:00


def residential_groups(ctx: CheckContext, rule: Rule) -> list[Groep]:
    """Groups to which ``rule`` applies: of a product it names, or of any verblijf product when it names none.

    A rule naming its products is honoured whatever their setting: e.g. the
    ZIT verblijfsgroep (A:2687) and the CSI gezinsopname (A:2955) belong to
    ambulant/gezin products but have shifts and night duty.
    """
    out = []
    for g in ctx.bundle.groups.values():
        product = ctx.product(g.product_code)
        if product is None or not rule.applies_to(g.product_code):
            continue
        if rule.products or product.setting == "verblijf":
            out.append(g)
    return sorted(out, key=lambda g: g.id)


def occupancy(ctx: CheckContext, group_id: str, day: date) -> int:
    return sum(1 for e in ctx.bundle.enrolments if e.group_id == group_id and e.active_on(day))


def shifts_by_group(ctx: CheckContext) -> dict[str, list[Shift]]:
    out: dict[str, list[Shift]] = defaultdict(list)
    for s in ctx.plan.shifts:
        out[s.group_id].append(s)
    return out


def _stretches(flags: list[tuple[object, int]]) -> list[list[tuple[object, int]]]:
    """Maximal runs of consecutive items with a positive shortfall/excess."""
    runs: list[list[tuple[object, int]]] = []
    current: list[tuple[object, int]] = []
    for item in flags:
        if item[1] > 0:
            current.append(item)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def check_residential_occupancy_max(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """At most ``max_jeugdigen`` on the group on any day (A:3041, A:3083, A:3229, A:3309, A:3471).

    Consecutive days over the limit are one violation; the amount is the
    excess in jeugdige-days.  Only days on which the rule holds count (``geldig_vanaf``/``geldig_tot``:
    A.DM's 8 until 2026, 6 from 2027).
    """
    limit = int(rule.params["max_jeugdigen"])
    for g in residential_groups(ctx, rule):
        excess = [(d, occupancy(ctx, g.id, d) - limit) for d in ctx.days if rule.valid_on(d)]
        for run in _stretches(excess):
            first, last = run[0][0], run[-1][0]
            top = max(x for _, x in run) + limit
            yield ctx.violation(rule, f"Verblijfsgroep {g.id}, {first.isoformat()} t/m {last.isoformat()}: "
                                      f"tot {top} jeugdigen, maximaal {limit}.",
                                ("groep", g.id), amount=sum(x for _, x in run))


def _day_hour_range(rule: Rule) -> tuple[int, int]:
    lo, hi = rule.params.get("day_hours", [7, 23])
    return int(lo), int(hi)


def _staff_in_hour(shifts: list[Shift], start: datetime, busy_elsewhere=None) -> int:
    """Distinct staff on a dag/avond shift covering the whole clock hour from ``start``; without those for whom
    ``busy_elsewhere(staff_id, start, end)`` holds (extra verblijfsbegeleiding, A:3589)."""
    end = start + timedelta(hours=1)
    return len({s.staff_id for s in shifts if s.kind in DAY_KINDS and s.start <= start and s.end >= end
                and (busy_elsewhere is None or not busy_elsewhere(s.staff_id, start, end))})


def _hourly_shortfalls(ctx: CheckContext, rule: Rule, need_of: Callable[[int], int],
                       describe: Callable[[int, int], str], busy_elsewhere=None) -> Iterator[Violation]:
    """Per group and day, merged stretches of clock hours in ``day_hours`` with fewer staff than ``need_of(occupancy)``."""
    lo, hi = _day_hour_range(rule)
    by_group = shifts_by_group(ctx)
    for g in residential_groups(ctx, rule):
        shifts = by_group.get(g.id, [])
        for d in ctx.days:
            n = occupancy(ctx, g.id, d)
            need = need_of(n)
            if need <= 0:
                continue
            base = datetime.combine(d, time(0, 0))
            rows = [(h, need - _staff_in_hour(shifts, base + timedelta(hours=h), busy_elsewhere))
                    for h in range(lo, hi)]
            for run in _stretches(rows):
                start, end = run[0][0], run[-1][0] + 1
                least = need - max(x for _, x in run)
                yield ctx.violation(rule, f"Verblijfsgroep {g.id} op {d.isoformat()} {start:02d}:00-{end:02d}:00: "
                                          f"{describe(n, need)}; minimaal aanwezig: {least}.",
                                    ("groep", g.id), amount=sum(x for _, x in run), shortfall=True)


def check_shift_staff_ratio(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Every hour of ``day_hours``: staff on dag/avond shifts >= ceil(occupancy / per) (A:3043, A:3085, A:3231).

    The source says 'op de momenten dat de jeugdigen allemaal aanwezig zijn';
    ``day_hours`` is when that is assumed.  Amount: staff-hours short.  With ``exclude_products`` (A:3589: extra
    verblijfsbegeleiding comes "boven op de reeds aanwezig begeleiding") staff in a contact of such a toewijzing
    during the hour do not count (``planner.semantics.presence.in_contact_of``).
    """
    per = float(rule.params["jeugdigen_per_staff"])
    busy = _evb_busy(ctx, rule)
    yield from _hourly_shortfalls(ctx, rule, lambda n: math.ceil(n / per) if n else 0,
                                  lambda n, need: f"{n} jeugdigen vragen {need} medewerkers (1 op {per:g})", busy)


def check_shift_min_staff(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Every hour of ``day_hours`` with jeugdigen on the group: at least ``min`` staff on shift (A:3473); not
    counting staff in a contact of ``exclude_products`` (A:3589)."""
    least = int(rule.params["min"])
    yield from _hourly_shortfalls(ctx, rule, lambda n: least if n else 0,
                                  lambda n, need: f"minimaal {need} medewerkers op de groep", _evb_busy(ctx, rule))


def _evb_busy(ctx: CheckContext, rule: Rule):
    """``exclude_products`` (A:3589): staff in a contact of such a toewijzing do not count during it."""
    from planner.semantics.presence import in_contact_of

    excluded = rule.params.get("exclude_products")
    return in_contact_of(ctx.plan, ctx.bundle, excluded) if excluded else None


def _uncovered(intervals: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> timedelta:
    """Length of [start, end) not covered by the union of ``intervals``."""
    cursor, gap = start, timedelta(0)
    for a, b in sorted(intervals):
        if b <= cursor:
            continue
        if a >= end:
            break
        if a > cursor:
            gap += a - cursor
        cursor = max(cursor, b)
        if cursor >= end:
            break
    if cursor < end:
        gap += end - cursor
    return gap


def check_night_shift_required(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Every night (23:00-07:00, one per day of the period) covered by a night shift of ``kind`` (A:3145 and per form).

    ``kind`` ``any`` accepts a slaapnacht or a waaknacht; with ``education``
    only staff at or above that level count.  Nights after a day without
    jeugdigen on the group need no night shift.
    """
    kind = rule.params["kind"]
    kinds = NIGHT_KINDS if kind == "any" else {kind}
    level = Education(rule.params["education"]) if rule.params.get("education") else None
    by_group = shifts_by_group(ctx)
    label = "nachtdienst" if kind == "any" else kind
    for g in residential_groups(ctx, rule):
        ok, unqualified = [], []
        for s in by_group.get(g.id, []):
            m = ctx.staff(s.staff_id)
            if s.kind in kinds and (level is None or (m is not None and m.education >= level)):
                ok.append((s.start, s.end))
            elif s.kind in kinds and m is not None:
                unqualified.append((s.start, s.end))
        for d in ctx.days:
            if occupancy(ctx, g.id, d) == 0:
                continue
            start = datetime.combine(d, NIGHT_START)
            open_ = _uncovered(ok, start, start + timedelta(hours=NIGHT_HOURS))
            if open_ > timedelta(0):
                who = f" door iemand met {level.value} of hoger" if level else ""
                # nobody on the night is care left undone; a night worked by someone under the level is a wrong choice
                wrong = any(a < start + timedelta(hours=NIGHT_HOURS) and b > start for a, b in unqualified)
                yield ctx.violation(rule, f"Verblijfsgroep {g.id}, nacht van {d.isoformat()}: {int(open_.total_seconds() // 60)} "
                                          f"minuten zonder {label}{who}.", ("groep", g.id), shortfall=not wrong)


def check_shift_min_education_all(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Everyone on a shift of the group has education >= ``education`` ("Het personeel is opgeleid op
    minimaal MBO-niveau 4", A:3091 and per residential form); one violation per shift."""
    level = Education(rule.params["education"])
    by_group = shifts_by_group(ctx)
    for g in residential_groups(ctx, rule):
        for s in sorted(by_group.get(g.id, []), key=lambda s: (s.start, s.staff_id)):
            m = ctx.staff(s.staff_id)
            if m is not None and m.education < level:
                yield ctx.violation(rule, f"Verblijfsgroep {g.id}, dienst {s.start:%Y-%m-%d %H:%M}: {m.id} heeft "
                                          f"{m.education.value}, minimaal {level.value}.",
                                    ("groep", g.id), ("medewerker", m.id))


def check_shift_mbo3_needs_mbo4(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """A shift of an mbo3 on the group has someone with mbo4 or higher on the group beside it ("Als een
    medewerker een MBO-niveau 3 opleiding heeft, is er daarnaast minimaal een MBO-niveau 4 opgeleide
    medewerker ... aanwezig op dezelfde groep", A:3051, A:3565); one violation per shift.

    Interpretation ``aanwezig``: ``hele_dienst`` (default) asks mbo4+ shifts covering the whole shift,
    ``overlap`` is content with one mbo4+ shift overlapping it.  Amount: minutes without mbo4+.
    """
    whole = "aanwezig" not in rule.interpretations or rule.interpretation("aanwezig") == "hele_dienst"
    by_group = shifts_by_group(ctx)
    for g in residential_groups(ctx, rule):
        shifts = sorted(by_group.get(g.id, []), key=lambda s: (s.start, s.staff_id))
        seniors = [(s.start, s.end) for s in shifts
                   if (m := ctx.staff(s.staff_id)) is not None and m.education >= Education.MBO4]
        for s in shifts:
            m = ctx.staff(s.staff_id)
            if m is None or m.education != Education.MBO3:
                continue
            alone = _uncovered([(a, b) for a, b in seniors if a < s.end and b > s.start], s.start, s.end)
            if alone > timedelta(0) and (whole or alone == s.end - s.start):
                minutes = int(alone.total_seconds() // 60)
                yield ctx.violation(rule, f"Verblijfsgroep {g.id}, dienst {s.start:%Y-%m-%d %H:%M}-{s.end:%H:%M}: "
                                          f"{m.id} heeft mbo3 en is {minutes} minuten zonder collega met mbo4 of "
                                          f"hoger op de groep.", ("groep", g.id), ("medewerker", m.id), amount=minutes)
