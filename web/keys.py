"""Key material outside the database: the session secret and the BSN key.

Each key comes from its environment variable (``JHP_SECRET_KEY``, ``JHP_BSN_KEY``) or else from a
file with mode 0600 in the key folder (``JHP_KEY_DIR``, default ``~/.config/jeugdhulp-planner``):
``sessie.key`` and ``bsn.key``. A key that is missing is generated once into its file and the app
logs a warning at start-up, so an operator knows to back it up (or to set the variable). Neither
key is ever written to the database: whoever holds a copy of the database cannot forge a session
cookie, nor recompute the keyed BSN hashes.

A database from before issue 22 may still hold the BSN key in ``import_bestanden``
(``private/bsn.key``): :func:`move_bsn_key_out_of_database` moves it to the key file (or drops it
when ``JHP_BSN_KEY`` is set) at start-up.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from pathlib import Path

log = logging.getLogger("jeugdhulp.web.keys")
SECRET_ENV, BSN_ENV, DIR_ENV = "JHP_SECRET_KEY", "JHP_BSN_KEY", "JHP_KEY_DIR"
SECRET_FILE, BSN_FILE = "sessie.key", "bsn.key"
BSN_SIDE_FILE = "private/bsn.key"  # where the importer keeps the key inside a (temporary) bundle


class KeyError_(Exception):
    """A key file cannot be used; the message is Dutch."""


def key_dir() -> Path:
    raw = os.environ.get(DIR_ENV)
    if raw:
        return Path(raw)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "jeugdhulp-planner"


def _read_or_create(name: str, make, what: str) -> str:
    """The key in ``key_dir()/name``; created with mode 0600 (folder 0700) and a warning when missing."""
    folder = key_dir()
    path = folder / name
    if path.is_file():
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            log.warning("Sleutelbestand %s is leesbaar voor anderen (modus %o); zet het op 0600.", path, mode)
        text = path.read_text("ascii", errors="replace").strip()
        if not text:
            raise KeyError_(f"Sleutelbestand {path} is leeg.")
        return text
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(value + "\n")
    log.warning("Geen %s ingesteld: een nieuwe %s is gemaakt in %s (modus 0600). Maak er een veilige kopie van "
                "(of zet de omgevingsvariabele); zonder deze sleutel %s.", SECRET_ENV if name == SECRET_FILE else
                BSN_ENV, what, path, "moet iedereen opnieuw inloggen" if name == SECRET_FILE else
                "worden eerder ingelezen cliënten niet herkend")
    return value


def session_secret() -> str:
    """``JHP_SECRET_KEY`` or the key file ``sessie.key`` (generated with a warning)."""
    return os.environ.get(SECRET_ENV) or _read_or_create(SECRET_FILE, lambda: secrets.token_urlsafe(48),
                                                        "sessiesleutel")


def bsn_key_text() -> str | None:
    """The BSN key file's text (64 hex characters) when ``JHP_BSN_KEY`` is not set; None when it is."""
    if os.environ.get(BSN_ENV):
        return None
    text = _read_or_create(BSN_FILE, lambda: secrets.token_hex(32), "BSN-sleutel")
    if not re.fullmatch(r"[0-9a-fA-F]{32,}", text):
        raise KeyError_(f"{key_dir() / BSN_FILE} bevat geen geldige sleutel (hexadecimaal, minstens 32 tekens).")
    return text


def move_bsn_key_out_of_database(store) -> None:
    """Move a BSN key that an older version stored in ``import_bestanden`` to the key file (or drop it)."""
    from web.featuretables import ImportSideFileRow

    with store.session() as s:
        row = s.get(ImportSideFileRow, BSN_SIDE_FILE)
        if row is None:
            return
        text = row.content.strip()
        path = key_dir() / BSN_FILE
        if not os.environ.get(BSN_ENV) and not path.is_file() and re.fullmatch(r"[0-9a-fA-F]{32,}", text):
            key_dir().mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(text + "\n")
            log.warning("De BSN-sleutel stond in de database; verplaatst naar %s (modus 0600).", path)
        else:
            log.warning("De BSN-sleutel stond in de database; verwijderd (de sleutel komt uit %s of %s).",
                        BSN_ENV, path)
        s.delete(row)
