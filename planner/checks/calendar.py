"""Calendar rules: no ambulant contact or group session on a feestdag (planner.semantics.holidays)."""

from __future__ import annotations

from collections.abc import Iterator

from planner.checker import CheckContext, Violation
from planner.rules import Rule
from planner.semantics.holidays import closed_day, contact_closed


def check_no_contact_on_holiday(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """No contact of a toewijzing the rule covers, and no held group session with staff, on a feestdag, unless
    the manifest allows it (``feestdagen: {contacten: ja}``).  Crisis products (``exclude_kinds``, default
    [crisis]) and residential care go on; on-call is not a contact.  A wrong decision (fout) each."""
    only = ctx.pack.model_copy(update={"rules": [rule]})
    for c in ctx.plan.contacts:
        t = ctx.toewijzing(c.toewijzing_id)
        if t is None:
            continue
        name = contact_closed(ctx.bundle, only, t, c.start.date())
        if name:
            yield ctx.violation(rule, f"Contact {t.id} op {c.start:%Y-%m-%d %H:%M} valt op een feestdag ({name}).",
                                ("toewijzing", t.id), ("medewerker", c.staff_id))
    for entry in ctx.plan.sessions:
        session = ctx.bundle.sessions.get(entry.session_id)
        group = ctx.bundle.groups.get(session.group_id) if session else None
        if group is None or entry.cancelled or not entry.staff_ids:
            continue
        product = ctx.product(group.product_code)
        if product is None or not rule.applies_to(group.product_code) or product.setting == "verblijf" or \
                product.kind in rule.params.get("exclude_kinds", ["crisis"]):
            continue
        name = closed_day(ctx.bundle.manifest, entry.date)
        if name:
            yield ctx.violation(rule, f"Groepssessie {session.id} op {entry.date.isoformat()} valt op een feestdag "
                                      f"({name}).", ("sessie", session.id))
