"""The one mapping between domain dataclasses (:mod:`planner.domain`) and ORM rows.

``*_row``/``*_domain`` pairs convert single records; :func:`store_bundle`
writes a whole bundle into an empty database and :func:`load_bundle` reads it
back as a :class:`planner.domain.Bundle` plus its tuned rule pack.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from planner.bundle import load_bundle_with_pack
from planner.bundle_manifest import with_extras
from planner.bundle_write import manifest_extras
from planner.domain import (Absence, AbsenceKind, Bundle, Education, Enrolment, Gezin, Groep, GroupSession, Jeugdige,
                            Manifest, Medewerker, Omvang, OmvangFrequency, OmvangUnit, Realisatie, Registration,
                            ShiftWish, Team,
                            TimeWindow, Toewijzing, WishKind)
from planner.rules import RulePack, load_pack
from web.db.models import (AbsenceRow, AvailabilityRow, DatasetRow, GezinRow, GroepRow, InschrijvingRow, JeugdigeRow,
                           MedewerkerRow, RealisatieRow, SessieRow, TeamRow, ToewijzingRow, WishRow)


# --- medewerkers ----------------------------------------------------------
def medewerker_fields(m: Medewerker) -> dict:
    """Column values of a medewerker (without id-bound children)."""
    return dict(id=m.id, name=m.name, education=m.education.value, profession=m.profession,
                registrations=sorted(r.value for r in m.registrations), certifications=sorted(m.certifications),
                contract_hours=m.contract_hours, teams=sorted(m.teams), gemeenten=sorted(m.gemeenten),
                caseload_max=m.caseload_max, oncall_consent_required=m.oncall_consent_required,
                oncall_consent=m.oncall_consent, vog_date=m.vog_date)


def availability_rows(m: Medewerker) -> list[AvailabilityRow]:
    return [AvailabilityRow(staff_id=m.id, weekday=w.weekday, start=w.start, end=w.end) for w in m.availability]


def medewerker_domain(row: MedewerkerRow, availability: list[AvailabilityRow]) -> Medewerker:
    return Medewerker(
        id=row.id, name=row.name, education=Education(row.education), profession=row.profession,
        registrations=frozenset(Registration(r) for r in row.registrations),
        certifications=frozenset(row.certifications), contract_hours=row.contract_hours,
        teams=frozenset(row.teams), gemeenten=frozenset(row.gemeenten), caseload_max=row.caseload_max,
        oncall_consent_required=row.oncall_consent_required, oncall_consent=row.oncall_consent,
        vog_date=row.vog_date, availability=tuple(TimeWindow(a.weekday, a.start, a.end)
                           for a in sorted(availability, key=lambda a: (a.weekday, a.start))))


def absence_row(a: Absence) -> AbsenceRow:
    return AbsenceRow(staff_id=a.staff_id, start=a.start, end=a.end, kind=a.kind.value)


def absence_domain(row: AbsenceRow) -> Absence:
    return Absence(row.staff_id, row.start, row.end, AbsenceKind(row.kind))


def wish_row(w: ShiftWish) -> WishRow:
    return WishRow(staff_id=w.staff_id, day=w.date, shift=w.shift, kind=w.kind.value, weight=w.weight)


def wish_domain(row: WishRow) -> ShiftWish:
    return ShiftWish(row.staff_id, row.day, row.shift, WishKind(row.kind), row.weight)


def upsert_wish(session: Session, w: ShiftWish) -> bool:
    """Insert ``w``, or give the wish with its key (medewerker, datum, dienst) its kind and weight; True if it existed."""
    row = session.scalar(select(WishRow).where(WishRow.staff_id == w.staff_id, WishRow.day == w.date,
                                               WishRow.shift == w.shift))
    if row is None:
        session.add(wish_row(w))
    else:
        row.kind, row.weight = w.kind.value, w.weight
    return row is not None


# --- clients --------------------------------------------------------------
def toewijzing_fields(t: Toewijzing) -> dict:
    o = t.omvang
    return dict(id=t.id, jeugdige_id=t.jeugdige_id, product_code=t.product_code, start=t.start, end=t.end,
                volume=o.volume if o else None, unit=o.unit.value if o else None,
                frequency=o.frequency.value if o else None, intervention=t.intervention, team_id=t.team_id,
                referral_date=t.referral_date, current_executor_id=t.current_executor_id,
                current_responsible_id=t.current_responsible_id, last_regie_contact=t.last_regie_contact)


def toewijzing_domain(row: ToewijzingRow) -> Toewijzing:
    omvang = None
    if row.volume is not None and row.unit and row.frequency:
        omvang = Omvang(row.volume, OmvangUnit(row.unit), OmvangFrequency(row.frequency))
    return Toewijzing(id=row.id, jeugdige_id=row.jeugdige_id, product_code=row.product_code, start=row.start,
                      end=row.end, omvang=omvang, intervention=row.intervention, team_id=row.team_id,
                      referral_date=row.referral_date, current_executor_id=row.current_executor_id,
                      current_responsible_id=row.current_responsible_id, last_regie_contact=row.last_regie_contact)


# --- whole bundle ---------------------------------------------------------
def manifest_overrides(bundle_dir: Path) -> dict:
    """The manifest's ``rule_overrides`` (the domain Manifest does not carry them)."""
    raw = yaml.safe_load((bundle_dir / "manifest.yaml").read_text("utf-8")) or {}
    for key in ("rule_overrides", "overrides", "regel_aanpassingen"):
        if isinstance(raw.get(key), dict):
            return raw[key]
    return {}


