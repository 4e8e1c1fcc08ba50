"""Load benchmark: page latency (p50/p95) at 20 concurrent users while a solve runs (size-M data).

Usage:  .venv/bin/python bench/web/load.py [--seconds 10] [--connections 20] [--bundle sample_data/flevoland]

Starts the app (uvicorn, one process, loopback) on a fresh SQLite file seeded with the bundle, logs in,
makes one plan (for the plan pages), starts a long solve in the background, and runs ``wrk`` per page
for a bounded time with the session cookie.  Prints a Markdown table for docs/performance.md.
Needs ``wrk`` (apt-get install -y wrk).
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
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
LUA = """
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


def start_server(db: Path, bundle: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    seed = ("from web.db.engine import make_engine, upgrade; from web.store import Store; "
            "from web.seed import seed_if_empty; from web.security import create_user; "
            "e = make_engine('sqlite:///%s'); upgrade(e); st = Store(e); seed_if_empty(st, __import__('pathlib').Path('%s')); "
            "s = st.Session(); create_user(s, 'bench', 'bench-wachtwoord', 'teamleider'); s.commit()") % (db, bundle)
    subprocess.run([sys.executable, "-c", seed], check=True, env=env, cwd=REPO)
    # the solve runs on a separate worker process (the task queue), as in production
    worker = subprocess.Popen([sys.executable, "-c", "from planner.cli import app; app()", "worker"], env=env,
                              cwd=REPO)
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "web.app:create_app", "--factory", "--host",
                             "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env, cwd=REPO)
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


def solve(c: httpx.Client, token: str, limit: int) -> str:
    r = c.post("/plannen/start", data={"csrf_token": token, "periode_start": "", "weken": "1",
                                       "tijdslimiet": str(limit)})
    assert r.status_code == 303, r.text[:300]
    return r.headers["location"]


def wait_done(c: httpx.Client, job_url: str) -> int:
    while True:
        page = c.get(job_url, headers={"HX-Request": "true"}).text
        if 'data-state="bezig"' not in page and 'data-state="wacht"' not in page:
            return int(re.search(r'/plannen/(\d+)"', page).group(1))
        time.sleep(1)


def wrk(base: str, path: str, cookie: str, seconds: int, connections: int, lua: Path) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(lua),
                          "-H", f"Cookie: {cookie}", base + path], capture_output=True, text=True, check=True).stdout
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
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk ontbreekt (apt-get install -y wrk)")
    tmp = Path(tempfile.mkdtemp(prefix="jhp-bench-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(tmp / "bench.sqlite", Path(args.bundle), port)
    try:
        c, token = login(base)
        plan_id = wait_done(c, solve(c, token, 10))
        pages = ["/", "/medewerkers", "/clienten", "/regels", "/plannen", f"/plannen/{plan_id}",
                 f"/plannen/{plan_id}/week", f"/plannen/{plan_id}/bereikbaarheid"]
        budget = len(pages) * (args.seconds + 2) + 30
        # the solve that runs during the whole measurement (or a short one that is over before it starts)
        job_url = solve(c, token, 1 if args.no_solve else budget)
        if args.no_solve:
            wait_done(c, job_url)
        cookie = "; ".join(f"{k}={v}" for k, v in c.cookies.items())
        lua = tmp / "report.lua"
        lua.write_text(LUA)
        rows = []
        for path in pages:
            r = wrk(base, path, cookie, args.seconds, args.connections, lua)
            rows.append((path.replace(str(plan_id), "{id}"), r))
        still = 'data-state="bezig"' in c.get(job_url, headers={"HX-Request": "true"}).text
        print(f"\n{args.connections} gelijktijdige gebruikers, {args.seconds} s per pagina, "
              f"solve liep door tijdens de meting: {'ja' if still else 'nee'}\n")
        print("| pagina | p50 (ms) | p95 (ms) | p99 (ms) | verzoeken/s | fouten |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for path, r in rows:
            print(f"| `{path}` | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | {r['rps']:.1f} | {r['errors']} |")
        c.post(job_url + "/stop", headers={"X-CSRF-Token": token})
    finally:
        proc.worker.terminate()
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
