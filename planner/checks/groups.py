"""Group session rules: group size, staff ratio, staff count and qualification mix."""

from __future__ import annotations

from collections.abc import Iterator

from planner.checker import CheckContext, Violation
from planner.domain import Education
from planner.rules import Rule
from planner.semantics.staffing import required_staff_for_ratio, staff_count_bounds


def check_group_size_max(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """At most ``max_jeugdigen`` enrolled jeugdigen in a session (F:193, F:276, A:...)."""
    limit = int(rule.params["max_jeugdigen"])
    for occ in ctx.occurrences_for(rule):
        n = ctx.enrolled(occ)
        if n > limit:
            yield ctx.violation(rule, f"Groepssessie {occ.label}: {n} jeugdigen ingeschreven, maximaal {limit}.",
                                ("groep", occ.session.group_id), ("sessie", occ.session.id), amount=n - limit)


def check_staff_ratio(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """At least one staff member per ``jeugdigen_per_staff`` enrolled jeugdigen, per session."""
    per = float(rule.params["jeugdigen_per_staff"])
    for occ in ctx.occurrences_for(rule):
        n, present = ctx.enrolled(occ), len(ctx.staff_at(occ))
        need = required_staff_for_ratio(n, per)
        if present < need:
            yield ctx.violation(
                rule, f"Groepssessie {occ.label}: {n} jeugdigen vragen {need} medewerkers (1 op {per:g}); aanwezig: {present}.",
                ("groep", occ.session.group_id), ("sessie", occ.session.id), amount=need - present)


def check_group_staff_count(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Staff present per session between ``min`` and ``max`` (either optional; F:192 "drie behandelaars", F:301)."""
    lo, hi = staff_count_bounds(rule)
    for occ in ctx.occurrences_for(rule):
        if ctx.enrolled(occ) == 0:
            continue
        present = len(ctx.staff_at(occ))
        if lo is not None and present < lo:
            yield ctx.violation(rule, f"Groepssessie {occ.label}: {present} medewerkers aanwezig, minimaal {lo}.",
                                ("groep", occ.session.group_id), ("sessie", occ.session.id), amount=lo - present)
        if hi is not None and present > hi:
            yield ctx.violation(rule, f"Groepssessie {occ.label}: {present} medewerkers aanwezig, maximaal {hi}.",
                                ("groep", occ.session.group_id), ("sessie", occ.session.id), amount=present - hi)


def check_group_min_education_present(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """At least ``count`` staff with education >= ``education`` present in every session."""
    level, count = Education(rule.params["education"]), int(rule.params.get("count", 1))
    for occ in ctx.occurrences_for(rule):
        if ctx.enrolled(occ) == 0:
            continue
        have = sum(1 for m in ctx.staff_at(occ) if m.education >= level)
        if have < count:
            yield ctx.violation(rule, f"Groepssessie {occ.label}: minstens {count} medewerker(s) met {level.value} of hoger nodig; aanwezig: {have}.",
                                ("groep", occ.session.group_id), ("sessie", occ.session.id), amount=count - have)
