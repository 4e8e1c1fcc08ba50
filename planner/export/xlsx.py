"""The week roster as an Excel workbook (openpyxl).

Every text cell of every sheet goes through :func:`planner.export.rows.safe_cell` (no formula injection).
Sheets: ``Per medewerker`` (a week grid: one row per medewerker and week, a column per day),
``Per groep`` (every session occurrence and residential shift), ``Bereikbaarheid`` (on-call
per team and day), ``Alle opdrachten`` (every assignment as a row, the CSV columns: the
sheet :func:`read_xlsx_rows` reads back) and ``Info``. Every sheet has a frozen bold header,
set column widths and an A4-landscape print setup that fits the width and repeats the header.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain import Bundle
from planner.export.roster import hours, items_on, period_days, roster_items, staff_label, staff_with_items
from planner.export.rows import COLUMNS, plan_rows, safe_cell, unsafe_cell
from planner.plan import Plan
from planner.timeutil import WEEKDAYS_NL

DATA_SHEET = "Alle opdrachten"
_HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")  # light grey: readable in black and white
_THIN = Side(style="thin", color="808080")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _append(ws: Worksheet, values: list) -> None:
    """One row; every text cell through :func:`safe_cell`, so no name or id becomes a live formula."""
    ws.append([safe_cell(v) if isinstance(v, str) else v for v in values])


def _sheet(wb: Workbook, title: str, header: list[str], widths: list[float], freeze: str = "A2") -> Worksheet:
    ws = wb.create_sheet(title)
    _append(ws, header)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = width
        cell = ws.cell(1, i)
        cell.font, cell.fill, cell.alignment = Font(bold=True), _HEAD_FILL, _WRAP
        cell.border = Border(bottom=_THIN)
    ws.freeze_panes = freeze
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.oddFooter.center.text = "&P / &N"
    return ws


def _finish_rows(ws: Worksheet) -> None:
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = _WRAP
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions


def _per_medewerker(wb: Workbook, b: Bundle, plan: Plan, items) -> None:
    days = period_days(plan)
    header = ["medewerker_id", "medewerker", "week", *[WEEKDAYS_NL[d.weekday()] + f" {d:%d-%m}" for d in days[:7]],
              "uren"]
    ws = _sheet(wb, "Per medewerker", header, [13, 22, 11, *[34] * 7, 8], freeze="D2")
    for sid in staff_with_items(b, items):
        mine = [i for i in items if i.staff_id == sid]
        for w in range(plan.weeks):
            week = days[w * 7:(w + 1) * 7]
            cells = ["\n".join(i.line() for i in items_on(mine, d)) for d in week]
            week_items = [i for i in mine if week[0] <= i.start.date() <= week[-1]]
            _append(ws, [sid, b.staff[sid].name if sid in b.staff else "", week[0].isoformat(), *cells,
                       round(hours(week_items), 2)])
    _finish_rows(ws)


def _per_groep(wb: Workbook, b: Bundle, plan: Plan) -> None:
    ws = _sheet(wb, "Per groep", ["groep_id", "groep", "datum", "dag", "van", "tot", "locatie", "soort",
                                  "medewerkers", "afgelast"], [10, 24, 11, 5, 7, 7, 18, 11, 48, 9])
    for s in sorted(plan.sessions, key=lambda s: (s.date, s.session_id)):
        sess = b.sessions.get(s.session_id)
        if sess is None:
            continue
        group = b.groups.get(sess.group_id)
        _append(ws, [sess.group_id, group.name if group else "", s.date.isoformat(), WEEKDAYS_NL[s.date.weekday()],
                   sess.start.strftime("%H:%M"), sess.end.strftime("%H:%M"), sess.location, "sessie",
                   ", ".join(staff_label(b, x) for x in s.staff_ids), "ja" if s.cancelled else ""])
    for sh in sorted(plan.shifts, key=lambda s: (s.start, s.group_id)):
        group = b.groups.get(sh.group_id)
        _append(ws, [sh.group_id, group.name if group else "", sh.start.date().isoformat(),
                   WEEKDAYS_NL[sh.start.weekday()], sh.start.strftime("%H:%M"), sh.end.strftime("%H:%M"),
                   group.location if group else "", f"dienst {sh.kind}", staff_label(b, sh.staff_id), ""])
    _finish_rows(ws)


def _bereikbaarheid(wb: Workbook, b: Bundle, plan: Plan) -> None:
    ws = _sheet(wb, "Bereikbaarheid", ["team_id", "team", "datum", "dag", "van", "tot", "medewerker"],
                [12, 22, 11, 5, 17, 17, 30])
    for o in sorted(plan.oncall, key=lambda o: (o.team_id, o.start)):
        team = b.teams.get(o.team_id)
        _append(ws, [o.team_id, team.name if team else "", o.start.date().isoformat(), WEEKDAYS_NL[o.start.weekday()],
                   o.start.strftime("%Y-%m-%d %H:%M"), o.end.strftime("%Y-%m-%d %H:%M"), staff_label(b, o.staff_id)])
    _finish_rows(ws)


def _data(wb: Workbook, b: Bundle, plan: Plan, staff_id: str | None) -> None:
    widths = {"soort": 14, "medewerker": 20, "van": 17, "tot": 17, "jeugdige": 18, "toelichting": 30}
    ws = _sheet(wb, DATA_SHEET, COLUMNS, [widths.get(c, 12) for c in COLUMNS])
    for row in plan_rows(plan, b, staff_id):
        _append(ws, [row[c] for c in COLUMNS])  # text cells, so dates and ids read back exactly


def _info(wb: Workbook, b: Bundle, plan: Plan, staff_id: str | None) -> None:
    ws = _sheet(wb, "Info", ["veld", "waarde"], [22, 60])
    last = plan.period_start + timedelta(weeks=plan.weeks) - timedelta(days=1)
    for row in (["bundel", b.manifest.name], ["regelpakket", b.manifest.rule_pack],
                ["periode_start", plan.period_start.isoformat()], ["weken", plan.weeks],
                ["periode_eind", last.isoformat()], ["medewerker", staff_label(b, staff_id) if staff_id else "alle"],
                ["overrulingen", len(plan.meta.get("overrides") or [])]):
        _append(ws, row)


def _overrides(wb: Workbook, plan: Plan) -> None:
    """Overruled findings (``plan.meta["overrides"]``): what was overruled, why, by whom, when."""
    listed = plan.meta.get("overrides") or []
    if not listed:
        return
    ws = _sheet(wb, "Overrulingen", ["regel", "melding", "reden", "door", "wanneer"], [16, 60, 40, 14, 17])
    for o in listed:
        _append(ws, [str(o.get(k, "")) for k in ("regel", "melding", "reden", "door", "wanneer")])


def roster_workbook(b: Bundle, plan: Plan, staff_id: str | None = None) -> Workbook:
    """The workbook (only ``staff_id``'s assignments when given)."""
    wb = Workbook()
    wb.remove(wb.active)
    items = roster_items(b, plan, staff_id)
    _per_medewerker(wb, b, plan, items)
    _per_groep(wb, b, plan if staff_id is None else _only(plan, staff_id))
    _bereikbaarheid(wb, b, plan if staff_id is None else _only(plan, staff_id))
    _data(wb, b, plan, staff_id)
    _info(wb, b, plan, staff_id)
    if staff_id is None:
        _overrides(wb, plan)
    return wb


def _only(plan: Plan, staff_id: str) -> Plan:
    """The sessions, shifts and on-call blocks that involve one medewerker."""
    p = Plan(plan.period_start, plan.weeks)
    p.sessions = [s for s in plan.sessions if staff_id in s.staff_ids]
    p.shifts = [s for s in plan.shifts if s.staff_id == staff_id]
    p.oncall = [o for o in plan.oncall if o.staff_id == staff_id]
    return p


def write_xlsx(b: Bundle, plan: Plan, out: str | Path, staff_id: str | None = None) -> Path:
    path = Path(out)
    roster_workbook(b, plan, staff_id).save(path)
    return path


def xlsx_bytes(b: Bundle, plan: Plan, staff_id: str | None = None) -> bytes:
    """The workbook as bytes, for a web download."""
    buf = io.BytesIO()
    roster_workbook(b, plan, staff_id).save(buf)
    return buf.getvalue()


def read_xlsx_rows(path: str | Path) -> tuple[list[dict[str, str]], date, int]:
    """The ``Alle opdrachten`` rows and the period (start, weeks) of an exported workbook."""
    wb = load_workbook(path, read_only=True, data_only=True)
    values = list(wb[DATA_SHEET].iter_rows(values_only=True))
    info = {r[0]: r[1] for r in wb["Info"].iter_rows(min_row=2, values_only=True)}
    wb.close()
    header = [str(h) for h in values[0]]
    rows = [{h: "" if v is None else unsafe_cell(str(v)) for h, v in zip(header, r)} for r in values[1:]]
    return rows, date.fromisoformat(str(info["periode_start"])), int(info["weken"])
