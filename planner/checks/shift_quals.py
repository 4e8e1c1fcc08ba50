"""Qualifications of residential shift staff beyond education: registration (A:1205, A:3861) and a registered
professional present on the group (A:3403).

Groups as in :mod:`planner.checks.residential` (a rule without products: every verblijf group). The predicates are
``planner.semantics.eligibility``'s, shared with the roster (``solver.residential``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from planner.checker import CheckContext, Violation
from planner.checks.residential import (DAY_KINDS, NIGHT_KINDS, _stretches, occupancy, residential_groups,
                                        shifts_by_group)
from planner.rules import Rule
from planner.semantics.eligibility import qualified_registered, registration_ok


def check_shift_registration_required(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Everyone working a shift of the group at or above ``min_education`` holds one of ``registrations``
    (A:1205 "Professionals met HBO-niveau of hoger zijn BIG- en/of SKJ-geregistreerd"); one violation per shift."""
    level, regs = rule.params.get("min_education", "hbo"), rule.params["registrations"]
    by_group = shifts_by_group(ctx)
    for g in residential_groups(ctx, rule):
        for s in sorted(by_group.get(g.id, []), key=lambda s: (s.start, s.staff_id)):
            m = ctx.staff(s.staff_id)
            if m is not None and not registration_ok(m, level, regs):
                yield ctx.violation(rule, f"Verblijfsgroep {g.id}, dienst {s.start:%Y-%m-%d %H:%M}: {m.id} "
                                          f"({m.education.value}) heeft geen registratie {' of '.join(regs)}.",
                                    ("groep", g.id), ("medewerker", m.id))


def present_hours(rule: Rule) -> range:
    """Clock hours of a day in which the professional is present: ``day_hours`` (default 7-23), or the whole
    etmaal (interpretation ``uren`` = ``etmaal``: the night shift too)."""
    if "uren" in rule.interpretations and rule.interpretation("uren") == "etmaal":
        return range(0, 24)
    lo, hi = rule.params.get("day_hours", [7, 23])
    return range(int(lo), int(hi))


def check_shift_min_education_present(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Every hour of ``present_hours`` of a day with jeugdigen on the group: at least ``count`` (default 1) on
    shift, covering the whole hour, with education >= ``education`` holding one of ``registrations`` (when
    given). Merged per day; nobody on shift at all in those hours is care left undone, staff on shift without
    the qualification a wrong decision. Amount: hours short."""
    need = int(rule.params.get("count", 1))
    level, regs = rule.params["education"], rule.params.get("registrations")
    kinds = DAY_KINDS | NIGHT_KINDS
    by_group = shifts_by_group(ctx)
    for g in residential_groups(ctx, rule):
        shifts = [s for s in by_group.get(g.id, []) if s.kind in kinds]
        for d in ctx.days:
            if not occupancy(ctx, g.id, d):
                continue
            base = datetime.combine(d, time(0, 0))
            rows, anyone = [], {}
            for h in present_hours(rule):
                start = base + timedelta(hours=h)
                on = {s.staff_id for s in shifts if s.start <= start and s.end >= start + timedelta(hours=1)}
                good = {sid for sid in on if (m := ctx.staff(sid)) is not None and qualified_registered(m, level, regs)}
                rows.append((h, need - len(good)))
                anyone[h] = bool(on)
            for run in _stretches(rows):
                start, end = run[0][0], run[-1][0] + 1
                wanted = f"{level}" + (f" met {' of '.join(regs)}" if regs else "")
                yield ctx.violation(rule, f"Verblijfsgroep {g.id} op {d.isoformat()} {start:02d}:00-{end:02d}:00: "
                                          f"geen {need} medewerker(s) {wanted} aanwezig op de groep.",
                                    ("groep", g.id), amount=sum(x for _, x in run),
                                    shortfall=not any(anyone[h] for h, _ in run))
