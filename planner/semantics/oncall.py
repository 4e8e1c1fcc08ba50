"""Who carries a 24/7 duty (bereikbaarheid): the duty comes from the product, the team from the toewijzing.

A toewijzing has a 24/7 duty when an ``oncall_coverage`` rule of the pack applies to its product and
intervention (MST A:2829, FACT A:2757, FF A:3649, ASH A:3689, crisisdienst A:3613, JeugdzorgPlus A:3477,
Flevoland MST/MDFT F:103), whatever the team's ``bereikbaarheid_24_7`` flag says.  The team that carries
it is the toewijzing's own ``team_id``; without one, the first team (by id) whose intervention is the
toewijzing's intervention.  A toewijzing with a duty and no such team cannot be covered: the checker
reports it as care left undone and ``planner validate`` warns about it.  Shared by checker and solver.

Issue 20 adds three things a rule's params may ask:

- ``while_offered: true``: the duty holds every hour of the period for every team that offers the product
  (``aanbod`` in ``teams.csv``), whether or not a toewijzing is active (ASH A:3689, crisisdienst A:1053/A:3613,
  JeugdzorgPlus A:3477).  A toewijzing without team and intervention falls to the first team offering its
  product, then to the fixed team of the first group of its product.
- a layer (``layer``, a Dutch name for messages) with a qualification: ``professions`` (one of them,
  normalised), ``min_education``, ``registrations`` (one of them).  Each layer is covered on its own, so
  two layers with other professions need two people on call at once (crisisdienst achterwacht A:3619 and
  voorwacht A:3629).
- a window: ``hours: [from, to]`` (a daily stretch, ``to <= from`` runs past midnight) on ``weekdays``
  (0 = Monday; where the stretch starts): only those hours are asked (night A:3177, office hours A:2755).
  ``response_minutes`` names the response time the seed asks; without travel times it is not checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from planner.domain import Bundle, Education, Medewerker, Registration, Team, Toewijzing
from planner.roles import normalise_profession
from planner.rules import Rule, RulePack
from planner.timeutil import DAY, Interval, day_start, union


def carrying_team(bundle: Bundle, t: Toewijzing) -> Team | None:
    """The team that carries ``t``'s 24/7 duty: its ``team_id``, else the team of its intervention; without an
    intervention the first team that offers its product, else the fixed team of the first group of it."""
    if t.team_id:
        return bundle.teams.get(t.team_id)
    teams = sorted(bundle.teams.values(), key=lambda x: x.id)
    if t.intervention:
        wanted = t.intervention.casefold()
        return next((team for team in teams if team.intervention and team.intervention.casefold() == wanted), None)
    offering = next((team for team in teams if t.product_code in team.offers), None)
    if offering is not None:
        return offering
    group = next((g for g in sorted(bundle.groups.values(), key=lambda g: g.id)
                  if g.product_code == t.product_code and g.team_id in bundle.teams), None)
    return bundle.teams[group.team_id] if group else None


def offering_teams(bundle: Bundle, rule: Rule) -> list[Team]:
    """Teams whose ``aanbod`` holds a product of ``rule`` when the rule asks its duty ``while_offered``, by id."""
    if not rule.params.get("while_offered"):
        return []
    return [team for team in sorted(bundle.teams.values(), key=lambda x: x.id)
            if any(rule.applies_to(code) for code in team.offers)]


def qualification(rule: Rule) -> tuple[frozenset[str], str | None, frozenset[str]]:
    """The layer's demand: (normalised professions, minimum education, registrations); empty = anyone."""
    return (frozenset(normalise_profession(p) for p in rule.params.get("professions") or ()),
            rule.params.get("min_education"), frozenset(rule.params.get("registrations") or ()))


def fits_layer(rule: Rule, m: Medewerker) -> bool:
    """``m`` has what the rule's layer asks: one of its professions, the education, one of the registrations."""
    professions, education, registrations = qualification(rule)
    if professions and normalise_profession(m.profession) not in professions:
        return False
    if education and m.education < Education(education):
        return False
    return not registrations or bool({Registration(r) for r in registrations} & m.registrations)


def layer_label(rule: Rule) -> str:
    """Dutch: what the layer asks, for messages ("achterwacht (psychiater)", "iemand met minimaal mbo4")."""
    professions = rule.params.get("professions") or []
    education, registrations = rule.params.get("min_education"), rule.params.get("registrations") or []
    what = " of ".join(professions) or (f"minimaal {education}" if education else "")
    if registrations:
        what = f"{what}, {' of '.join(registrations)}-geregistreerd".strip(", ")
    layer = rule.params.get("layer")
    return f"{layer} ({what})" if layer and what else layer or (f"iemand ({what})" if what else "")


