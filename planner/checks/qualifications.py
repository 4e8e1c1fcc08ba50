"""Provider-level conditions of a form, read from the data: a product only alongside another (A:3581) and
professions in service (A:3863, A:2175-2187, A:3091-3093). Both are data kinds (``DATA_KINDS``): no planning
decision mends them.

Executor qualifications beyond education and registration: a profession (medicatiecontrole, A:2201-2203), a
derived role (screening, A:2623; advies, A:3977) and a certification (forensische zorg, A:2173)."""

from __future__ import annotations

from collections.abc import Iterator

from planner.checker import CheckContext, Violation
from planner.rules import Rule
from planner.checks.caseload import _applicable, _executors, assignments
from planner.semantics.eligibility import certified, executor_role_ok, profession_ok, staff_member_counts


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
    if "systeemtherapeut" in rule.interpretations and rule.interpretation("systeemtherapeut") == "alleen_zonder" \
            and _others_present(ctx, rule):
        return
    need = int(rule.params.get("min", 1))
    have = [m.id for m in ctx.bundle.staff.values() if staff_member_counts(m, rule)]
    if len(have) < need:
        yield ctx.violation(rule, f"Geen {need} medewerker(s) in dienst als {_wanted(rule)}; gevonden: {len(have)}.",
                            amount=need - len(have))


def _wanted(rule: Rule) -> str:
    """Dutch description of who counts for ``staff_available``."""
    if rule.params.get("professions"):
        what = " of ".join(rule.params["professions"]) + " (met registratie)"
    elif rule.params.get("role"):
        what = str(rule.params["role"])
    else:
        what = "medewerker"
    if rule.params.get("min_education"):
        what += f", minimaal {rule.params['min_education']}"
    if rule.params.get("registrations") and not rule.params.get("professions"):
        what += f" met {' of '.join(rule.params['registrations'])}"
    return what


def _others_present(ctx: CheckContext, rule: Rule) -> bool:
    """Interpretation ``systeemtherapeut`` = ``alleen_zonder``: one of ``unless_professions`` (with its register)
    is in service, so the rule is not asked."""
    others = rule.params.get("unless_professions") or []
    return any(profession_ok(m, others) for m in ctx.bundle.staff.values())


def _executor_rule(ctx: CheckContext, rule: Rule, ok, wanted: str) -> Iterator[Violation]:
    index = assignments(ctx)
    for t in _applicable(ctx, rule):
        product = ctx.product(t.product_code)
        domain = product.domain if product else None
        for m in _executors(ctx, index.get(t.id)):
            if not ok(m, domain):
                yield ctx.violation(rule, f"Toewijzing {t.id} ({t.product_code}): uitvoerder {m.id} "
                                          f"({m.profession}) is geen {wanted}.", ("toewijzing", t.id), ("medewerker", m.id))


def check_executor_profession(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Every executor has one of ``professions`` and holds its register (``registrations`` or per profession
    ``profession_registrations``; A:2201-2203 "arts, psychiater of verpleegkundig specialist met een relevante
    BIG-registratie")."""
    profs, per, regs = rule.params["professions"], rule.params.get("profession_registrations"), \
        rule.params.get("registrations")
    wanted = " of ".join(profs) + (f" met {' of '.join(regs)}" if regs else "")
    yield from _executor_rule(ctx, rule, lambda m, _d: profession_ok(m, profs, per, regs), wanted)


def check_executor_role(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Every executor has one of the derived ``roles`` (``role_registrations`` narrows a role to registers;
    A:2623 "gedragswetenschapper (WO NVO/NIP) of een regiebehandelaar"). Interpretation ``uitvoerder`` =
    ``ook_onderzoeker`` (A.AE: onderzoekers may execute too, A:3955-3975) switches the rule off."""
    if "uitvoerder" in rule.interpretations and rule.interpretation("uitvoerder") == "ook_onderzoeker":
        return
    narrowed = rule.params.get("role_registrations") or {}
    wanted = " of ".join(r + (f" ({'/'.join(narrowed[r])})" if r in narrowed else "") for r in rule.params["roles"])
    yield from _executor_rule(ctx, rule, lambda m, d: executor_role_ok(m, rule, d), wanted)


def check_executor_certification(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Every executor holds ``certification`` (A:2173: "aanvullende opleidingen afgerond op het gebied van
    forensische zorg"; the certificeringen column of medewerkers.csv)."""
    cert = rule.params["certification"]
    yield from _executor_rule(ctx, rule, lambda m, _d: certified(m, cert), f"opgeleid in {cert}")
