"""Caseload rules: who executes and who is responsible for each toewijzing.

Kinds of the "Caseload" table of ``docs/rule-kinds.md``.  Derived roles
(regiebehandelaar, gedragswetenschapper, registered professional) come from
:mod:`planner.roles`; they are never re-derived here.  Only toewijzingen
active in the period are checked, except ``max_trajectory_length``, which is
a property of the toewijzing itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta

from planner.checker import CheckContext, Violation
from planner.domain import Education, Medewerker, Toewijzing
from planner.plan import CaseAssignment
from planner.rules import Rule
from planner.semantics.eligibility import (
    executor_bound_roles,
    has_role,
    holds_registration,
    registration_ok,
    required_role,
    responsible_ok,
)
from planner.timeutil import add_months

ROLE_NAMES_NL = {"regiebehandelaar": "regiebehandelaar", "gedragswetenschapper": "gedragswetenschapper",
                 "registered_professional": "geregistreerd professional"}


# --- shared helpers (also used by planner.checks.supervision) ----------------
def assignments(ctx: CheckContext) -> dict[str, CaseAssignment]:
    """The plan's case assignment per toewijzing id (the first one if listed twice)."""
    out: dict[str, CaseAssignment] = {}
    for a in ctx.plan.caseload:
        out.setdefault(a.toewijzing_id, a)
    return out


def _applicable(ctx: CheckContext, rule: Rule) -> list[Toewijzing]:
    """Active toewijzingen the rule applies to, whatever the plan's ``unserved`` list claims: a
    toewijzing the plan leaves undone is reported as a shortfall (niet geleverde zorg), not skipped."""
    return [t for t in ctx.active_toewijzingen() if ctx.rule_applies(rule, t)]


def _executors(ctx: CheckContext, a: CaseAssignment | None) -> list[Medewerker]:
    if a is None:
        return []
    return [m for sid in a.executor_ids if (m := ctx.staff(sid)) is not None]


def _gezin(ctx: CheckContext, t: Toewijzing) -> str | None:
    j = ctx.bundle.jeugdigen.get(t.jeugdige_id)
    return j.gezin_id if j else None


