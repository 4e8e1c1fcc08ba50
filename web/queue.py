"""The task queue (Huey): SQLite storage beside the database by default, Redis when ``REDIS_URL`` is set.

The queue only carries a job's id (one task kind, ``jhp.taak``); the job's parameters, state, progress
and result live in the database (:mod:`web.jobs`). So the queue is a doorbell, not a record: a message
that gets lost (a queue file deleted, Redis flushed, a worker killed between taking and claiming it) is
put back by :meth:`JobQueue.recover`, because the job row still says ``wacht``.

- **Queue name**: ``JHP_QUEUE_NAME``, else ``jhp-`` plus a random id kept in the database's ``settings``
  (``wachtrij_id``): a web process and a worker on the same database always agree, whatever the URL
  looks like from their host, and two databases never share a queue.
- **SQLite storage** (no ``REDIS_URL``): ``JHP_QUEUE_FILE``, else beside an SQLite database
  (``jeugdhulp.sqlite`` -> ``jeugdhulp-wachtrij.sqlite``), else ``./jeugdhulp-wachtrij.sqlite``. Every
  process on one machine can use it; workers on other machines need Redis.
- **Consumers**: ``planner worker`` runs :func:`run_worker` (Huey's consumer with ``concurrency`` worker
  threads: the cap on jobs one worker runs at once); ``planner serve`` starts one as a child process, and
  ``create_app(embedded_worker=True)`` (``JHP_WORKER=ingebouwd``) runs one in threads of the web process.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from pathlib import Path

from huey.consumer import Consumer

log = logging.getLogger("jeugdhulp.web.queue")
TASK_NAME = "jhp.taak"
RECOVER_AFTER = 30.0  # seconds a waiting job may be missing from the queue before it is put back


def queue_id(store) -> str:
    """The database's own queue name (``settings.wachtrij_id``), created once."""
    from sqlalchemy.exc import IntegrityError

    for _ in range(3):
        try:
            with store.session() as s:
                value = store.setting(s, "wachtrij_id")
                if value:
                    return value
                value = f"jhp-{secrets.token_hex(6)}"
                store.set_setting(s, "wachtrij_id", value)
            return value
        except IntegrityError:  # another process created it at the same moment: read theirs
            continue
    raise RuntimeError("wachtrij_id kon niet worden vastgelegd")


def queue_file(url) -> str:
    """Where SQLite queue storage lives (see the module docstring)."""
    explicit = os.environ.get("JHP_QUEUE_FILE")
    if explicit:
        return explicit
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db = Path(url.database)
        return str(db.with_name(f"{db.stem}-wachtrij.sqlite"))
    return "./jeugdhulp-wachtrij.sqlite"


def redis_url() -> str | None:
    return os.environ.get("REDIS_URL") or None


class _Consumer(Consumer):
    """Huey's consumer; an embedded one (threads in the web process) leaves the process's signals alone."""

    signals = True

    def _set_signal_handlers(self):
        if self.signals:
            super()._set_signal_handlers()


