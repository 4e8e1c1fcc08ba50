"""Curtois benchmark: solve Instance1..24 with ``planner curtois`` and compare with best_known.csv.

    .venv/bin/python -m bench.curtois.run [--time-limit 60] [--workers 2] [--runs 1|3]
                                          [--one-run-from 13] [--instances 1 2 ...] [--no-write]

Each run is a separate ``planner curtois`` process (so a year-long instance that overruns is
killed without taking the rest along); feasibility comes from the independent evaluator. With
``--runs 3`` the median objective (and the run that produced it) is reported; ``--one-run-from 13``
gives the instances from 13 on a single run (seed 0), which saves half an hour. The table is printed
and written into docs/performance.md between ``<!-- curtois:start -->`` and ``<!-- curtois:end -->``
(created when missing; the rest of the file is left alone). Instances are read from
``../shared/benchmarks/curtois/`` or ``$CURTOIS_DIR``; they are never copied into the repo.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from planner.cli_format import table

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("CURTOIS_DIR", ROOT.parent / "shared" / "benchmarks" / "curtois"))
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- curtois:start -->", "<!-- curtois:end -->"
LAST = re.compile(r"objective=(-?\d+) bound=(-?\d+) seconds=([\d.]+) feasible=(true|false)")
FIRST = re.compile(r"eerste rooster na ([\d.]+) s")
# the reference CP-SAT results to beat (REFERENCE.md), objective per instance
REFERENCE = {1: 607, 2: 828, 3: 1001, 4: 1716, 5: 1240, 6: 1950, 7: 1065, 8: 1425, 9: 442, 10: 4860,
             11: 3584, 12: 5133}


def best_known() -> dict[int, dict]:
    """Rows of best_known.csv by instance number."""
    with (DATA / "best_known.csv").open() as f:
        return {int(r["instance"].removeprefix("Instance")): r for r in csv.DictReader(f)}


def run_once(n: int, limit: float, workers: int, seed: int) -> dict:
    """One ``planner curtois`` process; a crash or overrun counts as no roster."""
    cmd = [sys.executable, "-c", "from planner.cli import app; app()", "curtois", str(DATA / f"Instance{n}.txt"), "--time-limit", str(limit),
           "--workers", str(workers), "--seed", str(seed), "--quiet"]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=limit * 2 + 120, cwd=ROOT).stdout
    except subprocess.TimeoutExpired:
        return {"objective": None, "bound": None, "seconds": None, "feasible": False, "first": None}
    m, f = LAST.search(out or ""), FIRST.search(out or "")
    if not m or int(m.group(1)) < 0:
        return {"objective": None, "bound": int(m.group(2)) if m else None, "seconds": float(m.group(3)) if m else None,
                "feasible": False, "first": None}
    return {"objective": int(m.group(1)), "bound": int(m.group(2)), "seconds": float(m.group(3)),
            "feasible": m.group(4) == "true", "first": float(f.group(1)) if f else None}


def median_run(runs: list[dict]) -> dict:
    """The run with the median objective (runs without a roster count as worst); best bound over runs."""
    ranked = sorted(runs, key=lambda r: (r["objective"] is None, r["objective"] or 0))
    pick = dict(ranked[(len(ranked) - 1) // 2])
    pick["runs"] = "/".join(str(r["objective"]) if r["objective"] is not None else "geen" for r in runs)
    bounds = [r["bound"] for r in runs if r["bound"] is not None]
    pick["bound"] = max(bounds) if bounds else None
    return pick


def row(n: int, bk: dict, r: dict) -> list:
    """One table row: sizes, ours, best known, gap, time to first roster, target verdicts."""
    ub = int(bk["best_known_ub"])
    lb = bk["best_known_lb"] or "-"
    obj = r["objective"]
    gap = f"{100 * (obj - ub) / ub:.2f}" if obj is not None else "-"
    ref = REFERENCE.get(n)
    vs_ref = "-" if ref is None or obj is None else ("ja" if obj < ref or obj == ref == ub else "nee")
    return [n, bk["days"], bk["staff"], bk["shift_types"], obj if obj is not None else "geen",
            r["bound"] if r["bound"] is not None else "-", ub, lb, gap,
            f"{r['first']:.1f}" if r.get("first") is not None else "-",
            "ja" if r["feasible"] else "nee", ref if ref is not None else "-", vs_ref, r.get("runs", "-")]


HEADER = ["instance", "days", "staff", "shift types", "objective", "bound", "best-known UB", "best-known LB",
          "gap to UB %", "first feasible s", "feasible", "reference CP-SAT", "better than ref", "runs (per seed)"]


def write_doc(text: str) -> None:
    """Replace the curtois block of docs/performance.md (or append it), leaving the rest alone."""
    block = f"{START}\n{text}\n{END}"
    doc = DOC.read_text("utf-8") if DOC.exists() else "# Performance\n"
    if START in doc and END in doc:
        doc = doc[: doc.index(START)] + block + doc[doc.index(END) + len(END):]
    else:
        doc = doc.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(doc, "utf-8")


def _runs_text(args: argparse.Namespace) -> str:
    if args.runs <= 1:
        return "one run (seed 0)"
    text = f"median of {args.runs} runs (seeds 0-{args.runs - 1})"
    if args.one_run_from is not None and args.one_run_from <= max(args.instances):
        text += f", from Instance{args.one_run_from} on one run (seed 0)"
    return text


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=1, help="3 = median of three runs (seeds 0, 1, 2)")
    ap.add_argument("--one-run-from", type=int, default=None, help="instances from this number on: one run")
    ap.add_argument("--instances", type=int, nargs="*", default=list(range(1, 25)))
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    if not (DATA / "best_known.csv").exists():
        sys.exit(f"Curtois-instanties niet gevonden in {DATA} (zet CURTOIS_DIR).")
    bks, rows = best_known(), []
    for n in args.instances:
        single = args.one_run_from is not None and n >= args.one_run_from
        runs = [run_once(n, args.time_limit, args.workers, seed) for seed in range(1 if single else args.runs)]
        rows.append(row(n, bks[n], median_run(runs)))
        print(" | ".join(str(c) for c in rows[-1]), flush=True)
    head = (f"Curtois instances, {args.time_limit:g} s per run, {args.workers} workers, "
            f"{_runs_text(args)}, {date.today().isoformat()}, "
            f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores.")
    text = head + "\n\n```\n" + table(HEADER, rows) + "\n```"
    print(text)
    if not args.no_write:
        write_doc(text)


if __name__ == "__main__":
    main()