# --- checks ------------------------------------------------------------------
def check_executor_min_education(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Every executor of the product's toewijzingen has education >= ``education`` (F:44, F:63, F:102, ...)."""
    level = Education(rule.params["education"])
    index = assignments(ctx)
    for t in _applicable(ctx, rule):
        for m in _executors(ctx, index.get(t.id)):
            if m.education < level:
                yield ctx.violation(rule, f"Toewijzing {t.id} ({t.product_code}): uitvoerder {m.id} heeft "
                                          f"{m.education.value}, minimaal {level.value} vereist.",
                                    ("toewijzing", t.id), ("medewerker", m.id))


def check_executor_registration(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Executors at or above ``min_education`` (of ``professions``, when given) hold one of ``registrations``
    (F:214, F:252, A:2345)."""
    level, regs = rule.params.get("min_education", "hbo"), rule.params["registrations"]
    professions = rule.params.get("professions")  # only these professions are asked (A:2345)
    index = assignments(ctx)
    for t in _applicable(ctx, rule):
        for m in _executors(ctx, index.get(t.id)):
            if not registration_ok(m, level, regs, professions):
                yield ctx.violation(rule, f"Toewijzing {t.id} ({t.product_code}): uitvoerder {m.id} "
                                          f"({m.education.value}) heeft geen registratie {' of '.join(regs)}.",
                                    ("toewijzing", t.id), ("medewerker", m.id))


def check_responsible_role(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """The responsible professional has the product's role (F:44, F:63, F:102, F:144, F:212, F:252), and the
    role an executor's education asks (``by_executor_education``, A:2103: a wo executor works under a
    regiebehandelaar).

    A missing responsible is reported by ``assignment_present``, not here.
    """
    index = assignments(ctx)
    roles = required_role(rule) if isinstance(required_role(rule), list) else [required_role(rule)]
    role = " of ".join(ROLE_NAMES_NL.get(r, r) for r in roles)
    wanted = " of ".join(rule.params.get("professions") or [role])
    for t in _applicable(ctx, rule):
        a = index.get(t.id)
        if a is None or a.responsible_id is None:
            continue
        product = ctx.product(t.product_code)
        domain = product.domain if product else None
        m = ctx.staff(a.responsible_id)
        if m is None or not responsible_ok(m, rule, domain):
            yield ctx.violation(rule, f"Toewijzing {t.id} ({t.product_code}): verantwoordelijke {a.responsible_id} "
                                      f"is geen {wanted}.", ("toewijzing", t.id), ("medewerker", a.responsible_id))
            continue
        for extra in executor_bound_roles(rule, _executors(ctx, a)):
            if not has_role(m, extra, domain):
                yield ctx.violation(rule, f"Toewijzing {t.id} ({t.product_code}): verantwoordelijke {a.responsible_id} "
                                          f"is geen {ROLE_NAMES_NL.get(extra, extra)}, die een uitvoerder met deze "
                                          f"opleiding vraagt.", ("toewijzing", t.id), ("medewerker", a.responsible_id))


def check_intervention_certification(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Every executor is trained for the toewijzing's intervention (MST, MDFT, FAST; F:102)."""
    index = assignments(ctx)
    for t in _applicable(ctx, rule):
        if not t.intervention:
            continue
        wanted = t.intervention.casefold()
        for m in _executors(ctx, index.get(t.id)):
            if wanted not in {c.casefold() for c in m.certifications}:
                yield ctx.violation(rule, f"Toewijzing {t.id} ({t.intervention}): uitvoerder {m.id} is niet "
                                          f"opgeleid voor {t.intervention}.", ("toewijzing", t.id), ("medewerker", m.id))


def check_max_trajectory_length(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Toewijzing end - start <= ``months`` (F:39, F:54, F:71, ...).

    End dates are inclusive (iJw), so 12 months from 1 January ends at the latest on 31 December.
    Checks every toewijzing of the product in the bundle, active in the period or not.
    """
    months = rule.params["months"]
    for t in ctx.bundle.toewijzingen.values():
        if not ctx.rule_applies(rule, t):
            continue
        last_allowed = add_months(t.start, months) - timedelta(days=1)
        if t.end > last_allowed:
            yield ctx.violation(rule, f"Toewijzing {t.id} ({t.product_code}) loopt van {t.start} tot {t.end}: "
                                      f"langer dan {months:g} maanden (uiterlijk {last_allowed}).",
                                ("toewijzing", t.id), amount=(t.end - last_allowed).days)


def check_per_gezin_financing(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """At most one toewijzing of a per-gezin product per gezin at a time (F:55, F:72, F:204).

    Successive toewijzingen (one ends, the next starts) are fine; overlapping ones are not.
    """
    by_key: dict[tuple[str, str], list[Toewijzing]] = defaultdict(list)
    for t in _applicable(ctx, rule):
        gezin = _gezin(ctx, t)
        if gezin is not None:
            by_key[(gezin, t.product_code)].append(t)
    for (gezin, product), ts in sorted(by_key.items()):
        ts.sort(key=lambda t: (t.start, t.id))
        extra, latest_end = [], ts[0].end
        for t in ts[1:]:
            if t.start <= latest_end:
                extra.append(t.id)
            latest_end = max(latest_end, t.end)
        if extra:
            yield ctx.violation(rule, f"Gezin {gezin}: {len(extra) + 1} gelijktijdige toewijzingen {product} "
                                      f"({', '.join(t.id for t in ts)}); het product wordt eenmaal per gezin gefinancierd.",
                                ("gezin", gezin), *(("toewijzing", tid) for tid in extra), amount=len(extra))


def _involved(ctx: CheckContext, ts: list[Toewijzing]) -> set[str]:
    """Executors and responsibles of ``ts``."""
    index, ids = assignments(ctx), set()
    for t in ts:
        if (a := index.get(t.id)) is not None:
            ids |= set(a.executor_ids)
            if a.responsible_id:
                ids.add(a.responsible_id)
    return ids


def check_casusregisseur(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """A gezin with several active trajectories has exactly one casusregisseur (F:21).

    A missing casusregisseur is care left undone (shortfall) when one of the gezin's toewijzingen has no
    executor in the plan (nobody to hold the regie yet); otherwise it is a wrong decision.  Two or more
    casusregisseurs, or one who is not involved, are always wrong decisions.
    """
    per_gezin: dict[str, list[Toewijzing]] = defaultdict(list)
    for t in _applicable(ctx, rule):
        if (gezin := _gezin(ctx, t)) is not None:
            per_gezin[gezin].append(t)
    holders: dict[str, set[str]] = defaultdict(set)
    for c in ctx.plan.casusregie:
        holders[c.gezin_id].add(c.staff_id)
    reading = rule.interpretation("houder") if "houder" in rule.interpretations else "betrokken"
    index = assignments(ctx)
    for gezin, ts in sorted(per_gezin.items()):
        if len(ts) < 2:
            continue
        have = holders.get(gezin, set())
        if len(have) != 1:
            what = "geen casusregisseur" if not have else f"{len(have)} casusregisseurs ({', '.join(sorted(have))})"
            unstaffed = [t.id for t in ts if not _executors(ctx, index.get(t.id))]
            short = not have and bool(unstaffed)
            yield ctx.violation(rule, f"Gezin {gezin} heeft {len(ts)} lopende trajecten en {what}; er hoort er één te zijn.",
                                ("gezin", gezin), amount=max(1, len(have) - 1), shortfall=short,
                                reason=ctx.reason_for(*unstaffed) if short else "")
            continue
        (sid,) = have
        ok = sid in _involved(ctx, ts) if reading == "betrokken" else ctx.staff(sid) is not None
        if not ok:
            yield ctx.violation(rule, f"Gezin {gezin}: casusregisseur {sid} is geen uitvoerder of verantwoordelijke "
                                      f"van een van de trajecten.", ("gezin", gezin), ("medewerker", sid))


def check_working_area(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """An executor's working area (empty = everywhere) includes the jeugdige's gemeente (soft)."""
    index = assignments(ctx)
    for t in _applicable(ctx, rule):
        j = ctx.bundle.jeugdigen.get(t.jeugdige_id)
        if j is None:
            continue
        for m in _executors(ctx, index.get(t.id)):
            if m.gemeenten and j.gemeente not in m.gemeenten:
                yield ctx.violation(rule, f"Toewijzing {t.id}: uitvoerder {m.id} werkt niet in {j.gemeente}.",
                                    ("toewijzing", t.id), ("medewerker", m.id))


def check_caseload_max(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """A medewerker executes at most ``caseload_max`` active toewijzingen (when set)."""
    index = assignments(ctx)
    load: dict[str, list[str]] = defaultdict(list)
    for t in _applicable(ctx, rule):
        if (a := index.get(t.id)) is not None:
            for sid in dict.fromkeys(a.executor_ids):
                load[sid].append(t.id)
    for sid, tids in sorted(load.items()):
        m = ctx.staff(sid)
        if m is not None and m.caseload_max is not None and len(tids) > m.caseload_max:
            yield ctx.violation(rule, f"Medewerker {sid} voert {len(tids)} toewijzingen uit, maximaal {m.caseload_max}.",
                                ("medewerker", sid), amount=len(tids) - m.caseload_max)


def _needs_responsible(ctx: CheckContext, t: Toewijzing) -> bool:
    return any(ctx.rule_applies(r, t) for r in ctx.pack.rules_of("responsible_role"))


def check_assignment_present(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Every active toewijzing has >= 1 executor, and a responsible where a responsible_role rule applies.

    A missing executor or responsible is care left undone (shortfall), with the plan's own reason.
    """
    index = assignments(ctx)
    for t in _applicable(ctx, rule):
        a = index.get(t.id)
        missing = []
        if not _executors(ctx, a):
            missing.append("uitvoerder")
        if _needs_responsible(ctx, t) and (a is None or ctx.staff(a.responsible_id or "") is None):
            missing.append("verantwoordelijke")
        if missing:
            yield ctx.violation(rule, f"Toewijzing {t.id} ({t.product_code}) heeft geen {' en geen '.join(missing)}.",
                                ("toewijzing", t.id), amount=len(missing), shortfall=True, reason=ctx.reason_for(t.id))
