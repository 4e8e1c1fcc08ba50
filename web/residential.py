"""Residential rosters (verblijf): staff x days with shift codes, coverage per shift type, violations, export.

Shift codes: D = dag 07-15, A = avond 15-23, N = nacht 23-07 (slapend or wakend). The violations
shown are the stored check report's, limited to the residential rule kinds of the group and the
working-time rules of its staff. XLSX and PDF reuse the layout helpers of :mod:`planner.export`.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

from planner.domain import Bundle, Education, Groep
from planner.plan import Plan, Shift
from planner.rules import RulePack

DAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]
CODES = {"dag": "D", "avond": "A", "slaapnacht": "N", "waaknacht": "N"}
CODE_LABELS = {"D": "dag 07-15", "A": "avond 15-23", "N": "nacht 23-07"}
GROUP_KINDS = {"shift_staff_ratio", "shift_min_staff", "night_shift_required", "residential_occupancy_max",
               "shift_min_education_all", "shift_mbo3_needs_mbo4"}
STAFF_KINDS = {"availability", "absence", "double_booking", "max_shift_hours", "max_week_hours", "daily_rest",
               "weekly_rest", "contract_hours", "oncall_night_shift_buffer"}


def residential_groups(bundle: Bundle, pack: RulePack) -> list[Groep]:
    """Groups whose product's setting is ``verblijf``, by id."""
    out = []
    for g in sorted(bundle.groups.values(), key=lambda g: g.id):
        product = pack.product(g.product_code)
        if product is not None and product.setting == "verblijf":
            out.append(g)
    return out


def shift_code(s: Shift) -> str:
    """D, A or N; by kind, else by the start hour."""
    if s.kind in CODES:
        return CODES[s.kind]
    return "D" if 5 <= s.start.hour < 13 else "A" if 13 <= s.start.hour < 21 else "N"


def roster(bundle: Bundle, plan: Plan, group_id: str) -> dict:
    """The grid: rows per medewerker (codes per day, hours), coverage rows per code, occupancy per day."""
    days = [plan.period_start.fromordinal(plan.period_start.toordinal() + i) for i in range(plan.weeks * 7)]
    shifts = [s for s in plan.shifts if s.group_id == group_id]
    cells: dict[str, dict[date, list[str]]] = {}
    hours: Counter = Counter()
    for s in sorted(shifts, key=lambda s: s.start):
        cells.setdefault(s.staff_id, {}).setdefault(s.start.date(), []).append(shift_code(s))
        hours[s.staff_id] += (s.end - s.start).total_seconds() / 3600
    rows = [{"staff_id": sid, "name": bundle.staff[sid].name if sid in bundle.staff else "",
             "codes": ["".join(cells[sid].get(d, [])) for d in days], "hours": round(hours[sid], 1)}
            for sid in sorted(cells)]
    coverage = {code: [sum(1 for s in shifts if shift_code(s) == code and s.start.date() == d) for d in days]
                for code in CODE_LABELS}
    occupancy = [sum(1 for e in bundle.enrolments if e.group_id == group_id and e.active_on(d)) for d in days]
    return {"days": days, "rows": rows, "coverage": coverage, "occupancy": occupancy}


def fairness(grid: dict, group: Groep, bundle: Bundle, pack: RulePack) -> dict | None:
    """Spread per medewerker on the roster, as (min, max): nights over the rows who may work the group's
    nights (the night rule's education), weekend days (any shift on za/zo) over all rows."""
    if not grid["rows"]:
        return None
    levels = [r.params["education"] for r in pack.rules_of("night_shift_required")
              if r.params.get("education") and (not r.products or group.product_code in r.products)]
    night_ok = [r for r in grid["rows"] if r["staff_id"] in bundle.staff
                and all(bundle.staff[r["staff_id"]].education >= Education(e) for e in levels)]
    weekend = [i for i, d in enumerate(grid["days"]) if d.weekday() >= 5]
    nights = [sum(c.count("N") for c in r["codes"]) for r in night_ok]
    days = [sum(1 for i in weekend if r["codes"][i]) for r in grid["rows"]]
    return {"nights": (min(nights), max(nights)) if nights else None, "weekend_days": (min(days), max(days))}


