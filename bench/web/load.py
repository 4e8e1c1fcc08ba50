"""Load benchmark: page latency (p50/p95) at 20 concurrent users while a solve runs (size-M data).

Usage:  .venv/bin/python bench/web/load.py [--seconds 10] [--connections 20] [--think-ms 1000]
            [--versions 100] [--db sqlite|postgresql] [--web-workers 2] [--bundle sample_data/flevoland]

Starts the app (uvicorn with ``--web-workers`` processes, loopback) on a fresh database seeded with the
bundle (a SQLite file, or a new PostgreSQL database on 127.0.0.1:5432 that is dropped afterwards), plus one
``planner worker`` for the solves.  It logs in, makes one plan, copies it into ``--versions`` plan versions
(the dashboard and plan list must not slow down with history), starts a long solve on the worker, and
runs ``wrk`` per page for a bounded time with the session cookie.  Each of the ``--connections`` users
waits ``--think-ms`` between two clicks (0: no think time, a saturation test).  Prints a Markdown table
for docs/performance.md.  Needs ``wrk`` (apt-get install -y wrk).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
LUA = """
think = tonumber(os.getenv("JHP_THINK_MS") or "0")
function delay()
  if think > 0 then return math.random(math.floor(think / 2), math.floor(think * 3 / 2)) end
  return 0
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT p50=%.1f p95=%.1f p99=%.1f n=%d errors=%d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


def make_database(kind: str, tmp: Path) -> tuple[str, callable]:
    """A fresh database URL and a function that removes it."""
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'bench.sqlite'}", lambda: None
    import psycopg

    name = f"jhp_bench_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", drop


def start_server(url: str, bundle: Path, port: int, web_workers: int, tmp: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "JHP_KEY_DIR": str(tmp / "keys"),
           "JHP_QUEUE_FILE": str(tmp / "queue.sqlite"), "JHP_BSN_KEY": "bench-sleutel-van-minstens-16-tekens"}
    seed = ("from web.db.engine import make_engine, upgrade; from web.store import Store; "
            "from web.seed import seed_if_empty; from web.security import create_user; "
            "e = make_engine('%s'); upgrade(e); st = Store(e); seed_if_empty(st, __import__('pathlib').Path('%s')); "
            "s = st.Session(); create_user(s, 'bench', 'bench-wachtwoord', 'teamleider'); s.commit()") % (url, bundle)
    subprocess.run([sys.executable, "-c", seed], check=True, env=env, cwd=REPO)
    # the solve runs on a separate worker process (the task queue), as in production
    worker = subprocess.Popen([sys.executable, "-c", "from planner.cli import app; app()", "worker"], env=env,
                              cwd=REPO)
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "web.app:create_app", "--factory", "--host",
                             "127.0.0.1", "--port", str(port), "--workers", str(web_workers),
                             "--log-level", "warning"], env=env, cwd=REPO)
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
            proc.worker = worker  # ended with the server
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    worker.kill()
    raise SystemExit("server did not start")


def login(base: str) -> tuple[httpx.Client, str]:
    c = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
    r = c.post("/login", data={"username": "bench", "password": "bench-wachtwoord", "csrf_token": token})
    assert r.status_code == 303, r.text[:300]
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/plannen").text).group(1)
    return c, token


def solve(c: httpx.Client, token: str, limit: int, weeks: int = 1) -> str:
    r = c.post("/plannen/start", data={"csrf_token": token, "periode_start": "", "weken": str(weeks),
                                       "tijdslimiet": str(limit)})
    assert r.status_code == 303, r.text[:300]
    return r.headers["location"]


def running(c: httpx.Client, job_url: str) -> bool:
    page = c.get(job_url, headers={"HX-Request": "true"}).text
    return 'data-state="bezig"' in page or 'data-state="wacht"' in page


def wait_done(c: httpx.Client, job_url: str) -> int:
    while True:
        page = c.get(job_url, headers={"HX-Request": "true"}).text
        if 'data-state="bezig"' not in page and 'data-state="wacht"' not in page:
            return int(re.search(r'/plannen/(\d+)"', page).group(1))
        time.sleep(1)


