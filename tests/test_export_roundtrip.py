"""XLSX and CSV exports: read them back and get the same assignments; sheet layout and print setup."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from planner.bundle_write import write_bundle
from planner.cli import app
from planner.export.csv_export import assignments_csv, read_csv_rows, write_csv
from planner.export.rows import plan_from_rows, plan_rows
from planner.export.xlsx import DATA_SHEET, read_xlsx_rows, write_xlsx
from planner.plan import (CaseAssignment, Casusregie, Contact, OnCallBlock, Plan, SessionStaffing, Shift,
                          Unserved)
from tests.export_fixtures import solved


def decisions(plan: Plan) -> dict:
    """Everything a plan decides (its JSON without meta)."""
    data = plan.to_json()
    data.pop("meta")
    return data


def every_kind_plan() -> Plan:
    """A hand-made plan using every list and flag, including awkward text."""
    d = date(2026, 12, 7)
    return Plan(d, 1, caseload=[CaseAssignment("TW1", ("M1", "M2"), "M3", True), CaseAssignment("TW2", (), None)],
                unserved=[Unserved("TW9", "=SUM(A1) geen bevoegde medewerker")],
                casusregie=[Casusregie("G-TW1", "M3")],
                sessions=[SessionStaffing("GR1-S1", date(2026, 12, 9), ("M2", "M1"), True),
                          SessionStaffing("GR1-S1", date(2026, 12, 10), (), cancelled=True)],
                oncall=[OnCallBlock("T-MST", "M1", datetime(2026, 12, 7), datetime(2026, 12, 8), True)],
                contacts=[Contact("TW1", "M1", datetime(2026, 12, 8, 9, 0, 30), datetime(2026, 12, 8, 10), "regie",
                                  True)],
                shifts=[Shift("WG1", "M4", datetime(2026, 12, 7, 23), datetime(2026, 12, 8, 7), "slaapnacht")],
                history_oncall=[OnCallBlock("T-MST", "M2", datetime(2026, 12, 6), datetime(2026, 12, 7))],
                history_shifts=[Shift("WG1", "M4", datetime(2026, 12, 5, 15), datetime(2026, 12, 5, 23), "avond")])


@pytest.mark.parametrize("which", ["solved", "every_kind"])
def test_xlsx_and_csv_round_trip(tmp_path, which):
    b, plan = solved() if which == "solved" else (solved()[0], every_kind_plan())
    assert plan.contacts and plan.oncall and plan.caseload
    xlsx = write_xlsx(b, plan, tmp_path / "rooster.xlsx")
    rows, start, weeks = read_xlsx_rows(xlsx)
    assert decisions(plan_from_rows(rows, start, weeks)) == decisions(plan)
    csv_path = write_csv(plan, tmp_path / "opdrachten.csv", b)
    back = plan_from_rows(read_csv_rows(csv_path.read_bytes()), plan.period_start, plan.weeks)
    assert decisions(back) == decisions(plan)


def test_csv_is_excel_friendly_and_formula_safe():
    text = assignments_csv(every_kind_plan(), solved()[0])
    assert text.splitlines()[0].startswith("soort;medewerker_id;medewerker;datum")
    assert ";'=SUM(A1) geen bevoegde medewerker" in text  # a cell never starts with '=' (formula injection)
    assert ";=" not in text


def test_only_one_medewerker():
    b, plan = solved()
    rows = plan_rows(plan, b, "M1")
    assert rows and {r["medewerker_id"] for r in rows} == {"M1"}


def test_workbook_layout(tmp_path):
    b, plan = solved()
    wb = load_workbook(write_xlsx(b, plan, tmp_path / "r.xlsx"))
    assert wb.sheetnames == ["Per medewerker", "Per groep", "Bereikbaarheid", DATA_SHEET, "Info"]
    for ws in wb.worksheets:
        assert ws.freeze_panes in ("A2", "D2")
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
        assert ws.print_title_rows == "$1:$1" and ws["A1"].font.bold
        assert ws.column_dimensions["A"].width >= 10
    grid = wb["Per medewerker"]
    assert grid["A1"].value == "medewerker_id" and grid["D1"].value.startswith("ma 07-12")
    texts = [c.value or "" for row in grid.iter_rows(min_row=2) for c in row[3:10]]
    assert any("Contact TW" in t for t in texts) and any("Bereikbaar" in t for t in texts)
    assert wb["Per groep"]["A2"].value == "GR1" and wb["Bereikbaarheid"].max_row == 1 + len(plan.oncall)


def test_cli_exports_every_format(tmp_path):
    b, plan = solved()
    bundle = write_bundle(b, tmp_path / "bundle")
    plan.save(tmp_path / "plan.json")
    runner = CliRunner()
    for fmt, out in [("xlsx", "r.xlsx"), ("csv", "r.csv"), ("pdf", "r.pdf"), ("json", "r.json"), ("ics", "ics")]:
        result = runner.invoke(app, ["export", str(tmp_path / "plan.json"), "--bundle", str(bundle), "--format", fmt,
                                     "--out", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / out).exists()
    names = {p.name for p in (tmp_path / "ics").iterdir()}
    assert names and names <= {"M1.ics", "M2.ics", "M3.ics", "M4.ics"}
    result = runner.invoke(app, ["export", str(tmp_path / "plan.json"), "--bundle", str(bundle), "--format", "pdf",
                                 "--medewerker", "M1", "--out", str(tmp_path / "m1.pdf")])
    assert result.exit_code == 0 and (tmp_path / "m1.pdf").read_bytes().startswith(b"%PDF")
    bad = runner.invoke(app, ["export", str(tmp_path / "plan.json"), "--bundle", str(bundle), "--format", "doc",
                              "--out", str(tmp_path / "x")])
    assert bad.exit_code == 2 and "Onbekend formaat" in bad.output
    bad = runner.invoke(app, ["export", str(tmp_path / "plan.json"), "--bundle", str(bundle), "--format", "ics",
                              "--medewerker", "M99", "--out", str(tmp_path / "x.ics")])
    assert bad.exit_code == 2 and "Onbekende medewerker" in bad.output
