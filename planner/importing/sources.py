"""Read an uploaded CSV or XLSX file into tables of text cells, and decide which bundle table each is.

Headers are the bundle format's (Dutch or English, case- and accent-insensitive: the column
aliases of :data:`planner.bundle.SCHEMA`); CSV encodings as the bundle loader reads them (UTF-8
with or without BOM, Windows-1252/Latin-1). A table is recognised by its file or sheet name
(``medewerkers``, ``staff``, ...) or else by its header.
"""

from __future__ import annotations

import io
import time as _time
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath

from planner.bundle import SCHEMA
from planner.bundle_csv import decode, match_columns, norm_key, read_rows
from planner.importing.model import ImportIssue
from planner.importing.tables import clean_cell

MAX_BYTES = 20 * 1024 * 1024  # an upload larger than this is refused
MAX_ROWS = 100_000  # data rows per file (CSV) or sheet (XLSX), empty rows included for XLSX
MAX_COLUMNS = 200  # a bundle table has at most a few dozen columns
MAX_CELLS = 2_000_000  # cells really present in an XLSX file, over all sheets
MAX_UNZIPPED = 200 * 1024 * 1024  # declared uncompressed size of all parts of an XLSX file
MAX_SECONDS = 15.0  # reading one upload (a fuzzed or hostile file is stopped, never the app)


class SourceTooLarge(Exception):
    """The upload exceeds a cap (rows, columns, cells, size or time); the message is Dutch."""

# Names a file or sheet may carry for each table (normalised with norm_key).
TABLE_NAMES: dict[str, tuple[str, ...]] = {
    "medewerkers.csv": ("medewerkers", "medewerker", "personeel", "staff"),
    "beschikbaarheid.csv": ("beschikbaarheid", "availability"),
    "afwezigheid.csv": ("afwezigheid", "afwezigheden", "absences", "absence"),
    "wensen.csv": ("wensen", "wens", "dienstwensen", "wishes"),
    "gezinnen.csv": ("gezinnen", "gezin", "families", "family"),
    "jeugdigen.csv": ("jeugdigen", "jeugdige", "clienten", "clients", "client"),
    "toewijzingen.csv": ("toewijzingen", "toewijzing", "allocations"),
    "groepen.csv": ("groepen", "groep", "groups"),
    "sessies.csv": ("sessies", "sessie", "sessions"),
    "inschrijvingen.csv": ("inschrijvingen", "inschrijving", "enrolments", "enrollments"),
    "realisatie.csv": ("realisatie", "zorghistorie", "geleverde_zorg", "history"),
    "teams.csv": ("teams", "team"),
}


@dataclass(slots=True)
class SourceTable:
    """One table of the upload: which bundle table, a label for messages, header and numbered rows."""

    table: str
    label: str
    header: list[str]
    rows: list[tuple[int, list[str]]]


def is_xlsx(data: bytes, filename: str) -> bool:
    return data[:4] == b"PK\x03\x04" or PurePath(filename).suffix.lower() in (".xlsx", ".xlsm")


def table_from_name(name: str) -> str | None:
    """The table a file or sheet name points to (longest matching name wins: 'toewijzingen_2026')."""
    key = norm_key(PurePath(name).stem if "." in name else name)
    best: tuple[int, str] | None = None
    for table, names in TABLE_NAMES.items():
        for n in names:
            if n in key and (best is None or len(n) > best[0]):
                best = (len(n), table)
    return best[1] if best else None


def table_from_header(header: list[str]) -> str | None:
    """The table whose required columns are all present and that matches most columns; None if unclear."""
    scored = []
    for table, columns in SCHEMA.items():
        index, missing = match_columns(header, columns)
        if not missing and index:
            scored.append((len(index), table))
    scored.sort(reverse=True)
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1]


def _detect(label: str, name: str, header: list[str], issues: list[ImportIssue]) -> str | None:
    table = table_from_name(name) or table_from_header(header)
    if table is None:
        issues.append(ImportIssue(label, 1, "", "niet te bepalen welke tabel dit is: geef het bestand of werkblad "
                                                "de naam van de tabel (bv. medewerkers, jeugdigen, toewijzingen)"))
    return table


def read_csv_source(data: bytes, filename: str, issues: list[ImportIssue]) -> list[SourceTable]:
    text = decode(data)
    if text.count("\n") > MAX_ROWS + 1 or text.count("\r") > MAX_ROWS + 1:  # cheap: before csv parses it all
        issues.append(ImportIssue(filename, 0, "", f"te veel rijen: meer dan {MAX_ROWS:,} rijen kunnen niet in één "
                                                   "keer worden ingelezen; splits het bestand".replace(",", ".")))
        return []
    try:
        header, rows = read_rows(text)
    except Exception as e:
        issues.append(ImportIssue(filename, 0, "", f"bestand niet leesbaar als CSV: {e}"))
        return []
    if not header:
        issues.append(ImportIssue(filename, 0, "", "het bestand is leeg"))
        return []
    table = _detect(filename, filename, header, issues)
    return [SourceTable(table, filename, header, rows)] if table else []


