"""Focused tests for working-time checks on one staff member's hand-built week.

Times are naive local datetimes: a DST change is not an issue (a night is as
long as its wall-clock times say).
"""

from datetime import time, timedelta

from planner.checker import check_plan
from planner.domain import Absence, TimeWindow
from planner.plan import Contact
from planner.rules import load_pack
from tests.builders import at
from tests.cases.oncall import day_block
from tests.cases.working_time import (BASE_DAYS, BASE_END, BASE_START, WORKER, base_week, case_travel_buffer, shift,
                                      work_case)

PACK = load_pack("flevoland-multi")


def found(b, p, rule_id, pack=PACK):
    return [v for v in check_plan(b, pack, p).violations if v.rule_id == rule_id]


def week(hours_per_day, days=range(5), start=9, **kw):
    b, p = work_case(PACK, **kw)
    for d in days:
        shift(p, d, start, start + hours_per_day)
    return b, p


# --- availability -------------------------------------------------------------
OFFICE = tuple(TimeWindow(d, time(8, 0), time(18, 0)) for d in range(5))


def test_availability_inside_the_window_is_fine_outside_is_not():
    b, p = week(10, start=8, availability=OFFICE)  # 08:00-18:00 exactly
    assert found(b, p, "W.beschikbaarheid") == []
    shift(p, 5, 10, 12)  # Saturday: no window
    v = found(b, p, "W.beschikbaarheid")
    assert len(v) == 1 and "buiten de beschikbaarheid" in v[0].message and v[0].amount == 2


def test_availability_night_shift_over_midnight_fits_touching_windows():
    b, p = work_case(PACK)  # builders' default: every day 00:00-23:59
    shift(p, 1, 23, 31, kind="slaapnacht")
    assert found(b, p, "W.beschikbaarheid") == []


def test_availability_window_over_midnight_and_empty_pattern():
    nights = (TimeWindow(1, time(22, 0), time(7, 0)),)  # Tuesday 22:00 to Wednesday 07:00
    b, p = work_case(PACK, availability=nights)
    shift(p, 1, 23, 31, kind="waaknacht")
    assert found(b, p, "W.beschikbaarheid") == []
    shift(p, 2, 7, 8)  # Wednesday 07:00-08:00: after the window
    assert len(found(b, p, "W.beschikbaarheid")) == 1
    b, p = work_case(PACK, availability=())  # no rows in beschikbaarheid.csv: no availability (data-format.md)
    shift(p, 6, 3, 5)
    assert len(found(b, p, "W.beschikbaarheid")) == 1


# --- absence ------------------------------------------------------------------
def test_absence_blocks_work_and_oncall_but_not_the_minute_after():
    b, p = base_week(PACK)
    wed = p.period_start + timedelta(days=2)
    b.absences.append(Absence(WORKER, at(wed, 0), at(wed, 9)))  # ends as Wednesday's shift starts
    assert found(b, p, "W.afwezigheid") == []
    p.oncall.append(day_block(p, 2, WORKER, hours=2, start_h=6))  # on call 06:00-08:00 while absent
    v = found(b, p, "W.afwezigheid")
    assert len(v) == 1 and "bereikbaarheidsdienst" in v[0].message


# --- double booking -----------------------------------------------------------
def test_double_booking_touching_is_fine_overlap_is_not():
    b, p = base_week(PACK)
    shift(p, 0, 16, 17)  # starts when Monday's shift ends
    assert found(b, p, "W.dubbele_boeking") == []
    shift(p, 0, 15.5, 16.5)
    v = found(b, p, "W.dubbele_boeking")
    assert len(v) == 2 and all("dubbel geboekt" in x.message for x in v)  # overlaps both neighbours


# --- length of shifts and weeks ---------------------------------------------------
def test_max_shift_hours_twelve_is_fine_twelve_and_a_quarter_is_not():
    b, p = work_case(PACK)
    shift(p, 0, 8, 20)
    assert found(b, p, "W.max_dienst") == []
    b, p = work_case(PACK)
    shift(p, 0, 8, 20.25)
    v = found(b, p, "W.max_dienst")
    assert len(v) == 1 and v[0].amount == 0.25


