"""Focused tests for on-call checks: rota limits across the period edge, night shifts, 24/7 coverage.

Times are naive local datetimes, so a DST change is not an issue here.
"""

from dataclasses import replace
from datetime import timedelta

from planner.checker import check_plan
from planner.domain import Absence
from planner.plan import OnCallBlock
from planner.rules import load_pack
from tests.builders import add_staff, at, staff
from tests.cases.oncall import coverage_case, cut_hole, day_block, rota_case
from tests.cases.working_time import shift

PACK = load_pack("flevoland-multi")
COVERAGE = next(r for r in PACK.rules_of("oncall_coverage") if "MDFT" in r.interventions)


def found(b, p, rule_id, pack=PACK):
    return [v for v in check_plan(b, pack, p).violations if v.rule_id == rule_id]


def solo_case(*days, hours=24, start_h=0):
    """Only M1 on call, on the given days of the period (negative: history)."""
    b, p = rota_case(PACK)
    p.oncall = [day_block(p, d, "M1", hours, start_h) for d in days if d >= 0]
    p.history_oncall = [day_block(p, d, "M1", hours, start_h) for d in days if d < 0]
    return b, p


# --- consent ------------------------------------------------------------------
def test_oncall_consent_needed_only_when_required():
    b, p = rota_case(PACK, oncall_consent_required=False, oncall_consent=False)
    assert found(b, p, "W.consignatie_instemming") == []
    b, p = rota_case(PACK, oncall_consent_required=True, oncall_consent=False)
    v = found(b, p, "W.consignatie_instemming")
    assert len(v) == 1 and "M4" in v[0].message and "zonder instemming" in v[0].message


# --- 28-day limits -------------------------------------------------------------
def test_oncall_max_per_28d_seven_days_is_fine_more_is_not():
    b, p = solo_case(0, 2, 4, 6, 8, 10, 12)
    p.weeks = 2
    assert found(b, p, "W.consignatie_max_28d") == []
    p.oncall.append(day_block(p, 13, "M1", hours=1))
    v = found(b, p, "W.consignatie_max_28d")
    assert len(v) == 1 and v[0].amount == 1


def test_oncall_max_per_28d_window_crosses_the_period_start():
    b, p = solo_case(-20, -16, -12, -8, -4, -2, 0, 3)  # six days of history, two in the period
    v = found(b, p, "W.consignatie_max_28d")
    assert len(v) == 1 and v[0].amount == 24 and "192 uur" in v[0].message
    b, p = solo_case(-40, -36, -32, -28, -26, -24, 0, 3)  # older history: a window holds at most 7 days
    assert found(b, p, "W.consignatie_max_28d") == []


def test_oncall_free_periods_counts_calendar_days_touched():
    # seven 24-hour blocks from 08:00 touch fourteen calendar days: exactly the fourteen free ones left
    b, p = solo_case(0, 2, 4, 6, 8, 10, 12, start_h=8)
    p.weeks = 4
    assert found(b, p, "W.consignatie_vrije_perioden") == []
    p.oncall.append(day_block(p, 20, "M1", hours=1, start_h=10))
    v = found(b, p, "W.consignatie_vrije_perioden")
    assert len(v) == 1 and "13 dagen zonder" in v[0].message and v[0].amount == 1


def test_oncall_free_periods_history_before_the_period_counts():
    b, p = solo_case(*range(-13, 0), 0, hours=2, start_h=20)  # 13 evenings of history and Monday
    assert found(b, p, "W.consignatie_vrije_perioden") == []
    p.oncall.append(day_block(p, 1, "M1", hours=2, start_h=20))  # Tuesday: 15 of 28 days touched
    assert len(found(b, p, "W.consignatie_vrije_perioden")) == 1


# --- night shifts ------------------------------------------------------------------
def test_oncall_night_shift_buffer_fourteen_hours_after():
    b, p = solo_case()
    shift(p, 1, 23, 31, staff_id="M1", kind="slaapnacht")  # Tuesday night until Wednesday 07:00
    p.oncall = [day_block(p, 2, "M1", hours=3, start_h=21)]  # from 21:00: exactly 14 h later
    assert found(b, p, "W.consignatie_nachtdienst") == []
    p.oncall = [day_block(p, 2, "M1", hours=3, start_h=20)]
    v = found(b, p, "W.consignatie_nachtdienst")
    assert len(v) == 1 and "na de nachtdienst" in v[0].message and v[0].amount == 1


def test_oncall_night_shift_buffer_eleven_hours_before():
    b, p = solo_case()
    shift(p, 2, 23, 31, staff_id="M1", kind="waaknacht")  # Wednesday 23:00
    p.oncall = [day_block(p, 2, "M1", hours=12)]  # until 12:00: exactly 11 h before
    assert found(b, p, "W.consignatie_nachtdienst") == []
    p.oncall = [day_block(p, 2, "M1", hours=13)]
    assert len(found(b, p, "W.consignatie_nachtdienst")) == 1
    p.shifts = [replace(p.shifts[0], kind="avond")]  # an evening shift is no night shift
    assert found(b, p, "W.consignatie_nachtdienst") == []


