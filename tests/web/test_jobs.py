"""Jobs on the task queue: state in the database, a web restart, a killed worker, the cap, the queue position."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.web.conftest import client_for, login, make_app
from web.db.models import JobRow, PlanRow
from web.jobs import (PLAN, RUNNING, abandon_own, claim, create_job, default_concurrency, read_job, reap_dead_local,
                      reap_stale, utcnow)

REPO = Path(__file__).resolve().parents[2]
WAIT = 180  # upper bound for solves to finish; never an assertion on speed


def _app(url: str, bundle: Path | None = None):
    """An app object without a consumer of its own (as a web process next to separate workers)."""
    from web.app import create_app

    app = make_app(url, bundle) if bundle else create_app(url, solver_workers=1, secret_key="test-geheim",
                                                          embedded_worker=False)
    app.state.jobs.embedded = False  # make_app asks for one; this test starts consumers itself
    return app


def _close(app) -> None:
    app.state.jobs.close()
    app.state.store.engine.dispose()


def _start(client, token: str, limit: str) -> str:
    r = client.post("/plannen/start", data={"csrf_token": token, "periode_start": "2026-12-07", "weken": "1",
                                            "tijdslimiet": limit})
    assert r.status_code == 303, r.text[:500]
    return r.headers["location"].rsplit("/", 1)[1]


def _states(store, ids: list[str]) -> list[str]:
    with store.session() as s:
        got = dict(s.execute(select(JobRow.id, JobRow.state).where(JobRow.id.in_(ids))).all())
    return [got[i] for i in ids]


def _plans(store) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(PlanRow))


def start_worker(url: str, log: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    """``planner worker`` in its own process, its output in ``log``."""
    out = log.open("w")
    return subprocess.Popen([sys.executable, "-c", "from planner.cli import app; app()", "worker", *args],
                            env={**os.environ, "DATABASE_URL": url, **(env or {})}, cwd=REPO, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)


def stop_worker(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_a_web_restart_keeps_queued_and_finished_jobs_the_cap_and_the_queue_position(tmp_path, small_bundle):
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    first = _app(url, small_bundle)
    client = client_for(first)
    token = login(client, "pl")
    ids = [_start(client, token, "2") for _ in range(3)]
    assert "wacht in de rij, positie 3" in client.get(f"/plannen/taken/{ids[2]}").text
    _close(first)  # the web process goes away with three jobs in the queue

    second = _app(url)  # a restarted web: a new app object on the same database, no worker yet
    viewer = client_for(second)
    login(viewer, "vw")
    for n, job_id in enumerate(ids, 1):
        partial = viewer.get(f"/plannen/taken/{job_id}", headers={"HX-Request": "true"}).text
        assert f"wacht in de rij, positie {n}" in partial and 'data-state="wacht"' in partial
        assert 'hx-trigger="every 1s"' in partial  # still polled
    assert "Lopende planningen" in viewer.get("/plannen").text

    second.state.jobs.start_consumer(concurrency=1)  # a worker with a cap of one job at a time
    store = second.state.store
    most, saw_position_2, deadline = 0, False, time.monotonic() + WAIT
    while time.monotonic() < deadline:
        states = _states(store, ids)
        most = max(most, states.count(RUNNING))
        if states == ["bezig", "wacht", "wacht"]:
            saw_position_2 = saw_position_2 or read_job(store, ids[2]).position == 2
        if not {"wacht", "bezig"} & set(states):
            break
        time.sleep(0.05)
    assert _states(store, ids) == ["klaar"] * 3
    assert most == 1, "the cap of one job at a time was exceeded"
    assert saw_position_2, "the third job never showed position 2 while the first ran"
    plan_ids = [read_job(store, i).plan_id for i in ids]
    _close(second)

    third = _app(url)  # and once more: finished jobs stay visible with their plans
    viewer = client_for(third)
    login(viewer, "vw")
    for job_id, plan_id in zip(ids, plan_ids):
        page = viewer.get(f"/plannen/taken/{job_id}").text
        assert 'data-state="klaar"' in page and f'href="/plannen/{plan_id}"' in page and "hx-trigger" not in page
    assert len(set(plan_ids)) == 3 and _plans(third.state.store) == 3
    _close(third)


def test_a_worker_killed_mid_solve_leaves_the_job_mislukt_and_no_plan(tmp_path, monkeypatch):
    monkeypatch.setenv("JHP_JOB_STALE_SECONDS", "6")
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    # the size-M sample: its solve runs long enough on one solver thread to be killed in the middle
    app = _app(url, REPO / "sample_data" / "flevoland")
    store = app.state.store
    client = client_for(app)
    token = login(client, "pl")
    job_id = _start(client, token, "60")
    proc = start_worker(url, tmp_path / "worker.log", "-c", "1", "--solver-workers", "1")
    try:
        deadline = time.monotonic() + WAIT
        job = app.state.jobs.get(job_id)
        while not (job.state == RUNNING and job.last is not None) and time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(0.2)
            job = app.state.jobs.get(job_id)
        assert job.state == RUNNING and job.last is not None, "the worker never reported progress"
        assert job.worker.endswith(f":{proc.pid}")
        os.kill(proc.pid, signal.SIGKILL)  # mid-solve
        proc.wait()
    finally:
        stop_worker(proc)
    time.sleep(6.5)  # the heartbeat goes stale
    job = app.state.jobs.get(job_id)  # any reader marks it: no worker needs to run for the page to tell
    assert job.state == "mislukt" and "reageert niet meer" in job.message and "Start hem opnieuw" in job.message
    assert job.plan_id is None and _plans(store) == 0  # never a (half-written) plan
    page = client.get(f"/plannen/taken/{job_id}", headers={"HX-Request": "true"}).text
    assert 'data-state="mislukt"' in page and "hx-trigger" not in page and "reageert niet meer" in page
    # a new worker does not run it again
    app.state.jobs.start_consumer(concurrency=1)
    time.sleep(1.5)
    assert app.state.jobs.get(job_id).state == "mislukt" and _plans(store) == 0
    _close(app)


def _running_row(store, worker: str, beat_age: float) -> str:
    with store.session() as s:
        job_id = create_job(s, PLAN, {"period_start": "2026-12-07", "weeks": 1, "time_limit": 1.0}, "pl")
    assert claim(store, job_id, worker) is not None
    with store.session() as s:
        s.get(JobRow, job_id).heartbeat = utcnow() - timedelta(seconds=beat_age)
    return job_id


def test_stale_heartbeats_and_dead_local_workers_are_mislukt(sqlite_app, monkeypatch):
    monkeypatch.setenv("JHP_JOB_STALE_SECONDS", "30")
    store = sqlite_app.state.store
    fresh = _running_row(store, "elders:1", 1)
    stale = _running_row(store, "elders:2", 120)
    dead = subprocess.Popen(["true"])
    dead.wait()
    gone = _running_row(store, f"{socket.gethostname()}:{dead.pid}", 1)
    assert reap_stale(store) == [stale]
    assert reap_dead_local(store) == [gone]
    assert read_job(store, fresh).state == RUNNING
    assert "reageert niet meer" in read_job(store, stale).message
    assert f"(proces {dead.pid}) is gestopt" in read_job(store, gone).message
    mine = _running_row(store, "deze:9", 1)
    assert abandon_own(store, "deze:9") == [mine] and read_job(store, mine).state == "mislukt"


def test_a_reaped_job_whose_worker_comes_back_writes_no_plan(sqlite_app, monkeypatch):
    """A worker that was only paused (not dead) finds its job taken away: it stops and stores nothing."""
    from web.jobs import _run_plan

    monkeypatch.setenv("JHP_JOB_STALE_SECONDS", "30")
    store = sqlite_app.state.store
    job_id = _running_row(store, "traag:1", 120)
    row = claim(store, job_id, "x")  # already running: nobody else may claim it
    assert row is None
    with store.session() as s:
        row = s.get(JobRow, job_id)
        row.snapshot  # noqa: B018 - load the deferred column before the row leaves the session
        s.expunge(row)
    assert reap_stale(store) == [job_id]
    _run_plan(store, row, "traag:1", 1)  # the paused worker resumes: its first heartbeat finds the job gone
    assert _plans(store) == 0 and read_job(store, job_id).state == "mislukt"


def test_the_cap_defaults_to_all_cores_but_one(monkeypatch):
    monkeypatch.delenv("JHP_WORKER_CONCURRENCY", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert default_concurrency() == 7
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert default_concurrency() == 1
    monkeypatch.setenv("JHP_WORKER_CONCURRENCY", "3")
    assert default_concurrency() == 3


def test_stop_while_waiting_never_starts_and_unknown_jobs_are_404(sqlite_app):
    app = sqlite_app
    app.state.jobs.embedded = False  # no worker: the job waits
    client = client_for(app)
    token = login(client, "pl")
    job_id = _start(client, token, "5")
    r = client.post(f"/plannen/taken/{job_id}/stop", headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert r.status_code == 200 and 'data-state="gestopt"' in r.text and "Gestopt voordat de taak begon." in r.text
    app.state.jobs.start_consumer(concurrency=1)
    time.sleep(1.0)
    assert app.state.jobs.get(job_id).state == "gestopt" and _plans(app.state.store) == 0
    assert client.get("/plannen/taken/bestaatniet").status_code == 404
    assert client.get("/plannen/taken/" + "x" * 40).status_code == 404
    assert client.get(f"/wat-als/taken/{job_id}").status_code == 404  # a plan job is no what-if run


@pytest.mark.parametrize("flag", ["--help"])
def test_planner_worker_is_a_command(flag):
    out = subprocess.run([sys.executable, "-c", "from planner.cli import app; app()", "worker", flag],
                         capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0 and "--concurrency" in out.stdout


def test_a_job_runs_and_any_app_object_shows_it(app, db_url, tmp_path, monkeypatch):
    """SQLite and PostgreSQL: the job's state is in the database, so a second web process shows it too."""
    monkeypatch.setenv("JHP_QUEUE_FILE", str(tmp_path / "wachtrij.sqlite"))
    client = client_for(app)
    token = login(client, "pl")
    job_id = _start(client, token, "2")
    other = _app(db_url)  # another web process on the same database, without a consumer
    viewer = client_for(other)
    login(viewer, "vw")
    deadline = time.monotonic() + WAIT
    while app.state.jobs.get(job_id).active and time.monotonic() < deadline:
        time.sleep(0.2)
    job = other.state.jobs.get(job_id)
    assert job.state == "klaar" and job.plan_id and job.last is not None and job.worker
    page = viewer.get(f"/plannen/taken/{job_id}").text
    assert 'data-state="klaar"' in page and f'href="/plannen/{job.plan_id}"' in page
    _close(other)


