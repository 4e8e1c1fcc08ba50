"""Durable background jobs: solves, what-if runs and sweeps, as tasks on a queue, with their state in the database.

The web process never runs a solve. It inserts a row in ``taken`` (:class:`web.db.models.JobRow`) and
puts the job's id on the task queue (:mod:`web.queue`, Huey); a worker (``planner worker``, or the
consumer ``planner serve`` starts beside the web) claims the row, runs the solver and writes progress,
heartbeat and the result back to that row. The pages read only the row, so any web process shows any
job, and a web restart loses none.

- **States**: ``wacht`` (in the queue) -> ``bezig`` -> ``klaar`` | ``mislukt`` | ``gestopt``.
- **Progress and heartbeat**: a beat thread beside each running job writes the solver's last
  ``on_progress`` event and the time about every second, and reads ``stop_requested``.
- **Stop** is a flag in the row: the beat thread sets the solver's ``threading.Event`` when it sees it,
  and the best plan so far is kept (a job stopped while it waits never starts).
- **A dead worker**: a running job whose heartbeat is older than ``JHP_JOB_STALE_SECONDS`` (60 s) is
  marked ``mislukt`` with a Dutch message, on consumer start and every few seconds after. A finished
  solve stores its plan and marks the job ``klaar`` in **one transaction**, and only while the job is
  still this worker's and ``bezig``: a plan is written whole or not at all.
- **A what-if run (a sweep)** is a parent job of kind ``wat-als`` with one child job per scenario
  (kind ``scenario``); children spread over all workers, and the one finishing last stores the
  comparison in ``scenario_runs``.
- **Queue position**: waiting plan and scenario jobs, oldest first.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, func, or_, select, update

from web.db.models import JobRow
from web.job_progress import (ACTIVE, BEAT_SECONDS, DONE, FAILED, PLAN, RUNNING, SCENARIO, STOPPED, UNITS,  # noqa: F401
                              WAITING, WHATIF, Beat, JobView, plan_stage_guess, utcnow)

log = logging.getLogger("jeugdhulp.web.jobs")

CRASHED = "Het plannen is onverwacht mislukt; zie het logboek van de verwerker."
CRASHED_WHATIF = "Het doorrekenen is onverwacht mislukt; zie het logboek van de verwerker."
QUEUE_DOWN = "De wachtrij is niet bereikbaar; de taak is niet gestart. Probeer het later opnieuw."


def stale_seconds() -> float:
    """``JHP_JOB_STALE_SECONDS``: a running job without a heartbeat for this long has lost its worker."""
    try:
        value = float(os.environ.get("JHP_JOB_STALE_SECONDS", ""))
    except ValueError:
        value = 0.0
    return value if value > 0 else 60.0


def worker_name() -> str:
    """This process as a worker: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def default_concurrency() -> int:
    """``JHP_WORKER_CONCURRENCY``, else all cores but one, at least 1: the jobs one worker runs at once."""
    raw = os.environ.get("JHP_WORKER_CONCURRENCY", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else max(1, (os.cpu_count() or 2) - 1)


def _local(at: datetime | None) -> str:
    if at is None:
        return "onbekend"
    return at.replace(tzinfo=timezone.utc).astimezone().strftime("%H:%M:%S")


# --- rows -----------------------------------------------------------------
def new_id() -> str:
    return uuid.uuid4().hex[:16]


def create_job(s, kind: str, params: dict[str, Any], username: str, snapshot: Any = None,
               parent_id: str | None = None, at: datetime | None = None) -> str:
    job_id = new_id()
    s.add(JobRow(id=job_id, kind=kind, parent_id=parent_id, params=params, snapshot=snapshot, state=WAITING,
                 progress={}, stop_requested=False, status="", message="", created_by=username,
                 created_at=at or utcnow(), worker=""))
    return job_id


def _position(s, row: JobRow) -> int | None:
    """1 for the next job a free worker takes; None when the job does not wait."""
    if row.state != WAITING:
        return None
    at, jid = row.created_at, row.id
    if row.kind == WHATIF:
        first = s.execute(select(JobRow.created_at, JobRow.id).where(JobRow.parent_id == row.id, JobRow.state == WAITING)
                          .order_by(JobRow.created_at, JobRow.id).limit(1)).first()
        if first is None:
            return None
        at, jid = first
    ahead = s.scalar(select(func.count()).select_from(JobRow).where(
        JobRow.state == WAITING, JobRow.kind.in_(UNITS),
        or_(JobRow.created_at < at, and_(JobRow.created_at == at, JobRow.id < jid))))
    return int(ahead or 0) + 1


def read_job(store, job_id: str) -> JobView | None:
    if not job_id or len(job_id) > 32:
        return None
    with store.session() as s:
        row = s.get(JobRow, job_id)
        if row is None:
            return None
        if row.state == RUNNING and row.kind in UNITS and _is_stale(row.heartbeat or row.started_at, utcnow()):
            _reap(s, row.id, row.heartbeat)  # no worker reaped it yet (none may be running): say so at once
            s.flush()
            s.refresh(row)
        now = utcnow()
        children = []
        if row.kind == WHATIF:
            kids = s.scalars(select(JobRow).where(JobRow.parent_id == row.id).order_by(JobRow.created_at)).all()
            children = [JobView.of(k, now) for k in kids]
        return JobView.of(row, now, _position(s, row), children)


def _is_stale(beat: datetime | None, now: datetime) -> bool:
    return beat is None or beat < now - timedelta(seconds=stale_seconds())


def request_stop(store, job_id: str) -> JobView | None:
    """Stop: a waiting job never starts; a running solve stops and keeps its best plan; a what-if run ends."""
    if not job_id or len(job_id) > 32:
        return None
    now = utcnow()
    with store.session() as s:
        row = s.get(JobRow, job_id)
        if row is None:
            return None
        if row.state in ACTIVE:
            s.execute(update(JobRow).where(JobRow.id == job_id).values(stop_requested=True))
            if row.state == WAITING or row.kind == WHATIF:
                s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state.in_(ACTIVE)).values(
                    state=STOPPED, finished_at=now,
                    message="Gestopt voordat de taak begon." if row.state == WAITING else "Gestopt; er is niets bewaard."))
                s.execute(update(JobRow).where(JobRow.parent_id == job_id, JobRow.state == WAITING)
                          .values(state=STOPPED, finished_at=now, stop_requested=True))
    return read_job(store, job_id)


