"""The app's handle on the database: sessions, settings, the data revision and a bundle cache.

Every change to domain data bumps the ``data_revision`` setting; the domain
bundle is rebuilt from the database only when that number moved, so page
views and checks do not re-read a few thousand rows each time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from planner.domain import Bundle
from planner.rules import RulePack
from web.db.engine import session_factory
from web.db.mapping import load_bundle
from web.db.models import Setting


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.Session = session_factory(engine)
        self._lock = threading.Lock()
        self._cache: tuple[int, Bundle, RulePack] | None = None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on error."""
        with self.Session() as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    # --- settings -------------------------------------------------------
    def setting(self, s: Session, key: str, default: str | None = None) -> str | None:
        row = s.get(Setting, key)
        return row.value if row else default

    def set_setting(self, s: Session, key: str, value: str) -> None:
        row = s.get(Setting, key)
        if row is None:
            s.add(Setting(key=key, value=value))
        else:
            row.value = value

    # --- data revision and bundle cache --------------------------------
    def revision(self, s: Session) -> int:
        return int(self.setting(s, "data_revision", "0") or 0)

    def bump(self, s: Session) -> None:
        """Mark domain data as changed (call inside the session that changed it)."""
        self.set_setting(s, "data_revision", str(self.revision(s) + 1))

    def bundle(self) -> tuple[Bundle, RulePack]:
        """The current domain bundle and rule pack (raises LookupError when no data is loaded)."""
        with self.session() as s:
            rev = self.revision(s)
            with self._lock:
                if self._cache and self._cache[0] == rev:
                    return self._cache[1], self._cache[2]
            bundle, pack = load_bundle(s)
        with self._lock:
            self._cache = (rev, bundle, pack)
        return bundle, pack
