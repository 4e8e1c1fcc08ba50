"""Provider-scale structure for the XXL size: regions and staff who work across two teams (issue 24).

A provider of 5,000 staff is organised in regions: every medewerker works in one region (the generator's
staff without a working area get the region's gemeenten), and 24/7 teams belong to a region.  Some team
members also work in a second team of their region (a bridge between teams that the decomposition keeps
in one part, ``solver/decompose.py``).  Applied after ``planner.generate``'s own run, with its own random
stream, so the other sizes and the committed samples do not change.
"""

from __future__ import annotations

import random
from dataclasses import replace

from planner.domain import Bundle

CROSS_TEAM_SHARE = 0.04  # team members who also work in a second team of their region


def _regions(b: Bundle) -> list[frozenset[str]]:
    """Gemeenten joined by the working areas staff already have (the profile's regions)."""
    groups: list[set[str]] = []
    for m in b.staff.values():
        area = set(m.gemeenten)
        if not area:
            continue
        joined = [g for g in groups if g & area]
        for g in joined:
            groups.remove(g)
            area |= g
        groups.append(area)
    return sorted((frozenset(g) for g in groups), key=lambda g: sorted(g))


def _region_of(area: frozenset[str], regions: list[frozenset[str]]) -> frozenset[str] | None:
    return next((r for r in regions if area & r), None)


def give_areas(b: Bundle, rng: random.Random, regions: list[frozenset[str]]) -> None:
    """Staff without a working area get one region's gemeenten (weighted by the region's gezinnen)."""
    weight = [sum(1 for g in b.gezinnen.values() if g.gemeente in r) or 1 for r in regions]
    for sid in sorted(b.staff):
        m = b.staff[sid]
        if not m.gemeenten:
            b.staff[sid] = replace(m, gemeenten=rng.choices(regions, weight)[0])


def cross_teams(b: Bundle, rng: random.Random, regions: list[frozenset[str]]) -> int:
    """A few members of each 24/7 team also join another 24/7 team of the same region; returns how many."""
    teams = sorted(t for t, team in b.teams.items() if team.oncall_24_7)
    members = {t: sorted(sid for sid, m in b.staff.items() if t in m.teams) for t in teams}
    region = {t: _region_of(frozenset().union(*(b.staff[s].gemeenten for s in members[t])), regions)
              for t in teams if members[t]}
    made = 0
    for t in teams:
        others = [u for u in teams if u != t and region.get(u) == region.get(t)]
        for sid in members[t]:
            if others and rng.random() < CROSS_TEAM_SHARE:
                m = b.staff[sid]
                b.staff[sid] = replace(m, teams=m.teams | {rng.choice(others)})
                made += 1
    return made


def organise_regions(b: Bundle, seed: int) -> Bundle:
    """Regions for everyone and cross-team staff (see the module docstring)."""
    rng = random.Random(f"regions|{seed}")
    regions = _regions(b)
    if regions:
        give_areas(b, rng, regions)
        cross_teams(b, rng, regions)
    return b
