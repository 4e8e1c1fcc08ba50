"""A plan as dated roster items per medewerker: what the XLSX, PDF and iCal views show.

Each item has a stable identity (``uid_key``): the same contact, session, on-call block or
shift keeps its key when a re-plan moves it in time, so calendar re-imports update events
instead of duplicating them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from planner.domain import Bundle
from planner.plan import Plan

KIND_LABELS = {"contact": "Contact", "intake": "Intake", "regie": "Regiecontact", "sessie": "Groep",
               "bereikbaarheid": "Bereikbaar", "dienst": "Dienst"}


@dataclass(frozen=True, slots=True)
class RosterItem:
    staff_id: str
    start: datetime
    end: datetime
    kind: str  # contact, intake, regie, sessie, bereikbaarheid, dienst
    title: str  # short Dutch text, ids and initials only
    location: str
    uid_key: str

    def line(self) -> str:
        """'09:00-10:30 Contact TW00012 (J00001 Y.K.)' for one cell line."""
        end = "24:00" if self.end.time() == datetime.min.time() and self.end.date() > self.start.date() \
            else self.end.strftime("%H:%M")
        return f"{self.start:%H:%M}-{end} {self.title}"


def _client(b: Bundle, tid: str) -> str:
    t = b.toewijzingen.get(tid)
    j = b.jeugdigen.get(t.jeugdige_id) if t else None
    return f"{tid} ({j.id} {j.initials})" if j else tid


def _contacts(b: Bundle, plan: Plan) -> list[RosterItem]:
    out = []
    for c in plan.contacts:
        year, week, _ = c.start.isocalendar()
        label = KIND_LABELS.get(c.kind, c.kind) + (" één-op-één" if c.one_on_one else "")
        out.append(RosterItem(c.staff_id, c.start, c.end, c.kind, f"{label} {_client(b, c.toewijzing_id)}", "",
                              f"contact|{c.toewijzing_id}|{c.staff_id}|{year}-W{week:02d}"))
    return out


def _sessions(b: Bundle, plan: Plan) -> list[RosterItem]:
    out = []
    for s in plan.sessions:
        sess = b.sessions.get(s.session_id)
        if sess is None or s.cancelled:
            continue
        group = b.groups.get(sess.group_id)
        name = group.name if group else sess.group_id
        name = name if name.lower().startswith("groep") else f"Groep {name}"
        for sid in s.staff_ids:
            out.append(RosterItem(sid, datetime.combine(s.date, sess.start), datetime.combine(s.date, sess.end),
                                  "sessie", f"{name} ({sess.group_id})", sess.location,
                                  f"sessie|{s.session_id}|{s.date.isoformat()}|{sid}"))
    return out


def _oncall_and_shifts(b: Bundle, plan: Plan) -> list[RosterItem]:
    out = []
    for o in plan.oncall:
        team = b.teams.get(o.team_id)
        out.append(RosterItem(o.staff_id, o.start, o.end, "bereikbaarheid",
                              f"Bereikbaar {team.name if team else o.team_id}", "",
                              f"bereikbaar|{o.team_id}|{o.staff_id}|{o.start.date().isoformat()}"))
    for s in plan.shifts:
        group = b.groups.get(s.group_id)
        out.append(RosterItem(s.staff_id, s.start, s.end, "dienst",
                              f"Dienst {s.kind} {group.name if group else s.group_id}", group.location if group else "",
                              f"dienst|{s.group_id}|{s.staff_id}|{s.start.date().isoformat()}|{s.kind}"))
    return out


def roster_items(b: Bundle, plan: Plan, staff_id: str | None = None) -> list[RosterItem]:
    """Every timed item of the plan, sorted by medewerker and start; keys made unique with '#n'."""
    items = sorted(_contacts(b, plan) + _sessions(b, plan) + _oncall_and_shifts(b, plan),
                   key=lambda i: (i.staff_id, i.start, i.end, i.uid_key))
    seen: Counter[str] = Counter()
    out = []
    for item in items:
        seen[item.uid_key] += 1
        key = f"{item.uid_key}#{seen[item.uid_key]}"
        out.append(RosterItem(item.staff_id, item.start, item.end, item.kind, item.title, item.location, key))
    return [i for i in out if staff_id is None or i.staff_id == staff_id]


def period_days(plan: Plan) -> list[date]:
    return [plan.period_start + timedelta(days=i) for i in range(plan.weeks * 7)]


def items_on(items: list[RosterItem], day: date) -> list[RosterItem]:
    """Items that start on ``day`` (an overnight item is shown on its first day)."""
    return [i for i in items if i.start.date() == day]


def staff_with_items(b: Bundle, items: list[RosterItem]) -> list[str]:
    """Medewerkers that have anything in the roster, in id order."""
    ids = {i.staff_id for i in items}
    return sorted(ids, key=lambda s: (s not in b.staff, s))


def staff_label(b: Bundle, staff_id: str) -> str:
    m = b.staff.get(staff_id)
    return f"{m.name} ({staff_id})" if m else staff_id


def hours(items: list[RosterItem], kinds: tuple[str, ...] = ("contact", "intake", "regie", "sessie", "dienst")) -> float:
    """Worked hours of the items (on-call time is not work time)."""
    return sum((i.end - i.start).total_seconds() for i in items if i.kind in kinds) / 3600