def import_bundle_dir(session: Session, bundle_dir: Path) -> Bundle:
    """Validate a bundle folder and store it (raises ``planner.bundle.BundleError`` on bad input)."""
    bundle, _pack = load_bundle_with_pack(bundle_dir)
    store_bundle(session, bundle, manifest_overrides(bundle_dir))
    return bundle


def store_bundle(session: Session, b: Bundle, overrides: dict | None = None) -> None:
    """Replace all domain data with ``b`` (plans, users and logs stay)."""
    for model in (RealisatieRow, InschrijvingRow, SessieRow, GroepRow, ToewijzingRow, JeugdigeRow, GezinRow, WishRow,
                  AbsenceRow,
                  AvailabilityRow, MedewerkerRow, TeamRow, DatasetRow):
        session.execute(delete(model))
    m = b.manifest
    session.add(DatasetRow(id=1, name=m.name, rule_pack=m.rule_pack, rule_overrides=overrides or {},
                           period_start=m.period_start, weeks=m.weeks, settings=manifest_extras(m)))
    session.add_all(TeamRow(id=t.id, name=t.name, oncall_24_7=t.oncall_24_7, intervention=t.intervention,
                             offers=sorted(t.offers))
                    for t in b.teams.values())
    session.add_all(MedewerkerRow(**medewerker_fields(s)) for s in b.staff.values())
    session.flush()  # parents before children: foreign keys are enforced
    session.add_all(a for s in b.staff.values() for a in availability_rows(s))
    session.add_all(absence_row(a) for a in b.absences)
    session.add_all(wish_row(w) for w in b.wishes)
    session.add_all(GezinRow(id=g.id, gemeente=g.gemeente) for g in b.gezinnen.values())
    session.flush()
    session.add_all(JeugdigeRow(id=j.id, gezin_id=j.gezin_id, initials=j.initials, birth_year=j.birth_year,
                                gemeente=j.gemeente) for j in b.jeugdigen.values())
    session.add_all(GroepRow(id=g.id, name=g.name, product_code=g.product_code, location=g.location, team_id=g.team_id)
                    for g in b.groups.values())
    session.flush()
    session.add_all(ToewijzingRow(**toewijzing_fields(t)) for t in b.toewijzingen.values())
    session.add_all(SessieRow(id=s.id, group_id=s.group_id, weekday=s.weekday, start=s.start, end=s.end,
                              location=s.location) for s in b.sessions.values())
    session.add_all(InschrijvingRow(group_id=e.group_id, jeugdige_id=e.jeugdige_id, start=e.start, end=e.end)
                    for e in b.enrolments)
    session.flush()
    session.add_all(RealisatieRow(toewijzing_id=r.toewijzing_id, day=r.date, minutes=r.minutes, kind=r.kind,
                                  staff_id=r.staff_id) for r in b.realisatie)
    session.flush()


class NoDataError(LookupError):
    """The database holds no provider data yet (the app answers with a Dutch page saying what to do)."""


def has_data(session: Session) -> bool:
    return session.get(DatasetRow, 1) is not None


def load_bundle(session: Session) -> tuple[Bundle, RulePack]:
    """The stored data as a domain bundle plus the rule pack with the provider's overrides."""
    ds = session.get(DatasetRow, 1)
    if ds is None:
        raise NoDataError("Er zijn nog geen gegevens ingelezen.")
    pack = load_pack(ds.rule_pack, ds.rule_overrides or None)
    b = Bundle(manifest=with_extras(Manifest(ds.name, ds.rule_pack, ds.period_start, ds.weeks), ds.settings, pack))
    avail: dict[str, list[AvailabilityRow]] = {}
    for a in _all(session, AvailabilityRow):
        avail.setdefault(a.staff_id, []).append(a)
    b.teams = {t.id: Team(t.id, t.name, t.oncall_24_7, t.intervention, frozenset(t.offers or ()))
               for t in _all(session, TeamRow)}
    b.staff = {r.id: medewerker_domain(r, avail.get(r.id, [])) for r in _all(session, MedewerkerRow)}
    b.absences = [absence_domain(r) for r in _all(session, AbsenceRow)]
    b.wishes = [wish_domain(r) for r in _all(session, WishRow)]
    b.gezinnen = {g.id: Gezin(g.id, g.gemeente) for g in _all(session, GezinRow)}
    b.jeugdigen = {j.id: Jeugdige(j.id, j.gezin_id, j.initials, j.birth_year, j.gemeente)
                   for j in _all(session, JeugdigeRow)}
    b.toewijzingen = {t.id: toewijzing_domain(t) for t in _all(session, ToewijzingRow)}
    b.groups = {g.id: Groep(g.id, g.name, g.product_code, g.location, g.team_id) for g in _all(session, GroepRow)}
    b.sessions = {s.id: GroupSession(s.id, s.group_id, s.weekday, s.start, s.end, s.location)
                  for s in _all(session, SessieRow)}
    b.enrolments = [Enrolment(e.group_id, e.jeugdige_id, e.start, e.end)
                    for e in _all(session, InschrijvingRow)]
    b.realisatie = [Realisatie(r.toewijzing_id, r.day, r.minutes, r.kind, r.staff_id)
                    for r in _all(session, RealisatieRow)]
    return b, pack


def _all(session: Session, model):
    """Every row ordered by id, so a bundle read back is in a stable order (solver determinism)."""
    return session.scalars(select(model).order_by(model.id))
