"""First start: seed the database from a bundle and create the first teamleider with a one-time password."""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy import func, select

from web.db.mapping import has_data, import_bundle_dir
from web.db.models import UserRow
from web.security import create_user

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "flevoland"


def seed_if_empty(store, bundle_dir: Path = SAMPLE) -> bool:
    """Import ``bundle_dir`` when the database holds no data yet; True when it did."""
    with store.session() as s:
        if has_data(s):
            return False
        import_bundle_dir(s, bundle_dir)
        store.bump(s)
    return True


def first_teamleider(store, username: str = "teamleider") -> str | None:
    """Create a teamleider with a generated password when there are no users; returns that password once."""
    with store.session() as s:
        if s.scalar(select(func.count()).select_from(UserRow)):
            return None
        password = secrets.token_urlsafe(12)
        create_user(s, username, password, "teamleider")
    return password
