"""Who may do what: registrations, derived roles, the responsible's role and the regiebehandelaar duty.

Derived roles (regiebehandelaar, gedragswetenschapper, registered professional) come from
:mod:`planner.roles`; they are never re-derived here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from planner.domain import Education, Medewerker, Registration
from planner.roles import (
    has_all_of,
    is_gedragswetenschapper,
    is_regiebehandelaar,
    is_registered_professional,
    normalise_profession,
    role_table,
)
from planner.rules import Rule


def regie_ok(m: Medewerker, domain: str | None = None) -> bool:
    """Regiebehandelaar (:func:`planner.roles.is_regiebehandelaar`, which also asks every register that
    ``all_of`` in ``packs/roles.yaml`` names)."""
    return is_regiebehandelaar(m, domain)


def holds_registration(m: Medewerker, registrations: Iterable[str]) -> bool:
    """``m`` holds one of ``registrations``, exactly as the rule names them: SKJ means SKJ (F:192
    "SKJ-geregistreerde professional").  Where a seed lets a vaktherapeut use the Register Vaktherapie
    instead (A:1205), the pack lists RVT among the rule's registrations."""
    wanted = {Registration(r) for r in registrations}
    return bool(wanted & m.registrations)



def has_role(m: Medewerker, role: str | list[str], domain: str | None = None) -> bool:
    """Derived role by its pack name (regiebehandelaar / gedragswetenschapper / registered_professional);
    a list means any of them ("gedragswetenschapper of regiebehandelaar")."""
    if isinstance(role, list):
        return any(has_role(m, r, domain) for r in role)
    if role == "regiebehandelaar":
        return regie_ok(m, domain)
    if role == "gedragswetenschapper":
        return is_gedragswetenschapper(m)
    if role == "registered_professional":
        return is_registered_professional(m)
    raise ValueError(f"onbekende rol {role!r}")



def required_role(rule: Rule) -> str | list[str]:
    """The role(s) a responsible needs: params ``role``, narrowed by the interpretation ``verantwoordelijke``."""
    if "verantwoordelijke" in rule.interpretations and rule.interpretation("verantwoordelijke") != "beide":
        return rule.interpretation("verantwoordelijke")
    return rule.params["role"]



def responsible_ok(m: Medewerker, rule: Rule, domain: str | None) -> bool:
    """With ``professions``: one of those professions holding its register (:func:`profession_ok`);
    otherwise the derived ``role``."""
    professions = rule.params.get("professions")
    if not professions:
        return has_role(m, required_role(rule), domain)
    return profession_ok(m, professions, rule.params.get("profession_registrations"), rule.params.get("registrations"))


def profession_ok(m: Medewerker, professions: Iterable[str], per_profession: dict | None = None,
                  registrations: Iterable[str] | None = None) -> bool:
    """``m``'s profession is one of ``professions`` and ``m`` holds its register: the one ``per_profession``
    names for it (``{orthopedagoog: [NVO]}``, A:3767; an empty list asks none), else one of ``registrations``,
    else the regiebehandelaar table's (BIG for a psychiater; a verslavingsarts KNMG and BIG, A:2125)."""
    prof = normalise_profession(m.profession)
    if prof not in {normalise_profession(p) for p in professions}:
        return False
    own = {normalise_profession(p): regs for p, regs in (per_profession or {}).items()}
    if prof in own:
        return not own[prof] or holds_registration(m, own[prof])
    if registrations:
        return holds_registration(m, registrations)
    needed = role_table().regie_professions.get(prof)
    return (needed is None or bool(needed & m.registrations)) and has_all_of(m)


def executor_role_ok(m: Medewerker, rule: Rule, domain: str | None) -> bool:
    """One of ``roles`` (A:2623 "gedragswetenschapper (WO NVO/NIP) of een regiebehandelaar"); a role listed in
    ``role_registrations`` counts only with one of those registers (NVO/NIP, not SKJ alone)."""
    narrowed = rule.params.get("role_registrations") or {}
    return any(has_role(m, role, domain) and (role not in narrowed or holds_registration(m, narrowed[role]))
               for role in rule.params["roles"])


