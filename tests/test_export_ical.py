"""iCal export: valid for the icalendar parser, Europe/Amsterdam across the DST change, stable UIDs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from icalendar import Calendar

from planner.export.ical import ics_bytes, write_ics
from tests.export_fixtures import solved

UTC = timezone.utc
# the week of the last Sunday of October 2026 (25 October: 03:00 CEST -> 02:00 CET)
DST_MONDAY = date(2026, 10, 19)


def events(data: bytes) -> list:
    return [c for c in Calendar.from_ical(data).walk("VEVENT")]


def test_parses_and_carries_vtimezone():
    b, plan = solved()
    cal = Calendar.from_ical(ics_bytes(b, plan, "M1"))
    tz = [c for c in cal.walk("VTIMEZONE")]
    assert [str(t["TZID"]) for t in tz] == ["Europe/Amsterdam"]
    evs = [c for c in cal.walk("VEVENT")]
    mine = [x for x in plan.contacts if x.staff_id == "M1"] + [o for o in plan.oncall if o.staff_id == "M1"]
    assert len(evs) >= len(mine) > 0
    for ev in evs:
        assert ev["DTSTART"].params["TZID"] == "Europe/Amsterdam" and ev["UID"].endswith("@jeugdhulp-planner")
        assert "Medewerker" not in str(ev["SUMMARY"])  # titles: pseudonymous ids and initials, no names


def test_times_are_right_across_the_dst_change():
    b, plan = solved(DST_MONDAY)
    sunday = [o for o in plan.oncall if o.start == datetime(2026, 10, 25)]
    assert sunday, "the solved plan has an on-call block on the DST Sunday"
    block = sunday[0]
    [ev] = [e for e in events(ics_bytes(b, plan, block.staff_id))
            if e["DTSTART"].dt.replace(tzinfo=None) == block.start and "Bereikbaar" in str(e["SUMMARY"])]
    start, end = ev["DTSTART"].dt.astimezone(UTC), ev["DTEND"].dt.astimezone(UTC)
    assert start == datetime(2026, 10, 24, 22, 0, tzinfo=UTC)  # midnight CEST (+02:00)
    assert end == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)  # midnight CET (+01:00)
    assert end - start == timedelta(hours=25)  # the day with the extra hour
    before_change = [c for c in plan.contacts if c.start.date() < date(2026, 10, 25)]
    assert before_change
    for c in before_change:
        [e] = [e for e in events(ics_bytes(b, plan, c.staff_id)) if e["DTSTART"].dt.replace(tzinfo=None) == c.start]
        assert e["DTSTART"].dt.utcoffset() == timedelta(hours=2)


def test_uids_are_stable_when_a_contact_moves():
    b, plan = solved()
    contact = plan.contacts[0]
    moved = replace(contact, start=contact.start + timedelta(hours=1), end=contact.end + timedelta(hours=1))
    other = replace(plan, contacts=[moved if c is contact else c for c in plan.contacts])
    stamp = datetime(2026, 12, 1, tzinfo=UTC)
    uids = lambda p: sorted(str(e["UID"]) for e in events(ics_bytes(b, p, contact.staff_id, stamp)))  # noqa: E731
    assert uids(plan) == uids(other)
    assert ics_bytes(b, plan, contact.staff_id, stamp) == ics_bytes(b, plan, contact.staff_id, stamp)  # deterministic
    all_uids = uids(plan)
    assert len(all_uids) == len(set(all_uids))


def test_one_file_per_medewerker(tmp_path):
    b, plan = solved()
    written = write_ics(b, plan, tmp_path / "feeds")
    staff = {x.staff_id for x in plan.contacts} | {o.staff_id for o in plan.oncall}
    assert {p.stem for p in written} == staff
    for p in written:
        assert events(p.read_bytes())
