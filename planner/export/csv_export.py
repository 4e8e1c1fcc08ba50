"""All assignments of a plan as one CSV file (UTF-8 with BOM and ';' so Dutch Excel opens it directly)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from planner.bundle_csv import decode, read_rows
from planner.domain import Bundle
from planner.export.rows import COLUMNS, Row, override_rows, plan_rows, safe_cell, unsafe_cell
from planner.plan import Plan


def assignments_csv(plan: Plan, b: Bundle | None = None, staff_id: str | None = None) -> str:
    """The CSV text (``COLUMNS`` of :mod:`planner.export.rows`), one row per assignment and medewerker."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(COLUMNS)
    for row in plan_rows(plan, b, staff_id) + (override_rows(plan) if staff_id is None else []):
        w.writerow([safe_cell(row[c]) for c in COLUMNS])
    return buf.getvalue()


def write_csv(plan: Plan, out: str | Path, b: Bundle | None = None, staff_id: str | None = None) -> Path:
    path = Path(out)
    path.write_bytes(b"\xef\xbb\xbf" + assignments_csv(plan, b, staff_id).encode("utf-8"))
    return path


def read_csv_rows(data: bytes) -> list[Row]:
    """Rows of an assignments CSV (the bundle reader's decoding and delimiter sniffing)."""
    header, rows = read_rows(decode(data))
    return [{h: unsafe_cell(cells[i]) if i < len(cells) else "" for i, h in enumerate(header)} for _n, cells in rows]
