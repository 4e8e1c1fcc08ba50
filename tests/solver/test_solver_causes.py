"""Issue 19: never a broken or silently incomplete plan, and explanations that lead with the cause.

Every test plants one cause in a small bundle; the plan is written (the checker finds no wrong decision),
what is left undone is care the checker reports, and the first five lines of the explanation name the
rule id and the place.
"""

from __future__ import annotations

from datetime import time, timedelta

from planner.checker import check_plan
from planner.domain import Absence, TimeWindow
from planner.rules import load_pack
from tests.builders import (
    MONDAY,
    add_group,
    add_staff,
    add_team,
    add_toewijzing,
    at,
    bundle,
    staff,
)
from tests.solver.helpers import solve_and_check

ALMELO = load_pack("almelo-2025")
FLEVO = load_pack("flevoland-multi")


def head(result, n: int = 5) -> str:
    return "\n".join(result.explanation[:n])


def assert_leads(result, *fragments: str) -> None:
    text = head(result)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in the first five lines:\n{text}"


def days(*weekdays: int, start=time(8, 30), end=time(17, 30)) -> tuple[TimeWindow, ...]:
    return tuple(TimeWindow(d, start, end) for d in weekdays)


def ff_bundle(availability, n_staff: int = 2, n_cases: int = 1):
    b = bundle("almelo-2025")
    add_team(b, "FF", intervention="Families First")
    add_staff(b, *[staff(f"F{i}", education="hbo", profession="jeugd- en gezinswerker", registrations=("SKJ",),
                         teams=("FF",), availability=availability) for i in range(n_staff)])
    for i in range(n_cases):
        add_toewijzing(b, f"TFF{i}", "A-FF", hours_per_week=10, intervention="Families First", team_id="FF")
    return b


def test_families_first_team_three_days_is_unmet_care_led_by_the_frequency_rule():
    b = ff_bundle(days(0, 1, 2))
    result, report = solve_and_check(b, ALMELO)
    assert result.plan is not None and report.status == "onvolledig"
    assert any(v.rule_id == "A.FF.frequentie" for v in report.unmet_care)
    assert_leads(result, "A.FF.frequentie", "TFF0", "3 dag(en)")
    assert result.explanation[0].startswith("A.FF.frequentie")


def test_contact_frequency_stage_one_reserves_the_days_stage_two_needs():
    """The almelo root cause: four working days, two Families First gezinnen at four visits a week each and a
    group session in the middle of one of those days.  Stage 1 keeps the session away from the person
    whose days are full, so stage 2 places every visit."""
    b = ff_bundle(days(0, 2, 3, 4), n_staff=2, n_cases=2)
    add_group(b, "BG", "A-BGB", 4, weekday=2, start=time(13, 30), end=time(15, 30))
    result, report = solve_and_check(b, ALMELO)
    assert [v.message for v in report.violations if v.kind == "contact_frequency"] == []


def test_oncall_coverage_impossible_day_keeps_the_plan_and_names_team_and_day():
    b = ff_bundle(days(0, 1, 2, 3, 4, 5, 6), n_staff=2)
    wed = MONDAY + timedelta(days=2)
    b.absences += [Absence(s, at(wed, 0), at(wed + timedelta(days=1), 0)) for s in ("F0", "F1")]
    result, report = solve_and_check(b, ALMELO)
    assert result.plan is not None, result.explanation
    assert result.plan.caseload and report.status == "onvolledig"
    assert_leads(result, "A.FF.bereikbaar", "Team FF", wed.isoformat(), "F0 (W.afwezigheid)")
    assert result.explanation[0].startswith("A.FF.bereikbaar")


def test_residential_woongroep_without_mbo4_lists_each_uncovered_night():
    """One hbo can work at most 5 nights in a row; the mbo3 may not work a night (A.WG.nacht asks mbo4)."""
    b = bundle("almelo-2025")
    add_team(b, "T-WG", oncall=False)
    s = add_group(b, "WG", "A-WG", 6)
    del b.sessions[s.id]
    b.groups["WG"] = b.groups["WG"].__class__("WG", "Woongroep", "A-WG", "", "T-WG")
    spw = dict(profession="sociaalpedagogisch medewerker", registrations=(), contract_hours=36, teams=("T-WG",))
    # the hbo holds SKJ: every hbo professional on a shift is BIG or SKJ registered (A.hbo_registratie.dienst)
    add_staff(b, staff("H0", education="hbo", **{**spw, "registrations": ("SKJ",)}),
              *[staff(f"W{i}", education="mbo3", **spw) for i in range(6)])
    result, report = solve_and_check(b, ALMELO)
    assert result.plan is not None and result.plan.shifts
    assert report.status == "onvolledig"
    assert_leads(result, "A.WG.nacht", "verblijfsgroep WG", "nacht 23-07", "W0 (mbo3; A.WG.nacht: minstens mbo4)", "H0 (")
    nights = [line for line in result.explanation if line.startswith("A.WG.nacht")]
    covered = sum(1 for x in result.plan.shifts if x.kind == "slaapnacht")
    assert len(nights) == 7 - covered >= 2


