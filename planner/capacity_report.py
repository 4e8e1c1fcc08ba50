"""The scenario comparison: tables, inline-SVG charts (no chart library), XLSX and PDF export.

Two to four scenario results side by side: the waiting list over time,
utilisation per discipline, unmet hours per product, hires and cost.  The
charts are self-contained ``<svg>`` strings a page can embed as they are;
labels are Dutch.  Works on :class:`solver.capacity.result.ScenarioResult`
(duck-typed: this module imports nothing from the solver).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

COLOURS = ["#1f6f8b", "#e07a1f", "#4a9d4a", "#b23a48", "#7b5ea7", "#8c8c8c"]
W, H, PAD_L, PAD_R, PAD_T, PAD_B = 640, 300, 56, 16, 36, 64


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[Any]]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def comparison_tables(results: list) -> list[Table]:
    """Summary, utilisation per discipline (mean over the horizon), unmet hours per product, hires."""
    names = [r.name for r in results]
    keys = [("wachtenden_start", "wachtenden bij start"), ("wachtenden_max", "wachtenden (hoogste stand)"),
            ("wachtenden_eind", "wachtenden aan het eind"), ("niet_gestart", "niet gestart binnen horizon"),
            ("gem_wachttijd_weken", "gemiddelde wachttijd (weken)"), ("onvervuld_uren", "onvervulde uren (totaal)"),
            ("onvervuld_lopend_uren", "onvervulde uren lopende zorg"), ("onvervuld_groep_uren", "tekort groepsuren"),
            ("aannames", "aannames"), ("kosten_aannames", "kosten aannames (€/jaar)"), ("status", "status"),
            ("seconds", "rekentijd (s)")]
    summaries = [r.summary() for r in results]
    out = [Table("Samenvatting", ["", *names], [[label, *(s[k] for s in summaries)] for k, label in keys])]
    disciplines = sorted({d for r in results for d in r.utilisation_discipline})
    out.append(Table("Bezetting per discipline (gemiddeld, %)", ["discipline", *names],
                     [[d, *(round(100 * _mean(r.utilisation_discipline.get(d, [])), 1) for r in results)]
                      for d in disciplines]))
    products = sorted({p for r in results for p in r.unmet_by_product()})
    out.append(Table("Onvervulde uren per product", ["product", *names],
                     [[p, *(round(r.unmet_by_product().get(p, 0.0), 1) for r in results)] for p in products]))
    out.append(Table("Aannames", ["scenario", "profiel", "medewerker", "fte", "kosten (€/jaar)", "vanaf", "neemt op"],
                     [[r.name, h.profile, h.staff_id, h.fte, h.cost, h.start.isoformat(),
                       ", ".join(h.toewijzingen + h.sessions)] for r in results for h in r.hires]))
    return out


# --- SVG ---------------------------------------------------------------------
def _frame(title: str, y_max: float, y_label: str) -> list[str]:
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" '
             f'aria-label="{escape(title)}" font-family="sans-serif" font-size="11">',
             f'<title>{escape(title)}</title>',
             f'<text x="{W / 2}" y="18" text-anchor="middle" font-size="14">{escape(title)}</text>']
    for i in range(5):
        v = y_max * i / 4
        y = H - PAD_B - (H - PAD_T - PAD_B) * i / 4
        parts.append(f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end">{v:.4g}</text>')
    parts.append(f'<text x="12" y="{PAD_T + (H - PAD_T - PAD_B) / 2}" transform="rotate(-90 12 '
                 f'{PAD_T + (H - PAD_T - PAD_B) / 2})" text-anchor="middle">{escape(y_label)}</text>')
    return parts


def _legend(names: list[str]) -> list[str]:
    out = []
    for i, name in enumerate(names):
        x = PAD_L + i * 150
        out.append(f'<rect x="{x}" y="{H - 18}" width="10" height="10" fill="{COLOURS[i % len(COLOURS)]}"/>')
        out.append(f'<text x="{x + 14}" y="{H - 9}">{escape(name[:22])}</text>')
    return out


def line_chart(title: str, series: dict[str, list[float]], y_label: str, x_label: str = "week") -> str:
    """One line per series over its index (weeks)."""
    n = max((len(v) for v in series.values()), default=0)
    y_max = max((max(v, default=0) for v in series.values()), default=0) or 1
    parts = _frame(title, y_max, y_label)
    plot_w, plot_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    for i, (name, values) in enumerate(series.items()):
        pts = " ".join(f"{PAD_L + plot_w * x / max(n - 1, 1):.1f},{H - PAD_B - plot_h * v / y_max:.1f}"
                       for x, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{COLOURS[i % len(COLOURS)]}" stroke-width="2" points="{pts}">'
                     f'<title>{escape(name)}</title></polyline>')
    for x in range(0, n, max(1, n // 13 or 1)):
        parts.append(f'<text x="{PAD_L + plot_w * x / max(n - 1, 1):.1f}" y="{H - PAD_B + 14}" '
                     f'text-anchor="middle">{x + 1}</text>')
    parts.append(f'<text x="{W / 2}" y="{H - PAD_B + 30}" text-anchor="middle">{escape(x_label)}</text>')
    return "\n".join([*parts, *_legend(list(series)), "</svg>"])


def bar_chart(title: str, categories: list[str], series: dict[str, list[float]], y_label: str) -> str:
    """Grouped bars: per category one bar per series."""
    y_max = max((max(v, default=0) for v in series.values()), default=0) or 1
    parts = _frame(title, y_max, y_label)
    plot_w, plot_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    for c, cat in enumerate(categories):
        x0 = PAD_L + c * group_w + group_w * 0.1
        for i, (name, values) in enumerate(series.items()):
            v = values[c] if c < len(values) else 0
            h = plot_h * v / y_max
            parts.append(f'<rect x="{x0 + i * bar_w:.1f}" y="{H - PAD_B - h:.1f}" width="{bar_w:.1f}" '
                         f'height="{h:.1f}" fill="{COLOURS[i % len(COLOURS)]}"><title>{escape(name)}: {escape(cat)} '
                         f'{v:.4g}</title></rect>')
        parts.append(f'<text x="{x0 + group_w * 0.4:.1f}" y="{H - PAD_B + 14}" text-anchor="middle">'
                     f'{escape(cat[:14])}</text>')
    return "\n".join([*parts, *_legend(list(series)), "</svg>"])


def comparison_svg(results: list) -> dict[str, str]:
    """Four charts as inline SVG: wachtlijst, bezetting, onvervuld, aannames."""
    names = [r.name for r in results]
    disciplines = sorted({d for r in results for d in r.utilisation_discipline})
    products = sorted({p for r in results for p in r.unmet_by_product()})
    return {
        "wachtlijst": line_chart("Wachtlijst per week", {r.name: r.waiting_per_week for r in results}, "wachtenden"),
        "bezetting": bar_chart("Bezetting per discipline (gemiddeld)", disciplines,
                               {r.name: [round(100 * _mean(r.utilisation_discipline.get(d, [])), 1)
                                         for d in disciplines] for r in results}, "%"),
        "onvervuld": bar_chart("Onvervulde uren per product", products,
                               {r.name: [r.unmet_by_product().get(p, 0.0) for p in products] for r in results}, "uren"),
        "aannames": bar_chart("Aannames en kosten", names,
                              {"kosten (k€/jaar)": [r.hire_cost / 1000 for r in results],
                               "aannames": [len(r.hires) for r in results]}, "aantal / k€"),
    }


# --- exports -------------------------------------------------------------------
def export_xlsx(results: list, path: str | Path) -> Path:
    """One sheet per comparison table, plus the waiting list per week and every waiting client."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
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


def export_pdf(results: list, path: str | Path) -> Path:
    """A printable comparison: the tables and the explanation lines of each scenario (reportlab)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable
    from reportlab.platypus import TableStyle

    styles = getSampleStyleSheet()
    story = [Paragraph("Vergelijking capaciteitsscenario's", styles["Title"])]
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