def _fail(s, job_id: str, message: str, *, worker: str | None = None, beat: datetime | None = None,
          beat_known: bool = False) -> bool:
    """Mark a running job mislukt (only while it is still running, and still ``worker``'s when given)."""
    cond = [JobRow.id == job_id, JobRow.state == RUNNING]
    if worker is not None:
        cond.append(JobRow.worker == worker)
    if beat_known:
        cond.append(JobRow.heartbeat.is_(None) if beat is None else JobRow.heartbeat == beat)
    now = utcnow()
    if s.execute(update(JobRow).where(*cond).values(state=FAILED, message=message, finished_at=now)).rowcount != 1:
        return False
    parent_id = s.scalar(select(JobRow.parent_id).where(JobRow.id == job_id))
    if parent_id:  # one scenario failed: the run fails, the scenarios still waiting never start
        s.execute(update(JobRow).where(JobRow.id == parent_id, JobRow.state.in_(ACTIVE))
                  .values(state=FAILED, finished_at=now, message=message))
        s.execute(update(JobRow).where(JobRow.parent_id == parent_id, JobRow.state == WAITING)
                  .values(state=STOPPED, finished_at=now))
    return True


def stale_message(beat: datetime | None) -> str:
    return (f"De verwerker van deze taak reageert niet meer (laatste teken van leven om {_local(beat)}); "
            "de taak is afgebroken en er is niets van opgeslagen. Start hem opnieuw.")


def _reap(s, job_id: str, beat: datetime | None) -> bool:
    return _fail(s, job_id, stale_message(beat), beat=beat, beat_known=True)


def reap_stale(store, now: datetime | None = None) -> list[str]:
    """Mark running jobs whose heartbeat is stale (their worker died) as mislukt; returns their ids."""
    cutoff = (now or utcnow()) - timedelta(seconds=stale_seconds())
    reaped = []
    with store.session() as s:
        rows = s.execute(select(JobRow.id, JobRow.heartbeat).where(
            JobRow.state == RUNNING, JobRow.kind.in_(UNITS),
            or_(JobRow.heartbeat < cutoff, JobRow.heartbeat.is_(None)))).all()
        for job_id, beat in rows:
            if _reap(s, job_id, beat):
                reaped.append(job_id)
    for job_id in reaped:
        log.warning("taak %s: verwerker reageert niet meer; gemarkeerd als mislukt", job_id)
    return reaped


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def reap_dead_local(store) -> list[str]:
    """Running jobs of a worker process on this host that no longer exists: mislukt at once."""
    host = socket.gethostname()
    reaped = []
    with store.session() as s:
        rows = s.execute(select(JobRow.id, JobRow.worker).where(JobRow.state == RUNNING,
                                                                JobRow.kind.in_(UNITS))).all()
        for job_id, worker in rows:
            name, _, pid = (worker or "").rpartition(":")
            if name != host or not pid.isdigit() or int(pid) == os.getpid() or _pid_alive(int(pid)):
                continue
            message = (f"De verwerker van deze taak (proces {pid}) is gestopt; de taak is afgebroken en er is "
                       "niets van opgeslagen. Start hem opnieuw.")
            if _fail(s, job_id, message, worker=worker):
                reaped.append(job_id)
    return reaped


