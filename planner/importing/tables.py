"""A bundle's CSV files as editable tables of text rows, keyed like the loader keys them.

An import merges rows into these tables, renders the touched ones as CSV and lets the bundle
validator (:func:`planner.bundle.validate_bundle`) judge the result: there is one validator.
Columns a table has beyond the bundle format are kept, so an import never loses data.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from planner.bundle import SCHEMA
from planner.bundle_csv import (
    FieldError,
    match_columns,
    parse_date,
    parse_datetime,
    parse_time,
    parse_weekday,
    parse_wish_shift,
    read_rows,
    read_text,
)
from planner.importing.model import ImportIssue

# The columns that identify a row; tables without an ``id`` use a composite key.
KEYS: dict[str, tuple[str, ...]] = {name: ("id",) for name in SCHEMA}
KEYS.update({"beschikbaarheid.csv": ("medewerker_id", "weekdag", "van"), "afwezigheid.csv": ("medewerker_id", "van"),
             "wensen.csv": ("medewerker_id", "datum", "dienst"),
             "inschrijvingen.csv": ("groep_id", "jeugdige_id", "begindatum"),
             "realisatie.csv": ("toewijzing_id", "datum", "soort", "medewerker_id")})
# Key values are compared after parsing, so "maandag" == "ma" and "07-12-2026" == "2026-12-07".
_KEY_PARSERS: dict[tuple[str, str], Callable[[str], object]] = {
    ("beschikbaarheid.csv", "weekdag"): parse_weekday, ("beschikbaarheid.csv", "van"): parse_time,
    ("afwezigheid.csv", "van"): parse_datetime, ("inschrijvingen.csv", "begindatum"): parse_date,
    ("wensen.csv", "datum"): parse_date, ("wensen.csv", "dienst"): parse_wish_shift,
    ("realisatie.csv", "datum"): parse_date}


def key_of(table: str, values: dict[str, str]) -> tuple[str, ...]:
    """The normalised key of a row; an unparsable part is compared as text (the validator reports it)."""
    out = []
    for col in KEYS[table]:
        raw = values.get(col, "").strip()
        parser = _KEY_PARSERS.get((table, col))
        try:
            out.append(str(parser(raw)) if parser and raw else raw)
        except FieldError:
            out.append(raw)
    return tuple(out)


def clean_cell(value: str) -> str:
    """A cell as stored: stripped, on one line (so a row's line number is its position)."""
    return " ".join(value.replace("\r", "\n").split("\n")).strip()


@dataclass(slots=True)
class Table:
    """One bundle CSV: canonical columns first, then any extra columns the file had."""

    name: str
    columns: list[str]
    rows: list[dict[str, str] | None] = field(default_factory=list)  # None = deleted by the import
    exists: bool = False
    touched: bool = False
    _index: dict[tuple[str, ...], int] = field(default_factory=dict)

    def find(self, key: tuple[str, ...]) -> int | None:
        return self._index.get(key)

    def append(self, values: dict[str, str]) -> int:
        self.rows.append({c: values.get(c, "") for c in self.columns})
        pos = len(self.rows) - 1
        self._index.setdefault(key_of(self.name, self.rows[pos]), pos)
        self.touched = True
        return pos

    def update(self, pos: int, values: dict[str, str]) -> bool:
        """Overwrite the given columns of row ``pos``; True when something changed."""
        row = self.rows[pos]
        assert row is not None
        new = {**row, **{c: v for c, v in values.items() if c in row}}
        if new == row:
            return False
        self.rows[pos] = new
        self.touched = True
        return True

    def delete(self, pos: int) -> None:
        self.rows[pos] = None
        self._index = {k: i for k, i in self._index.items() if i != pos}
        self.touched = True

    def lines(self) -> dict[int, int]:
        """Row position -> line number in the rendered file (1 is the header)."""
        out, line = {}, 2
        for pos, row in enumerate(self.rows):
            if row is not None:
                out[pos] = line
                line += 1
        return out

    def render(self) -> str:
        return csv_text(self.columns, [[row.get(c, "") for c in self.columns] for row in self.rows if row is not None])


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    """A CSV file as the bundle writes it: UTF-8 text, ',' separated, '\\n' line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def sha256(path: Path) -> str | None:
    """Content hash of a file, None when it does not exist."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def bundle_hashes(root: Path) -> dict[str, str | None]:
    """Hashes of the manifest and every bundle CSV: what a preview depends on."""
    return {name: sha256(root / name) for name in ("manifest.yaml", *SCHEMA)}


def read_table(root: Path, name: str, issues: list[ImportIssue]) -> Table:
    """Read one bundle CSV as text rows; an unreadable file is one issue and an empty table."""
    canonical = [c.name for c in SCHEMA[name]]
    path = root / name
    if not path.is_file():
        return Table(name, canonical)
    try:
        header, rows = read_rows(read_text(path))
    except Exception as e:
        issues.append(ImportIssue(name, 0, "", f"bestaand bundelbestand niet leesbaar: {e}"))
        return Table(name, canonical, exists=True)
    index, _missing = match_columns(header, SCHEMA[name])
    extra = [(i, h) for i, h in enumerate(header) if i not in index.values() and h]
    table = Table(name, canonical + [h for _, h in extra], exists=True)
    for _line, cells in rows:
        values = {c: clean_cell(cells[i]) if i < len(cells) else "" for c, i in index.items()}
        values.update({h: clean_cell(cells[i]) if i < len(cells) else "" for i, h in extra})
        table.append(values)
    table.touched = False
    return table


def read_tables(root: Path, issues: list[ImportIssue]) -> dict[str, Table]:
    return {name: read_table(root, name, issues) for name in SCHEMA}
