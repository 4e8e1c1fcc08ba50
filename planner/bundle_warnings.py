"""Warnings about a valid bundle: things that load fine but will surprise the teamleider.

Today one: staff who have work to do but no rows in ``beschikbaarheid.csv``.  Such a medewerker has no
availability at all (docs/data-format.md), so neither the solver nor a hand-made plan may schedule them
(``planner.timeutil.within_availability``).  ``planner validate`` prints the warnings without failing;
the web dashboard can show the same list (:func:`staff_without_availability`).
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.domain import Bundle, Education, Medewerker
from planner.rules import RulePack
from planner.semantics.oncall import duty_teams


@dataclass(frozen=True, slots=True)
class NoAvailability:
    """A staff member with duties (``why``, Dutch) but no availability rows."""

    staff_id: str
    why: str

    @property
    def message(self) -> str:
        return f"Medewerker {self.staff_id} ({self.why}) heeft geen beschikbaarheid: wordt niet ingepland."


def _duty_teams(b: Bundle, pack: RulePack | None = None) -> set[str]:
    """Teams with work: a 24/7 on-call duty (the flag, or a product that asks it), a residential group's fixed
    team, or a toewijzing's team."""
    teams = {t.id for t in b.teams.values() if t.oncall_24_7}
    if pack is not None:
        teams |= {t.id for t in duty_teams(b, pack, list(b.toewijzingen.values()))}
    teams |= {g.team_id for g in b.groups.values() if g.team_id}
    teams |= {t.team_id for t in b.toewijzingen.values() if t.team_id}
    return teams


def _meets(m: Medewerker, pack: RulePack, kind: str, code: str) -> bool:
    levels = [Education(r.params["education"]) for r in pack.rules_of(kind) if r.severity == "hard" and r.applies_to(code)]
    return bool(levels) and all(m.education >= lv for lv in levels)


def _could_work(m: Medewerker, b: Bundle, pack: RulePack | None) -> str | None:
    """Work ``m`` is a candidate for: a toewijzing product or a group with sessions whose every hard
    minimum education ``m`` meets; None without a pack or without such work."""
    if pack is None:
        return None
    for code in sorted({t.product_code for t in b.toewijzingen.values()}):
        if _meets(m, pack, "executor_min_education", code):
            return f"kan {code} uitvoeren"
    for gid in sorted({s.group_id for s in b.sessions.values() if s.group_id in b.groups}):
        if _meets(m, pack, "group_min_education_all", b.groups[gid].product_code):
            return f"kan groep {gid} bemensen"
    return None


def staff_without_availability(b: Bundle, pack: RulePack | None = None) -> list[NoAvailability]:
    """Staff without availability rows who have duties: a member of a team with duties, the current
    executor or responsible of a toewijzing, or (with ``pack``) qualified by education to execute a product
    or staff a group session of the bundle.  Sorted by staff id."""
    teams = _duty_teams(b, pack)
    current: dict[str, str] = {}
    for t in sorted(b.toewijzingen.values(), key=lambda t: t.id):
        for sid, role in ((t.current_executor_id, "uitvoerder"), (t.current_responsible_id, "verantwoordelijke")):
            if sid:
                current.setdefault(sid, f"huidige {role} van {t.id}")
    out = []
    for m in sorted(b.staff.values(), key=lambda m: m.id):
        if m.availability:
            continue
        mine = sorted(m.teams & teams)
        why = (f"team {', '.join(mine)}" if mine else None) or current.get(m.id) or _could_work(m, b, pack)
        if why:
            out.append(NoAvailability(m.id, why))
    return out