def abandon_own(store, worker: str | None = None) -> list[str]:
    """When a worker shuts down: its jobs still running are mislukt (never left 'bezig')."""
    worker = worker or worker_name()
    done = []
    with store.session() as s:
        for (job_id,) in s.execute(select(JobRow.id).where(JobRow.state == RUNNING, JobRow.worker == worker,
                                                           JobRow.kind.in_(UNITS))).all():
            if _fail(s, job_id, "De verwerker werd gestopt tijdens deze taak; er is niets van opgeslagen. "
                                "Start hem opnieuw.", worker=worker):
                done.append(job_id)
    return done


def waiting_units(store, older_than: float = 0.0) -> list[str]:
    cutoff = utcnow() - timedelta(seconds=older_than)
    with store.session() as s:
        return list(s.scalars(select(JobRow.id).where(JobRow.state == WAITING, JobRow.kind.in_(UNITS),
                                                      JobRow.created_at < cutoff)
                              .order_by(JobRow.created_at, JobRow.id)).all())


# --- the web side -----------------------------------------------------------
class JobManager:
    """What the routes call: create a job row, put it on the queue, read it back, stop it.

    ``embedded``: this process also runs a consumer (threads), started on first use; otherwise a
    separate worker (``planner worker``, or the one ``planner serve`` starts) runs the jobs.
    """

    def __init__(self, store, workers: int = 1, embedded: bool = False, concurrency: int | None = None):
        from web.queue import JobQueue

        self.store, self.workers = store, workers
        self.queue = JobQueue(store, solver_workers=workers)
        self.embedded = embedded
        self.concurrency = concurrency
        self.consumer = None
        self._closed = False
        self._lock = threading.Lock()

    def _ensure_consumer(self) -> None:
        if not self.embedded or self.consumer is not None or self._closed:
            return
        with self._lock:
            if self.consumer is None and not self._closed:
                self.consumer = self.queue.embedded_consumer(self.concurrency or default_concurrency())
                self.consumer.start()

    def start_consumer(self, concurrency: int | None = None) -> None:
        """Start the embedded consumer now (e.g. at app start, so queued jobs run after a restart)."""
        self.embedded, self._closed = True, False
        if concurrency:
            self.concurrency = concurrency
        self._ensure_consumer()

    def close(self) -> None:
        """Stop the embedded consumer for good (the app is going away)."""
        with self._lock:
            self._closed = True
            if self.consumer is not None:
                self.consumer.stop()
                self.consumer = None
        self.queue.close()

    def _enqueue(self, job_id: str) -> None:
        self._ensure_consumer()
        try:
            self.queue.enqueue(job_id)
        except Exception:  # noqa: BLE001 - e.g. Redis down: the job says so instead of waiting forever
            log.exception("taak %s kon niet in de wachtrij", job_id)
            with self.store.session() as s:
                s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state == WAITING)
                          .values(state=FAILED, message=QUEUE_DOWN, finished_at=utcnow()))

    def start(self, period_start: date, weeks: int, time_limit: float, username: str,
              previous_id: int | None = None) -> JobView:
        from web.plans import load_plan_data

        # snapshot now: an edit saved while the job waits or runs must not change what it starts from
        previous = load_plan_data(self.store, previous_id) if previous_id else None
        params = {"period_start": period_start.isoformat(), "weeks": weeks, "time_limit": time_limit,
                  "previous_id": previous_id}
        with self.store.session() as s:
            job_id = create_job(s, PLAN, params, username, previous.to_json() if previous else None)
        self._enqueue(job_id)
        return self.get(job_id)

    def start_sweep(self, scenarios: list, weeks: int, time_limit: float, username: str) -> JobView:
        """A what-if run: one child job per scenario (``None`` = the data as it is), spread over the workers."""
        names = [sc.name if sc else "basis" for sc in scenarios]
        params = {"names": names, "weeks": weeks, "time_limit": time_limit}
        now = utcnow()
        with self.store.session() as s:
            parent = create_job(s, WHATIF, params, username, at=now)
            s.flush()
            kids = [create_job(s, SCENARIO, {"index": i, "name": name, "weeks": weeks, "time_limit": time_limit},
                               username, scenario_to_dict(sc) if sc else None, parent_id=parent,
                               at=now + timedelta(microseconds=i + 1))
                    for i, (sc, name) in enumerate(zip(scenarios, names))]
        for kid in kids:
            self._enqueue(kid)
        return self.get(parent)

    def get(self, job_id: str) -> JobView | None:
        self._ensure_consumer()
        return read_job(self.store, job_id)

    def stop(self, job_id: str) -> JobView | None:
        return request_stop(self.store, job_id)

    def running(self, kind: str = PLAN) -> list[JobView]:
        self._ensure_consumer()
        with self.store.session() as s:
            ids = s.scalars(select(JobRow.id).where(JobRow.kind == kind, JobRow.state.in_(ACTIVE))
                            .order_by(JobRow.created_at)).all()
        return [v for v in (read_job(self.store, i) for i in ids) if v is not None and v.active]