def roster_violations(report: dict | None, group_id: str, staff_ids: set[str]) -> list[dict]:
    """The report's violations of this group's residential rules and of its staff's working-time rules."""
    out = []
    for v in (report or {}).get("violations", []):
        entities = {tuple(e) for e in v.get("entities", [])}
        if v["kind"] in GROUP_KINDS and ("groep", group_id) in entities:
            out.append(v)
        elif v["kind"] in STAFF_KINDS and any(t == "medewerker" and i in staff_ids for t, i in entities):
            out.append(v)
    return sorted(out, key=lambda v: (v["severity"] != "hard", v["rule_id"], v["message"]))


def _table(grid: dict) -> tuple[list[str], list[list]]:
    """Header and rows for XLSX and PDF: medewerkers, then coverage and occupancy."""
    header = ["Medewerker", *(f"{DAYS[d.weekday()]} {d:%d-%m}" for d in grid["days"]), "uren"]
    rows = [[f"{r['name']} ({r['staff_id']})".strip(), *r["codes"], r["hours"]] for r in grid["rows"]]
    rows += [[f"bezetting {code} ({CODE_LABELS[code]})", *counts, ""] for code, counts in grid["coverage"].items()]
    rows.append(["jeugdigen op de groep", *grid["occupancy"], ""])
    return header, rows


def roster_xlsx(b: Bundle, plan: Plan, group: Groep, grid: dict, violations: list[dict]) -> bytes:
    """Workbook: the roster grid with coverage rows, and the violations with their citations."""
    from openpyxl import Workbook

    from planner.export.rows import safe_cell
    from planner.export.xlsx import _finish_rows, _sheet

    wb = Workbook()
    wb.remove(wb.active)
    header, rows = _table(grid)
    ws = _sheet(wb, f"Rooster {group.id}"[:31], header, [30] + [11] * len(grid["days"]) + [8], freeze="B2")
    for row in rows:
        ws.append([safe_cell(x) if isinstance(x, str) else x for x in row])
    _finish_rows(ws)
    wv = _sheet(wb, "Overtredingen", ["regel", "soort", "bron", "melding"], [22, 8, 34, 90])
    for v in violations:
        wv.append([v["rule_id"], "hard" if v["severity"] == "hard" else "zacht", safe_cell(v["citation"]),
                   safe_cell(v["message"])])
    _finish_rows(wv)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def roster_pdf(b: Bundle, plan: Plan, group: Groep, grid: dict, violations: list[dict]) -> bytes:
    """A4 landscape: per week the grid with coverage rows, then the violations."""
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, PageBreak, Spacer

    from planner.export.pdf import _HEAD, _SUB, _TITLE, MARGIN, PAGE, _build, _grid_style, _p, nl_date

    header, rows = _table(grid)
    flow: list = []
    for w in range(0, len(grid["days"]), 7):
        week = grid["days"][w:w + 7]
        if w:
            flow.append(PageBreak())
        flow += [_p(f"Dienstrooster {group.name} ({group.id})", _TITLE),
                 _p(f"{nl_date(week[0])} t/m {nl_date(week[-1])}. D = dag 07-15, A = avond 15-23, N = nacht 23-07.",
                    _SUB), Spacer(1, 3 * mm)]
        data = [[_p(h, _HEAD) for h in [header[0], *header[1 + w:1 + w + len(week)]]]]
        data += [[_p(str(r[0])), *(_p(str(x)) for x in r[1 + w:1 + w + len(week)])] for r in rows]
        width = PAGE[0] - 2 * MARGIN
        table = LongTable(data, colWidths=[60 * mm] + [(width - 60 * mm) / 7] * len(week), repeatRows=1)
        table.setStyle(_grid_style())
        flow.append(table)
    if violations:
        flow += [Spacer(1, 4 * mm), _p("Overtredingen", _TITLE)]
        vt = LongTable([[_p(h, _HEAD) for h in ("regel", "soort", "bron", "melding")]]
                       + [[_p(v["rule_id"]), _p("hard" if v["severity"] == "hard" else "zacht"), _p(v["citation"]),
                           _p(v["message"])] for v in violations],
                       colWidths=[35 * mm, 14 * mm, 50 * mm, PAGE[0] - 2 * MARGIN - 99 * mm], repeatRows=1)
        vt.setStyle(_grid_style())
        flow.append(vt)
    return _build(flow, f"{b.manifest.name} - dienstrooster {group.id} vanaf {plan.period_start.isoformat()}")
