"""Read an uploaded CSV or XLSX file into tables of text cells, and decide which bundle table each is.

Headers are the bundle format's (Dutch or English, case- and accent-insensitive: the column
aliases of :data:`planner.bundle.SCHEMA`); CSV encodings as the bundle loader reads them (UTF-8
with or without BOM, Windows-1252/Latin-1). A table is recognised by its file or sheet name
(``medewerkers``, ``staff``, ...) or else by its header.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath

from planner.bundle import SCHEMA
from planner.bundle_csv import decode, match_columns, norm_key, read_rows
from planner.importing.model import ImportIssue
from planner.importing.tables import clean_cell

MAX_BYTES = 20 * 1024 * 1024  # an upload larger than this is refused
MAX_ROWS = 100_000

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
    try:
        header, rows = read_rows(decode(data))
    except Exception as e:  # noqa: BLE001 - csv.Error: report, never crash
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


def read_xlsx_source(data: bytes, filename: str, issues: list[ImportIssue],
                     warnings: list[str]) -> list[SourceTable]:
    """Every non-empty sheet; a sheet that is no bundle table is skipped with a warning."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as e:
        issues.append(ImportIssue(filename, 0, "", f"geen leesbaar Excel-bestand (.xlsx): {type(e).__name__}"))
        return []
    out = []
    for ws in wb.worksheets:
        label = f"{filename}:{ws.title}"
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            if not any(cells):
                continue
            if header is None:
                header = cells
            elif len(rows) < MAX_ROWS:
                rows.append((number, cells))
        if header is None:
            continue
        table = table_from_name(ws.title) or table_from_header(header)
        if table is None:
            warnings.append(f"Werkblad {ws.title!r} overgeslagen: geen tabel van de bundel herkend.")
            continue
        out.append(SourceTable(table, label, header, rows))
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
