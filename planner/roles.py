"""Derived roles: regiebehandelaar, gedragswetenschapper, registered professional.

Computed from profession + registration + education using the role table in
``packs/roles.yaml`` (sourced from the Almelo Verordening, A:2105-2151), never
typed in by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from planner.domain import Education, Medewerker, Registration


@cache
def normalise_profession(profession: str) -> str:
    """Lower case, hyphens and underscores as spaces: "Orthopedagoog-Generalist" == "orthopedagoog generalist"."""
    return " ".join(profession.lower().replace("_", " ").replace("-", " ").split())


@dataclass(frozen=True, slots=True)
class RoleTable:
    regie_professions: dict[str, frozenset[Registration]]
    regie_restricted: dict[str, str]
    regie_all_of: dict[str, frozenset[Registration]]  # professions that need every register listed
    regie_citation: str
    gw_min_education: Education
    gw_registrations: frozenset[Registration]
    gw_citation: str
    reg_min_education: Education
    reg_registrations: frozenset[Registration]
    reg_profession_registrations: dict[str, frozenset[Registration]]
    reg_citation: str


@cache
def role_table() -> RoleTable:
    raw = yaml.safe_load(resources.files("planner.packs").joinpath("roles.yaml").read_text("utf-8"))
    regie, gw, reg = raw["regiebehandelaar"], raw["gedragswetenschapper"], raw["registered_professional"]
    regs = lambda names: frozenset(Registration(n) for n in names)  # noqa: E731
    return RoleTable(
        regie_professions={normalise_profession(p): regs(r) for p, r in regie["professions"].items()},
        regie_restricted={normalise_profession(p): d for p, d in regie.get("restricted", {}).items()},
        regie_all_of={normalise_profession(p): regs(r) for p, r in (regie.get("all_of") or {}).items()},
        regie_citation=regie["citation"],
        gw_min_education=Education(gw["min_education"]),
        gw_registrations=regs(gw["registrations_any"]),
        gw_citation=gw["citation"],
        reg_min_education=Education(reg["min_education"]),
        reg_registrations=regs(reg["registrations_any"]),
        reg_profession_registrations={
            normalise_profession(p): regs(r) for p, r in reg.get("profession_registrations", {}).items()
        },
        reg_citation=reg["citation"],
    )


def is_regiebehandelaar(m: Medewerker, domain: str | None = None) -> bool:
    """Profession on the regiebehandelaar list with its required registration (and every register that
    ``all_of`` lists: a verslavingsarts "inschreven in profielregister KNMG ... (BIG)", A:2125).

    ``domain`` names the care domain of the product (e.g. ``verslavingszorg``);
    professions restricted to one domain only count inside it.
    """
    t = role_table()
    prof = normalise_profession(m.profession)
    needed = t.regie_professions.get(prof)
    if needed is None or not (needed & m.registrations) or not has_all_of(m):
        return False
    restricted_to = t.regie_restricted.get(prof)
    return restricted_to is None or restricted_to == domain


def has_all_of(m: Medewerker) -> bool:
    """``m`` holds every register the ``all_of`` list of ``packs/roles.yaml`` names for the profession."""
    return role_table().regie_all_of.get(normalise_profession(m.profession), frozenset()) <= m.registrations


def is_gedragswetenschapper(m: Medewerker) -> bool:
    """wo or higher with an SKJ (or NIP/NVO) registration (A:2099)."""
    t = role_table()
    return m.education >= t.gw_min_education and bool(t.gw_registrations & m.registrations)


def is_registered_professional(m: Medewerker) -> bool:
    """hbo or higher with SKJ or BIG; a vaktherapeut may use Register Vaktherapie (A:1205)."""
    t = role_table()
    if m.education < t.reg_min_education:
        return False
    accepted = t.reg_registrations | t.reg_profession_registrations.get(normalise_profession(m.profession), frozenset())
    return bool(accepted & m.registrations)


def derived_roles(m: Medewerker) -> list[str]:
    """Dutch role names for display."""
    roles = []
    if is_regiebehandelaar(m):
        roles.append("regiebehandelaar")
    if is_gedragswetenschapper(m):
        roles.append("gedragswetenschapper")
    if is_registered_professional(m):
        roles.append("geregistreerd professional")
    return roles
