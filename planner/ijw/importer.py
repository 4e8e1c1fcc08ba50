"""Preview of a JW301 import: parse, check (built-in rules and, when installed, the XSDs), map, validate.

A message with any problem imports nothing: all its problems are listed (line, element path,
Dutch reason). A clean message goes through the same merge and bundle validation as a table
import (:func:`planner.importing.preview.finish_preview`) and adds the private BSN index,
the key file (first import, when ``JHP_BSN_KEY`` is not set) and the message log.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from planner.bundle_manifest import read_manifest
from planner.bundle_csv import Issue
from planner.ijw.mapping import Target, apply_client, apply_product
from planner.ijw.message import check_jw315, message_kind, namespace_hint, read_jw301
from planner.ijw.pending import PendingList
from planner.ijw.privacy import (INDEX_FILE, KEY_FILE, MESSAGES_FILE, BsnIndex, KeyProblem, load_key, message_log,
                                 render_message_log)
from planner.ijw.schema import schema_issues
from planner.ijw.xmlsafe import XmlError, parse_xml
from planner.importing.model import ImportIssue, ImportPreview
from planner.importing.tables import bundle_hashes, read_tables, sha256


def _parse(preview: ImportPreview, data: bytes):
    """The checked JW301 message, or None with the problems in ``preview.file_issues``."""
    name = preview.filename
    try:
        parsed = parse_xml(data)
    except XmlError as e:
        preview.file_issues.append(ImportIssue(name, e.line, "", e.reason))
        return None
    kind = message_kind(parsed.root)
    if kind is None:
        preview.file_issues.append(ImportIssue(name, parsed.line(parsed.root), "Bericht", namespace_hint(parsed.root)))
        return None
    if kind == "jw315":
        issues = check_jw315(parsed, name)
        preview.file_issues += issues + schema_issues(parsed, name, kind, issues)
        preview.file_issues.append(ImportIssue(name, 0, "Bericht", "een JW315 (verzoek om toewijzing) wordt niet "
                                                                   "ingelezen; alleen JW301-toewijzingen"))
        return None
    msg, issues = read_jw301(parsed, name)
    preview.file_issues += issues + schema_issues(parsed, name, kind, issues)
    return msg if not preview.file_issues else None


def _log_message(root: Path, preview: ImportPreview, msg) -> None:
    rows = message_log(root)
    for row in rows:
        if row[:2] == [msg.afzender, msg.identificatie]:
            preview.warnings.append(f"Bericht {msg.identificatie} van gemeente {msg.afzender} is al eerder "
                                    f"ingelezen (op {row[3] if len(row) > 3 else '?'}); ongewijzigde rijen blijven gelijk.")
            return
    rows.append([msg.afzender, msg.identificatie, msg.dagtekening.isoformat(), date.today().isoformat()])
    preview.files[MESSAGES_FILE] = render_message_log(rows)


def preview_ijw(root: Path, data: bytes, filename: str) -> ImportPreview:
    """What importing a JW301 message would do (see :mod:`planner.ijw.mapping`); writes nothing."""
    from planner.importing.preview import finish_preview

    preview = ImportPreview(root, filename, "jw301", base=bundle_hashes(root))
    msg = _parse(preview, data)
    if msg is None:
        return preview
    issues: list[Issue] = []
    _manifest, pack = read_manifest(root, issues)
    if pack is None:
        preview.file_issues += [ImportIssue(f"bundel {i.file}", i.row, i.field, i.reason) for i in issues]
        return preview
    try:
        key = load_key(root)
        index = BsnIndex.read(root)
        index.check_key(key)
    except KeyProblem as e:
        preview.file_issues.append(ImportIssue(filename, 0, "Bsn", str(e)))
        return preview
    t = Target(read_tables(root, preview.file_issues), {}, preview, pack, index, PendingList.read(root), key)
    jid = apply_client(t, msg, msg.client_line)
    for product in msg.products:
        apply_product(t, product, jid)
    finish_preview(preview, t.tables, t.origins)
    for rel in (INDEX_FILE, KEY_FILE, MESSAGES_FILE):
        preview.base[rel] = sha256(root / rel)
    if index.changed:
        preview.files[INDEX_FILE] = index.render()
    if key.new_file_text:
        preview.files[KEY_FILE] = key.new_file_text
    t.pending.stage(root, preview)
    _log_message(root, preview, msg)
    preview.private_files = frozenset({INDEX_FILE, KEY_FILE, MESSAGES_FILE})
    return preview
