"""What an import preview holds: row changes, issues (row, field, Dutch reason) and the files to write.

A preview is computed without touching the bundle; :func:`planner.importing.commit_import`
writes ``ImportPreview.files`` atomically after checking that the bundle did not change since
(``ImportPreview.base`` holds the SHA-256 of every file the preview read).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CREATED, UPDATED, UNCHANGED, DELETED, REJECTED = "created", "updated", "unchanged", "deleted", "rejected"
ACTION_LABELS = {CREATED: "nieuw", UPDATED: "gewijzigd", UNCHANGED: "ongewijzigd", DELETED: "verwijderd",
                 REJECTED: "afgewezen"}


class ImportRefused(Exception):
    """The import cannot be committed; the message is Dutch and nothing was written."""


@dataclass(frozen=True, slots=True)
class ImportIssue:
    """One problem: source (file, sheet or bundle file), row (1 = header, 0 = whole file), field, Dutch reason."""

    source: str
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.row}" if self.row else self.source
        return f"{where} {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


@dataclass(slots=True)
class RowChange:
    """One row of the import and what it does to one bundle table."""

    table: str  # bundle file, e.g. "medewerkers.csv"
    key: str  # id (or composite key) in the bundle
    action: str  # CREATED, UPDATED, UNCHANGED, DELETED; REJECTED when it has issues
    source: str
    row: int
    values: dict[str, str] = field(default_factory=dict)  # canonical column -> new text
    headers: dict[str, str] = field(default_factory=dict)  # canonical column -> header in the source
    issues: list[ImportIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # Dutch flags for the teamleider

    def reject(self, column: str, reason: str) -> None:
        """Record a problem with ``column`` (canonical name; shown with the source's own header)."""
        self.issues.append(ImportIssue(self.source, self.row, self.headers.get(column, column), reason))
        self.action = REJECTED

    @property
    def label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass(slots=True)
class ImportPreview:
    """The outcome of :func:`planner.importing.preview_import`; nothing has been written yet."""

    bundle_dir: Path
    filename: str
    kind: str  # "tabel" (CSV/XLSX) or "jw301"
    changes: list[RowChange] = field(default_factory=list)
    file_issues: list[ImportIssue] = field(default_factory=list)  # not tied to one imported row
    warnings: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # relative path -> new text
    base: dict[str, str | None] = field(default_factory=dict)  # relative path -> sha256 when previewed
    private_files: frozenset[str] = frozenset()  # written with mode 0600

    @property
    def issues(self) -> list[ImportIssue]:
        """Every problem, file-level first, then per row in source order."""
        rows = [i for c in sorted(self.changes, key=lambda c: (c.source, c.row)) for i in c.issues]
        return [*self.file_issues, *rows]

    @property
    def ok(self) -> bool:
        """True when the import may be committed (no problem anywhere)."""
        return not self.file_issues and not any(c.issues for c in self.changes)

    def _with(self, action: str) -> list[RowChange]:
        return [c for c in self.changes if c.action == action]

    @property
    def created(self) -> list[RowChange]:
        return self._with(CREATED)

    @property
    def updated(self) -> list[RowChange]:
        return self._with(UPDATED)

    @property
    def deleted(self) -> list[RowChange]:
        return self._with(DELETED)

    @property
    def rejected(self) -> list[RowChange]:
        return self._with(REJECTED)

    def summary(self) -> str:
        """One Dutch line: counts per action and whether the import can be committed."""
        counts = ", ".join(f"{len(self._with(a))} {ACTION_LABELS[a]}" for a in (CREATED, UPDATED, UNCHANGED,
                                                                                    DELETED, REJECTED))
        verdict = ("klaar om door te voeren" if self.ok else
                   f"{len(self.issues)} probleem/problemen: er wordt niets ingelezen")
        return f"{self.filename}: {counts}; {verdict}."

    def to_json(self) -> dict[str, Any]:
        """A plain dict for a web preview table (no file contents: those stay server-side)."""
        return {"filename": self.filename, "kind": self.kind, "ok": self.ok, "summary": self.summary(),
                "warnings": list(self.warnings),
                "issues": [_issue_json(i) for i in self.issues],
                "changes": [{"table": c.table, "key": c.key, "action": c.action, "label": c.label,
                             "source": c.source, "row": c.row, "values": dict(c.values), "notes": list(c.notes),
                             "issues": [_issue_json(i) for i in c.issues]} for c in self.changes]}


def _issue_json(i: ImportIssue) -> dict[str, Any]:
    return {"source": i.source, "row": i.row, "field": i.field, "reason": i.reason}
