"""Every rule in every pack: a checker, a true citation, and a plan that breaks it once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planner.checker import check_plan
from planner.checks import CHECKS
from planner.rules import available_packs, load_pack
from tests.builders import period_starting
from tests.cases import CASES
from tests.cases.common import case_monday

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
ALL_RULES = [(name, rule) for name in available_packs() for rule in load_pack(name).rules]
IDS = [f"{name}:{rule.id}" for name, rule in ALL_RULES]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip().lower()


def test_packs_are_there():
    assert {"flevoland-multi", "almelo-2025"} <= set(available_packs())


@pytest.mark.parametrize(("pack_name", "rule"), ALL_RULES, ids=IDS)
def test_rule_has_checker(pack_name, rule):
    assert rule.kind in CHECKS, f"check_{rule.kind} ontbreekt in planner/checks"


def _solver_adders() -> set[str]:
    from solver.constraints import ADDERS
    from solver.contacts.stage import CONTACT_ADDERS
    from solver.residential import RESIDENTIAL_ADDERS

    return set(ADDERS) | set(CONTACT_ADDERS) | set(RESIDENTIAL_ADDERS)


@pytest.mark.parametrize(("pack_name", "rule"), ALL_RULES, ids=IDS)
def test_rule_has_solver_model(pack_name, rule):
    assert rule.kind in _solver_adders(), f"add_{rule.kind} ontbreekt in solver/"


@pytest.mark.parametrize(("pack_name", "rule"), ALL_RULES, ids=IDS)
def test_rule_citation_points_at_text(pack_name, rule):
    lines = rule.seed_lines
    if lines is None:
        assert rule.citation.startswith("extern:")
        return
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}; citation line check skipped")
    fname, first, last = lines
    text = (SEEDS / fname).read_text("utf-8").splitlines()
    assert 1 <= first <= last <= len(text), f"{rule.citation}: line outside the file ({len(text)} lines)"
    cited = _norm(" ".join(text[first - 1:last]))
    assert _norm(rule.quote) in cited, f"{rule.id}: quote {rule.quote!r} not in {rule.citation}"


@pytest.mark.parametrize(("pack_name", "rule"), ALL_RULES, ids=IDS)
def test_rule_broken_once(pack_name, rule):
    pack = load_pack(pack_name)
    assert rule.kind in CASES, f"case_{rule.kind} ontbreekt in tests/cases"
    with period_starting(case_monday(rule)):  # a rule with validity dates is broken inside them
        (cb, cp), (bb, bp) = CASES[rule.kind](rule, pack)
    clean = check_plan(cb, pack, cp)
    assert clean.violations == [], [v.message for v in clean.violations]
    broken = check_plan(bb, pack, bp)
    mine = [v for v in broken.violations if v.rule_id == rule.id]
    assert len(mine) == 1, [v.message for v in broken.violations]


def test_every_kind_has_focused_tests():
    names = set()
    for f in Path(__file__).parent.rglob("test_*.py"):
        names |= set(re.findall(r"^def (test_\w+)", f.read_text("utf-8"), re.M))
    kinds = {rule.kind for _, rule in ALL_RULES}
    missing = sorted(k for k in kinds if not any(n.startswith(f"test_{k}_") for n in names))
    assert not missing, f"no test_<kind>_* for: {missing}"
