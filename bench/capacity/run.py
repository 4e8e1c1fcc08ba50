"""Capacity benchmark: one 52-week forecast on generated size M and L, a sweep of 20 scenarios in
parallel worker processes, and (``--mip``) the same instance as a MIP for the engine choice.

    .venv/bin/python -m bench.capacity.run [--sizes M L] [--sweep 20] [--mip] [--no-write]

Prints the tables and writes them into docs/performance.md between
``<!-- capacity:start -->`` and ``<!-- capacity:end -->`` (the rest of the file is left alone).
Targets (not tests): M <= 5 s, L <= 30 s for one 52-week scenario.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import timedelta
from pathlib import Path

from planner.cli_format import table
from planner.generate import generate_bundle
from planner.rules import load_pack
from planner.scenario import scenario_from_dict
from solver.capacity import CapacityOptions, run_capacity, run_scenarios
from solver.capacity.instance import build_instance

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- capacity:start -->", "<!-- capacity:end -->"
TARGET = {"M": 5.0, "L": 30.0}


def forecast_rows(sizes: list[str], time_limit: float) -> list[list]:
    rows = []
    for size in sizes:
        b = generate_bundle(size, 1)
        pack = load_pack(b.manifest.rule_pack)
        t0 = time.monotonic()
        res = run_capacity(b, pack, CapacityOptions(weeks=52, time_limit=time_limit, workers=os.cpu_count() or 2))
        seconds = time.monotonic() - t0
        s = res.summary()
        rows.append([size, len(b.staff), len(b.toewijzingen), len(b.sessions), res.status, f"{seconds:.1f}",
                     f"<= {TARGET.get(size, '-')}", s["wachtenden_max"], s["onvervuld_uren"]])
    return rows


def sweep_scenarios(b, n: int) -> list:
    """``n`` variations: MST arrivals, staff leaving, the ratio guideline made hard, and combinations."""
    start = b.manifest.period_start
    staff = sorted(b.staff)
    out = []
    for i in range(n):
        changes = [{"soort": "toewijzingen_erbij", "product": "45F34", "interventie": "MST", "per_week": 0.25 * (1 + i % 4),
                    "van": (start + timedelta(weeks=4)).isoformat(), "tot": (start + timedelta(weeks=30)).isoformat(),
                    "duur_maanden": 5, "omvang": {"volume": 3, "eenheid": "uur", "frequentie": "per_week"}}]
        for k in range(i // 4):
            changes.append({"soort": "medewerker_weg", "medewerker": staff[(7 * k + i) % len(staff)],
                            "vanaf": (start + timedelta(weeks=12)).isoformat()})
        if i % 5 == 4:
            changes.append({"soort": "regel", "regel": "F.45F32.ratio", "ernst": "hard"})
        out.append(scenario_from_dict({"naam": f"sweep {i + 1:02d}", "wijzigingen": changes}))
    return out


def sweep_rows(n: int, time_limit: float) -> tuple[list[list], float]:
    b = generate_bundle("M", 1)
    pack = load_pack(b.manifest.rule_pack)
    t0 = time.monotonic()
    results = run_scenarios(b, pack, sweep_scenarios(b, n), weeks=52,
                            options=CapacityOptions(time_limit=time_limit, workers=2))
    total = time.monotonic() - t0
    rows = [[r.name, r.status, f"{r.seconds:.1f}", r.summary()["wachtenden_max"], r.summary()["onvervuld_uren"]]
            for r in results]
    return rows, total


def mip_rows(time_limit: float) -> list[list]:
    from bench.capacity.mip_compare import solve_mip

    b = generate_bundle("M", 1)
    pack = load_pack(b.manifest.rule_pack)
    inst = build_instance(b, pack, CapacityOptions())
    t0 = time.monotonic()
    res = run_capacity(b, pack, CapacityOptions(time_limit=time_limit, workers=os.cpu_count() or 2))
    rows = [["CP-SAT (cumulatief, intervallen)", res.status, "-", f"{time.monotonic() - t0:.1f}"]]
    for engine in ("SCIP", "HIGHS"):
        status, value, seconds = solve_mip(inst, engine, time_limit)
        rows.append([f"MIP tijd-geïndexeerd ({engine})", status, f"{value:.0f}", f"{seconds:.1f}"])
    return rows


def write_doc(text: str) -> None:
    """Replace the capacity section of docs/performance.md; create the file or markers if needed."""
    block = f"{START}\n{text}\n{END}"
    if not DOC.exists():
        DOC.write_text(f"# Performance\n\n{block}\n", "utf-8")
        return
    current = DOC.read_text("utf-8")
    if START in current and END in current:
        head, rest = current.split(START, 1)
        DOC.write_text(head + block + rest.split(END, 1)[1], "utf-8")
    else:
        DOC.write_text(current.rstrip("\n") + "\n\n" + block + "\n", "utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", nargs="*", default=["M", "L"])
    ap.add_argument("--sweep", type=int, default=20)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--mip", action="store_true", help="ook de MIP-vergelijking (duurt minuten)")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    machine = f"{platform.machine()}, {os.cpu_count()} cpu's, Python {platform.python_version()}"
    parts = [f"## Capaciteit (what-if), 52 weken\n\nGemeten met `python -m bench.capacity.run` op {machine}, "
             f"{time.strftime('%Y-%m-%d')}. Gegenereerde bundels (`planner.generate`, seed 1).\n"]
    rows = forecast_rows(args.sizes, args.time_limit)
    parts.append("### Eén scenario\n\n```\n" + table(["omvang", "medewerkers", "toewijzingen", "sessies", "status",
                                                      "seconden", "doel (s)", "max wachtenden", "onvervuld (u)"],
                                                     rows) + "\n```\n")
    if args.sweep:
        srows, total = sweep_rows(args.sweep, args.time_limit)
        parts.append(f"### Sweep: {args.sweep} scenario's (size M) in parallelle processen\n\nTotaal "
                     f"{total:.1f} s met {min(os.cpu_count() or 1, args.sweep)} processen.\n\n```\n"
                     + table(["scenario", "status", "seconden", "max wachtenden", "onvervuld (u)"], srows) + "\n```\n")
    if args.mip:
        parts.append("### Keuze van de rekenkern (size M)\n\n```\n"
                     + table(["model", "status", "doel", "seconden"], mip_rows(args.time_limit)) + "\n```\n")
    text = "\n".join(parts)
    print(text)
    if not args.no_write:
        write_doc(text)


if __name__ == "__main__":
    main()
