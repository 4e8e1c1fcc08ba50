"""Secret per-person iCal feeds: tokens in the database (hashed), and the one route without login.

The token helpers are :class:`planner.export.feeds.FeedStore`'s; here they get a database-backed
mapping (table ``agenda_tokens``: SHA-256 of the token -> medewerker, created, revoked). The feed
URL ``/agenda/feed/<token>.ics`` is served by :class:`PublicFeed`, a small ASGI layer in front of
the login middleware: the token is the authorisation, a wrong or revoked one gets a plain 404.
The feed shows the published plan (else the newest draft) with pseudonymous ids and initials only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, MutableMapping
from typing import Any

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from planner.export.feeds import FeedStore
from web.featuretables import FeedTokenRow

PREFIX = "/agenda/feed/"
log = logging.getLogger("jeugdhulp.web.feeds")


class DbFeedMapping(MutableMapping):
    """``FeedStore`` data in the ``agenda_tokens`` table of one session."""

    def __init__(self, session):
        self.s = session

    def __getitem__(self, digest: str) -> dict[str, Any]:
        row = self.s.get(FeedTokenRow, digest)
        if row is None:
            raise KeyError(digest)
        return {"staff_id": row.staff_id, "created": row.created, "revoked": row.revoked}

    def __setitem__(self, digest: str, rec: dict[str, Any]) -> None:
        row = self.s.get(FeedTokenRow, digest)
        if row is None:
            self.s.add(FeedTokenRow(digest=digest, staff_id=rec["staff_id"], created=rec["created"],
                                    revoked=rec.get("revoked")))
        else:
            row.staff_id, row.created, row.revoked = rec["staff_id"], rec["created"], rec.get("revoked")
        self.s.flush()

    def __delitem__(self, digest: str) -> None:
        row = self.s.get(FeedTokenRow, digest)
        if row is None:
            raise KeyError(digest)
        self.s.delete(row)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.s.scalars(select(FeedTokenRow.digest))))

    def __len__(self) -> int:
        return len(list(self))


def feed_store(session) -> FeedStore:
    return FeedStore(DbFeedMapping(session))


def active_feeds(session) -> set[str]:
    """Medewerkers with an unrevoked feed token."""
    return set(session.scalars(select(FeedTokenRow.staff_id).where(FeedTokenRow.revoked.is_(None))))


def feed_body(store, token: str) -> bytes | None:
    """The calendar of the token's medewerker, or None (unknown/revoked token, or no plan)."""
    from planner.export.ical import ics_bytes
    from planner.plan import Plan
    from web.plans import latest_plan

    with store.session() as s:
        staff_id = feed_store(s).verify(token)
        row = latest_plan(s) if staff_id else None
        data = row.data if row is not None else None
    if staff_id is None or data is None:
        return None
    bundle, _pack = store.bundle()
    if staff_id not in bundle.staff:
        return None
    return ics_bytes(bundle, Plan.from_json(data), staff_id)


NOT_FOUND = "Deze agenda bestaat niet (meer).".encode()


class PublicFeed:
    """ASGI layer: answers ``GET /agenda/feed/<token>.ics`` before the login check; passes the rest on."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        token = path[len(PREFIX):].removesuffix(".ics")
        body = None
        if scope.get("method") in ("GET", "HEAD"):
            try:
                body = await run_in_threadpool(feed_body, scope["app"].state.store, token)
            except LookupError:  # no data loaded
                body = None
            except Exception:  # noqa: BLE001 - never a trace to the client; the token is not logged
                log.exception("agenda-feed mislukt")
                response = Response("Er ging iets mis.", status_code=500, media_type="text/plain; charset=utf-8")
                await response(scope, receive, send)
                return
        headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}
        if body is None:
            response = Response(NOT_FOUND, status_code=404, media_type="text/plain; charset=utf-8", headers=headers)
        else:
            response = Response(body, media_type="text/calendar; charset=utf-8", headers=headers)
        await response(scope, receive, send)