def test_max_shift_hours_short_breaks_join_a_dienst():
    b, p = work_case(PACK)
    shift(p, 0, 7, 13)
    shift(p, 0, 13 + 20 / 60, 19.5)  # a 20-minute break does not end the dienst: 12.5 h
    assert len(found(b, p, "W.max_dienst")) == 1
    b, p = work_case(PACK)
    shift(p, 0, 7, 13)
    shift(p, 0, 13.5, 19.75)  # a 30-minute break does
    assert found(b, p, "W.max_dienst") == []


def test_max_week_hours_sixty_is_fine_sixty_one_is_not():
    b, p = week(10, days=range(6), start=8, contract_hours=60)
    assert found(b, p, "W.max_week") == []
    shift(p, 6, 8, 9)
    v = found(b, p, "W.max_week")
    assert len(v) == 1 and v[0].amount == 1 and "61.00 uur" in v[0].message


def test_max_week_hours_split_at_monday_and_double_booking_counts_once():
    b, p = work_case(PACK)
    for d in range(5):
        shift(p, d, 8, 19)  # 55 h
    shift(p, 6, 20, 28)  # Sunday 20:00 to Monday 04:00: 4 h in this week, 4 in the next
    assert found(b, p, "W.max_week") == []
    shift(p, 0, 8, 19)  # the same Monday shift twice: still 59 h worked
    assert found(b, p, "W.max_week") == []
    shift(p, 5, 8, 10)
    assert len(found(b, p, "W.max_week")) == 1


def test_contract_hours_soft_penalty_per_hour_and_tolerance_override():
    b, p = week(7.4)  # 37 h on a 36-hour contract
    v = found(b, p, "W.contracturen")
    assert len(v) == 1 and v[0].severity == "soft" and round(v[0].amount, 2) == 1.0 and v[0].penalty == 10
    tolerant = PACK.with_overrides({"W.contracturen": {"params": {"tolerance_pct": 5}}})
    assert found(b, p, "W.contracturen", tolerant) == []
    b, p = week(7.2)  # 36 h exactly
    assert found(b, p, "W.contracturen") == []


# --- rest -----------------------------------------------------------------------
def test_daily_rest_eleven_hours_is_fine():
    b, p = work_case(PACK)
    shift(p, 0, 11, 22)
    shift(p, 1, 9, 17)  # 22:00 to 09:00: exactly 11 h
    assert found(b, p, "W.dagelijkse_rust") == []


def test_daily_rest_shortened_once_per_week_to_eight_hours():
    b, p = work_case(PACK)
    shift(p, 0, 14, 23)
    shift(p, 1, 7, 12)  # 8 h rest: the one allowed shortening
    assert found(b, p, "W.dagelijkse_rust") == []
    shift(p, 3, 14, 23)
    shift(p, 4, 7, 12)  # a second shortening three days later
    v = found(b, p, "W.dagelijkse_rust")
    assert len(v) == 1 and "tweede ingekorte rust" in v[0].message
    b, p = work_case(PACK)
    shift(p, 0, 14, 23)
    shift(p, 1, 6, 12)  # 7 h: too short even once
    v = found(b, p, "W.dagelijkse_rust")
    assert len(v) == 1 and "minder dan 8 uur" in v[0].message


def test_daily_rest_short_pieces_without_a_long_rest():
    b, p = work_case(PACK)
    for h in range(0, 48, 6):  # two hours every six hours, two days long: never 11 h free
        shift(p, 0, h, h + 2)
    assert found(b, p, "W.dagelijkse_rust")