def test_oncall_night_shift_buffer_history_night_before_the_period():
    b, p = solo_case(0)  # on call from Monday 00:00
    s = shift(p, -1, 23, 31, staff_id="M1", kind="slaapnacht")  # Sunday night, before the period
    p.shifts.remove(s)
    p.history_shifts.append(s)
    v = found(b, p, "W.consignatie_nachtdienst")
    assert len(v) == 1 and v[0].amount == 14  # Monday 00:00-21:00 is within 14 h after 07:00


# --- coverage ------------------------------------------------------------------------
def test_oncall_coverage_clean_and_one_hole():
    b, p = coverage_case(COVERAGE, PACK)
    assert found(b, p, COVERAGE.id) == []
    team_id = b.toewijzingen["T1"].team_id
    wed = at(p.period_start + timedelta(days=2), 10)
    cut_hole(p, team_id, wed, wed + timedelta(hours=2))
    cut_hole(p, team_id, wed + timedelta(hours=5), wed + timedelta(hours=6))
    v = found(b, p, COVERAGE.id)
    assert len(v) == 2 and v[0].amount == 2 and "wo 09-12-2026 10:00 tot wo 09-12-2026 12:00" in v[0].message


def test_oncall_coverage_overlapping_blocks_merge_and_members_only():
    b, p = coverage_case(COVERAGE, PACK)
    team_id = b.toewijzingen["T1"].team_id
    wed = at(p.period_start + timedelta(days=2), 10)
    cut_hole(p, team_id, wed, wed + timedelta(hours=2))
    add_staff(b, staff("MX"), staff("MY", teams=(team_id,), certifications=()))
    p.oncall += [OnCallBlock(team_id, "MX", wed, wed + timedelta(hours=2)),  # not in the team
                 OnCallBlock(team_id, "MY", wed, wed + timedelta(hours=2))]  # not certified
    v = found(b, p, COVERAGE.id)
    # the hole is care left undone; the two unqualified blocks are wrong decisions of their own
    assert sorted((x.shortfall, x.category) for x in v) == [(False, "fout"), (False, "fout"), (True, "niet_geleverd")]
    assert any("MX" in x.message and "geen lid" in x.message for x in v)
    assert any("MY" in x.message and "niet gecertificeerd" in x.message for x in v)
    add_staff(b, staff("MZ", teams=(team_id,)))
    p.oncall = [o for o in p.oncall if o.staff_id not in ("MX", "MY")]
    p.oncall += [OnCallBlock(team_id, "MZ", wed - timedelta(hours=1), wed + timedelta(hours=1)),
                 OnCallBlock(team_id, "MZ", wed + timedelta(hours=1), wed + timedelta(hours=3))]
    assert found(b, p, COVERAGE.id) == []


def test_oncall_coverage_absent_member_does_not_count():
    b, p = coverage_case(COVERAGE, PACK)
    o = p.oncall[0]
    fri = at(p.period_start + timedelta(days=4), 0)
    b.absences.append(Absence(o.staff_id, fri, fri + timedelta(days=1)))
    v = found(b, p, COVERAGE.id)
    assert len(v) == 1 and v[0].amount == 24


def test_oncall_coverage_only_while_a_trajectory_runs():
    b, p = coverage_case(COVERAGE, PACK)
    t = b.toewijzingen["T1"]
    b.toewijzingen["T1"] = replace(t, end=p.period_start + timedelta(days=2))  # ends Wednesday
    thu = at(p.period_start + timedelta(days=3), 0)
    cut_hole(p, t.team_id, thu, thu + timedelta(days=4))
    assert found(b, p, COVERAGE.id) == []
    b.toewijzingen["T1"] = replace(t, intervention="FAST")  # FAST has no 24/7 duty in Flevoland
    assert found(b, p, COVERAGE.id) == []


def test_oncall_coverage_team_without_intervention_needs_no_certificate():
    b, p = coverage_case(COVERAGE, PACK)
    team_id = b.toewijzingen["T1"].team_id
    for sid in {o.staff_id for o in p.oncall}:
        b.staff[sid] = replace(b.staff[sid], certifications=frozenset())
    v = [x for x in found(b, p, COVERAGE.id) if x.shortfall]
    assert len(v) == 1 and v[0].amount == 7 * 24  # the whole week, reported once
    assert all(x.category == "fout" for x in found(b, p, COVERAGE.id) if not x.shortfall)  # the uncertified blocks
    b.teams[team_id] = replace(b.teams[team_id], intervention=None)
    assert found(b, p, COVERAGE.id) == []
