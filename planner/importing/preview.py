"""Preview an import: merge the upload into a copy of the bundle and let the bundle validator judge it.

The merged tables are written to a temporary folder next to the untouched bundle files and
:func:`planner.bundle.validate_bundle` runs on that folder; every issue on a row that came from
the upload is reported with the upload's own row number and column header. Issues on rows the
bundle already had are reported as problems of the bundle itself (they block the import too:
the result must load).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from planner.bundle import SCHEMA, validate_bundle
from planner.importing.commit import JOURNAL, recover
from planner.importing.merge import Origins, merge_source
from planner.importing.model import ImportIssue, ImportPreview
from planner.importing.sources import read_source
from planner.importing.tables import Table, bundle_hashes, read_tables


def looks_like_xml(data: bytes, filename: str) -> bool:
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return filename.lower().endswith(".xml") or head.startswith(b"<")


def preview_import(bundle_dir: str | Path, file_bytes: bytes, filename: str) -> ImportPreview:
    """What importing ``file_bytes`` (CSV, XLSX or a JW301 message) into the bundle would do; writes nothing."""
    root = Path(bundle_dir)
    if (root / JOURNAL).is_file():
        recover(root)  # a commit killed halfway: finish it before reading the bundle
    if not (root / "manifest.yaml").is_file():
        p = ImportPreview(root, filename, "tabel")
        p.file_issues.append(ImportIssue(str(root), 0, "", "geen databundel (manifest.yaml ontbreekt)"))
        return p
    if looks_like_xml(file_bytes, filename):
        from planner.ijw.importer import preview_ijw

        return preview_ijw(root, file_bytes, filename)
    preview = ImportPreview(root, filename, "tabel", base=bundle_hashes(root))
    tables = read_tables(root, preview.file_issues)
    origins: Origins = {}
    from planner.ijw.pending import (  # the list of aspecific toewijzingen
        settle_pending,
        skip_unspecified,
    )

    for src in read_source(file_bytes, filename, preview.file_issues, preview.warnings):
        src = skip_unspecified(src, preview.warnings)
        preview.changes += merge_source(tables, origins, src, preview.file_issues)
    settle_pending(root, tables, preview)
    finish_preview(preview, tables, origins)
    return preview


def finish_preview(preview: ImportPreview, tables: dict[str, Table], origins: Origins) -> None:
    """Validate the merged bundle, attach issues to the upload's rows and set the files to write."""
    root = preview.bundle_dir
    touched = {name: t for name, t in tables.items() if t.touched}
    if not touched:
        return
    with tempfile.TemporaryDirectory(prefix="jhp-import-") as tmp:
        stage = Path(tmp)
        shutil.copyfile(root / "manifest.yaml", stage / "manifest.yaml")
        for name in SCHEMA:
            if name in touched:
                (stage / name).write_text(touched[name].render(), "utf-8")
            elif (root / name).is_file():
                shutil.copyfile(root / name, stage / name)
        _b, _pack, issues = validate_bundle(stage)
    positions = {name: {line: pos for pos, line in t.lines().items()} for name, t in touched.items()}
    for issue in issues:
        pos = positions.get(issue.file, {}).get(issue.row)
        change = origins.get((issue.file, pos)) if pos is not None else None
        if change is not None:
            change.reject(issue.field, issue.reason)
        else:
            preview.file_issues.append(ImportIssue(f"bundel {issue.file}", issue.row, issue.field,
                                                   f"{issue.reason} (probleem in de bestaande bundel)"))
    preview.files.update({name: t.render() for name, t in touched.items()})
