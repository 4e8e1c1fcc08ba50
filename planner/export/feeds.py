"""Secret per-person iCal feed tokens that can be revoked (for the web app's feed URL).

A token is a random URL-safe string shown once, e.g. ``/feed/<token>.ics``; the store keeps
only its SHA-256, so a leaked store file reveals no feed URL. One active token per medewerker:
creating a new one revokes the old. The store is a small JSON file (written atomically) or
any dict-like object passed in (e.g. a database-backed mapping in the web app).

    store = FeedStore.open(bundle_dir / "private" / "feeds.json")
    token = store.create("M0001")            # show once: the feed URL contains it
    store.verify(token)  -> "M0001" | None   # in the feed route
    store.revoke("M0001")                    # the old URL stops working
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import MutableMapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

TOKEN_BYTES = 32


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class FeedStore:
    """Token hashes -> {staff_id, created, revoked}; ``path`` None keeps the mapping in memory only."""

    def __init__(self, data: MutableMapping[str, dict[str, Any]] | None = None, path: Path | None = None):
        self.data: MutableMapping[str, dict[str, Any]] = data if data is not None else {}
        self.path = path

    @classmethod
    def open(cls, path: str | Path) -> "FeedStore":
        """A store backed by a JSON file (created on first save; an unreadable file is an error)."""
        p = Path(path)
        data = json.loads(p.read_text("utf-8")) if p.is_file() else {}
        if not isinstance(data, dict):
            raise ValueError(f"{p} is geen geldig feed-bestand")
        return cls(data, p)

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(dict(self.data), f, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)

    def create(self, staff_id: str) -> str:
        """A new secret token for ``staff_id`` (any earlier token of that person is revoked)."""
        self._revoke_where(lambda _key, rec: rec["staff_id"] == staff_id)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self.data[_digest(token)] = {"staff_id": staff_id, "created": _now(), "revoked": None}
        self._save()
        return token

    def verify(self, token: str) -> str | None:
        """The medewerker of a valid, unrevoked token; None otherwise."""
        if not token or len(token) > 200:
            return None
        digest = _digest(token)
        for key, rec in self.data.items():  # compare every entry in constant time
            if hmac.compare_digest(key, digest) and rec.get("revoked") is None:
                return rec.get("staff_id")
        return None

    def revoke(self, staff_id: str | None = None, token: str | None = None) -> int:
        """Revoke the tokens of a medewerker, or one token; returns how many were revoked."""
        digest = _digest(token) if token else None
        if digest is not None:
            return self._revoke_where(lambda key, _rec: key == digest)
        return self._revoke_where(lambda _key, rec: staff_id is not None and rec["staff_id"] == staff_id)

    def active(self, staff_id: str) -> bool:
        return any(rec["staff_id"] == staff_id and rec.get("revoked") is None for rec in self.data.values())

    def _revoke_where(self, match) -> int:
        n = 0
        for key, rec in self.data.items():
            if rec.get("revoked") is None and match(key, rec):
                rec["revoked"] = _now()
                self.data[key] = rec
                n += 1
        if n:
            self._save()
        return n


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
