"""PDF of the week roster (everyone) and of one medewerker's week, with reportlab.

A4 landscape, black text on white with grey header rows and thin grid lines, so a black-and-
white print stays readable; the header row repeats on every page, and every page has the period
and a page number in its footer.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from planner.domain import Bundle
from planner.export.roster import (KIND_LABELS, RosterItem, hours, items_on, period_days, roster_items, staff_label,
                                   staff_with_items)
from planner.plan import Plan

PAGE = landscape(A4)
MARGIN = 10 * mm
DAYS_NL = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
             "november", "december"]
_STYLES = getSampleStyleSheet()
_CELL = ParagraphStyle("cel", parent=_STYLES["Normal"], fontName="Helvetica", fontSize=6.8, leading=8.2)
_HEAD = ParagraphStyle("kop", parent=_CELL, fontName="Helvetica-Bold", fontSize=8, leading=9.5)
_TITLE = ParagraphStyle("titel", parent=_STYLES["Title"], fontSize=15, leading=18, alignment=0, spaceAfter=2)
_SUB = ParagraphStyle("sub", parent=_STYLES["Normal"], fontSize=9, leading=11)


def nl_date(d: date) -> str:
    return f"{DAYS_NL[d.weekday()]} {d.day} {MONTHS_NL[d.month - 1]} {d.year}"


def _grid_style() -> TableStyle:
    return TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.85, 0.85, 0.85)),
        ("LINEBELOW", (0, 0), (-1, 0), 1.0, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5), ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ])


def _p(text: str, style: ParagraphStyle = _CELL) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _cell(items: list[RosterItem]) -> Paragraph:
    # on-call lines in italics, so they stand apart from worked time without colour
    lines = [f"<i>{escape(i.line())}</i>" if i.kind == "bereikbaarheid" else escape(i.line()) for i in items]
    return Paragraph("<br/>".join(lines), _CELL)


def _footer(text: str):
    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(MARGIN, 6 * mm, text)
        canvas.drawRightString(PAGE[0] - MARGIN, 6 * mm, f"pagina {doc.page}")
        canvas.restoreState()
    return draw


def _weeks(plan: Plan) -> list[list[date]]:
    days = period_days(plan)
    return [days[i:i + 7] for i in range(0, len(days), 7)]


def _roster_week(b: Bundle, items: list[RosterItem], week: list[date]) -> list:
    header = [_p("Medewerker", _HEAD)] + [_p(f"{DAYS_NL[d.weekday()][:2]} {d.day}-{d.month}", _HEAD) for d in week] \
        + [_p("uren", _HEAD)]
    rows = [header]
    for sid in staff_with_items(b, items):
        mine = [i for i in items if i.staff_id == sid and week[0] <= i.start.date() <= week[-1]]
        if mine:
            rows.append([_p(staff_label(b, sid))] + [_cell(items_on(mine, d)) for d in week]
                        + [_p(f"{hours(mine):.1f}")])
    if len(rows) == 1:
        rows.append([_p("Geen ingeplande onderdelen deze week.")] + [_p("")] * 8)
    width = PAGE[0] - 2 * MARGIN
    first, last = 34 * mm, 11 * mm
    table = LongTable(rows, colWidths=[first] + [(width - first - last) / 7] * 7 + [last], repeatRows=1)
    table.setStyle(_grid_style())
    return [table]


def _build(flow: list, footer: str) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=12 * mm, title="Weekrooster", author="Jeugdhulp Planner")
    doc.build(flow, onFirstPage=_footer(footer), onLaterPages=_footer(footer))
    return buf.getvalue()


def roster_pdf(b: Bundle, plan: Plan) -> bytes:
    """The week roster of everyone: one table per week, a row per medewerker, a column per day."""
    items = roster_items(b, plan)
    flow: list = []
    for n, week in enumerate(_weeks(plan)):
        if n:
            flow.append(PageBreak())
        flow += [_p(f"Weekrooster {b.manifest.name}", _TITLE),
                 _p(f"Week {week[0].isocalendar()[1]}: {nl_date(week[0])} t/m {nl_date(week[-1])}. "
                    f"Cursief = bereikbaarheid (geen werktijd).", _SUB), Spacer(1, 3 * mm)]
        flow += _roster_week(b, items, week)
    return _build(flow, f"{b.manifest.name} - weekrooster vanaf {plan.period_start.isoformat()}")


def _person_rows(items: list[RosterItem], week: list[date]) -> list[list]:
    rows = [[_p(h, _HEAD) for h in ("Dag", "Van", "Tot", "Soort", "Wat", "Waar")]]
    for d in week:
        day_items = items_on(items, d)
        if not day_items:
            rows.append([_p(nl_date(d)), _p("-"), _p(""), _p(""), _p("vrij / niets gepland"), _p("")])
        for k, i in enumerate(day_items):
            end = i.end.strftime("%H:%M") + (f" ({i.end.day}-{i.end.month})" if i.end.date() != d else "")
            rows.append([_p(nl_date(d) if k == 0 else ""), _p(i.start.strftime("%H:%M")), _p(end),
                         _p(KIND_LABELS.get(i.kind, i.kind)), _p(i.title), _p(i.location)])
    return rows


def person_pdf(b: Bundle, plan: Plan, staff_id: str) -> bytes:
    """One medewerker's week(s): every item per day in time order, with worked hours per week."""
    items = roster_items(b, plan, staff_id)
    m = b.staff.get(staff_id)
    flow: list = []
    for n, week in enumerate(_weeks(plan)):
        if n:
            flow.append(PageBreak())
        mine = [i for i in items if week[0] <= i.start.date() <= week[-1]]
        contract = f", contract {m.contract_hours:g} uur" if m else ""
        flow += [_p(f"Weekrooster {staff_label(b, staff_id)}", _TITLE),
                 _p(f"{b.manifest.name}. Week {week[0].isocalendar()[1]}: {nl_date(week[0])} t/m {nl_date(week[-1])}."
                    f" Gepland {hours(mine):.1f} uur{contract}.", _SUB), Spacer(1, 3 * mm)]
        width = PAGE[0] - 2 * MARGIN
        cols = [40 * mm, 14 * mm, 22 * mm, 26 * mm]
        table = LongTable(_person_rows(mine, week), colWidths=cols + [width - sum(cols) - 50 * mm, 50 * mm],
                          repeatRows=1)
        table.setStyle(_grid_style())
        flow.append(table)
    return _build(flow, f"{b.manifest.name} - {staff_id} - vanaf {plan.period_start.isoformat()} "
                        f"- gemaakt {datetime.now():%Y-%m-%d}")


def write_pdf(b: Bundle, plan: Plan, out: str | Path, staff_id: str | None = None) -> Path:
    path = Path(out)
    path.write_bytes(person_pdf(b, plan, staff_id) if staff_id else roster_pdf(b, plan))
    return path


__all__ = ["nl_date", "person_pdf", "roster_pdf", "write_pdf"]
