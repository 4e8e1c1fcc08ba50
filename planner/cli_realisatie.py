"""``planner realisatie``: a published plan as care history (realisatie.csv), "uitgevoerd zoals gepland"."""

from __future__ import annotations

from pathlib import Path

import typer

from planner.cli import app


@app.command("realisatie")
def realisatie(plan: Path = typer.Argument(..., help="Planbestand (JSON) van een gepubliceerde periode"),
               out: Path = typer.Option(..., "--out", help="realisatie.csv om aan te vullen (bijv. in de bundel "
                                                           "van de volgende periode)"),
               niet_uitgevoerd: list[str] = typer.Option([], "--niet-uitgevoerd",
                                                        help="TOEWIJZING:JJJJ-MM-DD: contact niet doorgegaan"),
               minuten: list[str] = typer.Option([], "--minuten",
                                                 help="TOEWIJZING:JJJJ-MM-DD=MINUTEN: werkelijk geleverde minuten")
               ) -> None:
    """Schrijf de contacten van een plan als realisatie weg (uitgevoerd zoals gepland, met correcties)."""
    from planner.bundle_csv import FieldError, parse_date, parse_int
    from planner.plan import Plan
    from planner.realisatie import plan_realisatie, write_realisatie

    try:
        p = Plan.load(plan)
    except (OSError, ValueError, KeyError, TypeError) as e:
        typer.echo(f"Plan {plan} niet te lezen: {e}")
        raise typer.Exit(2) from None
    try:
        skip = [_key(s, parse_date) for s in niet_uitgevoerd]
        fixed = {}
        for s in minuten:
            head, _, value = s.partition("=")
            fixed[_key(head, parse_date)] = parse_int(value)
    except (FieldError, ValueError) as e:
        typer.echo(f"Ongeldige correctie: {e}")
        raise typer.Exit(2) from None
    written = write_realisatie(plan_realisatie(p, skip, fixed), out)
    typer.echo(f"{written} realisatieregel(s) toegevoegd aan {out}. Zet de periode van de bundel daarna op "
               f"{p.period_end.isoformat()} of later: realisatie ligt altijd voor de planperiode.")


def _key(text: str, parse_date):
    tid, sep, day = text.partition(":")
    if not sep or not tid:
        raise ValueError(f"{text!r} is geen TOEWIJZING:JJJJ-MM-DD")
    return tid.strip(), parse_date(day)
