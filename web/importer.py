"""Import in the web app: the library's preview/commit on a temporary bundle made from the database.

The database is the web app's source of truth, the importer (``planner.importing``) works on a
bundle folder. So each step exports the current data to a fresh temporary folder
(``planner.bundle_write.write_bundle``), lets the library preview or commit there, and on commit
loads the resulting bundle and writes the differences back to the database in ONE transaction
(:mod:`web.dbsync`). Files the importer keeps beside the tables (the private BSN index and key,
the JW301 message log, the list of toewijzingen still to specify) are kept in the table
``import_bestanden`` and put back into every temporary bundle.

An upload waits in memory (never in the database: a JW301 message holds BSNs) between preview
and confirmation, bound to the user and to the data revision it was previewed on.
"""

from __future__ import annotations

import secrets
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from planner.bundle import SCHEMA, BundleError, load_bundle_with_pack
from planner.bundle_write import write_bundle
from planner.importing import ImportRefused, commit_import, preview_import
from web.db.models import DatasetRow
from web.dbsync import apply_bundle
from web.featuretables import ImportSideFileRow

MAX_UPLOAD = 10 * 1024 * 1024  # bytes; a staff list or a JW301 message is far smaller
PENDING_TTL = 30 * 60  # seconds an unconfirmed preview stays valid
ALLOWED = (".csv", ".xlsx", ".xml")


@dataclass
class PendingUpload:
    user_id: int
    data: bytes = field(repr=False)
    filename: str
    revision: int
    created: float = field(default_factory=time.monotonic)


class PendingUploads:
    """Uploads between preview and confirmation, by random token (process memory, expiring)."""

    def __init__(self) -> None:
        self._items: dict[str, PendingUpload] = {}
        self._lock = threading.Lock()

    def put(self, upload: PendingUpload) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._expire()
            self._items[token] = upload
        return token

    def take(self, token: str, user_id: int) -> PendingUpload | None:
        """The upload of this user (removed: a preview is confirmed at most once)."""
        with self._lock:
            self._expire()
            upload = self._items.get(token)
            if upload is None or upload.user_id != user_id:
                return None
            return self._items.pop(token)

    def _expire(self) -> None:
        now = time.monotonic()
        for key in [k for k, u in self._items.items() if now - u.created > PENDING_TTL]:
            del self._items[key]


def pending_uploads(app) -> PendingUploads:
    """The app's pending uploads (created on first use)."""
    if not hasattr(app.state, "pending_imports"):
        app.state.pending_imports = PendingUploads()
    return app.state.pending_imports


def upload_problem(data: bytes, filename: str) -> str | None:
    """A Dutch reason when the upload cannot be an import file at all."""
    if not filename:
        return "Kies een bestand (CSV, XLSX of een JW301-bericht in XML)."
    if not filename.lower().endswith(ALLOWED):
        return "Alleen CSV-, XLSX- of XML-bestanden (JW301) kunnen worden ingelezen."
    if not data:
        return "Het bestand is leeg."
    if len(data) > MAX_UPLOAD:
        return f"Het bestand is te groot (meer dan {MAX_UPLOAD // (1024 * 1024)} MB)."
    return None


def export_to_folder(store, s, root: Path) -> None:
    """Write the database's data (and the importer's side files) as a bundle folder."""
    bundle, _pack = store.bundle()
    ds = s.get(DatasetRow, 1)
    write_bundle(bundle, root, (ds.rule_overrides or None) if ds else None)
    for row in s.scalars(select(ImportSideFileRow)):
        target = root / row.path
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        target.write_text(row.content, "utf-8")


def preview_upload(store, data: bytes, filename: str) -> tuple[dict, int]:
    """The preview (``ImportPreview.to_json()``) and the data revision it was made on; writes nothing."""
    with store.session() as s, tempfile.TemporaryDirectory(prefix="jhp-web-import-") as tmp:
        revision = store.revision(s)
        export_to_folder(store, s, Path(tmp))
        preview = preview_import(Path(tmp), data, filename)
        return preview.to_json(), revision


@dataclass
class CommitOutcome:
    created: int
    updated: int
    changed: dict[str, int]  # table -> rows written to the database


def commit_upload(store, upload: PendingUpload, user) -> CommitOutcome:
    """Preview again on the current data, commit in a temporary bundle, write the result to the database.

    One database transaction: it either holds every change of the upload or none. Raises
    :class:`ImportRefused` (Dutch) when the data changed since the preview or the upload has problems.
    """
    with store.session() as s, tempfile.TemporaryDirectory(prefix="jhp-web-import-") as tmp:
        if store.revision(s) != upload.revision:
            raise ImportRefused("De gegevens zijn gewijzigd sinds de voorvertoning; er is niets ingelezen. "
                                "Maak de voorvertoning opnieuw.")
        store.bump(s)
        s.flush()  # takes the revision row's lock first: a concurrent import waits for this one
        root = Path(tmp)
        export_to_folder(store, s, root)
        old, _pack = store.bundle()
        preview = preview_import(root, upload.data, upload.filename)
        commit_import(root, preview)
        try:
            new, _pack = load_bundle_with_pack(root)
        except BundleError:
            raise ImportRefused("Het resultaat van de import laat zich niet lezen; er is niets ingelezen.") from None
        changed = apply_bundle(s, old, new, user)
        _save_side_files(s, root, preview.files)
        return CommitOutcome(len(preview.created), len(preview.updated), changed)


def _save_side_files(s, root: Path, files: dict[str, str]) -> None:
    """Keep the files the importer wrote beside the bundle's tables for the next import."""
    for rel in files:
        if rel in SCHEMA or rel == "manifest.yaml":
            continue
        row = s.get(ImportSideFileRow, rel)
        content = (root / rel).read_text("utf-8")
        if row is None:
            s.add(ImportSideFileRow(path=rel, content=content, updated_at=datetime.now()))
        else:
            row.content, row.updated_at = content, datetime.now()
