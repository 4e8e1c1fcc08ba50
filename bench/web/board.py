"""Server time of the planning board (/plannen/{id}/week) on a size-M plan: issue 21 asks <= 150 ms.

Usage:  .venv/bin/python bench/web/board.py [--bundle sample_data/flevoland] [--n 30] [--plan plan.json] [--versions 90]

Seeds a fresh SQLite database, stores one plan (``--plan``, else a 6-second solve) with its checker report,
and times GET /plannen/{id}/week in-process (TestClient: server time, no network), cold (view-model cache
cleared before each request) and warm; then the dashboard (/) and the plan list with 1 and with ``--versions``
plan versions.  Prints the median and p95 in ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bundle", default=str(REPO / "sample_data" / "flevoland"))
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--plan", default="")
    ap.add_argument("--versions", type=int, default=90, help="plan versions for the dashboard measurement")
    args = ap.parse_args()
    os.environ.setdefault("JHP_KEY_DIR", tempfile.mkdtemp())
    os.environ.setdefault("JHP_QUEUE_FILE", tempfile.mkdtemp() + "/wachtrij.sqlite")
    from planner.checker import check_plan
    from planner.plan import Plan
    from tests.web.conftest import client_for, login, make_app
    from web import board
    from web.db.models import PlanRow

    app = make_app(f"sqlite:///{tempfile.mkdtemp()}/bord.sqlite", Path(args.bundle))
    bundle, pack = app.state.store.bundle()
    if args.plan:
        plan = Plan.load(args.plan)
    else:
        from solver.data import SolveOptions
        from solver.solve import solve

        plan = solve(bundle, pack, options=SolveOptions(time_limit=6, workers=1)).plan
    now = datetime.now()
    with app.state.store.session() as s:
        row = PlanRow(label="bench", period_start=plan.period_start, weeks=plan.weeks, status="concept",
                      data=plan.to_json(), report=check_plan(bundle, pack, plan).to_json(), solve={},
                      created_by="bench", created_at=now, updated_at=now)
        s.add(row)
        s.flush()
        plan_id = row.id
    client = client_for(app)
    login(client, "tl")
    client.get(f"/plannen/{plan_id}/week")
    for label, clear in (("koud (zonder cache)", True), ("warm", False)):
        times, r = _timed(client, f"/plannen/{plan_id}/week", args.n, board._CACHE.clear if clear else None)
        print(f"bord {label}: n={args.n} {times} ({len(plan.contacts)} contacten, {len(r.text) // 1024} kB HTML)")
    # the dashboard and the plan list must not slow down with the history (issue 21: 9 ms -> 242 ms at 90)
    from web.plans import copy_as_draft

    for versions in (1, args.versions):
        with app.state.store.session() as s:
            have = s.query(PlanRow).count()
        for _ in range(versions - have):
            copy_as_draft(app.state.store, plan_id, "bench")
        for page in ("/", "/plannen"):
            times, _r = _timed(client, page, args.n)
            print(f"{page} bij {versions} planversie(s): n={args.n} {times}")
    app.state.jobs.close()


def _timed(client, path: str, n: int, before=None):
    """Median and p95 in ms of ``n`` GETs of ``path`` (server time in-process, no network)."""
    times = []
    for _ in range(n):
        if before:
            before()
        t = time.perf_counter()
        r = client.get(path)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (path, r.status_code)
    times.sort()
    return f"mediaan {statistics.median(times):.1f} ms, p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms", r


if __name__ == "__main__":
    main()
