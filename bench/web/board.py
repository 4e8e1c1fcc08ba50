"""Server time of the planning board (/plannen/{id}/week) on a size-M plan: issue 21 asks <= 150 ms.

Usage:  .venv/bin/python bench/web/board.py [--bundle sample_data/flevoland] [--n 30] [--plan plan.json]

Seeds a fresh SQLite database, stores one plan (``--plan``, else a 6-second solve) with its checker report,
and times GET /plannen/{id}/week in-process (TestClient: server time, no network), cold (view-model cache
cleared before each request) and warm.  Prints the median and p95 in ms.
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
        times = []
        for _ in range(args.n):
            if clear:
                board._CACHE.clear()
            t = time.perf_counter()
            r = client.get(f"/plannen/{plan_id}/week")
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200
        times.sort()
        print(f"{label}: n={args.n} mediaan {statistics.median(times):.1f} ms, p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms"
              f" ({len(plan.contacts)} contacten, {len(r.text) // 1024} kB HTML)")
    app.state.jobs.close()


if __name__ == "__main__":
    main()
