"""Form parsing into domain objects, with Dutch errors per field (shown next to the field).

The CSV parsers of :mod:`planner.bundle_csv` are reused so the browser and the
bundle files accept the same notations (``ma``, ``08:30``, ``hbo+``, ...).
"""

from __future__ import annotations

from datetime import datetime

from planner.bundle_csv import (FieldError, parse_absence_kind, parse_date, parse_datetime, parse_education,
                                parse_float, parse_int, parse_registration, parse_time, parse_weekday, parse_wish_kind,
                                parse_wish_shift, split_list, wish_problems)
from planner.domain import Absence, Medewerker, ShiftWish, TimeWindow
from web.app import WEEKDAYS


class FormErrors(dict):
    """field name -> Dutch message."""

    def check(self, field: str, parser, raw: str, required: bool = False, default=None):
        raw = (raw or "").strip()
        if not raw:
            if required:
                self[field] = "Dit veld is verplicht."
            return default
        try:
            return parser(raw)
        except FieldError as e:
            self[field] = str(e)
            return default


def parse_availability(text: str, errors: FormErrors) -> tuple[TimeWindow, ...]:
    """Lines like ``ma 08:30-17:00``."""
    windows = []
    for n, line in enumerate(l.strip() for l in text.splitlines()):
        if not line:
            continue
        try:
            day, span = line.split(None, 1)
            start, end = (parse_time(x.strip()) for x in span.split("-", 1))
            window = TimeWindow(parse_weekday(day), start, end)
        except (ValueError, FieldError):
            errors["beschikbaarheid"] = f"Regel {n + 1} ({line!r}) is niet 'dag van-tot', bijvoorbeeld 'ma 08:30-17:00'."
            continue
        if window.end <= window.start:
            errors["beschikbaarheid"] = f"Regel {n + 1}: het einde ligt niet na het begin."
        windows.append(window)
    return tuple(windows)


def format_availability(m: Medewerker | None) -> str:
    if m is None:
        return ""
    return "\n".join(f"{WEEKDAYS[w.weekday]} {w.start:%H:%M}-{w.end:%H:%M}" for w in m.availability)


def parse_absences(text: str, staff_id: str, errors: FormErrors) -> list[Absence]:
    """Lines like ``2026-12-08T00:00 2026-12-11T00:00 ziekte``."""
    out = []
    for n, line in enumerate(l.strip() for l in text.splitlines()):
        if not line:
            continue
        parts = line.split()
        try:
            start, end = parse_datetime(parts[0]), parse_datetime(parts[1])
            kind = parse_absence_kind(parts[2]) if len(parts) > 2 else parse_absence_kind("verlof")
        except (IndexError, FieldError):
            errors["afwezigheid"] = (f"Regel {n + 1} ({line!r}) is niet 'van tot soort', "
                                     "bijvoorbeeld '2026-12-08T00:00 2026-12-11T00:00 ziekte'.")
            continue
        if end <= start:
            errors["afwezigheid"] = f"Regel {n + 1}: het einde ligt niet na het begin."
        out.append(Absence(staff_id, start, end, kind))
    return out


def format_absences(absences: list[Absence]) -> str:
    return "\n".join(f"{a.start:%Y-%m-%dT%H:%M} {a.end:%Y-%m-%dT%H:%M} {a.kind.value}" for a in absences)


def parse_medewerker(form, staff_id: str, known_teams: set[str]) -> tuple[Medewerker | None, list[Absence], FormErrors]:
    """A medewerker from the edit form, its absences, and the field errors (empty when valid)."""
    e = FormErrors()
    if not staff_id or not staff_id.replace("-", "").replace("_", "").isalnum():
        e["id"] = "Gebruik letters, cijfers, - of _ (bijvoorbeeld M0100)."
    name = (form.get("naam") or "").strip()
    if not name:
        e["naam"] = "Dit veld is verplicht."
    education = e.check("opleiding", parse_education, form.get("opleiding"), required=True)
    profession = (form.get("beroep") or "").strip()
    if not profession:
        e["beroep"] = "Dit veld is verplicht."
    registrations = []
    for raw in form.getlist("registraties"):
        reg = e.check("registraties", parse_registration, raw)
        if reg is not None:
            registrations.append(reg)
    hours = e.check("contracturen", parse_float, form.get("contracturen"), required=True)
    if hours is not None and not 0 < hours <= 60:
        e["contracturen"] = "Contracturen moeten tussen 0 en 60 liggen."
    teams = list(form.getlist("teams"))
    if set(teams) - known_teams:
        e["teams"] = "Onbekend team gekozen."
    cmax = e.check("caseload_max", parse_int, form.get("caseload_max"))
    if cmax is not None and cmax < 0:
        e["caseload_max"] = "De caseload kan niet negatief zijn."
    availability = parse_availability(form.get("beschikbaarheid") or "", e)
    absences = parse_absences(form.get("afwezigheid") or "", staff_id, e)
    if e:
        return None, absences, e
    m = Medewerker(id=staff_id, name=name, education=education, profession=profession,
                   registrations=frozenset(registrations),
                   certifications=frozenset(split_list(form.get("certificeringen") or "")),
                   contract_hours=hours, teams=frozenset(teams),
                   gemeenten=frozenset(split_list(form.get("gemeenten") or "")), caseload_max=cmax,
                   oncall_consent_required=form.get("toestemming_vereist") == "ja",
                   oncall_consent=form.get("toestemming_bereikbaarheid") == "ja", availability=availability)
    return m, absences, e


def parse_wish(form, staff_id: str) -> tuple[ShiftWish | None, FormErrors]:
    """A shift wish from the wish form (datum, dienst, soort, gewicht), and the field errors."""
    e = FormErrors()
    day = e.check("datum", parse_date, form.get("datum"), required=True)
    shift = e.check("dienst", parse_wish_shift, form.get("dienst"), default="*")
    kind = e.check("soort", parse_wish_kind, form.get("soort"), required=True)
    weight = e.check("gewicht", parse_int, form.get("gewicht"), default=10)
    for name, reason in wish_problems(shift, kind, weight).items():
        e.setdefault(name, reason)
    if e:
        return None, e
    return ShiftWish(staff_id, day, shift, kind, weight), e


def parse_local_datetime(raw: str) -> datetime | None:
    """``datetime-local`` input value (``2026-12-08T09:00``) or None."""
    try:
        return datetime.fromisoformat(raw.strip())
    except (ValueError, AttributeError):
        return None