def test_weekly_rest_calendar_week_and_sliding_interpretation():
    b, p = base_week(PACK)
    assert found(b, p, "W.wekelijkse_rust") == []
    b, p = week(5, days=range(7))  # 09:00-14:00 every day: longest rest 19 h
    v = found(b, p, "W.wekelijkse_rust")
    assert len(v) == 1 and "19.00 uur" in v[0].message
    sliding = PACK.with_overrides({"W.wekelijkse_rust": {"interpretations": {"venster": "glijdend"}}})
    assert found(b, p, "W.wekelijkse_rust", sliding)
    b, p = base_week(PACK)
    assert found(b, p, "W.wekelijkse_rust", sliding) == []


def test_weekly_rest_clipped_at_the_calendar_week():
    b, p = week(10, days=range(6), start=8, contract_hours=60)  # Saturday until 18:00
    v = found(b, p, "W.wekelijkse_rust")
    assert len(v) == 1 and "30.00 uur" in v[0].message  # Saturday 18:00 to Monday 00:00
    b, p = week(10, days=range(5), start=8, contract_hours=60)
    shift(p, 5, 8, 12)  # Saturday until 12:00: exactly 36 h
    assert found(b, p, "W.wekelijkse_rust") == []


# --- history: windows that cross the period start -------------------------------------
# The previous period's shifts (plan.history_shifts) count for the rules whose window crosses the period
# start; a violation is reported once when it involves the plan's own work, never when it lies wholly in
# the history (the previous plan reported it).
def history(*shifts, days=(), start=9, end=14, **kw):
    """A plan with the given history shifts ``(day, start_h, end_h)`` (days < 0) and own shifts on ``days``."""
    b, p = work_case(PACK, **kw)
    for d, s, e in shifts:
        shift(p, d, s, e, history=True)
    for d in days:
        shift(p, d, start, end)
    return b, p


def only_with_history(b, p, rule_id):
    """The rule's violations; the same plan without its history must have none."""
    saved, p.history_shifts = p.history_shifts, []
    assert found(b, p, rule_id) == []
    p.history_shifts = saved
    return found(b, p, rule_id)


def test_daily_rest_history_evening_then_early_first_shift():
    b, p = history((-1, 15, 23), days=[0], start=6, end=12)  # Sunday until 23:00, Monday from 06:00: 7 h
    v = only_with_history(b, p, "W.dagelijkse_rust")
    assert len(v) == 1 and "minder dan 8 uur" in v[0].message
    b, p = history((-4, 14, 23), (-3, 7, 12))  # Thursday's shortening in the history ...
    shift(p, 0, 14, 23)
    shift(p, 1, 7, 12)  # ... and a second one on Monday, four days later
    v = only_with_history(b, p, "W.dagelijkse_rust")
    assert len(v) == 1 and "tweede ingekorte rust" in v[0].message


def test_daily_rest_violation_inside_the_history_is_not_reported_again():
    b, p = history((-3, 14, 23), (-2, 6, 12), days=BASE_DAYS, start=BASE_START, end=BASE_END)  # 7 h on Saturday
    assert found(b, p, "W.dagelijkse_rust") == []


def test_weekly_rest_history_night_shortens_the_first_week():
    b, p = history((-1, 23, 31), days=range(2, 7))  # night into Monday 07:00; free until Tuesday 12:00
    shift(p, 1, 12, 17)
    v = only_with_history(b, p, "W.wekelijkse_rust")  # 29 h instead of Monday 00:00 to Tuesday 12:00
    assert len(v) == 1 and "29.00 uur" in v[0].message


def test_weekly_rest_first_calendar_week_begun_in_the_history():
    b, p = work_case(PACK)
    p.period_start += timedelta(days=3)  # the period starts on Thursday
    for d in range(-3, 4):  # Monday to Sunday 09:00-14:00: three days of history, four of the plan
        shift(p, d, 9, 14, history=d < 0)
    v = only_with_history(b, p, "W.wekelijkse_rust")
    assert len(v) == 1 and "19.00 uur" in v[0].message


