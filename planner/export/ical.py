"""iCalendar (.ics) feed of one medewerker's roster, in Europe/Amsterdam with its VTIMEZONE.

Plan times are Dutch wall-clock times; they are written with ``TZID=Europe/Amsterdam`` and the
calendar carries the VTIMEZONE, so calendar programs place them right on both sides of a DST
change. UIDs are stable (a hash of the bundle name and the item's identity, see
:mod:`planner.export.roster`), so importing a re-planned week updates events instead of
duplicating them. Titles hold pseudonymous ids and initials only.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from planner.domain import Bundle
from planner.export.roster import RosterItem, roster_items, staff_label
from planner.plan import Plan

TZ = ZoneInfo("Europe/Amsterdam")
PRODID = "-//Jeugdhulp Planner//Rooster//NL"
UID_DOMAIN = "jeugdhulp-planner"


def event_uid(bundle_name: str, item: RosterItem) -> str:
    """Stable, opaque UID: the same item in a later export gets the same UID."""
    digest = hashlib.sha256(f"{bundle_name}|{item.uid_key}".encode()).hexdigest()[:32]
    return f"{digest}@{UID_DOMAIN}"


def _event(b: Bundle, item: RosterItem, stamp: datetime) -> Event:
    ev = Event()
    ev.add("uid", event_uid(b.manifest.name, item))
    ev.add("dtstamp", stamp)
    ev.add("dtstart", item.start.replace(tzinfo=TZ))
    ev.add("dtend", item.end.replace(tzinfo=TZ))
    ev.add("summary", item.title)
    ev.add("categories", [item.kind])
    if item.location:
        ev.add("location", item.location)
    if item.kind == "bereikbaarheid":
        ev.add("transp", "TRANSPARENT")  # on call is not busy time
    return ev


def staff_calendar(b: Bundle, plan: Plan, staff_id: str, stamp: datetime | None = None) -> Calendar:
    """The calendar of one medewerker (``stamp`` = DTSTAMP, now in UTC by default)."""
    stamp = stamp or datetime.now(timezone.utc).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Rooster {staff_label(b, staff_id)}")
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    for item in roster_items(b, plan, staff_id):
        cal.add_component(_event(b, item, stamp))
    # a VTIMEZONE covering the plan's year and its neighbours keeps the file small
    first = date(plan.period_start.year - 1, 1, 1)
    cal.add_missing_timezones(first, date(plan.period_end.year + 2, 1, 1))
    return cal


def ics_bytes(b: Bundle, plan: Plan, staff_id: str, stamp: datetime | None = None) -> bytes:
    return staff_calendar(b, plan, staff_id, stamp).to_ical()


def write_ics(b: Bundle, plan: Plan, out: str | Path, staff_id: str | None = None) -> list[Path]:
    """One medewerker: ``out`` is the .ics file. All: ``out`` is a folder with ``<id>.ics`` per medewerker."""
    out = Path(out)
    if staff_id is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(ics_bytes(b, plan, staff_id))
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for sid in sorted({i.staff_id for i in roster_items(b, plan)}):
        path = out / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', sid)}.ics"
        path.write_bytes(ics_bytes(b, plan, sid))
        written.append(path)
    return written
