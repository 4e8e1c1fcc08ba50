"""Planner benchmark: generated sizes S, M, L, XL, XXL on several seeds, one solve each, in a child process.

Per size and seed: parts (issue 24: above 250 staff the week is decomposed by region and team and the
parts run in a process pool), time to the first plan, final status, objective / bound (the sum of the
parts' bounds), gap, seconds used, unmet minutes and hard violations by the independent checker on the
whole merged plan, peak memory (the largest process: max RSS over the child and its pool workers).
Prints a Markdown table and, with --write, puts it into docs/performance.md between the markers
<!-- planner:start --> and <!-- planner:end -->.

    .venv/bin/python bench/planner/run.py --sizes S M L XL --seeds 1 2 3 4 5 --write
    .venv/bin/python bench/planner/run.py --sizes XXL --seeds 1 --append   # adds rows to the written table
    .venv/bin/python bench/planner/run.py --sizes XL --buurman   # a CPU-bound process beside every solve

``--buurman`` ("busy neighbour", issue 24: "within 2 % in 120 s, also when another CPU-bound process runs
beside it") starts one Python process spinning a loop before each solve and ends it when the solve ends,
so the solver has the machine minus one core's worth of competition, as on a shared server.
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
LIMITS = {"S": 60, "M": 60, "L": 60, "XL": 120, "XXL": 300}  # XL's target: 2 % in 120 s; XXL: 5 % in 300 s


def child(bundle: str, limit: float, workers: int, parts: int) -> None:
    """Runs in the child process: solve, check, print one JSON line."""
    import time

    from planner.bundle import load_bundle_with_pack
    from planner.checker import check_plan
    from solver.data import SolveOptions
    from solver.solve import solve

    b, pack = load_bundle_with_pack(bundle)
    events = []
    t0 = time.monotonic()
    r = solve(b, pack, options=SolveOptions(time_limit=limit, workers=workers, parts=parts),
              on_progress=lambda e: events.append((e.seconds, e.objective, e.bound)))
    seconds = time.monotonic() - t0
    report = check_plan(b, pack, r.plan) if r.plan else None
    print(json.dumps({"status": r.status, "objective": r.objective, "bound": r.bound, "gap": r.gap, "seconds": seconds,
                      "first": events[0][0] if events else None, "stages": r.stages,
                      "unmet": report.unmet_minutes if report else None,
                      "plan_hard": len(report.plan_hard) if report else None,
                      "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "sizes": {"staff": len(b.staff), "toewijzingen": len(b.toewijzingen), "groups": len(b.groups),
                                "teams": sum(1 for t in b.teams.values() if t.oncall_24_7)}}))


def busy_neighbour() -> subprocess.Popen:
    """A CPU-bound process (a Python loop) that runs until it is ended: the competition of a shared machine."""
    return subprocess.Popen([sys.executable, "-c", "while True:\n    pass"], stdout=subprocess.DEVNULL)


def one(size: str, seed: int, limit: float, workers: int, parts: int, tmp: str, buurman: bool = False) -> str:
    """Generate, solve in a child process (with a busy neighbour beside it, when asked), one table row."""
    out = Path(tmp) / f"{size}-{seed}"
    subprocess.run([sys.executable, "-m", "planner.cli", "generate", "--size", size, "--seed", str(seed),
                    "--out", str(out)], check=True, cwd=ROOT, capture_output=True)
    neighbour = busy_neighbour() if buurman else None
    try:
        return _solve_row(size, seed, limit, workers, parts, out)
    finally:
        if neighbour is not None:
            neighbour.kill()
            neighbour.wait()


def _solve_row(size: str, seed: int, limit: float, workers: int, parts: int, out: Path) -> str:
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, __file__, "--child", str(out), "--limit", str(limit), "--workers",
                                 str(workers), "--parts", str(parts)], cwd=ROOT, stdout=subprocess.PIPE, stderr=err,
                                text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        stdout = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)  # this child's tree only: max RSS of it and its pool workers
        proc.returncode = os.waitstatus_to_exitcode(status)
        rss_mb = usage.ru_maxrss / 1024
        err.seek(0)
        stderr = err.read()
    if proc.returncode:
        return f"| {size} | {seed} | fout: {(stderr.strip().splitlines() or ['?'])[-1][:80]} |"
    r = json.loads(stdout.strip().splitlines()[-1])
    sz, delen = r["sizes"], r["stages"].get("delen", {})
    gap = f"{100 * r['gap']:.2f} %" if r["gap"] is not None else "-"
    first = f"{r['first']:.1f}" if r["first"] is not None else "-"
    mb = max(rss_mb, r["self_mb"], delen.get("worker_peak_mb", 0))
    return (f"| {size} | {seed} | {sz['staff']} / {sz['toewijzingen']} / {sz['groups']} / {sz['teams']} | "
            f"{delen.get('parts', 1)} | {limit:g} | {first} | {r['status']} | {r['objective']} / {r['bound']} | "
            f"{gap} | {r['seconds']:.1f} | {r['unmet']} | {r['plan_hard']} | {mb:.0f} |")


HEAD = ("| size | seed | staff / toewijzingen / groups / 24-7 teams | parts | limit (s) | first plan (s) | status | "
        "objective / bound | gap | seconds used | unmet min | hard viol. | peak MB |")


def run(sizes, seeds, workers, parts, xxl_seeds, buurman: bool = False) -> list[str]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            for seed in (xxl_seeds if size == "XXL" else seeds):
                rows.append(one(size, seed, LIMITS[size], workers, parts, tmp, buurman))
                print(rows[-1], flush=True)
    return rows


def table(rows: list[str], workers: int, buurman: bool = False, load: tuple[float, ...] = ()) -> str:
    sep = "|" + " --- |" * (HEAD.count("|") - 1)
    machine = (f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
               f"{workers} workers; limits {', '.join(f'{k} {v} s' for k, v in LIMITS.items())}"
               + ("; a busy neighbour (one CPU-bound Python loop) beside every solve" if buurman else "")
               + (f"; load average {' / '.join(f'{x:.2f}' for x in load)} (1 / 5 / 15 min) at the end" if load else "")
               + ".")
    return "\n".join([machine, "", HEAD, sep, *rows]) + "\n"


def write(table_text: str, append: bool = False) -> None:
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text("utf-8") if doc.exists() else "# Performance\n"
    start, end = "<!-- planner:start -->", "<!-- planner:end -->"
    if append and start in text and end in text:  # add the new rows below the table already there
        rows = [line for line in table_text.splitlines()
                if line.startswith("| ") and not line.startswith(("| size", "| ---"))]
        body = text[text.index(start) + len(start): text.index(end)].rstrip("\n")
        text = text[: text.index(start)] + start + body + "\n" + "\n".join(rows) + "\n" + text[text.index(end):]
    elif start in text and end in text:
        text = text[: text.index(start)] + f"{start}\n{table_text}{end}" + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + f"\n\n## Weekly planner (issue 3)\n\n{start}\n{table_text}{end}\n"
    doc.write_text(text, "utf-8")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--child")
    ap.add_argument("--sizes", nargs="+", default=["S", "M", "L", "XL", "XXL"])
    ap.add_argument("--limit", type=float, default=None, help="one limit for every size (default: LIMITS)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--parts", type=int, default=0, help="0 = automatic, 1 = one model (no decomposition)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    ap.add_argument("--xxl-seeds", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--append", action="store_true", help="with --write: add the rows to the table already there")
    ap.add_argument("--buurman", action="store_true", help="run a CPU-bound process beside every solve")
    a = ap.parse_args()
    if a.child:
        child(a.child, a.limit, a.workers, a.parts)
    else:
        if a.limit is not None:
            LIMITS.update({k: a.limit for k in LIMITS})
        rows = run(a.sizes, a.seeds, a.workers, a.parts, a.xxl_seeds, a.buurman)
        table_text = table(rows, a.workers, a.buurman, os.getloadavg())
        print(table_text)
        if a.write:
            write(table_text, a.append)