def test_a_waiting_job_whose_message_was_lost_is_put_back(sqlite_app):
    store, queue = sqlite_app.state.store, sqlite_app.state.jobs.queue
    with store.session() as s:
        old = create_job(s, PLAN, {"period_start": "2026-12-07", "weeks": 1, "time_limit": 1.0}, "pl",
                         at=utcnow() - timedelta(minutes=5))
        new = create_job(s, PLAN, {"period_start": "2026-12-07", "weeks": 1, "time_limit": 1.0}, "pl")
    assert queue.recover() == [old]  # the new one may still be on its way into the queue
    assert queue.pending_ids() == {old}
    assert queue.recover() == []  # it is in the queue now: not put back twice
    assert read_job(store, new).position == 2


def test_a_what_if_run_can_be_stopped_while_it_waits(sqlite_app):
    app = sqlite_app
    app.state.jobs.embedded = False
    client = client_for(app)
    token = login(client, "pl")
    r = client.post("/wat-als/start", data={"csrf_token": token, "basis": "ja", "weken": "4", "tijdslimiet": "2"})
    assert r.status_code == 303
    url = r.headers["location"]
    assert "wacht in de rij, positie 1" in client.get(url).text
    stopped = client.post(url + "/stop", headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert stopped.status_code == 200 and 'data-state="gestopt"' in stopped.text and "hx-trigger" not in stopped.text
    job = app.state.jobs.get(url.rsplit("/", 1)[1])
    assert job.state == "gestopt" and [c.state for c in job.children] == ["gestopt"]
    viewer = client_for(app)
    vtoken = login(viewer, "vw")
    assert viewer.post(url + "/stop", headers={"X-CSRF-Token": vtoken}).status_code == 403


def test_serve_starts_a_worker_beside_the_web_and_ends_it_with_the_web(tmp_path, monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    import planner.cli_web as cli_web
    from planner.cli import app as cli

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    monkeypatch.delenv("JHP_WORKER", raising=False)
    spawned, alive = [], []
    spawn = cli_web._spawn_worker
    monkeypatch.setattr(cli_web, "_spawn_worker", lambda: spawned.append(spawn()) or spawned[-1])

    def fake_run(app, host, port, **kw):  # "the web runs": the worker child is there meanwhile
        time.sleep(1.0)
        alive.append(bool(spawned) and spawned[-1].poll() is None)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    r = CliRunner().invoke(cli, ["serve", "--sample", "--port", "8124"])
    assert r.exit_code == 0, r.output
    assert len(spawned) == 1 and alive == [True] and spawned[0].poll() is not None  # ended with the web
    for args, env in ((["serve", "--geen-worker"], None), (["serve"], "extern")):
        if env:
            monkeypatch.setenv("JHP_WORKER", env)
        assert CliRunner().invoke(cli, args).exit_code == 0
    assert len(spawned) == 1  # no worker when told that separate workers run the jobs
