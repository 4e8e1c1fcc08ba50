"""Import of bundle tables (CSV/XLSX) and JW301 toewijzingen: a preview first, then one atomic commit.

``preview = preview_import(bundle_dir, file_bytes, filename)`` never writes; it lists the rows
that will be created, updated or rejected (row number, field, Dutch reason).
``commit_import(bundle_dir, preview)`` writes the bundle's files all-or-nothing and refuses
(:class:`ImportRefused`, Dutch message) when the preview has problems. See docs/import-export.md.
"""

from planner.importing.commit import commit_import
from planner.importing.model import (
                                     ACTION_LABELS,
                                     CREATED,
                                     DELETED,
                                     REJECTED,
                                     UNCHANGED,
                                     UPDATED,
                                     ImportIssue,
                                     ImportPreview,
                                     ImportRefused,
                                     RowChange,
)
from planner.importing.preview import preview_import

__all__ = ["ACTION_LABELS", "CREATED", "DELETED", "REJECTED", "UNCHANGED", "UPDATED", "ImportIssue",
           "ImportPreview", "ImportRefused", "RowChange", "commit_import", "preview_import"]
