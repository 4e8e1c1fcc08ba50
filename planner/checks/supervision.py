"""Group-session qualification and supervision rules.

Kinds of the "Group sessions" table of ``docs/rule-kinds.md`` that look at who
is present rather than how many: minimum education of everyone, registration,
mbo3/mbo4 supervision and the span of control of registered professionals.
Sessions without enrolled jeugdigen are not checked (nothing happens there).
"""

from __future__ import annotations

from collections.abc import Iterator

from planner.checker import CheckContext, Violation
from planner.checks.caseload import assignments
from planner.domain import Education, Medewerker
from planner.roles import is_registered_professional
from planner.rules import Rule
from planner.semantics.eligibility import holds_registration, registration_ok
from planner.semantics.occurrences import Occurrence


def _occurrences(ctx: CheckContext, rule: Rule) -> Iterator[tuple[Occurrence, list[Medewerker]]]:
    """The rule's session occurrences with jeugdigen enrolled, with the staff present."""
    for occ in ctx.occurrences_for(rule):
        if ctx.enrolled(occ) > 0:
            yield occ, ctx.staff_at(occ)


def _where(occ: Occurrence) -> tuple[tuple[str, str], tuple[str, str]]:
    return ("groep", occ.session.group_id), ("sessie", occ.session.id)


def check_group_min_education_all(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Every staff member present has education >= ``education`` (F:192, F:301: mbo 4 tot en met ...)."""
    level = Education(rule.params["education"])
    for occ, present in _occurrences(ctx, rule):
        low = [m for m in present if m.education < level]
        if low:
            who = ", ".join(f"{m.id} ({m.education.value})" for m in low)
            yield ctx.violation(rule, f"Groepssessie {occ.label}: {who} onder het minimum {level.value}.",
                                *_where(occ), *(("medewerker", m.id) for m in low), amount=len(low))


def check_group_registration_required(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Every present staff member at or above ``min_education`` (of ``professions``, when given) holds one of
    ``registrations`` (F:192, A:2345)."""
    level, regs = rule.params.get("min_education", "hbo"), rule.params["registrations"]
    professions = rule.params.get("professions")  # only these professions are asked (A:2345)
    for occ, present in _occurrences(ctx, rule):
        missing = [m for m in present if not registration_ok(m, level, regs, professions)]
        if missing:
            yield ctx.violation(rule, f"Groepssessie {occ.label}: {', '.join(m.id for m in missing)} zonder "
                                      f"registratie {' of '.join(regs)}.",
                                *_where(occ), *(("medewerker", m.id) for m in missing), amount=len(missing))


def check_group_mbo3_needs_mbo4(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """An mbo3 present requires someone with mbo4 or higher present (A:2231)."""
    for occ, present in _occurrences(ctx, rule):
        mbo3 = [m for m in present if m.education is Education.MBO3]
        if mbo3 and not any(m.education >= Education.MBO4 for m in present):
            yield ctx.violation(rule, f"Groepssessie {occ.label}: mbo 3-medewerker(s) {', '.join(m.id for m in mbo3)} "
                                      f"zonder collega met mbo 4 of hoger.", *_where(occ))


def _is_regie(m: Medewerker, regs: list[str]) -> bool:
    """A registered professional (derived role) holding one of ``regs`` (e.g. SKJ-geregistreerd)."""
    return is_registered_professional(m) and holds_registration(m, regs)


def _regie_by_responsible(ctx: CheckContext, occ: Occurrence, regs: list[str]) -> bool:
    """Reading ``verantwoordelijk``: every enrolled jeugdige's toewijzing of the group's product has a
    registered responsible in the plan."""
    product, index = ctx.group_product(occ), assignments(ctx)
    enrolled = {e.jeugdige_id for e in ctx.bundle.enrolments
                if e.group_id == occ.session.group_id and e.active_on(occ.date)}
    for jid in enrolled:
        ts = [t for t in ctx.bundle.toewijzingen.values()
              if t.jeugdige_id == jid and t.product_code == product and t.start <= occ.date <= t.end]
        responsibles = [ctx.staff(a.responsible_id) for t in ts
                        if (a := index.get(t.id)) is not None and a.responsible_id]
        if not any(m is not None and _is_regie(m, regs) for m in responsibles):
            return False
    return bool(enrolled)


def check_group_mbo4_under_registered(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Staff below hbo work under regie of a registered professional (F:192: mbo 4 altijd onder regie
    van een SKJ-geregistreerde professional).  Interpretation ``onder_regie``: ``aanwezig`` (default,
    present in the session) or ``verantwoordelijk`` (responsible for the jeugdigen's toewijzingen)."""
    regs = rule.params.get("registrations", ["SKJ"])
    reading = rule.interpretation("onder_regie") if "onder_regie" in rule.interpretations else "aanwezig"
    for occ, present in _occurrences(ctx, rule):
        below = [m for m in present if m.education < Education.HBO]
        if not below or any(_is_regie(m, regs) for m in present):
            continue
        if reading == "verantwoordelijk" and _regie_by_responsible(ctx, occ, regs):
            continue
        yield ctx.violation(rule, f"Groepssessie {occ.label}: {', '.join(m.id for m in below)} (onder hbo) zonder "
                                  f"{'/'.join(regs)}-geregistreerde professional die regie voert.",
                            *_where(occ), *(("medewerker", m.id) for m in below))


def check_supervision_span(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Unregistered staff present <= ``max_unregistered`` x registered professionals present (A:2421-2509:
    one registered hbo supervises at most 4 unregistered)."""
    per = int(rule.params["max_unregistered"])
    for occ, present in _occurrences(ctx, rule):
        registered = sum(1 for m in present if is_registered_professional(m))
        unregistered = len(present) - registered
        if unregistered > per * registered:
            yield ctx.violation(rule, f"Groepssessie {occ.label}: {unregistered} niet-geregistreerde medewerkers op "
                                      f"{registered} geregistreerde professional(s); maximaal {per} per geregistreerde.",
                                *_where(occ), amount=unregistered - per * registered)
