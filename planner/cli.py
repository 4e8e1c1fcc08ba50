"""The ``planner`` command line."""

from __future__ import annotations

import typer

app = typer.Typer(help="Jeugdhulp Planner: planning en capaciteit voor jeugdhulpaanbieders.", no_args_is_help=True)


@app.command()
def rules(pack: str = typer.Argument(..., help="Naam of pad van het regelpakket")) -> None:
    """Toon de regels van een pakket met hun bron."""
    from planner.rules import load_pack

    p = load_pack(pack)
    typer.echo(f"{p.name} ({len(p.rules)} regels)")
    for r in p.rules:
        typer.echo(f"{r.id:38} {r.severity:4} {r.citation:36} {r.text}")


if __name__ == "__main__":  # pragma: no cover
    app()
