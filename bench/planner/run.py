"""Planner benchmark: generated sizes S, M, L, XL (fixed seeds), one solve each, in a child process.

Per size and stage: time to first feasible plan, objective and bound after 10, 30 and 60 s (from the
progress events of one run with the longest limit), final status, unmet minutes by the checker, peak
memory (max RSS of the child).  Prints a Markdown table and, with --write, puts it into
docs/performance.md between the markers <!-- planner:start --> and <!-- planner:end -->.

    .venv/bin/python bench/planner/run.py --sizes S M L XL --limit 60 --workers 2 --write   # XL gets 2 x limit
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKPOINTS = (10, 30, 60)


def child(bundle: str, limit: float, workers: int) -> None:
    """Runs in the child process: solve, check, print one JSON line."""
    import time

    from planner.bundle import load_bundle_with_pack
    from planner.checker import check_plan
    from solver.data import SolveOptions
    from solver.solve import solve

    b, pack = load_bundle_with_pack(bundle)
    events = []
    t0 = time.monotonic()
    r = solve(b, pack, options=SolveOptions(time_limit=limit, workers=workers),
              on_progress=lambda e: events.append((e.seconds, e.objective, e.bound)))
    report = check_plan(b, pack, r.plan) if r.plan else None
    print(json.dumps({"status": r.status, "objective": r.objective, "bound": r.bound, "seconds": time.monotonic() - t0,
                      "events": events, "stages": r.stages, "unmet": report.unmet_minutes if report else None,
                      "plan_hard": len(report.plan_hard) if report else None,
                      "sizes": {"staff": len(b.staff), "toewijzingen": len(b.toewijzingen), "groups": len(b.groups),
                                "teams": sum(1 for t in b.teams.values() if t.oncall_24_7)}}))


def at(events, t):
    best = [e for e in events if e[0] <= t]
    return (round(best[-1][1]), round(best[-1][2])) if best else ("-", "-")


def run(sizes, limit, workers, seed) -> str:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            out = Path(tmp) / size
            subprocess.run([sys.executable, "-m", "planner.cli", "generate", "--size", size, "--seed", str(seed),
                            "--out", str(out)], check=True, cwd=ROOT, capture_output=True)
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            size_limit = limit * 2 if size == "XL" else limit  # XL's target is a feasible plan in 120 s
            proc = subprocess.run([sys.executable, __file__, "--child", str(out), "--limit", str(size_limit),
                                   "--workers", str(workers)], cwd=ROOT, capture_output=True, text=True,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)})
            rss_mb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
            if proc.returncode:
                rows.append(f"| {size} | fout: {proc.stderr.strip().splitlines()[-1][:80]} |")
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            first = f"{r['events'][0][0]:.1f}" if r["events"] else "-"
            cps = " | ".join(f"{a} / {b}" for a, b in (at(r["events"], t) for t in CHECKPOINTS))
            st = r["stages"].get("toewijzing", {})
            s2 = r["stages"].get("contacten", {})
            sz = r["sizes"]
            rows.append(f"| {size} | {sz['staff']} / {sz['toewijzingen']} / {sz['groups']} / {sz['teams']} | "
                        f"{st.get('variables', '-')} | {first} | {cps} | {st.get('status')} | "
                        f"{s2.get('seconds', '-')} | {r['status']} | {r['objective']} / {r['bound']} | "
                        f"{r['seconds']:.1f} | {r['unmet']} | {r['plan_hard']} | {rss_mb:.0f} |")
    head = ("| size | staff / toewijzingen / groups / 24-7 teams | stage-1 vars | first feasible (s) | "
            + " | ".join(f"stage 1 obj / bound @{t}s" for t in CHECKPOINTS)
            + " | stage 1 status | stage 2 (s) | status | objective / bound | total s | unmet min | hard viol. | peak MB |")
    sep = "|" + " --- |" * (head.count("|") - 1)
    machine = (f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
               f"time limit {limit:g} s (XL: {2 * limit:g} s), {workers} workers, seed {seed}.")
    return "\n".join([machine, "", head, sep, *rows]) + "\n"


def write(table: str) -> None:
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text("utf-8") if doc.exists() else "# Performance\n"
    start, end = "<!-- planner:start -->", "<!-- planner:end -->"
    block = f"{start}\n{table}{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n## Weekly planner (issue 3)\n\n" + block + "\n"
    doc.write_text(text, "utf-8")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--child")
    ap.add_argument("--sizes", nargs="+", default=["S", "M", "L", "XL"])
    ap.add_argument("--limit", type=float, default=60)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    if a.child:
        child(a.child, a.limit, a.workers)
    else:
        table = run(a.sizes, a.limit, a.workers, a.seed)
        print(table)
        if a.write:
            write(table)
