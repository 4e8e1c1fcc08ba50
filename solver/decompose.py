"""Split a week's problem into independent parts: components of the candidate graph.

A provider is organised in regions and teams; two toewijzingen (or sessions, or on-call teams) that can
never share a medewerker do not interact in any model of ``solver/``.  The graph has a node per staff
member and per *unit* of decisions that must stay together, and an edge for every candidate pair the
assignment stage keeps (after the hard-rule filters and the candidate limits, so exactly the variables
``build_model`` would create):

- a toewijzing's executor and responsible candidates; all toewijzingen of one gezin form one unit
  (one casusregisseur per gezin);
- a group session occurrence's staff candidates; all occurrences and enrolments of a group form one unit;
- a 24/7 team's on-call candidates; the team, its members and its toewijzingen form one unit;
- a residential group with its fixed team (stage 0 rosters them together).

Everything a constraint family couples is per medewerker (load, rest, double booking, caseload,
on-call limits), per gezin, per session occurrence or per team, so components of this graph are
independent problems: their objectives add up and so do their bounds.

At provider scale the candidate graph is one component (group sessions take staff by qualification
from anywhere, and staff without a working area reach every gemeente), and computing it costs as much
as building the whole model.  ``partition`` therefore cuts by how providers are organised, in O(data):
regions (gemeenten joined by the working areas of staff), teams (a team, its members, the gezinnen of its
trajectories and its residential groups never split; two teams sharing a member stay together), then
balanced chunks inside a region.  Staff who would bridge parts (no working area, or candidates in
several parts) are *owned* by exactly one part: only that part may give them work, so a medewerker's
week is always planned in one model and no double booking or week-hours violation can arise across
parts.  The price: a toewijzing's candidates are those of its own part.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from solver.build import _pin
from solver.candidates import limit_candidates, limit_session_candidates
from solver.constraints import ADDERS
from solver.constraints.contact_days import filter_unfit_executors
from solver.data import ProblemData, SolveOptions
from solver.model import PlanModel


class UnionFind:
    """Disjoint sets over hashable nodes (path halving, union by size)."""

    def __init__(self) -> None:
        self.parent: dict = {}
        self.size: dict = {}

    def add(self, a) -> None:
        if a not in self.parent:
            self.parent[a], self.size[a] = a, 1

    def find(self, a):
        self.add(a)
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]

    def groups(self) -> list[list]:
        out: dict = defaultdict(list)
        for a in self.parent:
            out[self.find(a)].append(a)
        return sorted((sorted(g) for g in out.values()), key=lambda g: (-len(g), g[0]))


@dataclass
class Graph:
    """Units (``("gezin", id)``, ``("groep", id)``, ``("team", id)``) and their candidate staff."""

    staff: list[str]
    edges: dict[tuple, set[str]] = field(default_factory=dict)  # unit -> candidate staff ids
    links: set[tuple[tuple, tuple]] = field(default_factory=set)  # units that must share a part

    def add(self, unit: tuple, staff) -> None:
        self.edges.setdefault(unit, set()).update(staff)

    def link(self, a: tuple, b: tuple) -> None:
        self.add(a, ())
        self.add(b, ())
        self.links.add((a, b))


def candidate_pools(data: ProblemData, options: SolveOptions) -> PlanModel:
    """Phase 1 of ``build_model`` only (filters, pins, candidate limits): the pairs the model would hold."""
    pm = PlanModel(data)
    for rule in data.pack.rules:
        fn = ADDERS.get(rule.kind)
        if fn is not None and getattr(fn, "candidate_filter", False):
            fn(pm, rule)
    _pin(pm)
    filter_unfit_executors(pm)
    limit_candidates(pm, options.candidate_limit)
    limit_session_candidates(pm, options.session_candidate_limit)
    return pm


def candidate_graph(data: ProblemData, options: SolveOptions) -> Graph:
    """The staff-unit graph of the candidate pairs (see the module docstring)."""
    pm = candidate_pools(data, options)
    g = Graph([m.id for m in data.staff])
    for t in data.toewijzingen:
        unit = ("gezin", data.bundle.gezin_of(t))
        g.add(unit, pm.exec_candidates[t.id])
        if t.id in pm.resp_needed:
            g.add(unit, pm.resp_candidates[t.id])
        if t.team_id:  # a team trajectory carries its team's 24/7 duty (planner.semantics.oncall)
            g.link(unit, ("team", t.team_id))
    for o in data.occurrences:
        g.add(("groep", o.session.group_id), pm.session_candidates[pm.occ_key(o)])
    for (team, _d), pool in pm.oncall_candidates.items():
        g.add(("team", team), pool)
    for team in data.bundle.teams.values():  # members are tied to their team (rosters, on-call pools)
        g.add(("team", team.id), {m.id for m in data.members(team.id)})
    for grp in data.bundle.groups.values():  # a residential group is rostered by its fixed team
        if grp.team_id:
            g.link(("groep", grp.id), ("team", grp.team_id))
    return g


def components(g: Graph) -> list[list]:
    """Connected components; nodes are ``("staff", id)`` and units.  Largest first, deterministic."""
    uf = UnionFind()
    for sid in g.staff:
        uf.add(("staff", sid))
    for unit, staff in g.edges.items():
        uf.add(unit)
        for sid in staff:
            uf.union(unit, ("staff", sid))
    for a, b in g.links:
        uf.union(a, b)
    return uf.groups()


# --- the structural partition (provider scale) ----------------------------------------------------------
@dataclass
class Part:
    """One independent part: the staff it owns and the units it decides."""

    staff: set[str] = field(default_factory=set)
    gezinnen: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    teams: set[str] = field(default_factory=set)
    region: str = ""

    def toewijzingen(self, data: ProblemData) -> list:
        return [t for t in data.toewijzingen if data.bundle.gezin_of(t) in self.gezinnen]


def gemeente_regions(data: ProblemData) -> dict[str, str]:
    """Gemeente -> region: gemeenten joined by any medewerker whose working area holds both."""
    uf = UnionFind()
    for g in data.bundle.gezinnen.values():
        uf.add(g.gemeente)
    for m in data.staff:
        area = sorted(m.gemeenten)
        for a in area:
            uf.union(area[0], a)
    return {g: min(group) for group in uf.groups() for g in group}


def blocks(data: ProblemData) -> UnionFind:
    """Entities that must share a part: a team with its members, its trajectories' gezinnen and its
    residential groups; a gezin with its other toewijzingen (one casusregisseur)."""
    uf = UnionFind()
    for m in data.staff:
        uf.add(("staff", m.id))
        for team in m.teams:
            if team in data.bundle.teams:
                uf.union(("team", team), ("staff", m.id))
    for gezin in data.bundle.gezinnen:  # also those without active toewijzingen: every entity has a part
        uf.add(("gezin", gezin))
    for t in data.toewijzingen:
        if t.team_id and t.team_id in data.bundle.teams:
            uf.union(("team", t.team_id), ("gezin", data.bundle.gezin_of(t)))
    for grp in data.bundle.groups.values():
        uf.add(("groep", grp.id))
        if grp.team_id and grp.team_id in data.bundle.teams:
            uf.union(("groep", grp.id), ("team", grp.team_id))
    for team in data.bundle.teams:
        uf.add(("team", team))
    return uf


def _block_region(block: list, data: ProblemData, region: dict[str, str]) -> str | None:
    """The region most of a block's gezinnen and staff areas lie in; None for a floating block."""
    votes: dict[str, int] = defaultdict(int)
    for kind, key in block:
        if kind == "gezin":
            votes[region[data.bundle.gezinnen[key].gemeente]] += 1
        elif kind == "staff":
            for g in data.bundle.staff[key].gemeenten:
                votes[region.get(g, g)] += 1
    return max(sorted(votes), key=lambda r: votes[r]) if votes else None


