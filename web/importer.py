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

The BSN key is never kept in the database: it comes from ``JHP_BSN_KEY`` or the key file of
:mod:`web.keys` and is put into each temporary bundle only. Uploads are limited while they stream
(:class:`UploadLimit`: a too large body is refused before it is read, and a viewer's upload gets its
403 before any byte is parsed). Temporary bundles left behind by a killed process are removed at
start-up (:func:`remove_stale_temp_dirs`).
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
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
MAX_BODY = MAX_UPLOAD + 256 * 1024  # the multipart body: the file plus the form fields and boundaries
UPLOAD_PATHS = ("/importeren/voorvertoning",)
TEMP_PREFIX = "jhp-web-import-"
TEMP_PREFIXES = (TEMP_PREFIX, "jhp-import-")  # the web's temporary bundles and the library's staging folders
STALE_AFTER = 10 * 60  # seconds: older temporary bundles belong to no running import
log = logging.getLogger("jeugdhulp.web.import")
TOO_LARGE = f"Het bestand is te groot (meer dan {MAX_UPLOAD // (1024 * 1024)} MB)."
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


class UploadTooLarge(Exception):
    """The upload body grew past :data:`MAX_BODY` while streaming (answered with a Dutch 413)."""


class UploadLimit:
    """ASGI layer inside the login check: judge an upload before its body is read.

    A user without the ``edit`` permission gets 403 at once; a ``Content-Length`` over the limit
    gets 413 at once; a body that streams past the limit stops with :class:`UploadTooLarge`.
    """

    def __init__(self, app, limit: int = MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] not in UPLOAD_PATHS:
            return await self.app(scope, receive, send)
        from web.security import PERMISSIONS

        role = (scope.get("state") or {}).get("role")
        if "edit" not in PERMISSIONS.get(role, set()):
            return await self._refuse(scope, send, 403, "Uw rol mag dit niet doen.")
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            return await self._refuse(scope, send, 413, TOO_LARGE)
        received = 0

        async def limited():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise UploadTooLarge()
            return message

        await self.app(scope, limited, send)

    async def _refuse(self, scope, send, status: int, message: str) -> None:
        from starlette.requests import Request

        from web.app import _error

        response = _error(Request(scope), status, message)
        response.headers["Connection"] = "close"  # the unread body is not waited for
        await response(scope, _no_body, send)


async def _no_body():
    return {"type": "http.disconnect"}


def remove_stale_temp_dirs(older_than: float = STALE_AFTER) -> int:
    """Remove temporary import bundles (client tables!) that a killed process left behind; returns how many."""
    root = Path(tempfile.gettempdir())
    now, removed = time.time(), 0
    for path in root.iterdir() if root.is_dir() else ():
        if not path.name.startswith(TEMP_PREFIXES):
            continue
        try:
            if not path.is_dir() or path.is_symlink() or path.stat().st_uid != os.getuid():
                continue
            if now - path.stat().st_mtime < older_than:
                continue  # may belong to an import running in another process right now
            shutil.rmtree(path)
            removed += 1
        except OSError:
            continue
    if removed:
        log.warning("%d achtergebleven tijdelijke importmap(pen) verwijderd.", removed)
    return removed


def export_to_folder(store, s, root: Path) -> None:
    """Write the database's data, the importer's side files and the BSN key as a bundle folder."""
    from planner.ijw.privacy import KEY_FILE
    from web.keys import bsn_key_text

    bundle, _pack = store.bundle()
    ds = s.get(DatasetRow, 1)
    write_bundle(bundle, root, (ds.rule_overrides or None) if ds else None)
    for row in s.scalars(select(ImportSideFileRow)):
        if row.path == KEY_FILE:
            continue  # an old database's key: moved out at start-up (web.keys)
        target = root / row.path
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        target.write_text(row.content, "utf-8")
    key = bsn_key_text()  # None when JHP_BSN_KEY is set (the library reads the variable itself)
    if key:
        target = root / KEY_FILE
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(key + "\n")


def preview_upload(store, data: bytes, filename: str) -> tuple[dict, int]:
    """The preview (``ImportPreview.to_json()``) and the data revision it was made on; writes nothing."""
    with store.session() as s, tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as tmp:
        revision = store.revision(s)
        export_to_folder(store, s, Path(tmp))
        preview = preview_import(Path(tmp), data, filename)
        return preview.to_json(), revision


@dataclass
class CommitOutcome:
    created: int
    updated: int
    changed: dict[str, int]
    deleted: int = 0  # table -> rows written to the database


def commit_upload(store, upload: PendingUpload, user) -> CommitOutcome:
    """Preview again on the current data, commit in a temporary bundle, write the result to the database.

    One database transaction: it either holds every change of the upload or none. Raises
    :class:`ImportRefused` (Dutch) when the data changed since the preview or the upload has problems.
    """
    with store.session() as s, tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as tmp:
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
        return CommitOutcome(len(preview.created), len(preview.updated), changed, len(preview.deleted))


def _save_side_files(s, root: Path, files: dict[str, str]) -> None:
    """Keep the files the importer wrote beside the bundle's tables for the next import."""
    from planner.ijw.privacy import KEY_FILE

    for rel in files:
        if rel in SCHEMA or rel == "manifest.yaml" or rel == KEY_FILE:
            continue  # the BSN key never goes into the database
        row = s.get(ImportSideFileRow, rel)
        content = (root / rel).read_text("utf-8")
        if row is None:
            s.add(ImportSideFileRow(path=rel, content=content, updated_at=datetime.now()))
        else:
            row.content, row.updated_at = content, datetime.now()