# --- the worker side --------------------------------------------------------
def scenario_to_dict(sc) -> dict[str, Any]:
    """A :class:`planner.scenario.Scenario` (with its basis chain) as JSON, to rebuild in the worker."""
    return {"naam": sc.name, "omschrijving": sc.description, "wijzigingen": list(sc.changes),
            "werving": sc.hiring, "basis": scenario_to_dict(sc.base) if sc.base else None}


def scenario_from_dict(raw: dict[str, Any] | None):
    from planner.scenario import scenario_from_dict as build

    if raw is None:
        return None
    return build(raw, scenario_from_dict(raw.get("basis")))


class JobLost(Exception):
    """The job is no longer this worker's (reaped, or stopped as part of its run): keep nothing."""


def claim(store, job_id: str, worker: str) -> JobRow | None:
    """Take a waiting job (wacht -> bezig) for this worker; None when it is not (or no longer) to run."""
    now = utcnow()
    with store.session() as s:
        row = s.get(JobRow, job_id)
        if row is None or row.state != WAITING:
            return None
        if row.parent_id:
            parent = s.get(JobRow, row.parent_id)
            if parent is None or parent.state not in ACTIVE or parent.stop_requested:
                s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state == WAITING)
                          .values(state=STOPPED, finished_at=now))
                return None
        hit = s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state == WAITING).values(
            state=RUNNING, worker=worker, started_at=now, heartbeat=now)).rowcount
        if hit != 1:
            return None
        if row.parent_id:
            s.execute(update(JobRow).where(JobRow.id == row.parent_id, JobRow.state == WAITING)
                      .values(state=RUNNING, started_at=now, worker=worker))
        snapshot = row.snapshot
        s.expunge(row)
    row.snapshot = snapshot
    return row


def execute(store, job_id: str, solver_workers: int = 1) -> None:
    """The task body: run one job if it is still waiting (the queue only carries the id)."""
    worker = worker_name()
    row = claim(store, job_id, worker)
    if row is None:
        return
    try:
        if row.kind == PLAN:
            _run_plan(store, row, worker, solver_workers)
        elif row.kind == SCENARIO:
            _run_scenario(store, row, worker, solver_workers)
        else:
            raise ValueError(f"onbekend soort taak {row.kind!r}")
    except Exception:  # noqa: BLE001 - shown in Dutch on the job page; the trace goes to the worker's log
        log.exception("taak %s (%s) mislukt", job_id, row.kind)
        with store.session() as s:
            _fail(s, job_id, CRASHED if row.kind == PLAN else CRASHED_WHATIF, worker=worker)


def _finish(s, job_id: str, worker: str, state: str, **values) -> bool:
    now = utcnow()
    return s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state == RUNNING, JobRow.worker == worker)
                     .values(state=state, finished_at=now, heartbeat=now, **values)).rowcount == 1


