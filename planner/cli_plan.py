"""``planner plan``: solve a period, check the plan, write it and print the summary."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import typer

from planner.cli import _load, app
from planner.cli_format import findings_sections, table


def _progress_printer(limit: float):
    """A one-line progress bar on stderr: elapsed / limit, objective, bound, gap."""
    width = 30

    def show(event) -> None:
        done = min(event.seconds / max(limit, 0.1), 1.0)
        bar = "#" * int(done * width) + "." * (width - int(done * width))
        gap = f"{event.gap:.2%}" if event.gap is not None else "-"
        sys.stderr.write(f"\r[{bar}] {event.seconds:5.1f}s {event.stage:11} doel {event.objective:>10.0f} "
                         f"grens {event.bound:>10.0f} gap {gap:>7}")
        if "klaar" in event.stage:  # a part of a decomposed solve is done: keep its line
            sys.stderr.write("\n")
        sys.stderr.flush()
    return show


def plan_summary(b, pack, result, report) -> str:
    """The teamleider's summary: coverage, unmet demand, penalties per rule, status."""
    plan = result.plan
    lines = []
    served = len(plan.caseload)
    total = served + len(plan.unserved)
    held = sum(1 for s in plan.sessions if not s.cancelled)
    oncall_days = sum((blk.end - blk.start).total_seconds() for blk in plan.oncall) / 86400
    lines.append(table(["dekking", "waarde"], [
        ["toewijzingen bemenst", f"{served} van {total}"],
        ["groepssessies gehouden", f"{held} van {len(plan.sessions)}"],
        ["bereikbaarheid (dagen)", f"{oncall_days:g}"],
        ["contacten gepland", len(plan.contacts)],
        ["niet geleverde zorg (minuten)", report.unmet_minutes],
        ["harde overtredingen", len(report.plan_hard)],
        ["niet geleverde zorg (bevindingen)", len(report.unmet_care)],
        ["problemen in de gegevens", len(report.data_problems)],
    ]))
    lines += ["", *findings_sections(report)]
    if report.unmet:
        lines += ["", "Niet (volledig) geleverd:",
                  table(["toewijzing", "gevraagd (min)", "gepland (min)"],
                        [[u.toewijzing_id, u.required_minutes, u.planned_minutes] for u in report.unmet])]
    if result.explanation:
        lines += ["", "Toelichting:", *[f"- {line}" for line in result.explanation]]
    if report.penalties_per_rule:
        lines += ["", table(["zachte regel", "bron", "penalty"],
                            [[rid, pack.rule(rid).citation, p] for rid, p in sorted(report.penalties_per_rule.items())])]
    stages = [[name, s.get("status"), s.get("objective"), s.get("bound"), s.get("seconds")]
              for name, s in result.stages.items()]
    lines += ["", table(["fase", "status", "doel", "grens", "seconden"], stages)]
    return "\n".join(lines)


@app.command()
def plan(bundle: Path = typer.Argument(..., help="Map van de databundel"),
         start: str = typer.Option(None, "--from", help="Eerste dag (maandag), standaard uit het manifest"),
         weeks: int = typer.Option(None, "--weeks", min=1, max=8, help="Aantal weken (1-8)"),
         time_limit: float = typer.Option(30.0, "--time-limit", help="Tijdslimiet in seconden"),
         workers: int = typer.Option(2, "--workers", min=1, help="Aantal zoekprocessen"),
         gap: float = typer.Option(0.0, "--gap", min=0.0, help="Stop bij deze relatieve gap (0.01 = 1%)"),
         seed: int = typer.Option(0, "--seed", min=0, help="Startwaarde van de zoekprocessen (herhaalbaarheid)"),
         previous: Path = typer.Option(None, "--previous", help="Vorig plan (JSON): hints, vastgepinde onderdelen en historie"),
         out: Path = typer.Option(Path("out"), "--out", help="Map voor plan.json en rapport.json"),
         quiet: bool = typer.Option(False, "--quiet", help="Geen voortgangsbalk"),
         parts: int = typer.Option(0, "--parts", min=0, help="Delen: 0 = automatisch (regio's en teams vanaf "
                                   "--part-staff medewerkers), 1 = één model"),
         part_staff: int = typer.Option(250, "--part-staff", min=1, help="Medewerkers per deel (ongeveer)"),
         from_queue: bool = typer.Option(False, "--workers-from-queue", help="Delen als taken in de wachtrij, "
                                         "uitgevoerd door 'planner deelverwerker'")) -> None:
    """Maak een plan voor een periode, controleer het en schrijf het weg."""
    import json

    from planner.checker import EXIT_HARD, EXIT_INTERNAL, EXIT_USAGE, check_plan
    from planner.plan import Plan
    from solver.data import SolveOptions
    from solver.solve import solve

    b, pack = _load(bundle, EXIT_USAGE)
    try:
        period_start = date.fromisoformat(start) if start else None
    except ValueError:
        typer.echo(f"--from {start!r} is geen datum (JJJJ-MM-DD).")
        raise typer.Exit(2) from None
    prev = Plan.load(previous) if previous else None
    t0 = time.monotonic()
    options = SolveOptions(time_limit=time_limit, relative_gap=gap, workers=workers, seed=seed, parts=parts,
                           part_staff=part_staff, pool="queue" if from_queue else "process")
    result = solve(b, pack, period_start, weeks, options,
                   previous=prev, on_progress=None if quiet else _progress_printer(time_limit))
    if not quiet:
        sys.stderr.write("\n")
    if result.plan is None:
        typer.echo(f"Geen plan ({result.status}).")
        for line in result.explanation:
            typer.echo(f"- {line}")
        typer.echo(result.summary_line(0))
        raise typer.Exit(EXIT_HARD)
    report = check_plan(b, pack, result.plan)
    if report.plan_hard:  # the checker is the oracle: a wrong decision is a solver bug, never an output
        typer.echo("FOUT: het plan schendt harde regels (dit is een fout in de planner):")
        typer.echo(table(["regel", "bron", "melding"], [[v.rule_id, v.citation, v.message] for v in report.plan_hard]))
        raise typer.Exit(EXIT_INTERNAL)
    out.mkdir(parents=True, exist_ok=True)
    result.plan.save(out / "plan.json")
    (out / "rapport.json").write_text(json.dumps(report.to_json(), indent=1, ensure_ascii=False), "utf-8")
    typer.echo(plan_summary(b, pack, result, report))
    if prev is not None:
        from planner.plandiff import plan_changes

        changes = plan_changes(prev, result.plan)
        typer.echo(f"\nWijzigingen ten opzichte van het vorige plan: {len(changes)}")
        for line in changes[:50]:
            typer.echo(f"- {line}")
    typer.echo(f"\nPlan geschreven naar {out / 'plan.json'} ({time.monotonic() - t0:.1f} s); status: {report.status}.")
    typer.echo(result.summary_line(report.unmet_minutes))
    # 0 compleet, 4 onvolledig (care left undone, explained above), 5 only data problems
    raise typer.Exit(report.exit_code)
