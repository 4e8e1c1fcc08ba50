"""The ``planner`` command line: validate, check, rules, generate, demo, plan (planner/cli_plan.py)."""

from __future__ import annotations

from pathlib import Path

import typer

from planner.cli_format import demo_summary, table

app = typer.Typer(help="Jeugdhulp Planner: planning en capaciteit voor jeugdhulpaanbieders.", no_args_is_help=True)


def _load(bundle: Path, fail_code: int = 1):
    """Bundle + tuned pack, or print every issue as a table and exit with ``fail_code`` (``check`` and
    ``plan`` use 2, so that 1 keeps meaning a plan that breaks a hard rule)."""
    from planner.bundle import validate_bundle

    b, pack, issues = validate_bundle(bundle)
    if issues or b is None or pack is None:
        typer.echo(table(["bestand", "rij", "veld", "reden"], [[i.file, i.row, i.field, i.reason] for i in issues]))
        typer.echo(f"\n{len(issues)} probleem/problemen gevonden in {bundle}.", err=False)
        raise typer.Exit(fail_code)
    return b, pack


@app.command()
def validate(bundle: Path = typer.Argument(..., help="Map met manifest.yaml en CSV-bestanden")) -> None:
    """Controleer een databundel: toon alle fouten (bestand, rij, veld, reden) of een samenvatting."""
    b, pack = _load(bundle)
    typer.echo(f"Bundel {b.manifest.name!r} is in orde (regelpakket {pack.id}, "
               f"periode vanaf {b.manifest.period_start.isoformat()}, {b.manifest.weeks} week/weken).")
    counts = [["medewerkers", len(b.staff)], ["gezinnen", len(b.gezinnen)], ["jeugdigen", len(b.jeugdigen)],
              ["toewijzingen", len(b.toewijzingen)], ["groepen", len(b.groups)], ["sessies", len(b.sessions)],
              ["inschrijvingen", len(b.enrolments)], ["teams", len(b.teams)], ["afwezigheden", len(b.absences)],
              ["wensen", len(b.wishes)]]
    typer.echo(table(["onderdeel", "aantal"], counts))
    from planner.bundle_warnings import staff_without_availability
    from planner.semantics.oncall import oncall_problems

    # warnings, not errors: the bundle is valid, but these staff are never scheduled and these 24/7 duties
    # (from the product, A:2829, F:103) can never be covered
    warnings = [w.message for w in staff_without_availability(b, pack)] + oncall_problems(b, pack)
    if warnings:
        typer.echo(f"\nWaarschuwingen ({len(warnings)}):")
        for line in warnings:
            typer.echo(f"- {line}")


def _place(v) -> str:
    return ", ".join(f"{kind} {ref}" for kind, ref in v.entities) or "-"


