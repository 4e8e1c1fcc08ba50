"""``toewijzingen_te_specificeren.csv``: JW301 toewijzingen the teamleider still has to specify.

An aspecific toewijzing (no product code, or a code the rule pack does not know, or no
einddatum) cannot enter ``toewijzingen.csv`` yet; it waits here with the reason in ``signaal``.
One without omvang does enter the bundle and is listed here too. The teamleider fills in
productcode/omvang and imports this very file: rows still without productcode are skipped, the
others go through the normal toewijzingen import, and a toewijzing that is complete in the bundle
leaves this list. The file holds no personal data (pseudonymous ids only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from planner.bundle_csv import norm_key, read_rows, read_text
from planner.importing.model import CREATED, DELETED, UPDATED, ImportPreview, RowChange
from planner.importing.sources import SourceTable
from planner.importing.tables import Table, csv_text, sha256

PENDING_FILE = "toewijzingen_te_specificeren.csv"
COLUMNS = ["id", "jeugdige_id", "categorie", "productcode", "begindatum", "einddatum", "volume", "eenheid",
           "frequentie", "budget", "reden_wijziging", "signaal"]


@dataclass(slots=True)
class PendingList:
    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def read(cls, root: Path) -> "PendingList":
        out = cls()
        path = root / PENDING_FILE
        if path.is_file():
            header, rows = read_rows(read_text(path))
            keys = [norm_key(h) for h in header]
            for _line, cells in rows:
                row = {c: (cells[keys.index(norm_key(c))].strip() if norm_key(c) in keys and
                           keys.index(norm_key(c)) < len(cells) else "") for c in COLUMNS}
                if row["id"]:
                    out.rows[row["id"]] = row
        return out

    def upsert(self, row: dict[str, str]) -> str:
        """Add or replace a row; returns the action (CREATED/UPDATED, or '' when identical)."""
        new = {c: row.get(c, "") for c in COLUMNS}
        old = self.rows.get(new["id"])
        if old == new:
            return ""
        self.rows[new["id"]] = new
        self.changed = True
        return UPDATED if old else CREATED

    def remove(self, tid: str) -> bool:
        if self.rows.pop(tid, None) is None:
            return False
        self.changed = True
        return True

    def render(self) -> str:
        return csv_text(COLUMNS, [[r[c] for c in COLUMNS] for r in self.rows.values()])

    def stage(self, root: Path, preview: ImportPreview) -> None:
        """Put the list among the preview's files when it changed."""
        if self.changed:
            preview.files[PENDING_FILE] = self.render()
            preview.base[PENDING_FILE] = sha256(root / PENDING_FILE)


def complete(row: dict[str, str] | None) -> bool:
    """A toewijzingen.csv row that needs nothing more: product code and omvang given."""
    return bool(row and row.get("productcode") and row.get("volume") and row.get("eenheid") and row.get("frequentie"))


def settle_pending(root: Path, tables: dict[str, Table], preview: ImportPreview) -> None:
    """After a table import: toewijzingen now complete in the bundle leave the list."""
    pending = PendingList.read(root)
    toewijzingen = tables["toewijzingen.csv"]
    for tid in list(pending.rows):
        pos = toewijzingen.find((tid,))
        if pos is not None and complete(toewijzingen.rows[pos]):
            pending.remove(tid)
            preview.changes.append(RowChange(PENDING_FILE, tid, DELETED, PENDING_FILE, 0,
                                             notes=["gespecificeerd: van de lijst te specificeren gehaald"]))
    pending.stage(root, preview)


def skip_unspecified(src: SourceTable, warnings: list[str]) -> SourceTable:
    """Importing the list itself: rows without productcode are not ready and are skipped (with a warning)."""
    if src.table != "toewijzingen.csv" or "signaal" not in [norm_key(h) for h in src.header]:
        return src
    keys = [norm_key(h) for h in src.header]
    if "productcode" not in keys:
        return src
    i = keys.index("productcode")
    ready = [(n, cells) for n, cells in src.rows if i < len(cells) and cells[i].strip()]
    if len(ready) < len(src.rows):
        warnings.append(f"{len(src.rows) - len(ready)} rij(en) zonder productcode overgeslagen: nog te specificeren.")
    return SourceTable(src.table, src.label, src.header, ready)
