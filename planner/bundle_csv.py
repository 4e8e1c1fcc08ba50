"""Low-level reading of bundle files: encodings, header aliases, value parsing.

Used by :mod:`planner.bundle`.  Every parser returns a value or raises
:class:`FieldError` with a Dutch reason; the loader turns those into
:class:`Issue` rows so that all problems of a bundle are reported at once.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from planner.domain import AbsenceKind, Education, OmvangFrequency, OmvangUnit, Registration, WishKind


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in a bundle: file, row (1 = header, 2 = first data row; 0 = whole file), field, Dutch reason."""

    file: str
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row} {self.field}: {self.reason}"


class FieldError(ValueError):
    """A single bad value; the message is the Dutch reason."""


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a bundle CSV: canonical (Dutch) name, accepted aliases, required or not."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False


# --- decoding ---------------------------------------------------------------
def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), falling back to Windows-1252/Latin-1 (common Excel exports)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def read_text(path: Path) -> str:
    return decode(path.read_bytes())


def norm_key(text: str) -> str:
    """Header key: lower case, accents stripped, only letters/digits/+ kept ('Geboortejaar ' == 'geboorte_jaar')."""
    stripped = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9+]", "", stripped.lower())


def read_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) rows; delimiter ',' or ';' sniffed from the header line."""
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip() for c in cells]
            continue
        rows.append((reader.line_num, cells))
    return header or [], rows


def match_columns(header: list[str], columns: list[Column]) -> tuple[dict[str, int], list[Column]]:
    """Index of each known column in the header, and the required columns that are missing."""
    keys = [norm_key(h) for h in header]
    index: dict[str, int] = {}
    for col in columns:
        for alias in (col.name, *col.aliases):
            k = norm_key(alias)
            if k in keys:
                index[col.name] = keys.index(k)
                break
    missing = [c for c in columns if c.required and c.name not in index]
    return index, missing


# --- value parsers ------------------------------------------------------------
def parse_date(s: str) -> date:
    """ISO ``2026-12-07``; Dutch ``07-12-2026`` is accepted too."""
    s = s.strip()
    try:
        if re.fullmatch(r"\d{1,2}[-/]\d{1,2}[-/]\d{4}", s):
            d, m, y = re.split(r"[-/]", s)
            return date(int(y), int(m), int(d))
        return date.fromisoformat(s)
    except ValueError:
        raise FieldError(f"ongeldige datum {s!r} (verwacht JJJJ-MM-DD)") from None


def parse_datetime(s: str) -> datetime:
    """ISO ``2026-12-07T09:00`` (or with a space); a bare date means 00:00."""
    s = s.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            return datetime.combine(date.fromisoformat(s), time(0, 0))
        return datetime.fromisoformat(s.replace(" ", "T", 1))
    except ValueError:
        raise FieldError(f"ongeldig tijdstip {s!r} (verwacht JJJJ-MM-DDTUU:MM)") from None


def parse_time(s: str) -> time:
    """``HH:MM``; ``24:00`` is read as 23:59 (end of the day)."""
    s = s.strip().replace(".", ":")
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::\d{2})?", s)
    if not m:
        raise FieldError(f"ongeldige tijd {s!r} (verwacht UU:MM)")
    hh, mm = int(m[1]), int(m[2])
    if (hh, mm) == (24, 0):
        return time(23, 59)
    if hh > 23 or mm > 59:
        raise FieldError(f"ongeldige tijd {s!r} (uren 0-23, minuten 0-59)")
    return time(hh, mm)


def parse_float(s: str) -> float:
    """A number; a decimal comma is accepted (``36,5``)."""
    try:
        value = float(s.strip().replace(",", "."))
    except ValueError:
        raise FieldError(f"geen getal: {s!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise FieldError(f"geen getal: {s!r}")
    return value


def parse_int(s: str) -> int:
    value = parse_float(s)
    if value != int(value):
        raise FieldError(f"geen geheel getal: {s!r}")
    return int(value)


_TRUE = {"ja", "j", "true", "waar", "yes", "y", "1", "x"}
_FALSE = {"nee", "n", "false", "onwaar", "no", "0", ""}


def parse_bool(s: str) -> bool:
    k = s.strip().lower()
    if k in _TRUE:
        return True
    if k in _FALSE:
        return False
    raise FieldError(f"geen ja/nee-waarde: {s!r}")


def parse_education(s: str) -> Education:
    k = norm_key(s).replace("plus", "+").replace("niveau", "")
    for e in Education:
        if k == e.value:
            return e
    raise FieldError(f"onbekend opleidingsniveau {s!r} (kies uit {', '.join(e.value for e in Education)})")


_REGISTRATION_ALIASES = {"registervaktherapie": Registration.RVT, "vaktherapie": Registration.RVT,
                         "rvt": Registration.RVT, "skj": Registration.SKJ, "big": Registration.BIG,
                         "nip": Registration.NIP, "nvo": Registration.NVO, "knmg": Registration.KNMG}


def parse_registration(s: str) -> Registration:
    r = _REGISTRATION_ALIASES.get(norm_key(s))
    if r is None:
        raise FieldError(f"onbekende registratie {s!r} (kies uit {', '.join(r.value for r in Registration)})")
    return r


WEEKDAYS = {"ma": 0, "maandag": 0, "mon": 0, "monday": 0, "di": 1, "dinsdag": 1, "tue": 1, "tuesday": 1,
            "wo": 2, "woensdag": 2, "wed": 2, "wednesday": 2, "do": 3, "donderdag": 3, "thu": 3, "thursday": 3,
            "vr": 4, "vrijdag": 4, "fri": 4, "friday": 4, "za": 5, "zaterdag": 5, "sat": 5, "saturday": 5,
            "zo": 6, "zondag": 6, "sun": 6, "sunday": 6}


def parse_weekday(s: str) -> int:
    """``ma`` .. ``zo`` (or full Dutch/English names); a number means ISO 1 = maandag .. 7 = zondag."""
    k = norm_key(s)
    if k in WEEKDAYS:
        return WEEKDAYS[k]
    if k.isdigit():
        if 1 <= int(k) <= 7:
            return int(k) - 1
        raise FieldError(f"weekdag {s!r} buiten bereik (1 = maandag .. 7 = zondag)")
    raise FieldError(f"onbekende weekdag {s!r} (ma, di, wo, do, vr, za, zo)")


_UNIT_CODES = {"01": OmvangUnit.MINUUT, "04": OmvangUnit.UUR, "14": OmvangUnit.ETMAAL, "16": OmvangUnit.DAGDEEL,
               "82": OmvangUnit.STUKS, "84": OmvangUnit.STUKS, "83": OmvangUnit.EURO, "minuten": OmvangUnit.MINUUT,
               "uren": OmvangUnit.UUR, "dagdelen": OmvangUnit.DAGDEEL, "etmalen": OmvangUnit.ETMAAL,
               "minute": OmvangUnit.MINUUT, "minutes": OmvangUnit.MINUUT, "hour": OmvangUnit.UUR,
               "hours": OmvangUnit.UUR, "pieces": OmvangUnit.STUKS}


def parse_unit(s: str) -> OmvangUnit:
    k = norm_key(s)
    for u in OmvangUnit:
        if k == u.value:
            return u
    if k in _UNIT_CODES or k.zfill(2) in _UNIT_CODES:
        return _UNIT_CODES.get(k) or _UNIT_CODES[k.zfill(2)]
    raise FieldError(f"onbekende eenheid {s!r} (kies uit {', '.join(u.value for u in OmvangUnit)})")


_FREQ = {"perdag": OmvangFrequency.PER_DAG, "dag": OmvangFrequency.PER_DAG, "1": OmvangFrequency.PER_DAG,
         "perweek": OmvangFrequency.PER_WEEK, "week": OmvangFrequency.PER_WEEK, "2": OmvangFrequency.PER_WEEK,
         "permaand": OmvangFrequency.PER_MAAND, "maand": OmvangFrequency.PER_MAAND, "4": OmvangFrequency.PER_MAAND,
         "totaal": OmvangFrequency.TOTAAL, "totaalbinnengeldigheidsduur": OmvangFrequency.TOTAAL,
         "6": OmvangFrequency.TOTAAL, "total": OmvangFrequency.TOTAAL}


def _looked_up(table: dict, key: str, error: str):
    """table[key], or a FieldError with the Dutch ``error`` for an unknown key."""
    if key in table:
        return table[key]
    raise FieldError(error)


def parse_frequency(s: str) -> OmvangFrequency:
    return _looked_up(_FREQ, norm_key(s), f"onbekende frequentie {s!r} (per_dag, per_week, per_maand, totaal)")


def parse_absence_kind(s: str) -> AbsenceKind:
    k = norm_key(s) or "verlof"
    for a in AbsenceKind:
        if k == a.value:
            return a
    raise FieldError(f"onbekende soort afwezigheid {s!r} (verlof, ziekte, training, overig)")


_WISH_KINDS = {"wel": WishKind.WEL, "niet": WishKind.NIET, "on": WishKind.WEL, "off": WishKind.NIET}
_WISH_SHIFTS = {"d": "D", "dag": "D", "a": "A", "avond": "A", "n": "N", "nacht": "N", "": "*", "*": "*"}


def parse_wish_kind(s: str) -> WishKind:
    return _looked_up(_WISH_KINDS, norm_key(s), f"onbekende soort wens {s!r} (wel of niet)")


def parse_wish_shift(s: str) -> str:
    """A residential shift code: D (dag), A (avond), N (nacht) or ``*`` (de hele dag)."""
    return _looked_up(_WISH_SHIFTS, s.strip().lower(),
                      f"onbekende dienst {s!r} (D = dag, A = avond, N = nacht, * = de hele dag)")


def wish_problems(shift: str | None, kind: WishKind | None, weight: int | None) -> dict[str, str]:
    """Field -> Dutch reason where a wish's parsed parts do not fit: weight 1-100, ``wel`` needs D, A or N.

    The one rule set for wensen.csv rows and the web form."""
    out = {}
    if weight is not None and not 1 <= weight <= 100:
        out["gewicht"] = f"gewicht {weight} buiten bereik 1-100"
    if kind is WishKind.WEL and shift == "*":
        out["dienst"] = "bij een wens 'wel' hoort een dienst (D, A of N)"
    return out


def split_list(s: str) -> list[str]:
    """A multi-valued cell: values separated by ``;`` (or ``|``)."""
    return [p.strip() for p in re.split(r"[;|]", s) if p.strip()]