def test_held_session_staffed_unstaffable_session_is_cancelled_with_its_rule_first():
    b = bundle()
    add_group(b, "WEERBAAR", "45F32", 11)
    hbo = dict(education="hbo", profession="jeugd- en gezinswerker", registrations=("SKJ",))
    add_staff(b, *[staff(f"H{i}", **hbo) for i in range(3)])
    pack = FLEVO.with_overrides({"F.45F32.wo_aanwezig": {"severity": "hard"}})
    result, report = solve_and_check(b, pack)
    assert all(s.cancelled and not s.staff_ids for s in result.plan.sessions)
    assert_leads(result, "F.45F32.wo_aanwezig", "groepssessie WEERBAAR", "11 jeugdigen", "afgelast")


def test_held_session_staffed_nobody_available_is_never_held_empty():
    b = bundle()
    add_group(b, "AVOND", "45F32", 6, weekday=1, start=time(19, 0), end=time(21, 0))
    add_staff(b, *[staff(f"W{i}", availability=days(0, 1, 2, 3, 4, start=time(8), end=time(17))) for i in range(2)])
    result, report = solve_and_check(b, FLEVO)
    held = [s for s in result.plan.sessions if not s.cancelled]
    assert all(s.staff_ids for s in held)
    assert result.plan.sessions[0].cancelled
    assert_leads(result, "groepssessie AVOND", "W.beschikbaarheid")


def test_soft_shortfalls_name_the_session_and_the_person():
    b = bundle()
    add_group(b, "WEERBAAR", "45F32", 6)
    hbo = dict(education="hbo", profession="jeugd- en gezinswerker", registrations=("SKJ",))
    add_staff(b, *[staff(f"H{i}", **hbo) for i in range(3)], staff("P", contract_hours=4, availability=days(0, 2, 3, 4)))
    add_toewijzing(b, "T1", "45F31", hours_per_week=12)
    result, report = solve_and_check(b, FLEVO)
    soft = [line for line in result.explanation if "zachte regel" in line]
    assert any(line.startswith("F.45F32.wo_aanwezig — groepssessie WEERBAAR") for line in soft), soft
    assert any(line.startswith("W.contracturen — medewerker P") for line in soft), soft
    assert_leads(result, "F.45F32.wo_aanwezig", "WEERBAAR")


def test_explanation_orders_shortfalls_before_cancellations_and_dedupes():
    b = ff_bundle(days(0, 1, 2))
    add_group(b, "BG", "A-BGB", 4, weekday=3, start=time(19), end=time(21))
    result, _ = solve_and_check(b, ALMELO)
    lines = result.explanation
    assert len(lines) == len(set(lines))
    first_cancel = next(i for i, line in enumerate(lines) if "afgelast" in line)
    first_short = next(i for i, line in enumerate(lines) if line.startswith("A.FF.frequentie"))
    assert first_short < first_cancel


def test_contacts_never_exceed_demand_beyond_rounding():
    b = bundle()
    add_staff(b, staff("A"))
    for i, hours in enumerate((1.5, 1.7, 2.2, 5)):
        add_toewijzing(b, f"T{i}", "45F31", hours_per_week=hours)
    result, report = solve_and_check(b, FLEVO)
    placed = {}
    for c in result.plan.contacts:
        placed[c.toewijzing_id] = placed.get(c.toewijzing_id, 0) + int((c.end - c.start).total_seconds() // 60)
    for i, hours in enumerate((1.5, 1.7, 2.2, 5)):
        count = sum(1 for c in result.plan.contacts if c.toewijzing_id == f"T{i}")
        assert round(hours * 60) <= placed[f"T{i}"] <= round(hours * 60) + count - 1, (i, placed)
    assert check_plan(b, FLEVO, result.plan).unmet == []


def test_start_within_stage_one_keeps_the_start_day_free_for_the_first_contact():
    """Families First starts on a Thursday: the first visit is due within 24 hours (A.FF.start, A:3641).  The
    only FF worker has Thursday morning free, and the previous plan had her on a group session that morning.
    Stage 1 gives the session to a colleague (one continuity change) so stage 2 can visit on Thursday."""
    from planner.plan import Plan, SessionStaffing

    thursday = MONDAY + timedelta(days=3)
    b = ff_bundle(days(3, end=time(12, 0)) + days(4), n_staff=1, n_cases=0)
    add_toewijzing(b, "TFF0", "A-FF", hours_per_week=6, intervention="Families First", team_id="FF",
                   start=thursday, end=thursday + timedelta(days=40))
    add_staff(b, staff("G", education="hbo", profession="jeugd- en gezinswerker", registrations=("SKJ",),
                       certifications=(), availability=days(0, 1, 2, 3, 4)))
    session = add_group(b, "BG", "A-BGB", 4, weekday=3, start=time(9, 0), end=time(11, 30))
    previous = Plan(MONDAY, 1, sessions=[SessionStaffing(session.id, thursday, ("F0",))])
    result, report = solve_and_check(b, ALMELO, previous=previous)
    assert [v.message for v in report.violations if v.kind == "start_within"] == []
    assert [s.staff_ids for s in result.plan.sessions if s.session_id == session.id] == [("G",)]