class JobQueue:
    """One Huey instance (built on first use) with the one task that runs a job by its id."""

    def __init__(self, store, solver_workers: int = 1):
        self.store, self.solver_workers = store, solver_workers
        self._huey = None
        self._task = None
        self._lock = threading.Lock()

    @property
    def huey(self):
        with self._lock:
            if self._huey is None:
                self._huey = self._build()
            return self._huey

    def _build(self):
        from huey import RedisHuey, SqliteHuey

        name = os.environ.get("JHP_QUEUE_NAME") or queue_id(self.store)
        if redis_url():
            huey = RedisHuey(name, url=redis_url(), results=False, blocking=True, read_timeout=1)
        else:
            huey = SqliteHuey(name, filename=queue_file(self.store.engine.url), results=False, timeout=30)
        store, workers = self.store, self.solver_workers

        def run_job(job_id: str) -> None:
            from web.jobs import execute

            execute(store, job_id, workers)

        self._task = huey.task(name=TASK_NAME)(run_job)
        return huey

    def describe(self) -> str:
        if redis_url():
            from redis.connection import parse_url

            info = parse_url(redis_url())
            return f"Redis {info.get('host', '127.0.0.1')}:{info.get('port', 6379)}/{info.get('db', 0)}"
        return f"SQLite-bestand {queue_file(self.store.engine.url)}"

    def enqueue(self, job_id: str) -> None:
        self.huey  # noqa: B018 - builds the task on first use
        self._task(job_id)

    def pending_ids(self) -> set[str]:
        return {t.args[0] for t in self.huey.pending() if t.args}

    def recover(self, older_than: float = RECOVER_AFTER) -> list[str]:
        """Put back waiting jobs whose message is missing from the queue; returns their ids."""
        from web.jobs import waiting_units

        waiting = waiting_units(self.store, older_than)
        if not waiting:
            return []
        pending = self.pending_ids()
        lost = [j for j in waiting if j not in pending]
        for job_id in lost:
            log.warning("taak %s stond niet (meer) in de wachtrij; opnieuw aangeboden", job_id)
            self.enqueue(job_id)
        return lost

    def consumer(self, concurrency: int, signals: bool = True) -> _Consumer:
        c = _Consumer(self.huey, workers=max(1, concurrency), periodic=False, initial_delay=0.1, backoff=1.15,
                      max_delay=1.0, worker_type="thread", check_worker_health=True, health_check_interval=5)
        c.signals = signals
        return c

    def embedded_consumer(self, concurrency: int) -> EmbeddedConsumer:
        return EmbeddedConsumer(self, concurrency)

    def close(self) -> None:
        """Close the storage connection (a later use reconnects to the same queue; nothing is rebuilt)."""
        with self._lock:
            if self._huey is not None and hasattr(self._huey.storage, "close"):
                self._huey.storage.close()


def clean_up_at_start(store, queue: JobQueue) -> None:
    """Before a consumer takes work: fail the jobs of dead workers, put back lost messages."""
    from web.jobs import reap_dead_local, reap_stale

    reap_dead_local(store)
    reap_stale(store)
    try:
        queue.recover()
    except Exception:  # noqa: BLE001 - the queue may be briefly unreachable; the housekeeper tries again
        log.warning("wachtrij niet bereikbaar bij het opruimen", exc_info=True)


class Housekeeper:
    """Every few seconds: stale heartbeats -> mislukt; every half minute: lost messages back in the queue."""

    def __init__(self, store, queue: JobQueue):
        from web.jobs import stale_seconds

        self.store, self.queue = store, queue
        self.interval = max(0.5, min(10.0, stale_seconds() / 3))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="jhp-huishouding", daemon=True)

    def start(self) -> Housekeeper:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        from web.jobs import reap_stale

        waited = 0.0
        while not self._stop.wait(self.interval):
            waited += self.interval
            try:
                reap_stale(self.store)
                if waited >= RECOVER_AFTER:
                    waited = 0.0
                    self.queue.recover()
            except Exception:  # noqa: BLE001 - keep house next time
                log.warning("huishouding van de taken mislukt", exc_info=True)


class EmbeddedConsumer:
    """A consumer in threads of this process (no signal handlers): tests and ``JHP_WORKER=ingebouwd``."""

    def __init__(self, queue: JobQueue, concurrency: int):
        self.queue, self.concurrency = queue, concurrency
        self.consumer: _Consumer | None = None
        self.keeper: Housekeeper | None = None

    def start(self) -> None:
        clean_up_at_start(self.queue.store, self.queue)
        self.consumer = self.queue.consumer(self.concurrency, signals=False)
        self.consumer.start()
        self.keeper = Housekeeper(self.queue.store, self.queue).start()

    def stop(self) -> None:
        if self.keeper is not None:
            self.keeper.stop()
        if self.consumer is not None:
            self.consumer.stop(graceful=False)


def run_worker(store, concurrency: int, solver_workers: int) -> None:
    """``planner worker``: a consumer in the foreground until SIGINT (graceful) or SIGTERM."""
    from web.jobs import abandon_own

    queue = JobQueue(store, solver_workers=solver_workers)
    clean_up_at_start(store, queue)
    consumer = queue.consumer(concurrency, signals=True)
    keeper = Housekeeper(store, queue).start()
    try:
        consumer.run()
    finally:
        keeper.stop()
        abandon_own(store)
        queue.close()
