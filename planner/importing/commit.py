"""Commit a previewed import: all files or none.

Every new file is first written and flushed to a temporary file beside its target; only then are
the targets swapped in with ``os.replace`` (atomic per file). Should a swap fail halfway, the
files already swapped get their old content back, so the bundle is never half imported.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from planner.importing.model import ImportPreview, ImportRefused
from planner.importing.tables import sha256


def _stage(target: Path, data: bytes, private: bool) -> Path:
    """Write ``data`` to a flushed temporary file in the target's folder."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o777)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600 if private else 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _check_unchanged(root: Path, preview: ImportPreview) -> None:
    for name, digest in preview.base.items():
        if sha256(root / name) != digest:
            raise ImportRefused(f"De bundel is gewijzigd sinds de voorvertoning ({name}); er is niets ingelezen. "
                                "Maak de voorvertoning opnieuw.")


def write_all(root: Path, files: dict[str, str], private: frozenset[str] = frozenset()) -> list[str]:
    """Write ``files`` (relative path -> text) into ``root`` all-or-nothing; returns the paths written."""
    staged: dict[str, Path] = {}
    originals: dict[str, bytes | None] = {}
    swapped: list[str] = []
    try:
        for rel, text in files.items():
            target = root / rel
            originals[rel] = target.read_bytes() if target.is_file() else None
            staged[rel] = _stage(target, text.encode("utf-8"), rel in private)
        for rel, tmp in staged.items():
            os.replace(tmp, root / rel)
            swapped.append(rel)
    except OSError as e:
        for rel in swapped:  # put back what was already replaced
            old = originals[rel]
            if old is None:
                (root / rel).unlink(missing_ok=True)
            else:
                os.replace(_stage(root / rel, old, rel in private), root / rel)
        for rel, tmp in staged.items():
            if rel not in swapped:
                tmp.unlink(missing_ok=True)
        raise ImportRefused(f"Schrijven mislukt ({e.strerror or e}); de bundel is ongewijzigd gelaten.") from None
    return swapped


def commit_import(bundle_dir: str | Path, preview: ImportPreview) -> list[str]:
    """Write the previewed import into the bundle; raises :class:`ImportRefused` (Dutch) and writes nothing
    when the preview has problems or the bundle changed since the preview."""
    root = Path(bundle_dir)
    if root.resolve() != Path(preview.bundle_dir).resolve():
        raise ImportRefused("Deze voorvertoning hoort bij een andere bundel; er is niets ingelezen.")
    if not preview.ok:
        raise ImportRefused(f"De import heeft {len(preview.issues)} probleem/problemen; er is niets ingelezen. "
                            "Verbeter het bestand en probeer het opnieuw.")
    _check_unchanged(root, preview)
    return write_all(root, preview.files, preview.private_files)
