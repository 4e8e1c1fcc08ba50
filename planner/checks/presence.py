"""Time of a responsible professional on a residential group (kind ``group_responsible_hours``): the
regiebehandelaar "structureel meerdere uren per week aanwezig" (A:3095, A:3239, A:3323, A:3487) and the
gezinshuis gedragswetenschapper "gemiddeld 1 uur per week" per jeugdige (A:3011).  What counts as time on the
group is ``planner.semantics.presence``'s, shared with the solver (``solver.presence``)."""

from __future__ import annotations

from collections.abc import Iterator

from planner.checker import CheckContext, Violation
from planner.rules import Rule
from planner.semantics.presence import shortfalls


def check_group_responsible_hours(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """``per: medewerker``: every responsible with ``role`` of a jeugdige on the group is on the group at least
    ``min_hours`` in each plan week in which they are responsible for one.  ``per: jeugdige``: the group's
    responsibles with ``role`` together spend ``min_hours`` per jeugdige per week on it, averaged over the
    period.  Amount: hours short."""
    role = rule.params["role"]
    for s in shortfalls(ctx.bundle, ctx.pack, ctx.plan, rule):
        if s.staff_id is None:
            msg = (f"Groep {s.group_id}: de {role}(s) zijn in de periode {s.hours:g} uur op de groep, "
                   f"gemiddeld {rule.params.get('min_hours', 1):g} uur per jeugdige per week vraagt {s.needed:g} uur.")
            yield ctx.violation(rule, msg, ("groep", s.group_id), amount=round(s.needed - s.hours, 2))
        else:
            msg = (f"Groep {s.group_id}, week {s.week + 1}: {role} {s.staff_id} is {s.hours:g} uur op de groep "
                   f"aanwezig, minimaal {s.needed:g} uur per week.")
            yield ctx.violation(rule, msg, ("groep", s.group_id), ("medewerker", s.staff_id),
                                amount=round(s.needed - s.hours, 2))
