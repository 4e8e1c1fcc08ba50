"""Generator: sizes, determinism, realistic and valid bundles, committed samples reproducible."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from planner.bundle import load_bundle, load_bundle_with_pack
from planner.bundle_write import write_bundle
from planner.generate import SAMPLES, SIZES, generate_bundle, generate_to
from planner.roles import is_gedragswetenschapper, is_regiebehandelaar

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"


def _files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir())}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_committed_samples_regenerate_identically(tmp_path, name):
    generate_to(tmp_path / name, **SAMPLES[name])
    assert _files(tmp_path / name) == _files(SAMPLE_DIR / name), \
        "sample_data is niet meer gelijk aan de generator: draai planner.generate.write_samples()"


@pytest.mark.parametrize("size", ["S", "M", "L"])
@pytest.mark.parametrize("pack", ["flevoland-multi", "almelo-2025"])
def test_sizes_validate_and_match_the_table(tmp_path, size, pack):
    spec = SIZES[size]
    b = load_bundle(generate_to(tmp_path, size, 7, pack))
    assert len(b.staff) == spec.staff
    assert len(b.toewijzingen) == spec.toewijzingen
    assert len([g for g in b.groups.values() if not g.id.startswith("WG")]) == spec.groups
    assert sum(t.oncall_24_7 for t in b.teams.values()) == spec.oncall_teams


def test_xl_generates_in_a_few_seconds(tmp_path):
    t0 = time.perf_counter()
    b = generate_bundle("XL", 3)
    write_bundle(b, tmp_path)
    assert time.perf_counter() - t0 < 5
    assert len(b.staff) == 1000 and len(b.toewijzingen) == 4000


def test_same_seed_same_bundle_other_seed_other_bundle(tmp_path):
    assert _files(generate_to(tmp_path / "a", "S", 5)) == _files(generate_to(tmp_path / "b", "S", 5))
    assert _files(generate_to(tmp_path / "c", "S", 6)) != _files(tmp_path / "a")


def test_flevoland_sample_is_realistic():
    b, pack = load_bundle_with_pack(SAMPLE_DIR / "flevoland")
    products = Counter(t.product_code for t in b.toewijzingen.values())
    assert set(products) == pack.product_codes  # all eight products
    professions = Counter(m.profession for m in b.staff.values())
    for p in ("gz-psycholoog", "orthopedagoog-generalist", "orthopedagoog", "systeemtherapeut", "vaktherapeut",
              "jeugd- en gezinswerker", "sociaal werker", "sociaalpedagogisch medewerker", "psychiater"):
        assert professions[p] >= 1, p
    assert sum(map(is_regiebehandelaar, b.staff.values())) >= 5
    assert sum(map(is_gedragswetenschapper, b.staff.values())) >= 5
    assert {m for s in b.staff.values() for m in s.gemeenten} == {
        "Almere", "Lelystad", "Dronten", "Noordoostpolder", "Urk", "Zeewolde"}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_structure_fits_the_rules(name):
    """Per-gezin products once per gezin, groups <= 12, team trajectories with certified members."""
    b, pack = load_bundle_with_pack(SAMPLE_DIR / name)
    per_gezin = Counter((b.gezin_of(t), t.product_code) for t in b.toewijzingen.values()
                        if pack.product(t.product_code).per_gezin)
    assert max(per_gezin.values(), default=1) == 1
    assert max(Counter(e.group_id for e in b.enrolments).values()) <= 12
    for t in b.toewijzingen.values():
        if t.team_id:
            team = b.teams[t.team_id]
            assert team.intervention == t.intervention
            members = [m for m in b.staff.values() if team.id in m.teams]
            assert len(members) >= 3 and all(t.intervention in m.certifications for m in members)
        if t.current_executor_id:
            assert t.current_executor_id in b.staff
    for team in b.teams.values():
        if team.oncall_24_7:
            consenting = [m for m in b.staff.values() if team.id in m.teams and m.oncall_consent]
            assert len(consenting) >= 4  # CAO: at most 7 x 24 h per 28 days each


def test_almelo_sample_has_woongroep_mst_and_families_first():
    b = load_bundle(SAMPLE_DIR / "almelo")
    codes = Counter(t.product_code for t in b.toewijzingen.values())
    assert {"A-BGB", "A-BGI", "A-BHGB", "A-BHGI", "A-MST", "A-FF", "A-WG"} <= set(codes)
    woongroep = [g for g in b.groups.values() if g.product_code == "A-WG"]
    assert len(woongroep) == 1
    assert sum(e.active_on(b.manifest.period_start) for e in b.enrolments if e.group_id == woongroep[0].id) == 8


def test_unknown_pack_for_generator():
    with pytest.raises(ValueError):
        generate_bundle("S", 1, "working-time")
