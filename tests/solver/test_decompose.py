"""Issue 24: decomposition by region and team, parts solved apart and merged, checked as a whole."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner.checker import check_plan
from planner.generate import generate_bundle
from solver.data import ProblemData, SolveOptions
from solver.decompose import Graph, Part, UnionFind, candidate_graph, components, partition
from solver.parts import sub_bundle
from solver.solve import solve


def _two_regions():
    """Size S twice, the second copy renamed and moved to another gemeente: two providers in one bundle
    that share nothing (no staff, gezinnen, groups or teams)."""
    from planner.rules import load_pack

    a = generate_bundle("S", seed=3)
    b = generate_bundle("S", seed=4)
    pack = load_pack(a.manifest.rule_pack)
    for m in list(a.staff.values()):
        a.staff[m.id] = replace(m, gemeenten=frozenset({"Almere"}))
    for g in list(a.gezinnen.values()):
        a.gezinnen[g.id] = replace(g, gemeente="Almere")
    for j in list(a.jeugdigen.values()):
        a.jeugdigen[j.id] = replace(j, gemeente="Almere")
    _merge_renamed(a, b, "Urk")
    return a, pack


def _merge_renamed(a, b, gemeente: str) -> None:
    """Add bundle ``b`` to ``a`` with every id prefixed by ``Z`` and every place in ``gemeente``."""
    z = "Z".__add__
    for m in b.staff.values():
        a.staff[z(m.id)] = replace(m, id=z(m.id), gemeenten=frozenset({gemeente}),
                                   teams=frozenset(z(t) for t in m.teams))
    for g in b.gezinnen.values():
        a.gezinnen[z(g.id)] = replace(g, id=z(g.id), gemeente=gemeente)
    for j in b.jeugdigen.values():
        a.jeugdigen[z(j.id)] = replace(j, id=z(j.id), gezin_id=z(j.gezin_id), gemeente=gemeente)
    for t in b.toewijzingen.values():
        a.toewijzingen[z(t.id)] = replace(
            t, id=z(t.id), jeugdige_id=z(t.jeugdige_id), team_id=z(t.team_id) if t.team_id else None,
            current_executor_id=z(t.current_executor_id) if t.current_executor_id else None,
            current_responsible_id=z(t.current_responsible_id) if t.current_responsible_id else None)
    for g in b.groups.values():
        a.groups[z(g.id)] = replace(g, id=z(g.id), team_id=z(g.team_id) if g.team_id else None)
    for s in b.sessions.values():
        a.sessions[z(s.id)] = replace(s, id=z(s.id), group_id=z(s.group_id))
    a.enrolments += [replace(e, group_id=z(e.group_id), jeugdige_id=z(e.jeugdige_id)) for e in b.enrolments]
    for t in b.teams.values():
        a.teams[z(t.id)] = replace(t, id=z(t.id))
    a.absences += [replace(x, staff_id=z(x.staff_id)) for x in b.absences]


@pytest.fixture(scope="module")
def two_regions():
    return _two_regions()


def test_union_find_and_components_on_a_hand_built_graph():
    g = Graph(["A", "B", "C", "D", "E"])
    g.add(("gezin", "G1"), {"A", "B"})
    g.add(("gezin", "G2"), {"B"})
    g.add(("groep", "GR1"), {"C"})
    g.add(("team", "T1"), {"D"})
    g.link(("team", "T1"), ("gezin", "G3"))  # a team trajectory: its gezin goes with the team
    comps = components(g)
    as_sets = [set(c) for c in comps]
    assert {("staff", "A"), ("staff", "B"), ("gezin", "G1"), ("gezin", "G2")} in as_sets
    assert {("staff", "C"), ("groep", "GR1")} in as_sets
    assert {("staff", "D"), ("team", "T1"), ("gezin", "G3")} in as_sets
    assert {("staff", "E")} in as_sets  # nobody's candidate: a component of its own
    assert len(comps) == 4
    uf = UnionFind()
    uf.union(1, 2), uf.union(3, 4), uf.union(2, 3)
    assert uf.find(1) == uf.find(4)


def test_two_regions_become_two_parts(two_regions):
    """Group sessions take staff by qualification from anywhere, so the candidate graph links the copies;
    the partition follows the regions (gemeenten joined by working areas) instead."""
    b, pack = two_regions
    data = ProblemData(b, pack.for_period(b.manifest.period_start, b.manifest.period_start), b.manifest.period_start, 1)
    comps = components(candidate_graph(data, SolveOptions()))
    assert sum(len(c) for c in comps) >= len(b.staff) + len(b.gezinnen)
    parts = partition(data, 2)
    assert len(parts) == 2
    for p in parts:  # each part is one copy: its staff and gezinnen carry one prefix
        prefixes = {sid.startswith("Z") for sid in p.staff} | {g.startswith("Z") for g in p.gezinnen}
        assert len(prefixes) == 1


def test_decomposed_equals_monolithic_where_both_are_optimal(two_regions):
    b, pack = two_regions
    mono = solve(b, pack, options=SolveOptions(time_limit=60, parts=1))
    dec = solve(b, pack, options=SolveOptions(time_limit=60, parts=2, pool="serial"))
    assert mono.status == dec.status == "OPTIMAL"
    assert dec.stages["delen"]["parts"] == 2
    assert dec.objective == mono.objective and dec.bound == mono.bound
    report = check_plan(b, pack, dec.plan)
    assert not report.plan_hard


def test_bridging_medewerker_is_owned_by_one_part_and_the_checker_finds_nothing():
    """Generated M split into small parts: staff without a working area reach every part; each is owned by
    exactly one part, so no one is double booked and week hours hold in the merged plan."""
    b = generate_bundle("M", seed=1)
    from planner.rules import load_pack

    pack = load_pack("flevoland-multi")
    data = ProblemData(b, pack, b.manifest.period_start, 1)
    parts = partition(data, 3)
    assert len(parts) >= 3
    owners: dict[str, int] = {}
    for i, p in enumerate(parts):
        for sid in p.staff:
            assert sid not in owners
            owners[sid] = i
    assert set(owners) == set(b.staff)
    floating = [sid for sid, m in b.staff.items() if not m.gemeenten]
    assert floating  # the bridging staff exist in this bundle
    r = solve(b, pack, options=SolveOptions(time_limit=40, parts=3, pool="serial"))
    assert r.plan is not None and r.stages["delen"]["parts"] == len(parts)
    for a in r.plan.caseload:  # every executor comes from the part that decides the toewijzing
        gezin = b.jeugdigen[b.toewijzingen[a.toewijzing_id].jeugdige_id].gezin_id
        part = next(i for i, p in enumerate(parts) if gezin in p.gezinnen)
        assert all(owners[s] == part for s in a.executor_ids)
    report = check_plan(b, pack, r.plan)
    assert not report.plan_hard, [v.message for v in report.plan_hard][:5]


def test_sub_bundles_cover_the_bundle_and_merge_back():
    b = generate_bundle("S", seed=2)
    from planner.rules import load_pack

    data = ProblemData(b, load_pack("flevoland-multi"), b.manifest.period_start, 1)
    parts = partition(data, 3)
    subs = [sub_bundle(b, p) for p in parts]
    assert sum(len(s.staff) for s in subs) == len(b.staff)
    assert sum(len(s.toewijzingen) for s in subs) == len(b.toewijzingen)
    assert sum(len(s.sessions) for s in subs) == len(b.sessions)
    assert all(isinstance(p, Part) for p in parts)


def test_monolithic_below_the_part_size():
    """M and L stay one model (their result must not change): no decomposition up to ``decompose_above``."""
    b = generate_bundle("S", seed=1)
    from planner.rules import load_pack

    r = solve(b, load_pack("flevoland-multi"), options=SolveOptions(time_limit=20))
    assert "delen" not in r.stages


def test_parts_in_a_process_pool_and_through_the_queue(tmp_path, monkeypatch):
    """The same parts give the same plan objective in a process pool and as Huey tasks (SQLite storage)."""
    import threading

    from planner.queue_parts import parts_huey
    from planner.rules import load_pack

    b = generate_bundle("S", seed=1)
    pack = load_pack("flevoland-multi")
    serial = solve(b, pack, options=SolveOptions(time_limit=30, parts=2, pool="serial"))
    events = []
    pooled = solve(b, pack, options=SolveOptions(time_limit=30, parts=2), on_progress=events.append)
    assert pooled.status == serial.status == "OPTIMAL" and pooled.objective == serial.objective
    assert any("klaar" in e.stage for e in events)  # one progress line per finished part
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("JHP_PARTS_QUEUE_FILE", str(tmp_path / "delen.sqlite"))
    parts_huey.cache_clear()
    huey = parts_huey()
    from huey.consumer import Consumer

    consumer = Consumer(huey, workers=1, worker_type="thread", periodic=False, initial_delay=0.05, max_delay=0.2)
    thread = threading.Thread(target=consumer.run, daemon=True)
    consumer._set_signal_handlers = lambda: None
    thread.start()
    try:
        queued = solve(b, pack, options=SolveOptions(time_limit=30, parts=2, pool="queue"))
    finally:
        consumer.stop(graceful=False)
        parts_huey.cache_clear()
    assert queued.status == "OPTIMAL" and queued.objective == serial.objective
    assert not check_plan(b, pack, queued.plan).plan_hard