class BusyWorker(threading.Thread):
    """Keeps a solve on the worker for the whole measurement: a 4-week plan of the bundle, and the next one as
    soon as it ends (a size-M week is proven optimal in seconds, so one solve would not last)."""

    def __init__(self, base: str, cookies, token: str, limit: int):
        super().__init__(daemon=True)
        self.c = httpx.Client(base_url=base, follow_redirects=False, timeout=30, cookies=cookies)
        self.token, self.limit, self.halt = token, limit, threading.Event()
        self.solves, self.job_url = 0, ""

    def run(self) -> None:
        while not self.halt.is_set():
            self.job_url = solve(self.c, self.token, self.limit, weeks=4)
            self.solves += 1
            while running(self.c, self.job_url) and not self.halt.is_set():
                time.sleep(0.5)

    def stop(self) -> None:
        self.halt.set()
        self.join(30)
        if self.job_url and running(self.c, self.job_url):
            self.c.post(self.job_url + "/stop", headers={"X-CSRF-Token": self.token})


def copy_versions(c: httpx.Client, token: str, plan_id: int, versions: int) -> None:
    """``versions - 1`` drafts of the plan, so the history holds ``versions`` plans."""
    for _ in range(versions - 1):
        r = c.post(f"/plannen/{plan_id}/concept", headers={"X-CSRF-Token": token}, data={"csrf_token": token})
        assert r.status_code in (200, 303), (r.status_code, r.text[:300])


def wrk(base: str, path: str, cookie: str, seconds: int, connections: int, lua: Path, think_ms: int) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(lua),
                          "-H", f"Cookie: {cookie}", base + path], capture_output=True, text=True, check=True,
                         env={**os.environ, "JHP_THINK_MS": str(think_ms)}).stdout
    m = re.search(r"RESULT p50=([\d.]+) p95=([\d.]+) p99=([\d.]+) n=(\d+) errors=(\d+)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return {"p50": float(m[1]), "p95": float(m[2]), "p99": float(m[3]), "n": int(m[4]), "errors": int(m[5]),
            "rps": float(rps[1]) if rps else 0.0}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=20)
    ap.add_argument("--bundle", default=str(REPO / "sample_data" / "flevoland"))
    ap.add_argument("--no-solve", action="store_true", help="baseline: measure without a running solve")
    ap.add_argument("--think-ms", type=int, default=1000, help="mean pause of a user between two clicks")
    ap.add_argument("--versions", type=int, default=100, help="plan versions in the history")
    ap.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--web-workers", type=int, default=1, help="uvicorn worker processes")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk ontbreekt (apt-get install -y wrk)")
    tmp = Path(tempfile.mkdtemp(prefix="jhp-bench-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    url, drop = make_database(args.db, tmp)
    proc = start_server(url, Path(args.bundle), port, args.web_workers, tmp)
    try:
        c, token = login(base)
        plan_id = wait_done(c, solve(c, token, 10))
        started = time.monotonic()
        copy_versions(c, token, plan_id, args.versions)
        print(f"{args.versions} planversies in {time.monotonic() - started:.1f} s", file=sys.stderr)
        pages = ["/", "/medewerkers", "/clienten", "/regels", "/plannen", f"/plannen/{plan_id}",
                 f"/plannen/{plan_id}/week", f"/plannen/{plan_id}/bereikbaarheid"]
        budget = len(pages) * (args.seconds + 2) + 30
        busy = None if args.no_solve else BusyWorker(base, c.cookies, token, budget)
        if busy:
            busy.start()
            while not (busy.job_url and running(c, busy.job_url)):
                time.sleep(0.2)
        cookie = "; ".join(f"{k}={v}" for k, v in c.cookies.items())
        lua = tmp / "report.lua"
        lua.write_text(LUA)
        rows = []
        for path in pages:
            r = wrk(base, path, cookie, args.seconds, args.connections, lua, args.think_ms)
            rows.append((path.replace(str(plan_id), "{id}"), r))
        still = busy is not None and busy.is_alive() and running(c, busy.job_url)
        solves = busy.solves if busy else 0
        if busy:
            busy.stop()
        print(f"\n{args.db}, {args.web_workers} webproces(sen), {args.versions} planversies, "
              f"{args.connections} gelijktijdige gebruikers, denktijd {args.think_ms} ms, {args.seconds} s per pagina, "
              f"solves op de worker tijdens de meting: {solves} (4 weken elk, na elkaar; "
              f"aan het eind nog bezig: {'ja' if still else 'nee'})\n")
        print("| pagina | p50 (ms) | p95 (ms) | p99 (ms) | verzoeken/s | fouten |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for path, r in rows:
            print(f"| `{path}` | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | {r['rps']:.1f} | {r['errors']} |")
    finally:
        proc.worker.terminate()
        proc.terminate()
        proc.wait(10)
        proc.worker.wait(10)
        drop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
