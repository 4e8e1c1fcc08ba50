"""Tiny hand-built bundles and plans for checker and solver tests.

Defaults are "clean": a staff member from :func:`staff` is fully qualified
(wo+, SKJ+BIG, GZ-psycholoog, every certification) and available all week,
so a test breaks exactly the one thing it is about.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from planner.domain import (Bundle, Education, Enrolment, Gezin, Groep, GroupSession, Jeugdige, Manifest,
                            Medewerker, Omvang, OmvangFrequency, OmvangUnit, Registration, Team, TimeWindow,
                            Toewijzing)
from planner.plan import Plan

MONDAY = date(2026, 12, 7)
ALL_WEEK = tuple(TimeWindow(d, time(0, 0), time(23, 59)) for d in range(7))
VOG_DATE = date(2025, 1, 6)
ALL_CERTS = frozenset({"MST", "MDFT", "FAST", "Families First", "ASH", "FACT", "CSI", "IPG", "ZIG"})


def staff(id: str, education: str = "wo+", profession: str = "gz-psycholoog", registrations=("SKJ", "BIG"),
          certifications=ALL_CERTS, contract_hours: float = 36, teams=(), gemeenten=(),
          availability=ALL_WEEK, **kw) -> Medewerker:
    kw.setdefault("vog_date", VOG_DATE)  # a VOG on file (A:1213, A:4183), valid for periods up to 2028
    return Medewerker(id=id, name=f"Medewerker {id}", education=Education(education), profession=profession,
                      registrations=frozenset(Registration(r) for r in registrations),
                      certifications=frozenset(certifications), contract_hours=contract_hours,
                      teams=frozenset(teams), gemeenten=frozenset(gemeenten), availability=availability, **kw)


_DEFAULT_START = [MONDAY]


@contextmanager
def period_starting(day: date) -> Iterator[None]:
    """Bundles made inside start on ``day`` instead of ``MONDAY`` (a rule valid only from 2027, A:3309)."""
    _DEFAULT_START.append(day)
    try:
        yield
    finally:
        _DEFAULT_START.pop()


def bundle(pack: str = "flevoland-multi", weeks: int = 1, start: date | None = None) -> Bundle:
    return Bundle(manifest=Manifest(name="test", rule_pack=pack, period_start=start or _DEFAULT_START[-1], weeks=weeks))


def add_staff(b: Bundle, *members: Medewerker) -> Bundle:
    for m in members:
        b.staff[m.id] = m
    return b


def add_client(b: Bundle, jid: str, gezin_id: str | None = None, gemeente: str = "Lelystad") -> Jeugdige:
    gid = gezin_id or f"G-{jid}"
    b.gezinnen.setdefault(gid, Gezin(gid, gemeente))
    j = Jeugdige(jid, gid, "A.B.", 2012, gemeente)
    b.jeugdigen[jid] = j
    return j


def add_toewijzing(b: Bundle, tid: str, product: str, jid: str | None = None, *, start: date | None = None,
                   end: date | None = None, hours_per_week: float | None = None, intervention: str | None = None,
                   team_id: str | None = None, gezin_id: str | None = None, **kw) -> Toewijzing:
    jid = jid or f"J-{tid}"
    if jid not in b.jeugdigen:
        add_client(b, jid, gezin_id)
    start = start or b.manifest.period_start - timedelta(days=30)
    end = end or start + timedelta(days=180)
    omvang = Omvang(hours_per_week, OmvangUnit.UUR, OmvangFrequency.PER_WEEK) if hours_per_week else None
    t = Toewijzing(tid, jid, product, start, end, omvang, intervention, team_id, **kw)
    b.toewijzingen[tid] = t
    return t


def add_group(b: Bundle, gid: str, product: str, enrolled: int, weekday: int = 1,
              start: time = time(15, 0), end: time = time(17, 0)) -> GroupSession:
    b.groups[gid] = Groep(gid, f"Groep {gid}", product)
    s = GroupSession(f"{gid}-S1", gid, weekday, start, end)
    b.sessions[s.id] = s
    for i in range(enrolled):
        jid = f"{gid}-J{i}"
        add_client(b, jid)
        b.enrolments.append(Enrolment(gid, jid, b.manifest.period_start - timedelta(days=14)))
    return s


def add_team(b: Bundle, tid: str, intervention: str | None = None, oncall: bool = True) -> Team:
    t = Team(tid, f"Team {tid}", oncall, intervention)
    b.teams[tid] = t
    return t


def plan_for(b: Bundle) -> Plan:
    return Plan(period_start=b.manifest.period_start, weeks=b.manifest.weeks)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm))
