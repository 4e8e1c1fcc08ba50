"""Dutch feestdagen (issue 20): no ambulant contact or group session on a feestdag unless the manifest allows
it; residential care, on-call and crisis care go on; the capacity model counts them as lower supply."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from planner.bundle_csv import Issue
from planner.bundle_manifest import read_holidays
from planner.checker import check_plan
from planner.domain import HolidaySettings
from planner.plan import Contact, SessionStaffing
from planner.rules import load_pack
from planner.semantics.holidays import closed_day, feestdag
from planner.semantics.occurrences import period_days, session_occurrences
from solver.capacity.supply import supply_minutes
from tests.builders import add_group, add_staff, add_toewijzing, at, bundle, plan_for, staff
from tests.cases.calendar import quiet_contact_product
from tests.cases.common import EXECUTOR, clean_toewijzing_case
from tests.builders import period_starting
from tests.solver.helpers import solve_and_check

XMAS_WEEK = date(2026, 12, 21)  # Friday 25 and Saturday 26 December are feestdagen
ALMELO, FLEVO = load_pack("almelo-2025"), load_pack("flevoland-multi")


def _ids(report, rule_id="W.feestdag"):
    return [v for v in report.violations if v.rule_id == rule_id]


def test_no_contact_on_holiday_days_come_from_the_holidays_package():
    h = HolidaySettings()
    assert feestdag(h, date(2026, 12, 25)) == "Eerste kerstdag"
    assert feestdag(h, date(2027, 5, 6)) == "Hemelvaartsdag"
    assert feestdag(h, date(2026, 4, 3)) is None  # Goede vrijdag: not a day off by default
    assert feestdag(HolidaySettings(skip=()), date(2026, 4, 3)) == "Goede vrijdag"
    assert feestdag(h, date(2026, 12, 24)) is None


def test_no_contact_on_holiday_contact_on_christmas_is_a_wrong_decision():
    with period_starting(XMAS_WEEK):
        b, p = clean_toewijzing_case(ALMELO, quiet_contact_product(ALMELO))
    p.contacts.append(Contact("T1", EXECUTOR, at(date(2026, 12, 25), 10), at(date(2026, 12, 25), 11)))
    found = _ids(check_plan(b, ALMELO, p))
    assert len(found) == 1 and "Eerste kerstdag" in found[0].message and found[0].category == "fout"
    b.manifest = replace(b.manifest, holidays=HolidaySettings(contacts_allowed=True))
    assert _ids(check_plan(b, ALMELO, p)) == []


def test_no_contact_on_holiday_crisis_care_goes_on():
    with period_starting(XMAS_WEEK):
        b, p = clean_toewijzing_case(ALMELO, "A-FF", "Families First")
    p.contacts.append(Contact("T1", EXECUTOR, at(date(2026, 12, 26), 18), at(date(2026, 12, 26), 19)))
    assert _ids(check_plan(b, ALMELO, p)) == []


def test_no_contact_on_holiday_group_sessions_do_not_occur():
    b = bundle("flevoland-multi", start=XMAS_WEEK)
    add_group(b, "G1", next(p.code for p in FLEVO.products if p.setting == "groep"), 3, weekday=4)  # Friday
    assert session_occurrences(b, period_days(XMAS_WEEK, 1)) == []
    allowed = replace(b.manifest, holidays=HolidaySettings(contacts_allowed=True))
    b.manifest = allowed
    assert len(session_occurrences(b, period_days(XMAS_WEEK, 1))) == 1
    b.manifest = replace(allowed, holidays=HolidaySettings())
    add_staff(b, staff("S1"))
    p = plan_for(b)
    p.sessions.append(SessionStaffing("G1-S1", date(2026, 12, 25), ("S1",)))
    assert len(_ids(check_plan(b, FLEVO, p))) == 1


def test_no_contact_on_holiday_manifest_settings():
    issues: list[Issue] = []
    bad = lambda f, r: issues.append(Issue("manifest.yaml", 0, f, r))  # noqa: E731
    h = read_holidays({"niet": [], "extra": ["2026-12-24"], "contacten": "nee"}, bad)
    assert h == HolidaySettings(skip=(), extra=(date(2026, 12, 24),), contacts_allowed=False) and not issues
    read_holidays({"extra": ["24 dec"]}, bad)
    read_holidays({"wat": 1}, bad)
    assert len(issues) == 2


def test_no_contact_on_holiday_solver_plans_around_christmas():
    b = bundle("almelo-2025", start=XMAS_WEEK)
    add_staff(b, staff("E1", registrations=("SKJ",), profession="orthopedagoog", education="wo"),
              staff("R1", profession="orthopedagoog-generalist", registrations=("BIG", "SKJ")))
    product = quiet_contact_product(ALMELO)
    add_toewijzing(b, "T1", product, start=XMAS_WEEK - timedelta(days=60), hours_per_week=5)
    result, report = solve_and_check(b, ALMELO)
    assert result.plan is not None and report.plan_hard == []
    closed = {date(2026, 12, 25), date(2026, 12, 26)}
    assert result.plan.contacts and all(c.start.date() not in closed for c in result.plan.contacts)


def test_no_contact_on_holiday_lowers_capacity_supply():
    b = bundle("almelo-2025", start=XMAS_WEEK)
    add_staff(b, staff("E1"))
    normal = supply_minutes(b, date(2026, 12, 14), 1, {})["E1"][0]
    xmas = supply_minutes(b, XMAS_WEEK, 1, {})["E1"][0]
    assert xmas < normal
    assert closed_day(b.manifest, date(2026, 12, 25))
