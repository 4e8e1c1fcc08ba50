"""A 20-scenario sweep spreads over two ``planner worker`` processes on a Redis queue.

Redis: ``REDIS_URL``, else 127.0.0.1:6379; when nothing answers there, the test starts Debian's
``redis-server`` on a free port itself, and skips with a message only when that is missing or fails.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from collections import Counter

import pytest

from planner.scenario import scenario_from_dict
from tests.web.conftest import client_for, login
from tests.web.test_jobs import _app, _close, start_worker, stop_worker

WAIT = 300  # upper bound; never an assertion on speed


def _ping(url: str) -> Exception | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except Exception as e:  # noqa: BLE001 - any failure means: not reachable
        return e
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    import os

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    problem = _ping(url)
    if problem is None:
        yield url
        return
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.skip(f"Redis niet bereikbaar op {url} ({type(problem).__name__}) en redis-server ontbreekt "
                    "(apt-get install redis-server, of zet REDIS_URL)")
    port = _free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        if _ping(url) is None:
            break
        time.sleep(0.1)
    else:
        proc.kill()
        pytest.skip(f"Redis niet bereikbaar en redis-server startte niet op poort {port}")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_a_20_scenario_sweep_spreads_over_two_workers_on_redis(tmp_path, small_bundle, monkeypatch, redis_url):
    import redis

    name = f"jhp-test-{uuid.uuid4().hex[:10]}"  # a queue of this test only
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("JHP_QUEUE_NAME", name)
    db = f"sqlite:///{tmp_path / 'app.sqlite'}"
    app = _app(db, small_bundle)  # the web side: no consumer of its own
    assert app.state.jobs.queue.describe().startswith("Redis ")
    logs = [tmp_path / f"worker{i}.log" for i in range(2)]
    workers = [start_worker(db, log, "-c", "1", "--solver-workers", "1") for log in logs]
    try:
        deadline = time.monotonic() + 120
        while not all("Verwerker" in log.read_text() for log in logs) and time.monotonic() < deadline:
            assert all(w.poll() is None for w in workers), [log.read_text() for log in logs]
            time.sleep(0.2)
        bundle, _ = app.state.store.bundle()
        staff = sorted(bundle.staff)[0]
        scenarios = [scenario_from_dict({"naam": f"S{i:02d}", "wijzigingen": [
            {"soort": "contracturen", "medewerker": staff, "uren": 10 + i, "vanaf": "2027-01-04"}]})
            for i in range(20)]
        job = app.state.jobs.start_sweep(scenarios, 26, 5.0, "pl")
        assert len(job.children) == 20
        deadline = time.monotonic() + WAIT
        while job.active and time.monotonic() < deadline:
            time.sleep(0.3)
            job = app.state.jobs.get(job.id)
        assert job.state == "klaar", (job.message, [log.read_text()[-2000:] for log in logs])
        assert [c.state for c in job.children] == ["klaar"] * 20
        took = Counter(c.worker.rsplit(":", 1)[1] for c in job.children)
        assert set(took) == {str(w.pid) for w in workers}, f"not both workers took tasks: {dict(took)}"
        client = client_for(app)
        login(client, "vw")
        page = client.get(f"/wat-als/taken/{job.id}").text
        assert 'data-state="klaar"' in page and "20 van 20 scenario's klaar" in page
        compare = client.get(f"/wat-als/vergelijking/{job.run_id}")
        assert compare.status_code == 200 and "S00" in compare.text and "S19" in compare.text
    finally:
        for w in workers:
            stop_worker(w)
        conn = redis.Redis.from_url(redis_url)
        for key in conn.scan_iter(f"huey.*{name}*"):
            conn.delete(key)
        _close(app)