def cell_text(value: object) -> str:
    """An Excel cell as bundle text: dates ISO, times UU:MM, whole numbers without '.0', ja/nee."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, (date, time)):
        return value.isoformat() if isinstance(value, date) else value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_cell(str(value))


def _cell_ref(row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(min(max(column, 1), 18278))}{row}"


def _sheet_rows(wb, ws, label: str, budget: list[int], deadline: float):
    """(row number, cell texts) of the cells really present in a read-only sheet.

    openpyxl's ``iter_rows`` trusts the sheet's ``<dimension>`` and pads every row to it, so a
    ``A1:XFD1048576`` dimension with one far-away cell means 17 billion empty cells. Here only the
    ``<c>`` elements in the file count, against ``budget`` (cells left) and ``deadline``.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    with ws._get_source() as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                 date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        for number, cells in parser.parse():
            if _time.monotonic() > deadline:
                raise SourceTooLarge(f"{label}: het inlezen duurt te lang (meer dan {MAX_SECONDS:.0f} s); "
                                     "maak het bestand kleiner of splits het")
            budget[0] -= len(cells)
            if budget[0] < 0:
                raise SourceTooLarge(f"{label}: te veel cellen (meer dan {MAX_CELLS:,}); maak het bestand kleiner "
                                     "of splits het".replace(",", "."))
            if not cells:
                continue
            if number > MAX_ROWS + 1:
                raise SourceTooLarge(f"{label}: cel {_cell_ref(number, cells[0]['column'])} ligt buiten het bereik "
                                     f"dat kan worden ingelezen (hoogstens {MAX_ROWS:,} rijen); verwijder lege of "
                                     "verre cellen of splits het bestand".replace(",", "."))
            width = max(c["column"] for c in cells)
            if width > MAX_COLUMNS:
                raise SourceTooLarge(f"{label}: cel {_cell_ref(number, width)} ligt buiten het bereik dat kan worden "
                                     f"ingelezen (hoogstens {MAX_COLUMNS} kolommen); verwijder verre cellen")
            values: list[object] = [None] * width
            for c in cells:
                if c["column"] >= 1:
                    values[c["column"] - 1] = c["value"]
            yield number, values


def _check_zip(data: bytes) -> None:
    """Refuse a zip whose parts unpack to more than :data:`MAX_UNZIPPED` (a zip bomb)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if sum(i.file_size for i in z.infolist()) > MAX_UNZIPPED:
            raise SourceTooLarge(f"uitgepakt groter dan {MAX_UNZIPPED // 1024 // 1024} MB; dit is geen gewoon "
                                 "Excel-bestand met een tabel")


def read_xlsx_source(data: bytes, filename: str, issues: list[ImportIssue],
                     warnings: list[str]) -> list[SourceTable]:
    """Every non-empty sheet; a sheet that is no bundle table is skipped with a warning.

    Streams the cells really present, capped by :data:`MAX_ROWS`, :data:`MAX_COLUMNS`,
    :data:`MAX_CELLS`, :data:`MAX_UNZIPPED` and :data:`MAX_SECONDS`; any cap or any malformed part
    is one Dutch issue for the whole file (never an exception).
    """
    deadline = _time.monotonic() + MAX_SECONDS
    try:
        return _read_xlsx(data, filename, issues, warnings, deadline)
    except SourceTooLarge as e:
        issues.append(ImportIssue(filename, 0, "", str(e)))
    except MemoryError:
        issues.append(ImportIssue(filename, 0, "", "bestand is te groot om in te lezen"))
    except Exception as e:
        issues.append(ImportIssue(filename, 0, "", f"geen leesbaar Excel-bestand (.xlsx): {type(e).__name__}"))
    return []


def _read_xlsx(data: bytes, filename: str, issues: list[ImportIssue], warnings: list[str],
               deadline: float) -> list[SourceTable]:
    from openpyxl import load_workbook

    _check_zip(data)
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out = []
    budget = [MAX_CELLS]
    try:
        for ws in wb.worksheets:
            if not hasattr(ws, "_get_source"):  # a chartsheet has no cells
                continue
            label = f"{filename}:{ws.title}"
            header: list[str] | None = None
            rows: list[tuple[int, list[str]]] = []
            for number, values in _sheet_rows(wb, ws, label, budget, deadline):
                cells = [cell_text(v) for v in values]
                if not any(cells):
                    continue
                if header is None:
                    header = cells
                else:
                    rows.append((number, cells))
            if header is None:
                continue
            table = table_from_name(ws.title) or table_from_header(header)
            if table is None:
                warnings.append(f"Werkblad {ws.title!r} overgeslagen: geen tabel van de bundel herkend.")
                continue
            out.append(SourceTable(table, label, header, rows))
    finally:
        wb.close()
    if not out and not issues:
        issues.append(ImportIssue(filename, 0, "", "geen werkblad met een tabel van de bundel gevonden"))
    return out


def read_source(data: bytes, filename: str, issues: list[ImportIssue], warnings: list[str]) -> list[SourceTable]:
    """The tables of an uploaded CSV or XLSX file (problems go to ``issues``)."""
    if len(data) > MAX_BYTES:
        issues.append(ImportIssue(filename, 0, "", f"bestand is te groot (meer dan {MAX_BYTES // 1024 // 1024} MB)"))
        return []
    if is_xlsx(data, filename):
        return read_xlsx_source(data, filename, issues, warnings)
    return read_csv_source(data, filename, issues)
