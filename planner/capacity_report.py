"""The scenario comparison: tables, XLSX and PDF export (with the charts of ``planner.capacity_charts``).

Two to four scenario results side by side: the waiting list over time,
utilisation per discipline, unmet hours per product and discipline (on-call
cover per team apart: a team is no product), hires and cost.  Labels are
Dutch.  Works on :class:`solver.capacity.result.ScenarioResult` (duck-typed:
this module imports nothing from the solver).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

WAIT_DEFINITION = (
    "Wachttijd: de weken van verwijzing (of, zonder verwijsdatum, de gewenste begindatum) tot de verwachte start. "
    "De mediane wachttijd telt alleen wie binnen de periode start; wie dan nog niet gestart is, staat apart bij "
    "'niet gestart binnen de periode'. Daarom kan de (mediane of gemiddelde) wachttijd dalen als de drukte stijgt: "
    "de langste wachters vallen buiten de periode en tellen niet mee. Kijk dus altijd naar beide getallen.")


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[Any]]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _median(values: list[float]) -> float:
    xs = sorted(values)
    if not xs:
        return 0.0
    mid = len(xs) // 2
    return float(xs[mid]) if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2


def wait_metrics(r) -> dict[str, Any]:
    """Median and mean wait (weeks) of the clients who start within the horizon, and how many do not."""
    started = [c.wait_weeks for c in r.clients if c.projected_start is not None and c.wait_weeks is not None]
    return {"mediaan": round(_median(started), 1), "gemiddeld": round(_mean(started), 1), "gestart": len(started),
            "niet_gestart": sum(1 for c in r.clients if c.projected_start is None)}


def unmet_by_product(r) -> dict[tuple[str, str], float]:
    """Unmet hours per (product, discipline); on-call cover (a team, not a product) left out."""
    out: dict[tuple[str, str], float] = {}
    for u in r.unmet:
        if u.kind != "bereikbaarheid":
            out[u.product, u.discipline] = out.get((u.product, u.discipline), 0.0) + u.hours
    return dict(sorted(out.items()))


def unmet_oncall(r) -> dict[str, float]:
    out: dict[str, float] = {}
    for u in r.unmet:
        if u.kind == "bereikbaarheid":
            out[u.product] = out.get(u.product, 0.0) + u.hours
    return dict(sorted(out.items()))


def comparison_tables(results: list) -> list[Table]:
    """Summary, utilisation per discipline (mean over the horizon), unmet hours per product and discipline,
    on-call cover per team, hires."""
    names = [r.name for r in results]
    keys = [("wachtenden_start", "wachtenden bij start"), ("wachtenden_max", "wachtenden (hoogste stand)"),
            ("wachtenden_eind", "wachtenden aan het eind"), ("mediaan", "mediane wachttijd van wie start (weken)"),
            ("gemiddeld", "gemiddelde wachttijd van wie start (weken)"),
            ("niet_gestart", "niet gestart binnen de periode"),
            ("onvervuld_uren", "onvervulde uren (totaal)"),
            ("onvervuld_lopend_uren", "onvervulde uren lopende zorg"), ("onvervuld_groep_uren", "tekort groepsuren"),
            ("aannames", "aannames"), ("kosten_aannames", "kosten aannames (€/jaar)"), ("status", "status"),
            ("seconds", "rekentijd (s)")]
    summaries = [{**r.summary(), **wait_metrics(r)} for r in results]
    out = [Table("Samenvatting", ["", *names], [[label, *(s[k] for s in summaries)] for k, label in keys])]
    disciplines = sorted({d for r in results for d in r.utilisation_discipline})
    out.append(Table("Bezetting per discipline (gemiddeld, %)", ["discipline", *names],
                     [[d, *(round(100 * _mean(r.utilisation_discipline.get(d, [])), 1) for r in results)]
                      for d in disciplines]))
    per = [unmet_by_product(r) for r in results]
    keys_pd = sorted({k for x in per for k in x})
    out.append(Table("Onvervulde uren per product en discipline", ["product", "tekort aan", *names],
                     [[p, d, *(round(x.get((p, d), 0.0), 1) for x in per)] for p, d in keys_pd]))
    oncall = [unmet_oncall(r) for r in results]
    teams = sorted({t for x in oncall for t in x})
    out.append(Table("Bereikbaarheid niet gedekt per team (uren)", ["team", *names],
                     [[t, *(round(x.get(t, 0.0), 1) for x in oncall)] for t in teams]))
    out.append(Table("Aannames", ["scenario", "profiel", "medewerker", "fte", "kosten (€/jaar)", "vanaf", "neemt op"],
                     [[r.name, h.profile, h.staff_id, h.fte, h.cost, h.start.isoformat(),
                       ", ".join(h.toewijzingen + h.sessions)] for r in results for h in r.hires]))
    return out


# --- exports -------------------------------------------------------------------
def export_xlsx(results: list, path: str | Path, bands: dict[str, Any] | None = None) -> Path:
    """One sheet per comparison table, plus the waiting list per week and every waiting client; a first
    sheet "Grafieken" with the charts as pictures (PNG, the same specs as the page)."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Font

    from planner.capacity_charts import comparison_charts, to_png

    wb = Workbook()
    ws = wb.active
    ws.title = "Grafieken"
    ws.append(["Vergelijking capaciteitsscenario's"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([WAIT_DEFINITION])
    row = 4
    for chart in comparison_charts(results, bands):
        if chart.spec is None:
            ws.cell(row=row, column=1, value=f"{chart.title}: {chart.empty}")
            row += 2
            continue
        img = Image(BytesIO(to_png(chart.spec, scale=1.0)))
        ws.add_image(img, f"A{row}")
        row += int(img.height / 20) + 3
    sheets = [(t.title[:31], t.header, t.rows) for t in comparison_tables(results)]
    weeks = max((len(r.waiting_per_week) for r in results), default=0)
    sheets.append(("Wachtlijst per week", ["week", *(r.name for r in results)],
                   [[w + 1, *(r.waiting_per_week[w] if w < len(r.waiting_per_week) else "" for r in results)]
                    for w in range(weeks)]))
    sheets.append(("Wachtenden", ["scenario", *CLIENT_HEADER], [[r.name, *client_row(c)] for r in results for c in r.clients]))
    for title, header, rows in sheets:
        from planner.export.rows import safe_cell  # scenario names are typed in: never a live formula

        ws = wb.create_sheet(title.replace("/", "-").replace("%", "pct")[:31])
        ws.append([safe_cell(h) if isinstance(h, str) else h for h in header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([safe_cell(v) if isinstance(v, str) else v for v in row])
    path = Path(path)
    wb.save(path)
    return path


CLIENT_HEADER = ["toewijzing", "jeugdige", "product", "interventie", "verwijsdatum", "vroegste start",
                 "verwachte start", "wachttijd (weken)", "uitvoerder", "prioriteit"]


def client_row(c) -> list:
    return [c.toewijzing_id, c.jeugdige_id, c.product, c.intervention or "",
            c.referral_date.isoformat() if c.referral_date else "", c.earliest_start.isoformat(),
            c.projected_start.isoformat() if c.projected_start else "niet binnen horizon",
            "" if c.wait_weeks is None else c.wait_weeks, c.executor_id or "", "" if c.priority is None else c.priority]


def export_pdf(results: list, path: str | Path, bands: dict[str, Any] | None = None) -> Path:
    """A printable comparison: the charts (PNG from the page's Vega-Lite specs), the tables and the
    explanation lines of each scenario (reportlab)."""
    from io import BytesIO

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable
    from reportlab.platypus import TableStyle

    from planner.capacity_charts import comparison_charts, to_png

    styles = getSampleStyleSheet()
    story = [Paragraph("Vergelijking capaciteitsscenario's", styles["Title"]),
             Paragraph(escape(WAIT_DEFINITION), styles["Normal"]), Spacer(1, 8)]
    for chart in comparison_charts(results, bands):
        if chart.spec is None:
            story += [Paragraph(escape(chart.title), styles["Heading3"]), Paragraph(escape(chart.empty), styles["Normal"])]
            continue
        png = to_png(chart.spec, scale=2.0)
        img = Image(BytesIO(png))
        width = min(img.imageWidth / 2, 720)
        img.drawWidth, img.drawHeight = width, img.imageHeight / 2 * width / (img.imageWidth / 2)
        if img.drawHeight > 330:  # the first chart fits under the title and the definition
            img.drawWidth, img.drawHeight = img.drawWidth * 330 / img.drawHeight, 330
        story.append(KeepTogether([img, Paragraph(escape(chart.description), styles["Italic"]), Spacer(1, 10)]))
    for t in comparison_tables(results):
        if not t.rows:
            continue
        story += [Paragraph(escape(t.title), styles["Heading2"])]
        data = [t.header, *[[escape(str(v))[:60] for v in row] for row in t.rows]]
        table = PdfTable(data, repeatRows=1)
        table.setStyle(TableStyle([("FONTSIZE", (0, 0), (-1, -1), 8), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)]))
        story += [table, Spacer(1, 8)]
    for r in results:
        story.append(Paragraph(escape(f"Toelichting: {r.name}"), styles["Heading2"]))
        story += [Paragraph(escape(line), styles["Normal"]) for line in [*r.changes, *r.explanation]]
    path = Path(path)
    SimpleDocTemplate(str(path), pagesize=landscape(A4), title="Vergelijking scenario's").build(story)
    return path
