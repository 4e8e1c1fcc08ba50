"""``planner import`` (CSV/XLSX tables or a JW301 message; preview unless --commit) and ``planner export``."""

from __future__ import annotations

from pathlib import Path

import typer

from planner.cli import _load, app
from planner.cli_format import table

MAX_SHOWN = 200
FORMATS = ("xlsx", "csv", "ics", "pdf", "json")


def _show_preview(preview) -> None:
    from planner.importing import UNCHANGED

    shown = [c for c in preview.changes if c.action != UNCHANGED]
    if shown:
        typer.echo(table(["tabel", "sleutel", "actie", "bron", "rij", "toelichting"],
                         [[c.table, c.key, c.label, c.source, c.row or "", "; ".join(c.notes)]
                          for c in shown[:MAX_SHOWN]]))
        if len(shown) > MAX_SHOWN:
            typer.echo(f"... en nog {len(shown) - MAX_SHOWN} rij(en).")
    if preview.issues:
        typer.echo("\nProblemen:")
        typer.echo(table(["bron", "rij", "veld", "reden"], [[i.source, i.row, i.field, i.reason] for i in preview.issues]))
    for w in preview.warnings:
        typer.echo(f"Let op: {w}")
    typer.echo("\n" + preview.summary())


@app.command("import")
def import_file(bundle: Path = typer.Argument(..., help="Map van de databundel"),
                file: Path = typer.Argument(..., help="CSV, XLSX of JW301-bericht (XML)"),
                commit: bool = typer.Option(False, "--commit", help="Voer de import door (anders alleen voorvertoning)")
                ) -> None:
    """Lees medewerkers, cliënten, toewijzingen, groepen of inschrijvingen (CSV/XLSX) of een JW301-bericht in."""
    from planner.importing import ImportRefused, commit_import, preview_import

    try:
        data = file.read_bytes()
    except OSError as e:
        typer.echo(f"Bestand {file} niet te lezen: {e.strerror or e}.")
        raise typer.Exit(2) from None
    try:
        preview = preview_import(bundle, data, file.name)
    except Exception as e:  # noqa: BLE001 - the readers report every known problem; never show a traceback
        typer.echo(f"Bestand {file.name} kon niet worden gelezen ({type(e).__name__}); er is niets ingelezen.")
        raise typer.Exit(1) from None
    _show_preview(preview)
    if not preview.ok:
        raise typer.Exit(1)
    if not commit:
        typer.echo("Dit was een voorvertoning; er is niets gewijzigd. Voer door met --commit.")
        return
    try:
        written = commit_import(bundle, preview)
    except ImportRefused as e:
        typer.echo(str(e))
        raise typer.Exit(1) from None
    typer.echo(f"Doorgevoerd: {len(written)} bestand(en) bijgewerkt in {bundle}.")


@app.command("export")
def export(plan: Path = typer.Argument(..., help="Planbestand (JSON)"),
           bundle: Path = typer.Option(None, "--bundle", help="Map van de databundel (niet nodig voor json)"),
           fmt: str = typer.Option(..., "--format", help="xlsx, csv, ics, pdf of json"),
           out: Path = typer.Option(..., "--out", help="Uitvoerbestand (ics zonder --medewerker: een map)"),
           medewerker: str = typer.Option(None, "--medewerker", help="Alleen deze medewerker (id)")) -> None:
    """Exporteer een plan als Excel-rooster, CSV, iCal, PDF of plan-JSON."""
    from planner.plan import Plan

    fmt = fmt.lower()
    if fmt not in FORMATS:
        typer.echo(f"Onbekend formaat {fmt!r} (kies uit {', '.join(FORMATS)}).")
        raise typer.Exit(2)
    try:
        p = Plan.load(plan)
    except (OSError, ValueError, KeyError, TypeError) as e:
        typer.echo(f"Plan {plan} niet te lezen: {e}")
        raise typer.Exit(2) from None
    if fmt == "json":
        p.save(out)
        typer.echo(f"Plan geschreven naar {out}.")
        return
    if bundle is None:
        typer.echo(f"--bundle is nodig voor formaat {fmt}.")
        raise typer.Exit(2)
    b, _pack = _load(bundle)
    if medewerker is not None and medewerker not in b.staff:
        typer.echo(f"Onbekende medewerker {medewerker!r} in {bundle}.")
        raise typer.Exit(2)
    written = _write(fmt, b, p, out, medewerker)
    typer.echo(f"{len(written)} bestand(en) geschreven: {', '.join(str(w) for w in written[:5])}"
               + (" ..." if len(written) > 5 else ""))


def _write(fmt: str, b, p, out: Path, staff_id: str | None) -> list[Path]:
    if fmt != "ics" or staff_id:
        out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        from planner.export.xlsx import write_xlsx

        return [write_xlsx(b, p, out, staff_id)]
    if fmt == "csv":
        from planner.export.csv_export import write_csv

        return [write_csv(p, out, b, staff_id)]
    if fmt == "pdf":
        from planner.export.pdf import write_pdf

        return [write_pdf(b, p, out, staff_id)]
    from planner.export.ical import write_ics

    return write_ics(b, p, out, staff_id)
