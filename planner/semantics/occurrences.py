"""When a recurring group session occurs, and who is enrolled then (PLANNING.md 2, sessies/inschrijvingen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from planner.domain import Bundle, GroupSession


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One dated occurrence of a recurring group session."""

    session: GroupSession
    date: date
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        return f"{self.session.id} {self.date.isoformat()} {self.start:%H:%M}-{self.end:%H:%M}"



def period_days(start: date, weeks: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(7 * weeks)]



def session_occurrences(bundle: Bundle, days: list[date]) -> list[Occurrence]:
    """Every dated occurrence of every recurring group session in ``days``, by start time.  A session does not
    take place on a feestdag unless the manifest allows it (planner.semantics.holidays)."""
    from planner.semantics.holidays import closed_day

    occ = []
    closed = {d for d in days if closed_day(bundle.manifest, d)}
    for s in bundle.sessions.values():
        for d in days:
            if d.weekday() == s.weekday and d not in closed:
                occ.append(Occurrence(s, d, datetime.combine(d, s.start), datetime.combine(d, s.end)))
    return sorted(occ, key=lambda o: (o.start, o.session.id))



def enrolled_at(bundle: Bundle, occ: Occurrence) -> int:
    """Jeugdigen enrolled in the occurrence's group on its date."""
    return sum(1 for e in bundle.enrolments if e.group_id == occ.session.group_id and e.active_on(occ.date))