def certified(m: Medewerker, certification: str) -> bool:
    """``m`` holds the certification (case-insensitive), e.g. ``forensisch`` (A:2173)."""
    return certification.casefold() in {c.casefold() for c in m.certifications}


def staff_member_counts(m: Medewerker, rule: Rule) -> bool:
    """Who counts for ``staff_available``: one of ``professions`` with its register (:func:`profession_ok`),
    or, without professions, the derived ``role``; both with education >= ``min_education`` when given."""
    if "min_education" in rule.params and m.education < Education(rule.params["min_education"]):
        return False
    if rule.params.get("professions"):
        return profession_ok(m, rule.params["professions"], rule.params.get("profession_registrations"),
                             rule.params.get("registrations"))
    if rule.params.get("role"):
        return has_role(m, rule.params["role"])
    return holds_registration(m, rule.params.get("registrations") or [])



def regie_duty_applies(rule: Rule, responsible: Medewerker | None, domain: str | None = None) -> bool:
    """"Wanneer de regiebehandelaar verantwoordelijk is" (A:2153): the duty holds when the responsible is a
    regiebehandelaar, unless the interpretation ``geldt_voor`` extends it to every responsible."""
    if responsible is None:
        return False
    if "geldt_voor" in rule.interpretations and rule.interpretation("geldt_voor") == "elke_verantwoordelijke":
        return True
    return regie_ok(responsible, domain)



def executor_bound_roles(rule: Rule, executors: Iterable[Medewerker]) -> list[str]:
    """Roles the responsible needs on top of ``role`` because of an executor's education: params
    ``by_executor_education`` ``{level: role}`` (A:2099-2103: an hbo executor works under a
    gedragswetenschapper, a wo executor "onder verantwoording van een regiebehandelaar")."""
    executors = list(executors)
    return [role for level, role in (rule.params.get("by_executor_education") or {}).items()
            if any(m.education >= Education(level) for m in executors)]


# --- VOG (A:1213, A:4183) ------------------------------------------------------
def years_before(day: date, years: int) -> date:
    """``day`` minus whole calendar years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def vog_window(rule: Rule, first_day: date, last_day: date) -> tuple[date, date]:
    """(earliest, latest) issue date of a VOG that counts for a period ``first_day``..``last_day``: on file by
    the period's first day and not older than ``max_years`` (default 3, "niet ouder ... dan drie jaar") on
    the reference day of the interpretation ``peildatum``: ``periode_start`` (default) or ``periode_einde``
    (still valid on the period's last day)."""
    years = int(rule.params.get("max_years", 3))
    ref = first_day
    if "peildatum" in rule.interpretations and rule.interpretation("peildatum") == "periode_einde":
        ref = last_day
    return years_before(ref, years), first_day


def vog_ok(m: Medewerker, rule: Rule, first_day: date, last_day: date) -> bool:
    """``m`` has a VOG on file that is valid for the period (:func:`vog_window`)."""
    earliest, latest = vog_window(rule, first_day, last_day)
    return m.vog_date is not None and earliest <= m.vog_date <= latest


def qualified_registered(m: Medewerker, education: str, registrations: Iterable[str] | None) -> bool:
    """Education >= ``education`` and, when ``registrations`` is given, one of them (A:3403 "een professional
    ... met een relevante HBO-opleiding (SKJ of BIG) of WO-opleiding (SKJ of BIG)")."""
    return m.education >= Education(education) and (not registrations or holds_registration(m, registrations))


def registration_ok(m: Medewerker, min_education: str, registrations: Iterable[str],
                    professions: Iterable[str] | None = None) -> bool:
    """Below ``min_education`` nothing is asked; at or above it one of ``registrations`` (A:1205).  With
    ``professions`` only those professions are asked (A:2345 "Een vaktherapeut staat geregistreerd in het
    Register Vaktherapie")."""
    if professions and normalise_profession(m.profession) not in {normalise_profession(p) for p in professions}:
        return True
    return m.education < Education(min_education) or holds_registration(m, registrations)
