"""Parts of a decomposed solve as Huey tasks (issue 24): ``planner plan --workers-from-queue`` puts them in,
``planner deelverwerker`` processes (on this or other machines) take them out.

The queue carries the whole part (its sub-bundle, pack, options and previous plan, pickled) and the
result comes back through Huey's result store, so a worker needs no database and no files.  Redis when
``REDIS_URL`` is set (workers on other machines), else an SQLite file (``JHP_PARTS_QUEUE_FILE``, default
``./jeugdhulp-delen.sqlite``) that every process on this machine can use.  The queue is separate from the
web app's job queue (``web/queue.py``): a part is a piece of one solve, not a job of its own.
"""

from __future__ import annotations

import os
import pickle
import time
from concurrent.futures import Future
from functools import lru_cache

TASK_NAME = "jhp.deel"
QUEUE_NAME = "jhp-delen"


@lru_cache(maxsize=1)
def parts_huey():
    """The Huey instance with the one task that solves a part."""
    from huey import RedisHuey, SqliteHuey

    name = os.environ.get("JHP_PARTS_QUEUE_NAME", QUEUE_NAME)
    if os.environ.get("REDIS_URL"):
        huey = RedisHuey(name, url=os.environ["REDIS_URL"], results=True, blocking=True, read_timeout=1)
    else:
        huey = SqliteHuey(name, filename=os.environ.get("JHP_PARTS_QUEUE_FILE", "./jeugdhulp-delen.sqlite"),
                          results=True, timeout=30)

    @huey.task(name=TASK_NAME)
    def solve_part(payload: bytes) -> bytes:
        from solver.parallel import run_part

        return pickle.dumps(run_part(pickle.loads(payload)))

    huey.solve_part = solve_part
    return huey


class QueueExecutor:
    """Enough of ``concurrent.futures.Executor`` for ``solver.parallel.run_pool``: submit a part, poll it."""

    def __init__(self, poll: float = 0.25):
        self.huey, self.poll = parts_huey(), poll
        self._open: list[tuple[object, Future]] = []

    def submit(self, fn, job) -> Future:
        future: Future = Future()
        self._open.append((self.huey.solve_part(pickle.dumps(job)), future))
        return future

    def check(self) -> None:
        """Resolve the futures whose results have arrived."""
        for handle, future in list(self._open):
            try:
                raw = handle.get(blocking=False)
            except Exception as e:  # noqa: BLE001 - the task raised in the worker: pass it on
                self._open.remove((handle, future))
                future.set_exception(e)
                continue
            if raw is not None:
                self._open.remove((handle, future))
                future.set_result(pickle.loads(raw))

    def wait_any(self, timeout: float) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.check()
            if any(f.done() for _, f in self._open) or not self._open:
                return
            time.sleep(self.poll)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        for handle, _ in self._open:
            handle.revoke()


def run_consumer(workers: int) -> None:
    """``planner deelverwerker``: take parts from the queue until Ctrl-C."""
    from huey.consumer import Consumer

    Consumer(parts_huey(), workers=max(1, workers), worker_type="process", periodic=False,
             initial_delay=0.1, backoff=1.15, max_delay=1.0).run()
