"""Write the differences between two domain bundles into the database (create/update by id).

Used by the import: the library produced a new bundle; here every record that is new or changed
is inserted or updated through the mapping's converters (:mod:`web.db.mapping`), records keyed
by their contents (absences, enrolments, care history) are replaced where they differ, and shift wishes are
inserted or updated by their key (medewerker, datum, dienst). Nothing is committed
here: the caller's session is the one transaction. Changes to client records are written to
the access log (pseudonymous ids only).
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import delete, select

from planner.domain import Bundle
from web.db.mapping import absence_row, availability_rows, medewerker_fields, toewijzing_fields, upsert_wish
from web.db.models import (AbsenceRow, AvailabilityRow, GezinRow, GroepRow, InschrijvingRow, JeugdigeRow,
                           MedewerkerRow, RealisatieRow, SessieRow, TeamRow, ToewijzingRow)
from web.security import log_access

IMPORT_ACTION = "ingelezen"  # access-log action of an imported client record
REMOVE_ACTION = "ingetrokken"  # access-log action of a toewijzing a JW301 withdrew


def _upsert(s, model, key: str, values: dict) -> bool:
    """Insert or update one row by primary key; True when it wrote something."""
    row = s.get(model, key)
    if row is None:
        s.add(model(**values))
        return True
    dirty = False
    for name, value in values.items():
        if name != "id" and getattr(row, name) != value:
            setattr(row, name, value)
            dirty = True
    return dirty


def _changed(old: dict, new: dict) -> list:
    """Records of ``new`` that ``old`` lacks or holds differently."""
    return [rec for key, rec in new.items() if old.get(key) != rec]


def _staff(s, old: Bundle, new: Bundle, count: Counter) -> None:
    for t in _changed(old.teams, new.teams):
        count["teams"] += _upsert(s, TeamRow, t.id, dict(id=t.id, name=t.name, oncall_24_7=t.oncall_24_7,
                                                        intervention=t.intervention, offers=sorted(t.offers)))
    changed = _changed(old.staff, new.staff)
    for m in changed:
        count["medewerkers"] += _upsert(s, MedewerkerRow, m.id, medewerker_fields(m))
    s.flush()  # parents before children
    for m in changed:
        before = old.staff.get(m.id)
        if before is None or before.availability != m.availability:
            s.execute(delete(AvailabilityRow).where(AvailabilityRow.staff_id == m.id))
            s.add_all(availability_rows(m))
            count["beschikbaarheid"] += 1
    gone, added = set(old.absences) - set(new.absences), set(new.absences) - set(old.absences)
    for a in gone:  # an updated absence (same medewerker and start) replaces the old one
        s.execute(delete(AbsenceRow).where(AbsenceRow.staff_id == a.staff_id, AbsenceRow.start == a.start,
                                           AbsenceRow.end == a.end, AbsenceRow.kind == a.kind.value))
    s.add_all(absence_row(a) for a in added)
    count["afwezigheid"] += len(added)


def _wishes(s, old: Bundle, new: Bundle, count: Counter) -> None:
    """A wish with a new key (medewerker, datum, dienst) is inserted, one with a known key gets its kind and weight."""
    before = set(old.wishes)
    for w in new.wishes:
        if w in before:
            continue
        upsert_wish(s, w)
        count["wensen"] += 1


def _clients(s, old: Bundle, new: Bundle, user, count: Counter) -> None:
    for g in _changed(old.gezinnen, new.gezinnen):
        if _upsert(s, GezinRow, g.id, dict(id=g.id, gemeente=g.gemeente)):
            count["gezinnen"] += 1
            log_access(s, user, IMPORT_ACTION, "gezin", g.id)
    s.flush()
    for j in _changed(old.jeugdigen, new.jeugdigen):
        if _upsert(s, JeugdigeRow, j.id, dict(id=j.id, gezin_id=j.gezin_id, initials=j.initials,
                                              birth_year=j.birth_year, gemeente=j.gemeente)):
            count["jeugdigen"] += 1
            log_access(s, user, IMPORT_ACTION, "jeugdige", j.id)
    for g in _changed(old.groups, new.groups):
        count["groepen"] += _upsert(s, GroepRow, g.id, dict(id=g.id, name=g.name, product_code=g.product_code,
                                                           location=g.location, team_id=g.team_id))
    s.flush()
    for t in _changed(old.toewijzingen, new.toewijzingen):
        if _upsert(s, ToewijzingRow, t.id, toewijzing_fields(t)):
            count["toewijzingen"] += 1
            log_access(s, user, IMPORT_ACTION, "toewijzing", t.id)
    # the one deletion an import makes: a JW301 'Verwijderd' (RedenWijziging 13) withdrew the toewijzing, or an
    # aspecific update moved it back to the list still to specify
    for tid in sorted(set(old.toewijzingen) - set(new.toewijzingen)):
        row = s.get(ToewijzingRow, tid)
        if row is not None:
            s.delete(row)
            count["toewijzingen verwijderd"] += 1
            log_access(s, user, REMOVE_ACTION, "toewijzing", tid)
    for x in _changed(old.sessions, new.sessions):
        count["sessies"] += _upsert(s, SessieRow, x.id, dict(id=x.id, group_id=x.group_id, weekday=x.weekday,
                                                            start=x.start, end=x.end, location=x.location))


def _enrolments(s, old: Bundle, new: Bundle, user, count: Counter) -> None:
    gone, added = set(old.enrolments) - set(new.enrolments), set(new.enrolments) - set(old.enrolments)
    for e in gone:  # same group, jeugdige and start with another end date: replaced below
        row = s.scalar(select(InschrijvingRow).where(InschrijvingRow.group_id == e.group_id,
                                                     InschrijvingRow.jeugdige_id == e.jeugdige_id,
                                                     InschrijvingRow.start == e.start).limit(1))
        if row is not None:
            s.delete(row)
    s.flush()
    for e in added:
        s.add(InschrijvingRow(group_id=e.group_id, jeugdige_id=e.jeugdige_id, start=e.start, end=e.end))
        log_access(s, user, IMPORT_ACTION, "jeugdige", e.jeugdige_id)
    count["inschrijvingen"] += len(added)


def _realisatie(s, old: Bundle, new: Bundle, count: Counter) -> None:
    """Care history rows are records by their contents: rows no longer in the bundle go, new ones are added."""
    gone, added = set(old.realisatie) - set(new.realisatie), set(new.realisatie) - set(old.realisatie)
    for r in gone:
        row = s.scalar(select(RealisatieRow).where(RealisatieRow.toewijzing_id == r.toewijzing_id,
                                                   RealisatieRow.day == r.date, RealisatieRow.minutes == r.minutes,
                                                   RealisatieRow.kind == r.kind).limit(1))
        if row is not None:
            s.delete(row)
    s.flush()
    s.add_all(RealisatieRow(toewijzing_id=r.toewijzing_id, day=r.date, minutes=r.minutes, kind=r.kind,
                            staff_id=r.staff_id) for r in sorted(added, key=lambda r: (r.toewijzing_id, r.date)))
    count["realisatie"] += len(added)


def apply_bundle(s, old: Bundle, new: Bundle, user) -> dict[str, int]:
    """Write what ``new`` adds to or changes in ``old``; returns rows written per table (Dutch names)."""
    count: Counter = Counter()
    _staff(s, old, new, count)
    _wishes(s, old, new, count)
    _clients(s, old, new, user, count)
    s.flush()
    _enrolments(s, old, new, user, count)
    s.flush()
    _realisatie(s, old, new, count)
    s.flush()
    return {k: v for k, v in count.items() if v}