@app.command()
def check(bundle: Path = typer.Argument(..., help="Map van de databundel"),
          plan: Path = typer.Argument(..., help="Planbestand (JSON)")) -> None:
    """Toets een plan aan het regelpakket van de bundel.  Exit 0 compleet, 1 ongeldig (harde overtreding),
    4 onvolledig (niet geleverde zorg), 5 alleen problemen in de gegevens, 2 plan niet te lezen."""
    from planner.checker import EXIT_USAGE, check_plan
    from planner.plan import Plan

    b, pack = _load(bundle, EXIT_USAGE)
    try:
        p = Plan.load(plan)
    except (OSError, ValueError, KeyError, TypeError) as e:
        typer.echo(f"Plan {plan} niet te lezen: {e}")
        raise typer.Exit(EXIT_USAGE) from None
    report = check_plan(b, pack, p)
    blocks = []
    if report.plan_hard:
        blocks.append("Harde overtredingen (verkeerde beslissingen in het plan):\n"
                      + table(["regel", "bron", "plaats", "melding"],
                              [[v.rule_id, v.citation, _place(v), v.message] for v in report.plan_hard]))
    if report.unmet_care:
        blocks.append("Niet geleverde zorg:\n"
                      + table(["regel", "bron", "plaats", "reden", "melding"],
                              [[v.rule_id, v.citation, _place(v), v.reason or "-", v.message] for v in report.unmet_care]))
    if report.data_problems:
        blocks.append("Problemen in de gegevens (niet door planning op te lossen):\n"
                      + table(["regel", "bron", "plaats", "melding"],
                              [[v.rule_id, v.citation, _place(v), v.message] for v in report.data_problems]))
    if report.soft:
        blocks.append("Zachte regels:\n" + table(["regel", "bron", "strafpunten", "melding"],
                                                  [[v.rule_id, v.citation, v.penalty, v.message] for v in report.soft]))
    if report.unmet:
        blocks.append(f"Niet geleverde omvang: {report.unmet_minutes} minuten in {len(report.unmet)} toewijzing(en).\n"
                      + table(["toewijzing", "nodig (min)", "gepland (min)"],
                              [[u.toewijzing_id, u.required_minutes, u.planned_minutes] for u in report.unmet]))
    if report.cancelled_sessions:
        blocks.append("Niet gehouden groepssessies:\n" + "\n".join(f"- {label}" for label in report.cancelled_sessions))
    typer.echo("\n\n".join(blocks) if blocks else "Geen overtredingen.")
    if report.penalties_per_rule:
        typer.echo("\nStrafpunten per regel:")
        typer.echo(table(["regel", "strafpunten"], sorted(report.penalties_per_rule.items())))
    typer.echo(f"\n{len(report.plan_hard)} harde overtreding(en), {len(report.unmet_care)} keer niet geleverde zorg, "
               f"{len(report.data_problems)} probleem/problemen in de gegevens, {len(report.soft)} zachte overtreding(en), "
               f"totaal {report.total_penalty} strafpunten.")
    typer.echo(f"Status: {report.status}")
    raise typer.Exit(report.exit_code)


@app.command()
def rules(pack: str = typer.Argument(..., help="Naam of pad van het regelpakket")) -> None:
    """Toon de regels van een pakket met hun bron."""
    from planner.rules import load_pack

    try:
        p = load_pack(pack)
    except (FileNotFoundError, ValueError) as e:
        typer.echo(str(e))
        raise typer.Exit(1) from None
    typer.echo(f"{p.name} ({len(p.rules)} regels)")
    typer.echo(table(["id", "soort", "producten", "geldig", "bron", "regel"],
                     [[r.id, r.severity, ", ".join(r.products) or "alle", r.validity_nl, r.citation, r.text]
                      for r in p.rules]))


@app.command()
def generate(size: str = typer.Option("M", "--size", help="S, M, L, XL of XXL (PLANNING.md sectie 6; XXL: 5.000 medewerkers in regio's)"),
             seed: int = typer.Option(1, "--seed", help="Zelfde seed, zelfde bundel"),
             out: Path = typer.Option(..., "--out", help="Uitvoermap"),
             pack: str = typer.Option("flevoland-multi", "--pack", help="flevoland-multi of almelo-2025")) -> None:
    """Genereer een fictieve databundel van de gegeven omvang."""
    from planner.generate import SIZES, generate_to

    if size.upper() not in SIZES:
        typer.echo(f"Onbekende omvang {size!r} (kies uit {', '.join(SIZES)}).")
        raise typer.Exit(2)
    try:
        path = generate_to(out, size.upper(), seed, pack)
    except ValueError as e:
        typer.echo(str(e))
        raise typer.Exit(2) from None
    typer.echo(f"Bundel geschreven naar {path}.")


@app.command()
def demo(bundle: Path = typer.Argument(..., help="Map van de databundel")) -> None:
    """Controleer een bundel en toon een samenvatting van de gegevens (een plan maken: planner plan)."""
    b, pack = _load(bundle)
    typer.echo(demo_summary(b, pack))



def _register_command_modules() -> None:
    """Commands live in ``planner/cli_<area>.py`` modules that register themselves on ``app``."""
    import importlib
    import pkgutil

    import planner

    for info in pkgutil.iter_modules(planner.__path__):
        if info.name.startswith("cli_") and info.name != "cli_format":
            importlib.import_module(f"planner.{info.name}")


_register_command_modules()

if __name__ == "__main__":  # pragma: no cover
    app()
