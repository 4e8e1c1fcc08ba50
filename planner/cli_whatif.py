"""``planner whatif``: run capacity scenarios over 52 weeks, write JSON + CSV results and a comparison."""

from __future__ import annotations

import csv
import json
import sys
import time
from html import escape
from pathlib import Path

import typer

from planner.cli import _load, app
from planner.cli_format import table


def _bar(done: int, total: int, name: str, t0: float) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} scenario's "
                     f"{time.monotonic() - t0:5.1f}s  {name[:40]:40}")
    sys.stderr.flush()


def _csv(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def write_results(results: list, out: Path, forecasts: list | None = None) -> list[Path]:
    """JSON with everything, CSV per table, and the comparison as XLSX, PDF and HTML (charts as static SVG).

    With ``forecasts`` (one :class:`solver.capacity.bands.InflowForecast` per result, with inflow) the
    waiting list is given per scenario as verwacht plus p10, p50 and p90 over the samples."""
    from planner.capacity_charts import comparison_charts, to_svg
    from planner.capacity_report import CLIENT_HEADER, client_row, comparison_tables, export_pdf, export_xlsx

    out.mkdir(parents=True, exist_ok=True)
    files = [out / "resultaten.json"]
    data = [r.to_json() for r in results]
    for d, f in zip(data, forecasts or []):
        d["instroom"] = f.to_json() if f is not None else None
    files[0].write_text(json.dumps(data, indent=1, ensure_ascii=False), "utf-8")
    weeks = max((len(r.waiting_per_week) for r in results), default=0)
    tables = {
        "wachtlijst.csv": _waiting_table(results, forecasts or [None] * len(results), weeks),
        "wachtenden.csv": (["scenario", *CLIENT_HEADER], [[r.name, *client_row(c)] for r in results for c in r.clients]),
        "onvervuld.csv": (["scenario", "week", "product", "discipline", "soort", "uren"],
                          [[r.name, u.week + 1, u.product, u.discipline, u.kind, round(u.hours, 2)]
                           for r in results for u in r.unmet]),
        "bezetting_medewerker.csv": (["scenario", "medewerker", *(f"week {w + 1}" for w in range(weeks))],
                                     [[r.name, sid, *row] for r in results for sid, row in r.utilisation_staff.items()]),
        "bezetting_discipline.csv": (["scenario", "discipline", *(f"week {w + 1}" for w in range(weeks))],
                                     [[r.name, d, *row] for r in results for d, row in r.utilisation_discipline.items()]),
        "aannames.csv": (["scenario", "profiel", "medewerker", "fte", "kosten", "vanaf", "toewijzingen", "sessies"],
                         [[r.name, h.profile, h.staff_id, h.fte, h.cost, h.start.isoformat(), " ".join(h.toewijzingen),
                           " ".join(h.sessions)] for r in results for h in r.hires]),
    }
    summary = comparison_tables(results)[0]
    tables["vergelijking.csv"] = (summary.header, summary.rows)
    for name, (header, rows) in tables.items():
        _csv(out / name, header, rows)
        files.append(out / name)
    bands = {r.name: f.waiting for r, f in zip(results, forecasts or []) if f is not None and f.samples}
    files.append(export_xlsx(results, out / "vergelijking.xlsx", bands))
    files.append(export_pdf(results, out / "vergelijking.pdf", bands))
    html = ["<!doctype html><meta charset='utf-8'><title>Vergelijking scenario's</title>",
            "<h1>Vergelijking scenario's</h1>",
            *(f"<figure>{to_svg(c.spec)}<figcaption>{escape(c.description)}</figcaption></figure>" if c.spec
              else f"<h2>{escape(c.title)}</h2><p>{escape(c.empty)}</p>" for c in comparison_charts(results, bands))]
    for t in comparison_tables(results):
        html.append(f"<h2>{escape(t.title)}</h2><table border='1'><tr>"
                    + "".join(f"<th>{escape(str(h))}</th>" for h in t.header) + "</tr>"
                    + "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in t.rows)
                    + "</table>")
    (out / "vergelijking.html").write_text("\n".join(html), "utf-8")
    files.append(out / "vergelijking.html")
    return files


def _waiting_table(results: list, forecasts: list, weeks: int) -> tuple[list[str], list[list]]:
    """Per week the waiting list of every scenario; with inflow samples also its p10, p50 and p90."""
    header = ["week"]
    for r, f in zip(results, forecasts):
        header += [r.name] + ([f"{r.name} p{p}" for p in (10, 50, 90)] if f is not None and f.samples else [])
    rows = []
    for w in range(weeks):
        row: list = [w + 1]
        for r, f in zip(results, forecasts):
            row.append(r.waiting_per_week[w] if w < len(r.waiting_per_week) else "")
            if f is not None and f.samples:
                row += [band[w] if w < len(band) else "" for band in (f.waiting.p10, f.waiting.p50, f.waiting.p90)]
        rows.append(row)
    return header, rows


@app.command()
def whatif(bundle: Path = typer.Argument(..., help="Map van de databundel"),
           scenario: list[Path] = typer.Option([], "--scenario", help="Scenariobestand (YAML); mag vaker"),
           weeks: int = typer.Option(52, "--weeks", min=1, max=104, help="Aantal weken (standaard 52)"),
           out: Path = typer.Option(Path("out/whatif"), "--out", help="Map voor de resultaten"),
           basis: bool = typer.Option(True, "--basis/--geen-basis", help="Ook de huidige situatie doorrekenen"),
           time_limit: float = typer.Option(20.0, "--time-limit", help="Tijdslimiet per scenario in seconden"),
           processes: int = typer.Option(0, "--processes", min=0, help="Parallelle processen (0 = aantal cpu's)"),
           instroom: bool = typer.Option(True, "--instroom/--geen-instroom",
                                         help="Nieuwe verwijzingen meerekenen (stabiel: wie nu in zorg is, of het manifest)"),
           samples: int = typer.Option(50, "--steekproeven", min=0, max=1000,
                                       help="Steekproeven van de instroom voor de p10-p90-banden (0 = alleen verwacht)"),
           seed: int = typer.Option(0, "--zaad", min=0, help="Startwaarde van de steekproeven (herhaalbaar)"),
           quiet: bool = typer.Option(False, "--quiet", help="Geen voortgangsbalk")) -> None:
    """Reken capaciteitsscenario's door: wachtlijst, onvervulde zorg, bezetting en aannames."""
    from planner.inflow import estimate_inflow
    from planner.scenario import ScenarioError, load_scenario
    from solver.capacity import CapacityOptions, run_scenarios
    from solver.capacity.bands import forecast_with_inflow, hiring_percentile

    b, pack = _load(bundle)
    try:
        scenarios = [load_scenario(p) for p in scenario]
    except ScenarioError as e:
        typer.echo("Scenario niet bruikbaar:\n" + "\n".join(f"- {p}" for p in e.problems))
        raise typer.Exit(2) from None
    todo = ([None] if basis or not scenarios else []) + scenarios
    t0 = time.monotonic()
    options = CapacityOptions(weeks=weeks, time_limit=time_limit)
    progress = None if quiet else lambda d, n, name: _bar(d, n, name, t0)
    streams = estimate_inflow(b, pack) if instroom else []
    forecasts = None
    if streams:
        forecasts = [forecast_with_inflow(b, pack, s, streams, weeks, samples, seed, options, processes or None, progress)
                     for s in todo]
        results = [f.expected for f in forecasts]
    else:
        results = run_scenarios(b, pack, todo, weeks, progress, options, processes or None)
    if not quiet:
        sys.stderr.write("\n")
    if streams:
        typer.echo("Instroom per week (" + "; ".join(dict.fromkeys(s.source.split(":")[0] for s in streams)) + "):")
        typer.echo(table(["product", "team", "per week", "duur (weken)", "bron"],
                         [[s.label, s.team or "", f"{s.per_week:.2f}".replace(".", ","), s.duration_weeks, s.source]
                          for s in streams]))
    files = write_results(results, out, forecasts)
    from planner.capacity_report import comparison_tables

    summary = comparison_tables(results)[0]
    typer.echo(table(summary.header, summary.rows))
    for i, r in enumerate(results):
        typer.echo(f"\n{r.name}:")
        own = len(todo[i].all_changes()) if todo[i] else 0  # the inflow's changes follow the scenario's own
        inflow = f"- Instroom (verwacht): {len(r.changes) - own} wijziging(en) met nieuwe verwijzingen." if forecasts else None
        p = hiring_percentile(todo[i])
        if p and inflow:  # the expected run planned its hires on the inflow of that percentile (as the web)
            inflow = (f"- Instroom voor het wervingsadvies: p{p} (in {p // 10} van de 10 jaren niet meer instroom), "
                      f"{len(r.changes) - own} wijziging(en) met nieuwe verwijzingen.")
        elif p:
            inflow = f"- Percentiel p{p} van het wervingsdoel niet gebruikt: zonder instroom gerekend."
        for line in [*r.changes[:own], *([inflow] if inflow else []), *r.explanation]:
            typer.echo(line if line.startswith("- ") else f"- {line}")
        f = forecasts[i] if forecasts else None
        if f is not None and f.samples:
            typer.echo(f"- Over {len(f.samples)} steekproeven van de instroom: hoogste wachtlijst p10 "
                       f"{f.peak_waiting[10]:g}, p50 {f.peak_waiting[50]:g}, p90 {f.peak_waiting[90]:g}; mediane wachttijd "
                       f"p50 {f.median_wait[50]:g} weken, p90 {f.median_wait[90]:g} weken.")
    typer.echo(f"\n{len(files)} bestanden geschreven naar {out} ({time.monotonic() - t0:.1f} s).")
    if any(r.status == "FOUT" for r in results):
        raise typer.Exit(2)