def test_weekly_rest_sliding_window_from_the_history():
    sliding = PACK.with_overrides({"W.wekelijkse_rust": {"interpretations": {"venster": "glijdend"}}})
    b, p = history(*[(d, 9, 14) for d in range(-6, 0)], days=BASE_DAYS, start=BASE_START, end=BASE_END)
    assert found(b, p, "W.wekelijkse_rust") == []  # the calendar week of the period has its weekend
    v = found(b, p, "W.wekelijkse_rust", sliding)
    assert len(v) == 1 and "19.00 uur" in v[0].message
    p.history_shifts = []
    assert found(b, p, "W.wekelijkse_rust", sliding) == []


def test_weekly_rest_violation_inside_the_history_is_not_reported_again():
    sliding = PACK.with_overrides({"W.wekelijkse_rust": {"interpretations": {"venster": "glijdend"}}})
    b, p = history(*[(d, 9, 14) for d in range(-14, -7)], days=BASE_DAYS, start=BASE_START, end=BASE_END)
    assert found(b, p, "W.wekelijkse_rust") == [] and found(b, p, "W.wekelijkse_rust", sliding) == []


def test_max_week_hours_and_contract_hours_count_a_history_night_in_the_first_week():
    b, p = history((-1, 23, 31), days=range(5), start=8, end=19, contract_hours=60)  # 7 h + 55 h
    v = only_with_history(b, p, "W.max_week")
    assert len(v) == 1 and "62.00 uur" in v[0].message and v[0].amount == 2
    b, p = history((-1, 23, 31), days=BASE_DAYS, start=BASE_START, end=BASE_END)  # 7 h + 35 h, contract 36
    v = only_with_history(b, p, "W.contracturen")
    assert len(v) == 1 and v[0].amount == 6 and v[0].penalty == 60
    b, p = history(*[(d, 8, 19) for d in range(-7, -1)], days=BASE_DAYS, start=BASE_START, end=BASE_END)
    assert found(b, p, "W.max_week") == []  # 66 h, but all in the previous period's week


def test_max_shift_hours_dienst_begun_in_a_history_night():
    b, p = history((-1, 23, 31), days=[0], start=7, end=12)  # 23:00 to 12:00 without a break: 13 h
    v = only_with_history(b, p, "W.max_dienst")
    assert len(v) == 1 and v[0].amount == 1
    b, p = history((-3, 8, 21), days=BASE_DAYS, start=BASE_START, end=BASE_END)
    assert found(b, p, "W.max_dienst") == []


def test_double_booking_history_night_overlaps_the_first_shift():
    b, p = history((-1, 23, 31), days=[0], start=6, end=14)
    v = only_with_history(b, p, "W.dubbele_boeking")
    assert len(v) == 1 and "vorige periode" in v[0].message and v[0].amount == 1
    b, p = history((-3, 8, 16), (-3, 12, 20), days=BASE_DAYS, start=BASE_START, end=BASE_END)
    assert found(b, p, "W.dubbele_boeking") == []


# --- travel -----------------------------------------------------------------------
def test_travel_buffer_thirty_minutes_between_home_visits():
    rule = PACK.rule("W.reistijd")
    (cb, cp), (bb, bp) = case_travel_buffer(rule, PACK)
    assert found(cb, cp, "W.reistijd") == []
    v = found(bb, bp, "W.reistijd")
    assert len(v) == 1 and v[0].amount == 15 and v[0].penalty == 15
    first = min(cp.contacts, key=lambda c: c.start)
    cp.contacts.append(Contact(first.toewijzing_id, first.staff_id, first.end + timedelta(minutes=30),
                               first.end + timedelta(minutes=90)))
    assert found(cb, cp, "W.reistijd") == []
    cp.contacts.append(Contact(first.toewijzing_id, first.staff_id, first.end + timedelta(minutes=100),
                               first.end + timedelta(minutes=150), kind="regie", one_on_one=True))
    assert found(cb, cp, "W.reistijd") == []  # a one-on-one regie contact is no home visit