def _run_plan(store, row: JobRow, worker: str, solver_workers: int) -> None:
    from planner.plan import Plan
    from solver.data import SolveOptions
    from solver.solve import solve
    from web.edits import keep_pinned
    from web.plans import save_solved

    p = row.params
    previous = Plan.from_json(row.snapshot) if row.snapshot else None
    start = date.fromisoformat(p["period_start"])
    bundle, pack = store.bundle()
    limit = float(p["time_limit"])
    beat = Beat(store, row.id, worker)
    residential = _has_residential(bundle, pack)
    beat.extra = {"residential": residential}
    beat.stage_of = lambda elapsed: plan_stage_guess(elapsed, limit, len(bundle.staff), residential)
    with beat:
        result = solve(bundle, pack, start, int(p["weeks"]),
                       SolveOptions(time_limit=float(p["time_limit"]), workers=solver_workers), previous=previous,
                       on_progress=beat.progress, stop=beat.stop)
    if beat.lost:
        log.warning("taak %s is niet meer van deze verwerker; het resultaat wordt niet bewaard", row.id)
        return
    if previous is not None and result.plan is not None:
        keep_pinned(previous, result.plan)  # pinned on-call blocks and contacts
    progress = beat.latest or {}
    if result.plan is None and beat.stop.is_set():
        with store.session() as s:
            _finish(s, row.id, worker, STOPPED, status=result.status, progress=progress,
                    message="Gestopt voordat er een plan was; er is niets opgeslagen.")
        return
    ok = result.plan is not None
    stopped = beat.stop.is_set()
    progress = {**progress, "stage": progress.get("stage", "toewijzing") if stopped or not ok else "contacten",
                "stopped": stopped}
    info = SimpleNamespace(period_start=start, weeks=int(p["weeks"]), parent_id=p.get("previous_id"),
                           username=row.created_by, stopped=stopped)

    def mark(s, plan_id: int) -> None:  # in the plan's own transaction: plan and state land together
        if not _finish(s, row.id, worker, DONE if ok else FAILED, plan_id=plan_id, status=result.status,
                       progress=progress, message="" if ok else "Geen plan gevonden; zie de toelichting."):
            raise JobLost()

    try:
        save_solved(store, bundle, pack, result, info, on_saved=mark)
    except JobLost:
        log.warning("taak %s werd intussen afgebroken; het plan is niet bewaard", row.id)


def _has_residential(bundle, pack) -> bool:
    """Has the bundle a group with a residential product (the solver's first stage: shift rosters)?"""
    for g in bundle.groups.values():
        product = pack.product(g.product_code)
        if product is not None and product.setting == "verblijf":
            return True
    return False


def _run_scenario(store, row: JobRow, worker: str, solver_workers: int) -> None:
    from solver.capacity import CapacityOptions
    from solver.capacity.run import run_one

    p = row.params
    scenario = scenario_from_dict(row.snapshot)
    bundle, pack = store.bundle()
    options = CapacityOptions(weeks=int(p["weeks"]), time_limit=float(p["time_limit"]), workers=solver_workers)
    with Beat(store, row.id, worker, row.parent_id) as beat:
        result = run_one(bundle, pack, scenario, options)
    if beat.lost:
        return
    with store.session() as s:
        ok = _finish(s, row.id, worker, DONE, result=result.to_json(), status=result.status)
    if ok and row.parent_id:
        finish_run(store, row.parent_id)


def finish_run(store, parent_id: str) -> int | None:
    """When all scenarios of a run are done: store the comparison and mark the run klaar (exactly once)."""
    from web.featuretables import ScenarioRunRow

    try:
        with store.session() as s:
            kids = s.execute(select(JobRow.state).where(JobRow.parent_id == parent_id)).scalars().all()
            if not kids or any(k in ACTIVE for k in kids):
                return None
            parent = s.get(JobRow, parent_id)
            if parent is None or parent.state not in ACTIVE:
                return None
            now = utcnow()
            if any(k != DONE for k in kids):
                s.execute(update(JobRow).where(JobRow.id == parent_id, JobRow.state.in_(ACTIVE))
                          .values(state=FAILED, finished_at=now, message=CRASHED_WHATIF))
                return None
            rows = s.execute(select(JobRow.params, JobRow.result).where(JobRow.parent_id == parent_id)).all()
            results = [r for _p, r in sorted(rows, key=lambda x: int(x[0].get("index", 0)))]
            names = list(parent.params.get("names") or [])
            run = ScenarioRunRow(label=" / ".join(names)[:400], weeks=int(parent.params.get("weeks") or 52),
                                 results=results, created_by=parent.created_by, created_at=datetime.now())
            s.add(run)
            s.flush()
            hit = s.execute(update(JobRow).where(JobRow.id == parent_id, JobRow.state.in_(ACTIVE))
                            .values(state=DONE, run_id=run.id, finished_at=now)).rowcount
            if hit != 1:
                raise JobLost()  # another worker finished the run first: roll this copy back
            return run.id
    except JobLost:
        return None
