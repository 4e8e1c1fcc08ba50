"""VOG: everyone with client contact has a valid Verklaring Omtrent het Gedrag (A:1213, A:4183, A:4187).

What counts as valid lives in :func:`planner.semantics.eligibility.vog_ok` (shared with the solver, which
leaves staff without one out of every candidate list).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from planner.checker import CheckContext, Violation
from planner.rules import Rule
from planner.semantics.eligibility import vog_ok, vog_window


def client_duties(ctx: CheckContext, rule: Rule) -> dict[str, list[str]]:
    """Per staff member the plan's client-facing duties (Dutch labels): executor or responsible of a
    toewijzing the rule applies to, casusregie, contacts, group sessions, residential shifts and on-call."""
    duties: dict[str, list[str]] = defaultdict(list)
    tw = ctx.bundle.toewijzingen

    def applies(tid: str) -> bool:
        t = tw.get(tid)
        return t is not None and ctx.rule_applies(rule, t)

    for a in ctx.plan.caseload:
        if applies(a.toewijzing_id):
            for sid in a.executor_ids:
                duties[sid].append(f"uitvoerder {a.toewijzing_id}")
            if a.responsible_id:
                duties[a.responsible_id].append(f"verantwoordelijke {a.toewijzing_id}")
    for c in ctx.plan.contacts:
        if applies(c.toewijzing_id):
            duties[c.staff_id].append(f"contact {c.toewijzing_id} {c.start:%Y-%m-%d}")
    if rule.products:  # a rule for some products only: their toewijzingen, groups and shifts
        groups = {g.id for g in ctx.bundle.groups.values() if g.product_code in rule.products}
    else:
        groups = set(ctx.bundle.groups)
        for r in ctx.plan.casusregie:
            duties[r.staff_id].append(f"casusregie gezin {r.gezin_id}")
        for b in ctx.plan.oncall:
            duties[b.staff_id].append(f"bereikbaarheid {b.team_id} {b.start:%Y-%m-%d}")
    for s in ctx.plan.sessions:
        session = ctx.bundle.sessions.get(s.session_id)
        if not s.cancelled and session is not None and session.group_id in groups:
            for sid in s.staff_ids:
                duties[sid].append(f"sessie {s.session_id} {s.date}")
    for sh in ctx.plan.shifts:
        if sh.group_id in groups:
            duties[sh.staff_id].append(f"dienst {sh.group_id} {sh.start:%Y-%m-%d %H:%M}")
    return duties


def check_vog_valid(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Everyone with a client-facing duty in the plan has a VOG on file issued no earlier than ``max_years``
    before the reference day (interpretation ``peildatum``) and not after the period's first day."""
    first, last = ctx.days[0], ctx.days[-1]
    earliest, latest = vog_window(rule, first, last)
    for sid, what in sorted(client_duties(ctx, rule).items()):
        m = ctx.staff(sid)
        if m is None or vog_ok(m, rule, first, last):
            continue
        have = f"VOG van {m.vog_date.isoformat()}" if m.vog_date else "geen VOG"
        shown = ", ".join(what[:3]) + (f" en {len(what) - 3} meer" if len(what) > 3 else "")
        yield ctx.violation(rule, f"Medewerker {sid} heeft cliëntcontact ({shown}) maar {have}; een geldige VOG is "
                                  f"afgegeven tussen {earliest.isoformat()} en {latest.isoformat()}.",
                            ("medewerker", sid), amount=len(what))