def _count_parts(weights: dict[str, int], k: int) -> dict[str, int]:
    """Largest-remainder split of k parts over regions by weight (at least one each, regions merge when
    there are more regions than parts: see ``partition``)."""
    total = sum(weights.values()) or 1
    raw = {r: k * w / total for r, w in weights.items()}
    out = {r: max(1, int(v)) for r, v in raw.items()}
    for r in sorted(raw, key=lambda r: raw[r] - int(raw[r]), reverse=True):
        if sum(out.values()) >= k:
            break
        out[r] += 1
    return out


_FIELD = {"staff": "staff", "gezin": "gezinnen", "groep": "groups", "team": "teams"}


def _place(block: list, parts: list[Part], pool: list[int], load: dict, key: str) -> None:
    """Put a block in the part of ``pool`` (indices) where ``key`` is least loaded."""
    def share(i: int) -> float:  # staff per gezin of the part, so capacity follows demand
        return load[i, key] / max(load[i, "gezin"], 1) if key.startswith("staff:") else load[i, key]

    best = min(pool, key=lambda i: (share(i), i))
    for kind, ident in block:
        getattr(parts[best], _FIELD[kind]).add(ident)
    load[best, key] += sum(1 for kind, _ in block if kind in ("staff", "gezin")) or 1


def _block_key(block: list, data: ProblemData) -> str:
    """Balance key: profession for a lone medewerker, product mix for a gezin, kind otherwise."""
    if len(block) == 1 and block[0][0] == "staff":
        return "staff:" + data.bundle.staff[block[0][1]].profession
    if len(block) == 1 and block[0][0] == "gezin":
        return "gezin"
    return block[0][0]


def part_count(n_staff: int, options: SolveOptions) -> int:
    """``options.parts`` when given, else one part per ``part_staff`` staff."""
    return options.parts if options.parts > 1 else max(1, -(-n_staff // max(options.part_staff, 1)))


def partition(data: ProblemData, k: int) -> list[Part]:
    """About ``k`` parts along regions and teams (see the module docstring)."""
    region = gemeente_regions(data)
    all_blocks = blocks(data).groups()
    where = {id(b): _block_region(b, data, region) for b in all_blocks}
    weight: dict[str, int] = defaultdict(int)
    for b in all_blocks:
        if where[id(b)] is not None:
            weight[where[id(b)]] += sum(1 for kind, _ in b if kind in ("staff", "gezin"))  # capacity + demand
    regions = sorted(weight, key=lambda r: (-weight[r], r))
    merged = {r: regions[i % k] for i, r in enumerate(regions)} if len(regions) > k else {r: r for r in regions}
    counts = _count_parts({r: sum(weight[x] for x in merged if merged[x] == r) for r in set(merged.values())}, k)
    parts: list[Part] = []
    pool_of: dict[str, list[int]] = {}
    for r, n in sorted(counts.items()):
        pool_of[r] = list(range(len(parts), len(parts) + n))
        parts += [Part(region=r) for _ in range(n)]
    load: dict = defaultdict(int)
    # teams first, then gezinnen and groups, then staff; floating blocks last so they fill the gaps
    for b in sorted(all_blocks, key=lambda b: (-len(b), where[id(b)] is None, b[0])):
        r = where[id(b)]
        _place(b, parts, pool_of[merged[r]] if r is not None else list(range(len(parts))), load,
               _block_key(b, data))
    return [p for p in parts if p.staff or p.gezinnen or p.groups]
