"""Focused tests for the integrity rules (pack ``integrity``, ``planner/checks/integrity.py``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from planner.checker import check_plan
from planner.domain import Absence
from planner.plan import CaseAssignment, Casusregie, Contact, OnCallBlock, SessionStaffing, Shift, Unserved
from planner.rules import load_pack
from tests.builders import add_staff, at, staff
from tests.cases.common import EXECUTOR, clean_toewijzing_case
from tests.cases.groups import clean_group
from tests.cases.integrity import team_residential_case
from tests.cases.residential import GROUP

PACK = load_pack("flevoland-multi")
ALMELO = load_pack("almelo-2025")


def found(b, p, kind, pack=PACK):
    return [v for v in check_plan(b, pack, p).violations if v.kind == kind]


@pytest.mark.parametrize("pack", [PACK, ALMELO], ids=["flevoland", "almelo"])
def test_integrity_pack_is_included_by_both_municipality_packs(pack):
    kinds = {r.kind for r in pack.rules if r.id.startswith("I.")}
    assert kinds == {"contact_by_executor", "contact_within_toewijzing", "session_on_schedule",
                     "shift_by_team_member", "held_session_staffed", "no_duplicates", "plan_references"}
    assert all(r.severity == "hard" and not r.products for r in pack.rules if r.id.startswith("I."))


# --- contact_by_executor ---------------------------------------------------------
def test_contact_by_executor_contact_moved_to_another_colleague_is_a_wrong_decision():
    """Tester's finding: TW00077's contact moved from M0001 to M0010 went unnoticed."""
    b, p = clean_toewijzing_case(ALMELO, "A-BHI", "MDFT")
    assert p.contacts and found(b, p, "contact_by_executor", ALMELO) == []
    add_staff(b, staff("M0010"))
    p.contacts[0] = replace(p.contacts[0], staff_id="M0010")
    (v,) = found(b, p, "contact_by_executor", ALMELO)
    assert v.rule_id == "I.contact_door_uitvoerder" and v.category == "fout" and "M0010" in v.message


# --- contact_within_toewijzing ---------------------------------------------------
def test_contact_within_toewijzing_dates_are_inclusive():
    b, p = clean_toewijzing_case(PACK, "45F21")
    wed = p.period_start + timedelta(days=2)
    b.toewijzingen["T1"] = replace(b.toewijzingen["T1"], end=wed)
    p.contacts = [Contact("T1", EXECUTOR, at(wed, 22), at(wed + timedelta(days=1), 0))]  # ends at midnight: fine
    assert found(b, p, "contact_within_toewijzing") == []
    p.contacts.append(Contact("T1", EXECUTOR, at(wed + timedelta(days=1), 9), at(wed + timedelta(days=1), 10)))
    (v,) = found(b, p, "contact_within_toewijzing")
    assert "looptijd" in v.message and v.category == "fout"


def test_contact_within_toewijzing_also_within_the_period():
    b, p = clean_toewijzing_case(PACK, "45F21")
    after = p.period_end
    p.contacts.append(Contact("T1", EXECUTOR, at(after, 10), at(after, 11)))
    (v,) = found(b, p, "contact_within_toewijzing")
    assert "planperiode" in v.message


# --- session_on_schedule ---------------------------------------------------------
def test_session_on_schedule_wrong_weekday_and_outside_the_period():
    b, p = clean_group(PACK, "45F32")
    entry = p.sessions[0]
    p.sessions.append(replace(entry, date=entry.date + timedelta(days=1)))
    p.sessions.append(replace(entry, date=entry.date + timedelta(days=7)))  # right weekday, next week
    msgs = [v.message for v in found(b, p, "session_on_schedule")]
    assert len(msgs) == 2 and "dinsdag, niet op woensdag" in msgs[0] and "buiten de planperiode" in msgs[1]


def test_session_on_schedule_staff_on_a_wrong_date_still_count_as_busy():
    """Staff listed on a date the session does not occur are busy then: absence and double booking see them."""
    b, p = clean_group(PACK, "45F32")
    entry = p.sessions[0]
    thu = entry.date + timedelta(days=2)
    sid = entry.staff_ids[0]
    p.sessions.append(SessionStaffing(entry.session_id, thu, (sid,)))
    b.absences.append(Absence(sid, at(thu, 0), at(thu, 23)))
    kinds = {v.kind for v in check_plan(b, PACK, p).violations}
    assert {"absence", "session_on_schedule"} <= kinds
    p.contacts.append(Contact("T-X", sid, at(thu, 15), at(thu, 16)))  # overlaps the moved session
    b.absences.clear()
    assert "double_booking" in {v.kind for v in check_plan(b, PACK, p).violations}


def test_session_on_schedule_unknown_session_is_left_to_plan_references():
    b, p = clean_group(PACK, "45F32")
    p.sessions.append(SessionStaffing("GEEN", p.period_start, p.sessions[0].staff_ids))
    assert found(b, p, "session_on_schedule") == []
    (v,) = found(b, p, "plan_references")
    assert "groepssessie GEEN" in v.message


# --- shift_by_team_member --------------------------------------------------------
def test_shift_by_team_member_needs_the_groups_team():
    b, p = team_residential_case(ALMELO)
    assert found(b, p, "shift_by_team_member", ALMELO) == []
    add_staff(b, staff("MX"))
    p.shifts[0] = replace(p.shifts[0], staff_id="MX")
    (v,) = found(b, p, "shift_by_team_member", ALMELO)
    assert "MX" in v.message and "vaste team" in v.message and v.category == "fout"


def test_shift_by_team_member_group_without_team_accepts_any_staff_member():
    b, p = team_residential_case(ALMELO)
    b.groups[GROUP] = replace(b.groups[GROUP], team_id=None)
    add_staff(b, staff("MX"))
    p.shifts[0] = replace(p.shifts[0], staff_id="MX")
    assert found(b, p, "shift_by_team_member", ALMELO) == []


# --- held_session_staffed --------------------------------------------------------
def test_held_session_staffed_empty_held_session_is_wrong_a_cancelled_one_is_not():
    b, p = clean_group(PACK, "45F32")
    p.sessions[0] = replace(p.sessions[0], staff_ids=())
    (v,) = found(b, p, "held_session_staffed")
    assert v.category == "fout" and "niemand aanwezig" in v.message
    p.sessions[0] = replace(p.sessions[0], cancelled=True)
    report = check_plan(b, PACK, p)
    (v,) = report.violations  # a cancelled session is care not delivered, listed as such
    assert v.category == "niet_geleverd" and "geannuleerd" in v.message
    assert report.status == "onvolledig" and report.exit_code == 4


def test_held_session_staffed_missing_entry_is_a_session_not_held():
    """A session the plan does not mention is not staffed: care not delivered (onvolledig), not a session
    held by nobody (a wrong decision the plan never made)."""
    b, p = clean_group(PACK, "45F32")
    label = f"{p.sessions[0].session_id} {p.sessions[0].date.isoformat()}"
    p.sessions.clear()
    assert [v.category for v in found(b, p, "held_session_staffed")] == ["niet_geleverd"] * len(
        check_plan(b, PACK, p).cancelled_sessions)
    report = check_plan(b, PACK, p)
    assert report.plan_hard == [] and report.status == "onvolledig"
    assert any(c.startswith(label) for c in report.cancelled_sessions)


# --- no_duplicates ---------------------------------------------------------------
def test_no_duplicates_person_listed_twice_counts_once():
    """F:192 'drie behandelaars': two people and one of them twice is two, not three."""
    b, p = clean_group(PACK, "45F32")
    a, c, _ = p.sessions[0].staff_ids
    p.sessions[0] = replace(p.sessions[0], staff_ids=(a, c, c))
    report = check_plan(b, PACK, p)
    assert [v.kind for v in report.violations if v.kind == "no_duplicates"] == ["no_duplicates"]
    assert any(v.kind == "group_staff_count" and "2 medewerkers" in v.message for v in report.violations)


def test_no_duplicates_caseload_contact_shift_oncall_casusregie():
    b, p = clean_toewijzing_case(PACK, "45F34", "MST")
    assert found(b, p, "no_duplicates") == []
    p.caseload.append(p.caseload[0])
    p.caseload[0] = CaseAssignment("T1", (EXECUTOR, EXECUTOR), p.caseload[0].responsible_id)
    p.contacts += [Contact("T1", EXECUTOR, at(p.period_start, 9), at(p.period_start, 10))] * 2
    p.oncall.append(p.oncall[0])
    p.casusregie += [Casusregie(b.jeugdigen[b.toewijzingen["T1"].jeugdige_id].gezin_id, EXECUTOR)] * 2
    start = at(p.period_start, 7)
    p.shifts += [Shift("G", EXECUTOR, start, start + timedelta(hours=8))] * 2
    msgs = [v.message for v in found(b, p, "no_duplicates")]
    assert len(msgs) == 6, msgs
    assert any("meer dan eens in de caseload" in m for m in msgs)
    assert any("uitvoerder M-U staat er dubbel in" in m for m in msgs)


# --- plan_references -------------------------------------------------------------
def test_plan_references_every_unknown_id_once_with_where_it_is_used():
    b, p = clean_toewijzing_case(PACK, "45F21")
    p.caseload.append(CaseAssignment("T-X", ("M-X",), "M-X"))
    p.contacts.append(Contact("T-X", "M-X", at(p.period_start, 8), at(p.period_start, 9)))
    p.oncall.append(OnCallBlock("TEAM-X", EXECUTOR, at(p.period_start, 0), at(p.period_start, 1)))
    p.casusregie.append(Casusregie("G-X", EXECUTOR))
    p.shifts.append(Shift("GR-X", EXECUTOR, at(p.period_start, 20), at(p.period_start, 21)))
    p.unserved.append(Unserved("T-Y"))
    found_ = found(b, p, "plan_references")
    got = sorted(e for v in found_ for e in v.entities)
    assert got == [("gezin", "G-X"), ("groep", "GR-X"), ("medewerker", "M-X"), ("team", "TEAM-X"),
                   ("toewijzing", "T-X"), ("toewijzing", "T-Y")]
    m_x = next(v for v in found_ if ("medewerker", "M-X") in v.entities)
    assert m_x.amount == 3 and "caseload T-X" in m_x.message and all(v.category == "fout" for v in found_)
