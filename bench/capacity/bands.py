"""Inflow bands benchmark: the expected run plus N sampled-inflow runs of a 52-week forecast, on 2 processes.

    .venv/bin/python -m bench.capacity.bands [--bundle sample_data/flevoland] [--samples 50] [--write]

Prints the instance size, the wall time of the whole forecast and per sample, and the bands of the waiting
list at a few weeks; with --write puts the table into docs/performance.md between
``<!-- bands:start -->`` and ``<!-- bands:end -->``.  Target (issue 23, not a test): 50 samples for M in
60 s or less on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import time
from pathlib import Path

from planner.bundle import load_bundle_with_pack
from planner.cli_format import table
from planner.inflow import estimate_inflow
from solver.capacity.bands import forecast_with_inflow

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bands:start -->", "<!-- bands:end -->"


def run(bundle: str, samples: int, weeks: int, processes: int, seed: int) -> str:
    b, pack = load_bundle_with_pack(ROOT / bundle)
    streams = estimate_inflow(b, pack)
    t0 = time.monotonic()
    f = forecast_with_inflow(b, pack, None, streams, weeks, samples, seed, processes=processes)
    seconds = time.monotonic() - t0
    arrivals = sum(s.per_week for s in streams) * weeks
    head = (f"{bundle}: {len(b.staff)} medewerkers, {len(b.toewijzingen)} toewijzingen, {len(b.groups)} groepen; "
            f"{len(streams)} instroomstromen, verwacht {arrivals:.0f} nieuwe verwijzingen in {weeks} weken; "
            f"{samples} steekproeven + verwacht op {processes} processen; {platform.machine()}, "
            f"{os.cpu_count()} cpu's.")
    rows = [["totaal (s)", f"{seconds:.1f}"], ["per run (s, gemiddeld)", f"{seconds / (samples + 1):.2f}"],
            ["langste run (s)", f"{max([r.seconds for r in f.samples] + [f.expected.seconds]):.2f}"],
            ["status van de runs", ", ".join(sorted({r.status for r in [f.expected, *f.samples]}))]]
    for w in (0, weeks // 4, weeks // 2, weeks - 1):
        rows.append([f"wachtlijst week {w + 1} (verwacht; p10 / p50 / p90)",
                     f"{f.expected.waiting_per_week[w]}; {f.waiting.p10[w]:g} / {f.waiting.p50[w]:g} / {f.waiting.p90[w]:g}"])
    return head + "\n\n" + table(["meting", "waarde"], rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bundle", default="sample_data/flevoland")
    ap.add_argument("--samples", type=int, default=50)
    ap.add_argument("--weeks", type=int, default=52)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    text = run(args.bundle, args.samples, args.weeks, args.processes, args.seed)
    print(text)
    if args.write:
        doc = DOC.read_text("utf-8")
        block = f"{START}\n{text}\n{END}"
        if START in doc:
            doc = re.sub(f"{re.escape(START)}.*?{re.escape(END)}", lambda _: block, doc, flags=re.S)
        else:
            doc += "\n## Capaciteit: instroom met onzekerheidsbanden (issue 23)\n\n" + block + "\n"
        DOC.write_text(doc, "utf-8")


if __name__ == "__main__":
    main()
