"""Plan edits as pure functions, and putting pinned parts back after a re-plan."""

from __future__ import annotations

from datetime import date, datetime

from planner.plan import Contact, OnCallBlock, Plan, SessionStaffing
from tests.builders import add_staff, bundle, staff
from web.edits import apply_edit, keep_pinned

D = datetime(2026, 12, 7)


def _plan() -> Plan:
    p = Plan(period_start=date(2026, 12, 7), weeks=1)
    p.contacts = [Contact("T1", "A", D.replace(hour=9), D.replace(hour=10))]
    p.sessions = [SessionStaffing("S1", date(2026, 12, 7), ("A", "B"))]
    p.oncall = [OnCallBlock("TM", "A", D, D.replace(day=8))]
    return p


def _bundle():
    return add_staff(bundle(), staff("A"), staff("B"), staff("C"))


def test_move_contact_keeps_duration_and_pins():
    new, what, errors = apply_edit(_bundle(), _plan(), {"soort": "contact", "index": "0", "medewerker": "C",
                                                        "begin": "2026-12-08T14:00", "vast": "ja"})
    assert not errors
    c = new.contacts[0]
    assert (c.staff_id, c.start, c.end, c.pinned) == ("C", datetime(2026, 12, 8, 14), datetime(2026, 12, 8, 15), True)
    assert "T1" in what and "vastgezet" in what


def test_swap_in_session_and_field_errors():
    b, p = _bundle(), _plan()
    new, _, errors = apply_edit(b, p, {"soort": "sessie", "index": "0", "vervang": "B", "door": "C"})
    assert not errors and new.sessions[0].staff_ids == ("A", "C")
    assert p.sessions[0].staff_ids == ("A", "B")  # the original is untouched
    _, _, errors = apply_edit(b, p, {"soort": "sessie", "index": "0", "vervang": "C", "door": "Z"})
    assert set(errors) == {"vervang", "door"}
    _, _, errors = apply_edit(b, p, {"soort": "dienst", "index": "0", "begin": "2026-12-08T00:00",
                                     "einde": "2026-12-07T12:00"})
    assert "einde" in errors
    _, _, errors = apply_edit(b, p, {"soort": "dienst", "index": "7"})
    assert "algemeen" in errors


def test_keep_pinned_puts_on_call_and_contacts_back():
    previous = _plan()
    previous.oncall = [OnCallBlock("TM", "C", D, D.replace(day=8), pinned=True)]
    previous.contacts = [Contact("T1", "C", D.replace(hour=13), D.replace(hour=14), pinned=True)]
    new = _plan()
    new.oncall.append(OnCallBlock("TM", "B", D.replace(day=8), D.replace(day=9)))
    assert keep_pinned(previous, new) == 2
    assert [(b.staff_id, b.start.day) for b in new.oncall] == [("C", 7), ("B", 8)]
    assert [(c.staff_id, c.start.hour) for c in new.contacts] == [("C", 13)]


def test_keep_pinned_part_of_a_day_leaves_the_rest_of_the_day_covered():
    previous = _plan()
    previous.oncall = [OnCallBlock("TM", "C", D.replace(hour=8), D.replace(hour=20), pinned=True)]
    new = _plan()  # A on call the whole of 7 December
    keep_pinned(previous, new)
    got = [(b.staff_id, b.start.hour, b.end.hour) for b in new.oncall]
    assert got == [("A", 0, 8), ("C", 8, 20), ("A", 20, 0)]
