"""Comparison tables, Vega-Lite charts (static SVG via vl-convert), XLSX/PDF export and ``planner whatif``."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from planner.capacity_charts import comparison_charts, to_svg
from planner.capacity_report import comparison_tables, export_pdf, export_xlsx
from planner.cli import app
from planner.rules import load_pack
from planner.scenario import scenario_from_dict
from solver.capacity import CapacityOptions, run_scenarios
from tests.test_capacity import THREE_MST, mst_team_at_capacity

ROOT = Path(__file__).resolve().parents[1]


def _results():
    b = mst_team_at_capacity()
    return run_scenarios(b, load_pack("flevoland-multi"), [None, scenario_from_dict(THREE_MST)], weeks=8,
                         options=CapacityOptions(time_limit=10), processes=1)


def test_tables_and_charts_compare_the_scenarios(tmp_path):
    results = _results()
    assert [r.name for r in results] == ["basis", "3 MST-gezinnen erbij"]
    summary = comparison_tables(results)[0]
    row = {r[0]: r[1:] for r in summary.rows}
    assert row["wachtenden (hoogste stand)"] == [0, 3]
    charts = {c.name: c for c in comparison_charts(results)}
    assert set(charts) == {"wachtlijst", "bezetting", "onvervuld", "bereikbaarheid", "aannames"}
    assert charts["aannames"].spec is None and "Geen aannames" in charts["aannames"].empty  # a sentence, no empty chart
    svg = to_svg(charts["wachtlijst"].spec)
    root = ET.fromstring(svg)  # well-formed, self-contained
    assert root.tag.endswith("svg") and "<script" not in svg and "3 MST-gezinnen erbij" in svg
    xlsx, pdf = export_xlsx(results, tmp_path / "v.xlsx"), export_pdf(results, tmp_path / "v.pdf")
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    assert "Samenvatting" in wb.sheetnames and wb["Wachtenden"].max_row == 4
    assert pdf.read_bytes().startswith(b"%PDF")


def test_whatif_command_writes_results(tmp_path):
    runner = CliRunner()
    scen = tmp_path / "s.yaml"
    scen.write_text("naam: Twee weg\nwijzigingen:\n  - {soort: medewerker_weg, medewerker: M0002, vanaf: 2027-03-01}\n")
    out = tmp_path / "out"
    r = runner.invoke(app, ["whatif", str(ROOT / "sample_data" / "flevoland"), "--scenario", str(scen),
                            "--weeks", "8", "--out", str(out), "--time-limit", "15", "--quiet", "--processes", "1",
                            "--steekproeven", "3"])
    assert r.exit_code == 0, r.output
    data = json.loads((out / "resultaten.json").read_text("utf-8"))
    assert [d["name"] for d in data] == ["basis", "Twee weg"]
    for name in ("wachtlijst.csv", "wachtenden.csv", "onvervuld.csv", "bezetting_medewerker.csv",
                 "vergelijking.xlsx", "vergelijking.pdf", "vergelijking.html"):
        assert (out / name).exists()
    assert "Medewerker M0002 (systeemtherapeut) vertrekt per 2027-03-01." in r.output
    # inflow is on by default: the streams are listed, the waiting list has its bands over the samples
    assert "Instroom per week" in r.output and "stabiel:" in r.output  # steady state of today's caseload
    header = (out / "wachtlijst.csv").read_text("utf-8").splitlines()[0]
    assert header == "week,basis,basis p10,basis p50,basis p90,Twee weg,Twee weg p10,Twee weg p50,Twee weg p90"
    assert data[0]["instroom"]["samples"] == 3


def test_whatif_reports_a_bad_scenario_in_dutch(tmp_path):
    scen = tmp_path / "s.yaml"
    scen.write_text("naam: fout\nwijzigingen:\n  - {soort: medewerker_weg, medewerker: NIEMAND, vanaf: 2027-03-01}\n")
    r = CliRunner().invoke(app, ["whatif", str(ROOT / "sample_data" / "flevoland"), "--scenario", str(scen),
                                 "--weeks", "4", "--out", str(tmp_path / "o"), "--quiet", "--geen-basis",
                                 "--processes", "1"])
    assert r.exit_code == 2 and "onbekende medewerker 'NIEMAND'" in r.output and "Traceback" not in r.output
