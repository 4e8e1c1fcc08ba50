"""Background solves: one worker thread per solve, never on the request thread.

The solver reports progress through ``on_progress``; the job keeps the last
event for the htmx-polled progress bar.  Stop sets a ``threading.Event`` the
solver checks, and whatever best plan it has is kept.  A finished solve
always lands as a NEW draft plan version, so it never overwrites edits someone
is making to another version meanwhile.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date

from planner.plan import Plan
from solver.data import SolveOptions
from solver.result import ProgressEvent

log = logging.getLogger("jeugdhulp.web.jobs")


@dataclass
class Job:
    id: str
    period_start: date
    weeks: int
    time_limit: float
    username: str
    parent_id: int | None = None
    state: str = "bezig"  # bezig | klaar | mislukt
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    last: ProgressEvent | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    previous: Plan | None = None  # the version re-planned from, read when the solve was asked for
    plan_id: int | None = None
    status: str = ""
    message: str = ""

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    @property
    def percent(self) -> int:
        if self.state != "bezig":
            return 100
        return min(99, int(100 * self.elapsed / max(self.time_limit, 0.1)))


class JobManager:
    """Starts solves in threads and keeps their state in memory (a restart forgets running jobs)."""

    def __init__(self, store, workers: int = 2):
        self.store, self.workers = store, workers
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, period_start: date, weeks: int, time_limit: float, username: str,
              previous_id: int | None = None) -> Job:
        from web.plans import load_plan_data

        job = Job(uuid.uuid4().hex[:12], period_start, weeks, time_limit, username, parent_id=previous_id)
        # snapshot now: an edit saved while the solve runs must not change what it starts from
        job.previous = load_plan_data(self.store, previous_id) if previous_id else None
        with self._lock:
            self.jobs[job.id] = job
        threading.Thread(target=self._run, args=(job,), name=f"solve-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def running(self) -> list[Job]:
        return [j for j in self.jobs.values() if j.state == "bezig"]

    def _run(self, job: Job) -> None:
        from web.edits import keep_pinned
        from web.plans import save_solved

        try:
            from solver.solve import solve

            bundle, pack = self.store.bundle()
            result = solve(bundle, pack, job.period_start, job.weeks,
                           SolveOptions(time_limit=job.time_limit, workers=self.workers), previous=job.previous,
                           on_progress=lambda e: setattr(job, "last", e), stop=job.stop)
            if job.previous is not None and result.plan is not None:
                keep_pinned(job.previous, result.plan)  # pinned on-call blocks and contacts
            job.plan_id = save_solved(self.store, bundle, pack, result, job)
            job.status = result.status
            job.state = "klaar" if result.plan is not None else "mislukt"
            job.message = "" if result.plan is not None else "Geen plan gevonden; zie de toelichting."
        except Exception:  # noqa: BLE001 - a failed solve is shown in Dutch; the trace goes to the server log
            log.exception("solve %s failed", job.id)
            job.state, job.message = "mislukt", "Het plannen is onverwacht mislukt; zie het serverlogboek."
        finally:
            job.finished = time.monotonic()

