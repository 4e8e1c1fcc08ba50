"""Provider-level conditions of a form, read from the data: a product only alongside another (A:3581) and
professions in service (A:3863). Both are data kinds (``DATA_KINDS``): no planning decision mends them."""

from __future__ import annotations

from collections.abc import Iterator

from planner.checker import CheckContext, Violation
from planner.rules import Rule
from planner.semantics.eligibility import responsible_ok


def check_requires_concurrent_product(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """On every day of the period on which a toewijzing of the rule's products is active, its jeugdige has an
    active toewijzing of one of ``products`` (params) or is enrolled in a group of one of them (A:3581 "kan
    alleen worden ingezet worden bij de voorzieningen: Behandelgroep, Driemilieuvoorziening of JeugdzorgPlus")."""
    wanted = set(rule.params["products"])
    groups = {g.id for g in ctx.bundle.groups.values() if g.product_code in wanted}
    for t in ctx.active_toewijzingen():
        if not ctx.rule_applies(rule, t):
            continue
        alone = []
        for d in ctx.days:
            if not t.start <= d <= t.end:
                continue
            other = any(o.jeugdige_id == t.jeugdige_id and o.product_code in wanted and o.start <= d <= o.end
                        for o in ctx.bundle.toewijzingen.values())
            enrolled = any(e.jeugdige_id == t.jeugdige_id and e.group_id in groups and e.active_on(d)
                           for e in ctx.bundle.enrolments)
            if not (other or enrolled):
                alone.append(d)
        if alone:
            yield ctx.violation(rule, f"Toewijzing {t.id} ({t.product_code}): jeugdige {t.jeugdige_id} heeft op "
                                      f"{len(alone)} dag(en) vanaf {alone[0].isoformat()} geen lopende "
                                      f"{' / '.join(sorted(wanted))}.", ("toewijzing", t.id), amount=len(alone))


def check_staff_available(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """While a toewijzing or a group with jeugdigen of the rule's products is active in the period, the
    provider's staff (medewerkers.csv) has at least ``min`` (default 1) of ``professions``, each holding the
    register the regiebehandelaar table names for it (e.g. BIG for a psychiater; A:3863 "minimaal een Kinder-
    en Jeugdpsychiater en/of klinisch psycholoog in dienst")."""
    active = any(ctx.rule_applies(rule, t) for t in ctx.active_toewijzingen()) or any(
        rule.applies_to(g.product_code) and any(e.group_id == g.id and any(e.active_on(d) for d in ctx.days)
                                                for e in ctx.bundle.enrolments)
        for g in ctx.bundle.groups.values())
    if not active:
        return
    need = int(rule.params.get("min", 1))
    have = [m.id for m in ctx.bundle.staff.values() if responsible_ok(m, rule, None)]
    if len(have) < need:
        yield ctx.violation(rule, f"Geen {need} medewerker(s) in dienst als {' of '.join(rule.params['professions'])} "
                                  f"(met registratie); gevonden: {len(have)}.", amount=need - len(have))
