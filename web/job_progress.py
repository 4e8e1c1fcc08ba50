"""What a job page shows, and the beat that writes it: job views, stage words, heartbeat and progress.

Split from :mod:`web.jobs` (which creates, claims and runs jobs).  A plan job's progress names its stage
in words a teamleider knows: *residentiële roosters* (the shift rosters of residential groups),
*toewijzingen* (who carries which toewijzing, on-call and group sessions) and *contacten* (the contact
moments per medewerker).  The solver reports progress events only while it assigns toewijzingen, so
the worker derives the stage from the solver's own time budget per stage (:func:`plan_stage_guess`).
Solver figures (objective, bound, gap, CP-SAT status) stay behind the page's "details" toggle.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import select, update

from web.db.models import JobRow

log = logging.getLogger("jeugdhulp.web.jobs")

WAITING, RUNNING, DONE, FAILED, STOPPED = "wacht", "bezig", "klaar", "mislukt", "gestopt"
ACTIVE = (WAITING, RUNNING)
PLAN, WHATIF, SCENARIO = "plan", "wat-als", "scenario"
UNITS = (PLAN, SCENARIO)  # what takes a worker slot; a what-if run is its scenarios
BEAT_SECONDS = 1.0

# the solver's stage names (ProgressEvent.stage, SolveResult.stages) and the worker's, in Dutch
STAGE_WORDS = {"residentieel": "residentiële roosters", "diensten": "residentiële roosters",
               "toewijzing": "toewijzingen", "toewijzingen": "toewijzingen", "contacten": "contacten"}
STAGE_ORDER = ("residentieel", "toewijzing", "contacten")


def utcnow() -> datetime:
    """Naive UTC: heartbeats are compared across processes (and hosts) that may differ in time zone."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def plan_stage_guess(elapsed: float, time_limit: float, staff: int, residential: bool) -> str:
    """The stage a solve is in after ``elapsed`` seconds, from the solver's own budget (``solver.solve``):
    residential rosters get a tenth of the time limit, stage 1 (toewijzingen) runs until
    ``max(limit - 0.05 s per medewerker, limit / 2)``, contacts get the rest."""
    if residential and elapsed < 0.1 * time_limit:
        return "residentieel"
    if elapsed < max(time_limit - 0.05 * staff, time_limit * 0.5):
        return "toewijzing"
    return "contacten"


@dataclass
class JobView:
    """A job as read from its row (a snapshot: read it again for fresh state)."""

    id: str
    kind: str
    state: str
    params: dict[str, Any]
    progress: dict[str, Any]
    stop_requested: bool
    plan_id: int | None
    run_id: int | None
    status: str
    message: str
    username: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    worker: str
    now: datetime
    position: int | None = None
    children: list[JobView] = field(default_factory=list)

    @classmethod
    def of(cls, row: JobRow, now: datetime, position: int | None = None,
           children: list[JobView] | None = None) -> JobView:
        return cls(row.id, row.kind, row.state, dict(row.params or {}), dict(row.progress or {}),
                   bool(row.stop_requested), row.plan_id, row.run_id, row.status or "", row.message or "",
                   row.created_by or "", row.created_at, row.started_at, row.finished_at, row.worker or "", now,
                   position, children or [])

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def period_start(self) -> date:
        return date.fromisoformat(self.params["period_start"])

    @property
    def weeks(self) -> int:
        return int(self.params.get("weeks") or 1)

    @property
    def time_limit(self) -> float:
        return float(self.params.get("time_limit") or 1.0)

    @property
    def names(self) -> list[str]:
        return list(self.params.get("names") or [])

    @property
    def elapsed(self) -> float:
        if self.started_at is None:
            return 0.0
        return max(((self.finished_at or self.now) - self.started_at).total_seconds(), 0.0)

    @property
    def stage(self) -> str:
        """The current stage in words (``in de rij`` while waiting)."""
        if self.state == WAITING:
            return "in de rij"
        return STAGE_WORDS.get(self.progress.get("stage") or "", "voorbereiden")

    @property
    def stages(self) -> list[dict]:
        """The stages of a plan job in order, each ``klaar``, ``bezig`` or ``nog niet``."""
        keys = [k for k in STAGE_ORDER if k != "residentieel" or self.progress.get("residential")]
        now = self.progress.get("stage") or ""
        at = keys.index(now) if now in keys else (-1 if self.active else len(keys))
        stopped = self.progress.get("stopped") or self.state == STOPPED
        if self.state == DONE and not stopped:
            at = len(keys)
        current = "bezig" if self.active else ("gestopt" if stopped else "niet afgerond")
        return [{"name": STAGE_WORDS[k], "state": "klaar" if i < at else (current if i == at else "nog niet")}
                for i, k in enumerate(keys)]

    @property
    def stopped_in(self) -> str | None:
        """The stage a stopped solve was in (None when it was not stopped)."""
        if not (self.progress.get("stopped") or self.state == STOPPED):
            return None
        return STAGE_WORDS.get(self.progress.get("stage") or "", "voorbereiden")

    @property
    def last(self):
        """The solver's last progress event (stage, objective, bound, gap), or None."""
        from solver.result import ProgressEvent

        p = self.progress
        if not p.get("stage"):
            return None
        if p.get("objective") is None:
            return None
        return ProgressEvent(float(p.get("seconds") or 0.0), p.get("objective"), p.get("bound"), p["stage"])

    @property
    def done(self) -> int:
        return sum(c.state == DONE for c in self.children)

    @property
    def percent(self) -> int:
        if not self.active:
            return 100
        if self.kind == WHATIF:
            total = max(len(self.children) or len(self.names), 1)
            running = sum(min(0.95, c.elapsed / max(c.time_limit, 0.1)) for c in self.children if c.state == RUNNING)
            return min(99, int(100 * (self.done + running) / total))
        return min(99, int(100 * self.elapsed / max(self.time_limit, 0.1)))



