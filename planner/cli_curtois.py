"""``planner curtois``: solve one Curtois benchmark instance and judge it with the independent evaluator."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from planner.cli import app
from planner.curtois import CurtoisFormatError, evaluate, load_instance, roster_to_text


def summary_line(objective: int | None, bound: int, seconds: float, feasible: bool) -> str:
    """The machine-readable last line (objective -1 when there is no roster)."""
    obj = -1 if objective is None else objective
    return f"objective={obj} bound={bound} seconds={seconds:.2f} feasible={'true' if feasible else 'false'}"


def _progress(quiet: bool):
    """A one-line progress display on stderr (phase, seconds, objective)."""
    if quiet:
        return None

    def show(phase: str, seconds: float, objective: int | None, bound: int) -> None:
        sys.stderr.write(f"\r{phase:8} {seconds:6.1f}s doel {objective if objective is not None else '-':>8}   ")
        sys.stderr.flush()
    return show


@app.command()
def curtois(instance: Path = typer.Argument(..., help="Curtois-instantie (InstanceN.txt)"),
            time_limit: float = typer.Option(60.0, "--time-limit", min=0.1, help="Tijdslimiet in seconden"),
            workers: int = typer.Option(2, "--workers", min=1, help="Aantal zoekprocessen"),
            seed: int = typer.Option(0, "--seed", help="Toevalsgetal voor de zoekopdracht"),
            out: Path = typer.Option(None, "--out", help="Schrijf het rooster (tab-gescheiden raster) hierheen"),
            quiet: bool = typer.Option(False, "--quiet", help="Geen voortgangsregel")) -> None:
    """Los een Curtois-roosterinstantie op en toets het rooster met de onafhankelijke evaluator."""
    from solver.shifts import ShiftSolveOptions, solve_shifts
    from solver.shifts.curtois import problem_from_curtois

    try:
        inst = load_instance(instance)
    except CurtoisFormatError as e:
        typer.echo(f"Instantie niet te lezen: {e}")
        raise typer.Exit(2) from None
    result = solve_shifts(problem_from_curtois(inst), ShiftSolveOptions(time_limit=time_limit, workers=workers, seed=seed),
                          progress=_progress(quiet))
    if not quiet:
        sys.stderr.write("\n")
    if result.roster is None:
        typer.echo(f"Geen rooster gevonden ({result.status}).")
        typer.echo(summary_line(None, result.bound, result.seconds, False))
        raise typer.Exit(1)
    ev = evaluate(inst, result.roster)
    typer.echo(f"{inst.name}: {inst.horizon} dagen, {len(inst.staff)} medewerkers, {len(inst.shifts)} diensten")
    typer.echo(f"strafpunten {ev.penalty} (bezetting {ev.cover_penalty}, wel-verzoeken {ev.on_penalty}, "
               f"niet-verzoeken {ev.off_penalty}); ondergrens {result.bound}; status {result.status}")
    if result.first_feasible is not None:
        typer.echo(f"eerste rooster na {result.first_feasible:.2f} s")
    for v in ev.violations[:20]:
        typer.echo(f"- harde regel geschonden: {v}")
    if ev.penalty != result.objective:
        typer.echo(f"let op: evaluator {ev.penalty} wijkt af van de solver ({result.objective})")
    if out is not None:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(roster_to_text(inst, result.roster), "utf-8")
            typer.echo(f"Rooster geschreven naar {out}.")
        except OSError as e:
            typer.echo(f"Rooster niet te schrijven naar {out}: {e.strerror or e}")
    typer.echo(summary_line(ev.penalty, result.bound, result.seconds, ev.feasible))
    if not ev.feasible:
        raise typer.Exit(3)
