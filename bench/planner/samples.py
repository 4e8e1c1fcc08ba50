"""Repeated `planner plan` on the bundled samples: does every run write a plan the checker accepts?

Runs the real command line (`planner plan BUNDLE --weeks 1 --time-limit T --quiet`) N times per sample,
each with another search seed, then `planner check` on the written plan.  Per run: exit code of plan and
of check, the status word, seconds, unmet minutes.  Prints a Markdown table per sample and a summary;
with --write puts them into docs/performance.md between <!-- samples:start --> and <!-- samples:end -->.

    .venv/bin/python bench/planner/samples.py --runs 20 --limit 20 --write
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLANNER = [sys.executable, "-c", "from planner.cli import app; app()"]  # the installed `planner` command


def one_run(sample: str, limit: float, seed: int, out: Path) -> dict:
    t0 = time.monotonic()
    plan = subprocess.run([*PLANNER, "plan", str(ROOT / "sample_data" / sample), "--weeks", "1", "--time-limit",
                           str(limit), "--seed", str(seed), "--quiet", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - t0
    line = plan.stdout.strip().splitlines()[-1] if plan.stdout.strip() else ""
    unmet = re.search(r"unmet_minutes=(\d+)", line)
    status = re.search(r"status: (\w+)\.", plan.stdout)
    check_rc = None
    if (out / "plan.json").exists():
        check_rc = subprocess.run([*PLANNER, "check", str(ROOT / "sample_data" / sample), str(out / "plan.json")],
                                  cwd=ROOT, capture_output=True, text=True).returncode
    return {"seed": seed, "plan_rc": plan.returncode, "check_rc": check_rc, "seconds": seconds,
            "unmet": int(unmet.group(1)) if unmet else None, "status": status.group(1) if status else "-",
            "tail": "" if plan.returncode == 0 else (plan.stdout.strip().splitlines() or ["?"])[-1][:90]}


def bench(samples: list[str], runs: int, limit: float) -> str:
    parts = [f"{runs} runs per sample, `planner plan --weeks 1 --time-limit {limit:g} --seed N` (N = 0..{runs - 1}), "
             f"then `planner check` on the written plan; {platform.machine()}, Python {platform.python_version()}.", ""]
    parts += ["| sample | runs | plan exit codes | check exit codes | status | seconds (median / max) | "
              "unmet minutes (max) |", "| --- | --- | --- | --- | --- | --- | --- |"]
    failures = []
    for sample in samples:
        rows = []
        with tempfile.TemporaryDirectory() as tmp:
            for seed in range(runs):
                r = one_run(sample, limit, seed, Path(tmp) / f"run{seed}")
                rows.append(r)
                print(f"{sample} seed {seed}: plan rc {r['plan_rc']} check rc {r['check_rc']} {r['status']} "
                      f"{r['seconds']:.1f}s unmet {r['unmet']} {r['tail']}", file=sys.stderr)
                if r["plan_rc"] != 0 or r["check_rc"] != 0:
                    failures.append(f"{sample} seed {seed}: plan {r['plan_rc']}, check {r['check_rc']}: {r['tail']}")
        count = lambda key: ", ".join(f"{k}: {n}" for k, n in sorted(Counter(r[key] for r in rows).items(),  # noqa: E731
                                                                      key=lambda kv: str(kv[0])))
        secs = [r["seconds"] for r in rows]
        parts.append(f"| {sample} | {runs} | {count('plan_rc')} | {count('check_rc')} | {count('status')} | "
                     f"{statistics.median(secs):.1f} / {max(secs):.1f} | "
                     f"{max((r['unmet'] or 0) for r in rows)} |")
    parts += ["", "Runs that did not end with exit 0: " + ("none." if not failures else "; ".join(failures))]
    return "\n".join(parts)


def write(table: str) -> None:
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text("utf-8")
    block = f"<!-- samples:start -->\n{table}\n<!-- samples:end -->"
    if "<!-- samples:start -->" in text:
        text = re.sub(r"<!-- samples:start -->.*?<!-- samples:end -->", block, text, flags=re.S)
    else:
        text += "\n## Samples: every run a plan the checker accepts\n\n" + block + "\n"
    doc.write_text(text, "utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", nargs="+", default=["almelo", "flevoland"])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--limit", type=float, default=20.0)
    ap.add_argument("--write", action="store_true", help="write the table into docs/performance.md")
    args = ap.parse_args()
    table = bench(args.samples, args.runs, args.limit)
    print(table)
    if args.write:
        write(table)


if __name__ == "__main__":
    main()
