"""The BSN is never stored: a keyed hash (HMAC-SHA256) links later JW301 messages to the same jeugdige.

Key: the environment variable ``JHP_BSN_KEY`` (at least 16 characters; preferred, e.g. from a
secrets manager) or else ``private/bsn.key`` in the bundle (64 hex characters, created with mode
0600 on the first JW301 import). ``private/bsn_index.csv`` maps hash -> jeugdige id and records a
fingerprint of the key, so a message hashed with another key is refused instead of creating a
duplicate jeugdige. Keep ``private/`` out of copies and version control.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from planner.bundle_csv import read_rows, read_text
from planner.importing.tables import csv_text

KEY_ENV = "JHP_BSN_KEY"
KEY_FILE = "private/bsn.key"
INDEX_FILE = "private/bsn_index.csv"
MESSAGES_FILE = "private/ijw_berichten.csv"


class KeyProblem(Exception):
    """The key cannot be used; the message is Dutch."""


@dataclass(frozen=True, slots=True)
class BsnKey:
    secret: bytes = field(repr=False)
    new_file_text: str | None = field(default=None, repr=False)  # set when the key file is still to be written

    @property
    def fingerprint(self) -> str:
        """Identifies the key (not the BSN) so an index made with another key is recognised."""
        return hmac.new(self.secret, b"jeugdhulp-planner/sleutel", hashlib.sha256).hexdigest()[:16]

    def hash(self, bsn: str) -> str:
        return hmac.new(self.secret, b"bsn:" + bsn.encode("ascii"), hashlib.sha256).hexdigest()


def load_key(root: Path) -> BsnKey:
    """The configured key, the bundle's key file, or a new random key to be written on commit."""
    env = os.environ.get(KEY_ENV, "")
    if env:
        if len(env) < 16:
            raise KeyProblem(f"{KEY_ENV} is te kort: gebruik minstens 16 tekens")
        return BsnKey(env.encode("utf-8"))
    path = root / KEY_FILE
    if path.is_file():
        text = path.read_text("ascii", errors="replace").strip()
        if not re.fullmatch(r"[0-9a-fA-F]{32,}", text):
            raise KeyProblem(f"{KEY_FILE} bevat geen geldige sleutel (hexadecimaal, minstens 32 tekens)")
        return BsnKey(bytes.fromhex(text[: len(text) // 2 * 2]))
    fresh = secrets.token_hex(32)
    return BsnKey(bytes.fromhex(fresh), new_file_text=fresh + "\n")


@dataclass(slots=True)
class BsnIndex:
    """hash -> jeugdige id, with the key fingerprint of each row."""

    rows: dict[str, tuple[str, str]] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def read(cls, root: Path) -> "BsnIndex":
        path = root / INDEX_FILE
        index = cls()
        if path.is_file():
            header, rows = read_rows(read_text(path))
            for _line, cells in rows:
                if len(cells) >= 3:
                    index.rows[cells[0].strip()] = (cells[1].strip(), cells[2].strip())
        return index

    def check_key(self, key: BsnKey) -> None:
        if any(fp != key.fingerprint for _jid, fp in self.rows.values()):
            raise KeyProblem("De BSN-sleutel verschilt van de sleutel waarmee eerdere berichten zijn ingelezen "
                             f"({KEY_ENV} of {KEY_FILE}); de import is gestopt om dubbele jeugdigen te voorkomen.")

    def lookup(self, digest: str) -> str | None:
        row = self.rows.get(digest)
        return row[0] if row else None

    def add(self, digest: str, jeugdige_id: str, key: BsnKey) -> None:
        self.rows[digest] = (jeugdige_id, key.fingerprint)
        self.changed = True

    def render(self) -> str:
        return csv_text(["bsn_hash", "jeugdige_id", "sleutel"],
                        [[digest, jid, fp] for digest, (jid, fp) in sorted(self.rows.items(), key=lambda kv: kv[1][0])])


def message_log(root: Path) -> list[list[str]]:
    """Rows (afzender, identificatie, dagtekening, ingelezen_op) of the JW301 messages read before."""
    path = root / MESSAGES_FILE
    if not path.is_file():
        return []
    return [[c.strip() for c in cells] for _line, cells in read_rows(read_text(path))[1]]


def render_message_log(rows: list[list[str]]) -> str:
    return csv_text(["afzender", "identificatie", "dagtekening", "ingelezen_op"], rows)