class Beat:
    """Beside a running job: heartbeat and progress into the row every second; the stop flag out of it."""

    def __init__(self, store, job_id: str, worker: str, parent_id: str | None = None,
                 interval: float = BEAT_SECONDS):
        self.store, self.job_id, self.worker, self.parent_id, self.interval = store, job_id, worker, parent_id, interval
        self.stop = threading.Event()
        self.latest: dict[str, Any] | None = None
        self.lost = False
        self._done = threading.Event()
        self.stage_of = None  # optional: elapsed seconds -> stage name (plan jobs, plan_stage_guess)
        self.extra: dict[str, Any] = {}  # written with every beat (e.g. residential: True)
        self._t0 = datetime.now()
        self._thread = threading.Thread(target=self._loop, name=f"hartslag-{job_id}", daemon=True)

    def progress(self, event) -> None:
        self.latest = {**(self.latest or {}), "seconds": round(event.seconds, 2), "objective": event.objective,
                       "bound": event.bound, "stage": event.stage}

    def _stage(self) -> None:
        if self.stage_of is None:
            return
        elapsed = (datetime.now() - self._t0).total_seconds()
        self.latest = {**(self.latest or {}), **self.extra, "stage": self.stage_of(elapsed)}

    def __enter__(self) -> Beat:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join(timeout=30)

    def _loop(self) -> None:
        while not self._done.wait(self.interval):
            self.beat()

    def beat(self) -> None:
        self._stage()
        try:
            with self.store.session() as s:
                values: dict[str, Any] = {"heartbeat": utcnow()}
                if self.latest is not None:
                    values["progress"] = self.latest
                hit = s.execute(update(JobRow).where(JobRow.id == self.job_id, JobRow.state == RUNNING,
                                                     JobRow.worker == self.worker).values(**values)).rowcount
                if hit != 1:
                    self.lost = True
                    self.stop.set()
                    return
                ids = [self.job_id] + ([self.parent_id] if self.parent_id else [])
                rows = s.execute(select(JobRow.id, JobRow.stop_requested, JobRow.state).where(JobRow.id.in_(ids))).all()
            if any(stop or (jid != self.job_id and state not in ACTIVE) for jid, stop, state in rows):
                self.stop.set()
        except Exception:  # noqa: BLE001 - a missed beat is not fatal; many missed ones make the job stale
            log.warning("hartslag van taak %s niet geschreven", self.job_id, exc_info=True)
