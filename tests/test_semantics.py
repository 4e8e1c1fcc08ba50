"""The rule semantics shared by checker and solver (planner/semantics), each tested against its seed line."""

from __future__ import annotations

import ast
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from planner.rules import load_pack
from planner.semantics.eligibility import holds_registration, regie_duty_applies, responsible_ok
from planner.semantics.occurrences import period_days, session_occurrences
from planner.semantics.rest import daily_rest_episodes, daily_rest_params
from planner.semantics.staffing import required_staff_for_ratio, staff_count_bounds
from planner.timeutil import add_months
from tests.builders import MONDAY, bundle, staff

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def _seed_line(cite: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    fname, line = cite.split(":")
    return (SEEDS / fname).read_text("utf-8").splitlines()[int(line) - 1]


def test_solver_imports_nothing_from_the_checker():
    """Data flows one way: the solver takes rule meanings from planner.semantics, never from the checker."""
    offenders = []
    for f in sorted((ROOT / "solver").rglob("*.py")):
        for node in ast.walk(ast.parse(f.read_text("utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            offenders += [f"{f.relative_to(ROOT)}: {n}" for n in names
                          if n == "planner.checker" or n.startswith("planner.checks")]
    assert not offenders, offenders


def test_ratio_one_in_four_of_twelve_is_three():
    """F:193 'Een maximum van 12 jeugdigen waarbij een richtlijn wordt gehanteerd van 1 op 4.'"""
    assert "1 op 4" in _seed_line("000_b4979bd38850de40.txt:193")
    assert required_staff_for_ratio(12, 4) == 3
    assert required_staff_for_ratio(9, 4) == 3  # a started group of four needs its own staff member
    assert required_staff_for_ratio(0, 4) == 0  # nobody enrolled: nobody needed


def test_three_behandelaars_per_group_bounds():
    """F:192 'We gaan uit van drie behandelaars per groep'; the pack's count rule reads as a minimum of 3."""
    assert "drie behandelaars per groep" in _seed_line("000_b4979bd38850de40.txt:192")
    pack = load_pack("flevoland-multi")
    counts = [r for r in pack.rules_of("group_staff_count") if r.citation.endswith(":192")]
    assert counts and staff_count_bounds(counts[0])[0] == 3


def test_regie_duty_only_when_the_regiebehandelaar_is_responsible():
    """A:2153 'Wanneer de regiebehandelaar verantwoordelijk is dan is er altijd 1 op 1 contact'."""
    assert "Wanneer de regiebehandelaar verantwoordelijk is" in _seed_line("004_20dab77298b97978.txt:2153")
    rule = next(r for r in load_pack("almelo-2025").rules_of("regie_one_on_one") if r.citation.endswith(":2153"))
    assert regie_duty_applies(rule, staff("R", profession="gz-psycholoog", registrations=("BIG",)))
    assert not regie_duty_applies(rule, staff("P", education="hbo", profession="pedagoog", registrations=("SKJ",)))
    assert not regie_duty_applies(rule, None)


def test_registration_only_as_the_rule_names_it():
    """F:192 'Mbo 4 ... altijd onder regie van een SKJ-geregistreerde professional': SKJ means SKJ."""
    assert "SKJ-geregistreerde professional" in _seed_line("000_b4979bd38850de40.txt:192")
    vaktherapeut = staff("V", education="hbo", profession="vaktherapeut", registrations=("RVT",))
    assert holds_registration(vaktherapeut, ["RVT"])
    assert not holds_registration(vaktherapeut, ["SKJ"])
    assert holds_registration(staff("S", registrations=("SKJ",)), ["SKJ", "BIG"])


def test_responsible_with_professions_needs_the_profession_and_its_register():
    rule = next(r for p in ("almelo-2025", "flevoland-multi") for r in load_pack(p).rules_of("responsible_role")
                if r.params.get("professions"))
    prof = rule.params["professions"][0]
    assert responsible_ok(staff("R", profession=prof, registrations=("BIG", "SKJ")), rule, None)
    assert not responsible_ok(staff("X", profession="kok", registrations=("BIG", "SKJ")), rule, None)


def test_trajectory_months_clamp_to_month_end():
    """F:39 'Duur van een traject is maximaal 12 maanden': 12 months from 31 January 2026 is 31 January 2027."""
    assert "maximaal 12 maanden" in _seed_line("000_b4979bd38850de40.txt:39")
    assert add_months(date(2026, 1, 31), 12) == date(2027, 1, 31)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_occurrences_fall_on_the_sessions_weekday_only():
    from planner.domain import Groep, GroupSession
    from datetime import time

    b = bundle()
    b.groups["G"] = Groep("G", "45F32", "Groep")
    b.sessions["S"] = GroupSession("S", "G", 1, time(9), time(12))  # Tuesday
    occ = session_occurrences(b, period_days(MONDAY, 2))
    assert [o.date for o in occ] == [MONDAY + timedelta(days=1), MONDAY + timedelta(days=8)]


def test_daily_rest_one_shortening_per_seven_days():
    """Arbeidstijdenwet 5:3: 11 h rest per 24 h, once per 7 x 24 h shortened to 8 h."""
    rule = next(r for r in load_pack("working-time").rules_of("daily_rest"))
    rest, reduced, per = daily_rest_params(rule)
    d = datetime.combine(MONDAY, datetime.min.time())

    def h(a: int, b: int):
        return (d + timedelta(hours=a), d + timedelta(hours=b))

    once = [h(14, 23), h(31, 39)]  # Monday 14-23, Tuesday 07-15: 8 h rest, the one shortening allowed
    assert [why for _, why in daily_rest_episodes(once, rest, reduced, per)] == [None]
    twice = once + [h(62, 71), h(79, 87)]  # the same on Wednesday/Thursday: a second shortening in 7 days
    assert [why is None for _, why in daily_rest_episodes(twice, rest, reduced, per)] == [True, False]
    too_short = [h(14, 23), h(30, 38)]  # 7 h: shorter than even the reduced rest
    assert [why is None for _, why in daily_rest_episodes(too_short, rest, reduced, per)] == [False]
