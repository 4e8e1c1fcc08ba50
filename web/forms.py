"""Form input declared once, as Pydantic models, with Dutch messages per field (shown next to the field).

A route takes its form as ``Annotated[SomeForm, Form()]`` (FastAPI form models). Invalid input never reaches
the route: FastAPI raises its validation error, and the app's handler (``web.app``) passes the Dutch messages
(:func:`dutch_errors`) and the sent values to the page that the route named with :func:`form_page`, which
shows the form again with each message next to its field. Checks that need the database (a taken id, an
unknown team, a stale version) stay in the route and use the same ``{field: message}`` dict.

Values are read with the parsers of :mod:`planner.bundle_csv`, so the browser and the bundle files accept
the same notations (``ma``, ``08:30``, ``hbo+``, ``36,5``, ``07-12-2026``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Callable, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from planner.bundle_csv import (FieldError, parse_absence_kind, parse_date, parse_education, parse_float, parse_int,
                                parse_registration, parse_time, parse_weekday, parse_wish_kind, parse_wish_shift,
                                split_list, wish_problems)
from planner.domain import Absence, AbsenceKind, Education, Medewerker, Registration, ShiftWish, TimeWindow, WishKind
from web.app import WEEKDAYS

REQUIRED = "Dit veld is verplicht."
MESSAGES = {  # pydantic error type -> Dutch (the types a form can produce; the rest get GENERIC)
    "missing": REQUIRED, "int_parsing": "Vul een geheel getal in.", "float_parsing": "Vul een getal in.",
    "int_from_float": "Vul een geheel getal in.", "enum": "Kies een waarde uit de lijst.",
    "literal_error": "Kies een waarde uit de lijst.", "date_from_datetime_parsing": "Vul een geldige datum in.",
    "date_parsing": "Vul een geldige datum in.", "bool_parsing": "Kies ja of nee.",
    "string_type": "Vul tekst in.", "list_type": "Kies een of meer waarden uit de lijst.",
    "time_parsing": "Vul een tijd in als 15:00.", "greater_than_equal": "Vul een getal van {ge} of meer in.",
    "less_than_equal": "Vul een getal van hoogstens {le} in.", "greater_than": "Vul een getal groter dan {gt} in."}
GENERIC = "Deze waarde is ongeldig."


def nl_error(message: str, field: str | None = None) -> PydanticCustomError:
    """A pydantic error whose message is exactly ``message`` (Dutch); ``field`` names the field it belongs to
    when it comes from a check across fields."""
    return PydanticCustomError("nl", "{reden}", {"reden": message, **({"veld": field} if field else {})})


def _nl(parser: Callable[[str], Any]) -> BeforeValidator:
    """Read a text value with a :mod:`planner.bundle_csv` parser; its Dutch FieldError becomes the message."""
    def run(value):
        if not isinstance(value, str):
            return value
        try:
            return parser(value)
        except FieldError as e:
            raise nl_error(str(e)) from None
    return BeforeValidator(run)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_strip)]
Decimal = Annotated[float, _nl(parse_float)]
Whole = Annotated[int, _nl(parse_int)]
Day = Annotated[date, _nl(parse_date)]
Level = Annotated[Education, _nl(parse_education)]
Reg = Annotated[Registration, _nl(parse_registration)]
Checkbox = Annotated[bool, BeforeValidator(lambda v: v == "ja" if isinstance(v, str) else bool(v))]
Version = Annotated[int, BeforeValidator(lambda v: int(v) if isinstance(v, str) and v.strip().isdigit() else -1)]


def dutch_errors(errors, rows: bool = False) -> dict[str, str]:
    """Pydantic's (or FastAPI's) validation errors -> ``{field: Dutch message}`` (the first message per field).

    ``rows``: an error in item ``i`` of a list field (a row of a form) is named ``field-i``."""
    out: dict[str, str] = {}
    for e in errors:
        loc = [str(x) for x in e.get("loc", ()) if x != "body"]
        ctx = e.get("ctx") or {}
        for field, message in (ctx.get("velden") or {}).items():
            out.setdefault(field, message)
        if ctx.get("velden"):
            continue
        field = ctx.get("veld") or (loc[0] if loc else "algemeen")
        if rows and len(loc) > 1 and loc[1].isdigit():
            field = f"{loc[0]}-{loc[1]}"
        if e.get("type") == "nl":
            message = ctx["reden"]
        elif e.get("type") == "value_error" and ctx.get("error"):
            message = str(ctx["error"])
        else:
            message = MESSAGES.get(e.get("type"), GENERIC).format(**ctx)
        out.setdefault(field, message)
    return out


def form_page(show: Callable) -> Callable:
    """Route decorator: invalid input goes to ``show(request, errors, values)``, which returns the page with
    the form again (422); ``values`` is the sent form (a Starlette ``FormData``)."""
    def mark(endpoint):
        endpoint.form_page = show
        return endpoint
    return mark


class FormValues:
    """What a form shows: the sent values after an error, else the defaults the page passes."""

    def __init__(self, form=None) -> None:
        self.form = form

    def __bool__(self) -> bool:
        return self.form is not None

    def get(self, name: str, default: Any = "") -> Any:
        if self.form is None:
            return default
        value = self.form.get(name)
        return "" if value is None else value

    def getlist(self, name: str, default=()) -> list:
        if self.form is None:
            return list(default)
        return list(self.form.getlist(name)) if hasattr(self.form, "getlist") else list(default)


# --- medewerker ------------------------------------------------------------------------------------
def _rows(*columns: list[str]) -> list[tuple[int, tuple[str, ...]]]:
    """Parallel lists of row fields -> (index, values) per row that is not empty."""
    width = max((len(c) for c in columns), default=0)
    rows = []
    for i in range(width):
        values = tuple((c[i] if i < len(c) else "").strip() for c in columns)
        rows.append((i, values))
    return rows


class MedewerkerForm(BaseModel):
    """The medewerker form. Availability and absences come as rows of fields (parallel lists: ``dag``,
    ``dag_van``, ``dag_tot`` and ``afw_van``, ``afw_van_tijd``, ``afw_tot``, ``afw_tot_tijd``, ``afw_reden``);
    a row whose index is in ``besch_weg`` / ``afw_weg`` is removed, an empty row is ignored.
    ``beschikbaarheid`` also takes the notation of beschikbaarheid.csv, one ``ma 08:30-17:00`` per line
    (scripts and older clients)."""

    model_config = ConfigDict(extra="ignore")
    naam: Text
    opleiding: Level
    beroep: Text
    registraties: list[Reg] = []
    certificeringen: Text = ""
    contracturen: Decimal
    teams: list[str] = []
    gemeenten: Text = ""
    caseload_max: Whole | None = None
    vog_datum: str = ""
    toestemming_vereist: Checkbox = False
    toestemming_bereikbaarheid: Checkbox = False
    version: Version = -1
    dag: list[str] = []
    dag_van: list[str] = []
    dag_tot: list[str] = []
    besch_weg: list[str] = []
    beschikbaarheid: str = ""
    afw_van: list[str] = []
    afw_van_tijd: list[str] = []
    afw_tot: list[str] = []
    afw_tot_tijd: list[str] = []
    afw_reden: list[str] = []
    afw_weg: list[str] = []
    actie: Literal["", "beschikbaarheid-erbij", "afwezigheid-erbij"] = ""

    @field_validator("contracturen")
    @classmethod
    def _hours(cls, v: float) -> float:
        if not 0 < v <= 60:
            raise nl_error("Contracturen moeten tussen 0 en 60 liggen.")
        return v

    @field_validator("caseload_max")
    @classmethod
    def _caseload(cls, v: int | None) -> int | None:
        if v is not None and v < 0:
            raise nl_error("De caseload kan niet negatief zijn.")
        return v

    @field_validator("vog_datum")
    @classmethod
    def _vog(cls, v: str) -> str:
        if v.strip():
            try:
                parse_date(v.strip())
            except FieldError:
                raise nl_error("Vul de afgiftedatum van de VOG in als datum (bijvoorbeeld 2025-03-01).") from None
        return v.strip()

    # read from the rows above (declared after them: a bad field elsewhere does not hide a bad row)
    windows: tuple[Any, ...] = Field(default=(), validate_default=True)
    spans: tuple[Any, ...] = Field(default=(), validate_default=True)

    @field_validator("windows", mode="before")
    @classmethod
    def _read_availability(cls, _value, info: ValidationInfo) -> tuple[TimeWindow, ...]:
        d, errors = info.data, {}
        windows = list(_text_availability(d.get("beschikbaarheid", ""), errors))
        for i, (day, start, end) in _rows(d.get("dag", []), d.get("dag_van", []), d.get("dag_tot", [])):
            if str(i) in d.get("besch_weg", []) or not (start or end):
                continue
            try:
                window = TimeWindow(parse_weekday(day or "?"), parse_time(start or "?"), parse_time(end or "?"))
            except FieldError:
                errors[f"beschikbaarheid-{i}"] = "Kies een dag en vul een begin- en eindtijd in (bijvoorbeeld 08:30)."
                continue
            if window.end <= window.start:
                errors[f"beschikbaarheid-{i}"] = "De eindtijd ligt niet na de begintijd."
            windows.append(window)
        if errors:
            raise PydanticCustomError("nl", "{reden}", {"reden": "Zie de meldingen bij de rijen.", "velden": errors})
        return tuple(windows)

    @field_validator("spans", mode="before")
    @classmethod
    def _read_absences(cls, _value, info: ValidationInfo) -> tuple[tuple[datetime, datetime, AbsenceKind], ...]:
        d, errors, spans = info.data, {}, []
        cols = [d.get(n, []) for n in ("afw_van", "afw_van_tijd", "afw_tot", "afw_tot_tijd", "afw_reden")]
        for i, (first, first_time, last, last_time, kind) in _rows(*cols):
            if str(i) in d.get("afw_weg", []) or not (first or last or first_time or last_time):
                continue
            try:
                start = datetime.combine(parse_date(first or "?"), parse_time(first_time) if first_time else time())
                end_day = parse_date(last or "?")
                # "tot en met" a date: to the end of that day, unless a time is given
                end = datetime.combine(end_day, parse_time(last_time)) if last_time else \
                    datetime.combine(end_day + timedelta(days=1), time())
                reason = parse_absence_kind(kind)
            except FieldError:
                errors[f"afwezigheid-{i}"] = "Vul een begin- en einddatum in; de tijden mogen leeg blijven."
                continue
            if end <= start:
                errors[f"afwezigheid-{i}"] = "Het einde ligt niet na het begin."
            spans.append((start, end, reason))
        if errors:
            raise PydanticCustomError("nl", "{reden}", {"reden": "Zie de meldingen bij de rijen.", "velden": errors})
        return tuple(spans)

    def medewerker(self, staff_id: str) -> Medewerker:
        return Medewerker(id=staff_id, name=self.naam, education=self.opleiding, profession=self.beroep,
                          registrations=frozenset(self.registraties),
                          certifications=frozenset(split_list(self.certificeringen)),
                          contract_hours=self.contracturen, teams=frozenset(self.teams),
                          gemeenten=frozenset(split_list(self.gemeenten)), caseload_max=self.caseload_max,
                          oncall_consent_required=self.toestemming_vereist,
                          oncall_consent=self.toestemming_bereikbaarheid, availability=self.windows,
                          vog_date=parse_date(self.vog_datum) if self.vog_datum else None)

    def absences(self, staff_id: str) -> list[Absence]:
        return [Absence(staff_id, start, end, kind) for start, end, kind in self.spans]


class NieuweMedewerkerForm(MedewerkerForm):
    id: Text

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not v.replace("-", "").replace("_", "").isalnum():
            raise nl_error("Gebruik letters, cijfers, - of _ (bijvoorbeeld M0100).")
        return v


def _text_availability(text: str, errors: dict[str, str]):
    """The beschikbaarheid.csv notation, one ``ma 08:30-17:00`` per line."""
    for n, line in enumerate(x.strip() for x in text.splitlines()):
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
        yield window


def availability_fields(m: Medewerker | None, form=None, extra: int = 1) -> list[dict]:
    """The availability rows the form shows: sent values after an error, else the medewerker's; plus
    ``extra`` empty rows to fill in."""
    if form is not None:
        rows = [{"dag": d, "van": s, "tot": e} for _, (d, s, e) in
                _rows(form.getlist("dag"), form.getlist("dag_van"), form.getlist("dag_tot"))
                if (s or e) and str(_) not in form.getlist("besch_weg")]
    else:
        rows = [{"dag": WEEKDAYS[w.weekday], "van": f"{w.start:%H:%M}", "tot": f"{w.end:%H:%M}"}
                for w in (m.availability if m else ())]
    return rows + [{"dag": "", "van": "", "tot": ""}] * extra


def absence_fields(absences: list[Absence], form=None, extra: int = 1) -> list[dict]:
    """The absence rows the form shows (van, tijd, tot en met, tijd, reden), as :func:`availability_fields`."""
    if form is not None:
        cols = [form.getlist(n) for n in ("afw_van", "afw_van_tijd", "afw_tot", "afw_tot_tijd", "afw_reden")]
        rows = [dict(zip(("van", "van_tijd", "tot", "tot_tijd", "reden"), v)) for i, v in _rows(*cols)
                if any(v[:4]) and str(i) not in form.getlist("afw_weg")]
    else:
        rows = []
        for a in sorted(absences, key=lambda a: a.start):
            whole_end = a.end.time() == time()
            end_day = (a.end - timedelta(days=1)).date() if whole_end else a.end.date()
            rows.append({"van": a.start.date().isoformat(),
                         "van_tijd": "" if a.start.time() == time() else f"{a.start:%H:%M}",
                         "tot": end_day.isoformat(), "tot_tijd": "" if whole_end else f"{a.end:%H:%M}",
                         "reden": a.kind.value})
    return rows + [{"van": "", "van_tijd": "", "tot": "", "tot_tijd": "", "reden": "verlof"}] * extra


# --- the other forms -------------------------------------------------------------------------------------
class WensForm(BaseModel):
    """A shift wish: datum, dienst (D, A, N or * = hele dag), soort (wel/niet), gewicht 1-100."""

    datum: Day
    dienst: Annotated[str, _nl(parse_wish_shift)] = "*"
    soort: Annotated[WishKind, _nl(parse_wish_kind)]
    gewicht: Whole = 10

    @model_validator(mode="after")
    def _fits(self) -> "WensForm":
        problems = wish_problems(self.dienst, self.soort, self.gewicht)
        if problems:
            raise PydanticCustomError("nl", "{reden}", {"reden": "", "velden": problems})
        return self

    def wish(self, staff_id: str) -> ShiftWish:
        return ShiftWish(staff_id, self.datum, self.dienst, self.soort, self.gewicht)


class VerwijderenForm(BaseModel):
    """Delete a medewerker; ``overdragen_aan``: who takes over their toewijzingen."""

    overdragen_aan: Text = ""


class ToewijzingForm(BaseModel):
    einddatum: Day
    team_id: Text = ""
    version: Version = -1


ROLE_CHOICES = Literal["teamleider", "planner", "viewer"]


def _password(v: str) -> str:
    if len(v) < 8:
        raise nl_error("Het wachtwoord moet minstens 8 tekens hebben.")
    return v


class GebruikerForm(BaseModel):
    gebruikersnaam: Text
    rol: ROLE_CHOICES
    teams: Text = ""
    wachtwoord: str

    @field_validator("gebruikersnaam")
    @classmethod
    def _name(cls, v: str) -> str:
        if len(v) > 100:
            raise nl_error("Hoogstens 100 tekens.")
        return v

    @field_validator("wachtwoord")
    @classmethod
    def _password(cls, v: str) -> str:
        return _password(v)

    @property
    def team_list(self) -> list[str]:
        return [t.strip() for t in self.teams.split(";") if t.strip()]


class WachtwoordForm(BaseModel):
    wachtwoord: str

    @field_validator("wachtwoord")
    @classmethod
    def _password(cls, v: str) -> str:
        return _password(v)


class ActiefForm(BaseModel):
    actief: Literal["ja", "nee"]


def parse_local_datetime(raw: str) -> datetime | None:
    """``datetime-local`` input value (``2026-12-08T09:00``) or None."""
    try:
        return datetime.fromisoformat(raw.strip())
    except (ValueError, AttributeError):
        return None
