"""Commit a previewed import: all files or none, also across a kill.

Every new file is first written and flushed to a temporary file beside its target. Then a journal
(``.import-journal.json`` in the bundle: which staged file goes where) is written, flushed and
renamed into place: that rename is the commit point. Only then are the targets swapped in with
``os.replace``, and the journal is removed. A process killed between the swaps leaves the journal
behind, and the next preview or commit (:func:`recover`) finishes the swaps first, so a bundle is
never left half imported (before, a kill left new tables beside an old message log, or the other
way round). Should a swap fail with an error instead, the files already swapped get their old
content back.
"""

from __future__ import annotations

import json
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


JOURNAL = ".import-journal.json"


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_journal(root: Path, staged: dict[str, Path]) -> None:
    """The commit point: after this rename every staged file will be swapped in, also after a kill."""
    entries = [{"target": rel, "staged": str(tmp.relative_to(root))} for rel, tmp in staged.items()]
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".import-journal.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(entries, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, root / JOURNAL)
    _fsync_dir(root)


def recover(bundle_dir: str | Path) -> list[str]:
    """Finish an import that a killed process left half swapped (its journal); returns the paths completed.

    Staged files of an import killed before its commit point are removed. Safe to call at any time.
    """
    root = Path(bundle_dir)
    journal = root / JOURNAL
    done: list[str] = []
    if journal.is_file():
        try:
            entries = json.loads(journal.read_text("utf-8"))
        except (OSError, ValueError):
            entries = []  # a journal is renamed into place whole: an unreadable one was never the commit point
        for e in entries if isinstance(entries, list) else []:
            try:
                target, staged = root / e["target"], root / e["staged"]
            except (KeyError, TypeError):
                continue
            if staged.is_file() and root.resolve() in target.resolve().parents:
                os.replace(staged, target)
                done.append(e["target"])
        journal.unlink(missing_ok=True)
        _fsync_dir(root)
    for folder in (root, root / "private"):  # staged files of an import killed before its commit point
        if folder.is_dir():
            for stray in folder.glob(".*.tmp"):
                stray.unlink(missing_ok=True)
    return done


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
        _write_journal(root, staged)
        for rel, tmp in staged.items():
            os.replace(tmp, root / rel)
            swapped.append(rel)
        (root / JOURNAL).unlink(missing_ok=True)
    except OSError as e:
        (root / JOURNAL).unlink(missing_ok=True)
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
    recover(root)
    if root.resolve() != Path(preview.bundle_dir).resolve():
        raise ImportRefused("Deze voorvertoning hoort bij een andere bundel; er is niets ingelezen.")
    if not preview.ok:
        raise ImportRefused(f"De import heeft {len(preview.issues)} probleem/problemen; er is niets ingelezen. "
                            "Verbeter het bestand en probeer het opnieuw.")
    _check_unchanged(root, preview)
    return write_all(root, preview.files, preview.private_files)
