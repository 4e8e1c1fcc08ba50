"""Merge imported rows into the bundle tables: create, update (only the columns given) or leave unchanged.

A row whose key (id, or the composite key of :data:`planner.importing.tables.KEYS`) exists is
updated in the columns the upload has; other columns keep their value. An import never deletes
(a JW301 'Verwijderd' is the one exception, see :mod:`planner.ijw.mapping`).
"""

from __future__ import annotations

from planner.bundle import FORBIDDEN, SCHEMA
from planner.bundle_csv import match_columns, norm_key
from planner.domain import initials_problem
from planner.importing.model import (
    CREATED,
    REJECTED,
    UNCHANGED,
    UPDATED,
    ImportIssue,
    RowChange,
)
from planner.importing.sources import SourceTable
from planner.importing.tables import KEYS, Table, clean_cell, key_of

# (table, row position) -> the change that wrote that row, to map validator issues back to the upload
Origins = dict[tuple[str, int], RowChange]


def upsert(tables: dict[str, Table], origins: Origins, change: RowChange) -> RowChange:
    """Apply one row (``change.values``: canonical column -> text) to its table; sets the action."""
    table = tables[change.table]
    key = key_of(change.table, change.values)
    pos = table.find(key) if all(key) else None  # a row without key is added (the validator rejects it)
    if pos is None:
        pos = table.append(change.values)
        change.action = CREATED
    else:
        change.action = UPDATED if table.update(pos, change.values) else UNCHANGED
    origins[(change.table, pos)] = change
    return change


def _check_header(src: SourceTable, index: dict[str, int], issues: list[ImportIssue]) -> bool:
    """Privacy columns are refused and key columns must be present; False when the table cannot be merged."""
    ok = True
    for h in src.header:
        if norm_key(h) in FORBIDDEN.get(src.table, set()):
            issues.append(ImportIssue(src.label, 1, h, "kolom hoort niet in de bundel: alleen pseudoniemen, "
                                                       "geen namen of BSN; verwijder de kolom"))
            ok = False
    for col in KEYS[src.table]:
        if col not in index:
            issues.append(ImportIssue(src.label, 1, col, f"verplichte kolom ontbreekt (nodig om rijen van "
                                                         f"{src.table} te herkennen)"))
            ok = False
    return ok


def merge_source(tables: dict[str, Table], origins: Origins, src: SourceTable,
                 issues: list[ImportIssue]) -> list[RowChange]:
    """Merge every row of one uploaded table; duplicates within the upload are rejected."""
    index, _missing = match_columns(src.header, SCHEMA[src.table])
    if not _check_header(src, index, issues):
        return []
    headers = {col: src.header[i] for col, i in index.items()}
    seen: dict[tuple[str, ...], int] = {}
    changes = []
    for number, cells in src.rows:
        values = {col: clean_cell(cells[i]) if i < len(cells) else "" for col, i in index.items()}
        key = key_of(src.table, values)
        change = RowChange(src.table, " / ".join(values.get(c, "") for c in KEYS[src.table]), CREATED, src.label,
                           number, values, headers)
        if all(key) and key in seen:
            change.reject(KEYS[src.table][0], f"dubbele regel in het importbestand (ook op rij {seen[key]})")
        else:
            if all(key):
                seen[key] = number
            upsert(tables, origins, change)
            problem = initials_problem(values["initialen"]) if src.table == "jeugdigen.csv" and values.get(
                "initialen") else None  # empty: the validator says it is required
            if problem:
                change.reject("initialen", problem)  # never a client's name
        changes.append(change)
    if src.table == "jeugdigen.csv":
        changes += _missing_gezinnen(tables, origins, [c for c in changes if c.action != REJECTED])
    return changes


def _missing_gezinnen(tables: dict[str, Table], origins: Origins, rows: list[RowChange]) -> list[RowChange]:
    """A jeugdige of a gezin the bundle does not know yet creates that gezin (with the row's gemeente)."""
    gezinnen, out = tables["gezinnen.csv"], []
    for c in rows:
        gid, gemeente = c.values.get("gezin_id", ""), c.values.get("gemeente", "")
        if gid and gemeente and gezinnen.find((gid,)) is None:
            change = RowChange("gezinnen.csv", gid, CREATED, c.source, c.row, {"id": gid, "gemeente": gemeente},
                               {"id": c.headers.get("gezin_id", "gezin_id"), "gemeente": c.headers.get("gemeente", "")})
            change.notes.append(f"gezin {gid} aangemaakt voor jeugdige {c.key}")
            out.append(upsert(tables, origins, change))
    return out


def row_values(values: dict[str, object]) -> dict[str, str]:
    """Values for :func:`upsert` from Python values (None = empty)."""
    return {k: "" if v is None else clean_cell(str(v)) for k, v in values.items()}