def window_spans(rule: Rule, lo: datetime, hi: datetime) -> list[Interval]:
    """The hours of [lo, hi) the rule's window asks (``hours`` on ``weekdays``); all of it without a window."""
    hours = rule.params.get("hours")
    if not hours:
        return [(lo, hi)] if lo < hi else []
    start_h, end_h = float(hours[0]), float(hours[1])
    length = (end_h - start_h) % 24 or 24
    weekdays = set(rule.params.get("weekdays") or range(7))
    spans = []
    d: date = lo.date() - DAY
    while day_start(d) < hi:
        if d.weekday() in weekdays:
            s = day_start(d) + timedelta(hours=start_h)
            s, e = max(s, lo), min(s + timedelta(hours=length), hi)
            if s < e:
                spans.append((s, e))
        d += DAY
    return union(spans)


def window_text(rule: Rule) -> str:
    """Dutch: the rule's window for messages ("" without one)."""
    hours = rule.params.get("hours")
    if not hours:
        return ""
    days = rule.params.get("weekdays")
    when = " op werkdagen" if days and sorted(days) == [0, 1, 2, 3, 4] else ""
    return f" (venster {int(hours[0]):02d}:00-{int(hours[1]):02d}:00{when})"


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
    """Teams that carry a 24/7 duty of any ``oncall_coverage`` rule for these toewijzingen, or because they
    offer a product whose rule holds ``while_offered``, by id."""
    ids: set[str] = set()
    for rule in pack.rules_of("oncall_coverage"):
        ids |= set(duties(bundle, rule, toewijzingen, rule.params.get("teams_with_intervention"))[0])
        ids |= {team.id for team in offering_teams(bundle, rule)}
    return [bundle.teams[i] for i in sorted(ids)]


def team_rules(bundle: Bundle, pack: RulePack, team_id: str, toewijzingen: list[Toewijzing]) -> list[Rule]:
    """The ``oncall_coverage`` rules whose duty ``team_id`` carries (for these toewijzingen or by its aanbod)."""
    out = []
    for rule in pack.rules_of("oncall_coverage"):
        by_team, _ = duties(bundle, rule, toewijzingen, rule.params.get("teams_with_intervention"))
        if team_id in by_team or any(team.id == team_id for team in offering_teams(bundle, rule)):
            out.append(rule)
    return out


def required_spans(rule: Rule, ts: list[Toewijzing], offered: bool, lo: datetime, hi: datetime) -> list[Interval]:
    """The stretches of [lo, hi) in which the rule asks someone on call: the whole days on which one of ``ts``
    is active (or all of it when the team offers the product and the rule holds ``while_offered``), within
    the rule's window."""
    if offered:
        spans = [(lo, hi)]
    else:
        spans = union((max(lo, day_start(t.start)), min(hi, day_start(t.end) + DAY)) for t in ts
                      if max(lo, day_start(t.start)) < min(hi, day_start(t.end) + DAY))
    out: list[Interval] = []
    for s, e in spans:
        out.extend(window_spans(rule, s, e))
    return union(out)


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
            if not any(may_carry(team, m) and fits_layer(rule, m) for m in bundle.staff.values()):
                cert = f" met certificering {team.intervention}" if team.intervention else ""
                layer = f" als {layer_label(rule)}" if layer_label(rule) else ""
                out.append(f"Team {team_id} draagt de 24/7 bereikbaarheid van {len(by_team[team_id])} toewijzing(en) "
                           f"(regel {rule.id}), maar heeft geen lid{cert} dat bereikbaarheidsdienst kan doen{layer}.")
    codes = pack.product_codes
    for team in sorted(bundle.teams.values(), key=lambda x: x.id):
        for code in sorted(team.offers - codes):
            out.append(f"Team {team.id} biedt {code} aan, maar regelpakket {pack.id} kent dat product niet.")
    for rule in pack.rules_of("oncall_coverage"):
        for team in offering_teams(bundle, rule):
            if not any(may_carry(team, m) and fits_layer(rule, m) for m in bundle.staff.values()):
                cert = f" met certificering {team.intervention}" if team.intervention else ""
                layer = f" als {layer_label(rule)}" if layer_label(rule) else ""
                products = ", ".join(sorted(c for c in team.offers if rule.applies_to(c)))
                out.append(f"Team {team.id} biedt {products} aan; regel {rule.id} vraagt dan altijd bereikbaarheid, "
                           f"maar het team heeft geen lid{cert} dat die kan dragen{layer}.")
    return out
