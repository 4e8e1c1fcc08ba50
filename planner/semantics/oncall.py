"""Who carries a 24/7 duty (bereikbaarheid): the duty comes from the product, the team from the toewijzing.

A toewijzing has a 24/7 duty when an ``oncall_coverage`` rule of the pack applies to its product and
intervention (MST A:2829, FACT A:2757, FF A:3649, ASH A:3689, crisisdienst A:3613, JeugdzorgPlus A:3477,
Flevoland MST/MDFT F:103), whatever the team's ``bereikbaarheid_24_7`` flag says.  The team that carries
it is the toewijzing's own ``team_id``; without one, the first team (by id) whose intervention is the
toewijzing's intervention.  A toewijzing with a duty and no such team cannot be covered: the checker
reports it as care left undone and ``planner validate`` warns about it.  Shared by checker and solver.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.domain import Bundle, Medewerker, Team, Toewijzing
from planner.rules import Rule, RulePack


def carrying_team(bundle: Bundle, t: Toewijzing) -> Team | None:
    """The team that carries ``t``'s 24/7 duty: its ``team_id``, else the team of its intervention."""
    if t.team_id:
        return bundle.teams.get(t.team_id)
    if not t.intervention:
        return None
    wanted = t.intervention.casefold()
    return next((team for team in sorted(bundle.teams.values(), key=lambda x: x.id)
                 if team.intervention and team.intervention.casefold() == wanted), None)


def may_carry(team: Team, m: Medewerker) -> bool:
    """A member of the team, certified for the team's intervention when it names one."""
    return team.id in m.teams and (team.intervention is None
                                   or team.intervention.casefold() in {c.casefold() for c in m.certifications})


def duties(bundle: Bundle, rule: Rule, toewijzingen: Iterable[Toewijzing],
           only: list[str] | None = None) -> tuple[dict[str, list[Toewijzing]], list[Toewijzing]]:
    """(team id -> the toewijzingen whose 24/7 duty under ``rule`` it carries, toewijzingen with a duty and no
    team).  ``only`` (param ``teams_with_intervention``) limits the rule to teams of those interventions."""
    by_team: dict[str, list[Toewijzing]] = {}
    orphans: list[Toewijzing] = []
    for t in toewijzingen:
        if not rule.applies_to(t.product_code, t.intervention):
            continue
        team = carrying_team(bundle, t)
        if team is None:
            if not only:
                orphans.append(t)
            continue
        if only and team.intervention not in only:
            continue
        by_team.setdefault(team.id, []).append(t)
    return by_team, orphans


def duty_team(bundle: Bundle, pack: RulePack, t: Toewijzing) -> Team | None:
    """The team that carries ``t``'s 24/7 duty under some ``oncall_coverage`` rule of ``pack``; None without one."""
    for rule in pack.rules_of("oncall_coverage"):
        by_team, _ = duties(bundle, rule, [t], rule.params.get("teams_with_intervention"))
        if by_team:
            return bundle.teams[next(iter(by_team))]
    return None


def duty_teams(bundle: Bundle, pack: RulePack, toewijzingen: list[Toewijzing]) -> list[Team]:
    """Teams that carry a 24/7 duty of any ``oncall_coverage`` rule for these toewijzingen, by id."""
    ids: set[str] = set()
    for rule in pack.rules_of("oncall_coverage"):
        ids |= set(duties(bundle, rule, toewijzingen, rule.params.get("teams_with_intervention"))[0])
    return [bundle.teams[i] for i in sorted(ids)]


def oncall_problems(bundle: Bundle, pack: RulePack) -> list[str]:
    """Dutch warnings for ``planner validate``: a toewijzing whose product asks 24/7 bereikbaarheid but that no
    team can carry (no team, or a team without a member who may carry its phone)."""
    out: list[str] = []
    ts = sorted(bundle.toewijzingen.values(), key=lambda t: t.id)
    seen_teams: set[str] = set()
    for rule in pack.rules_of("oncall_coverage"):
        by_team, orphans = duties(bundle, rule, ts, rule.params.get("teams_with_intervention"))
        for t in orphans:
            what = f"geen team met interventie {t.intervention}" if t.intervention else "geen team_id"
            out.append(f"Toewijzing {t.id} ({t.product_code}) vraagt 24/7 bereikbaarheid (regel {rule.id}), "
                       f"maar geen team kan die dragen: {what}.")
        for team_id in sorted(by_team):
            if team_id in seen_teams:
                continue
            seen_teams.add(team_id)
            team = bundle.teams[team_id]
            if not any(may_carry(team, m) for m in bundle.staff.values()):
                cert = f" met certificering {team.intervention}" if team.intervention else ""
                out.append(f"Team {team_id} draagt de 24/7 bereikbaarheid van {len(by_team[team_id])} toewijzing(en) "
                           f"(regel {rule.id}), maar heeft geen lid{cert} dat bereikbaarheidsdienst kan doen.")
    return out
