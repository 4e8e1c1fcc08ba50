"""Dienstroosters of residential groups: shift codes, coverage rows, violations with citations, XLSX/PDF."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

import pytest

from planner.bundle import load_bundle_with_pack
from planner.checker import check_plan
from planner.plan import Plan
from tests.web.conftest import client_for, login, make_app
from web.db.models import PlanRow

ALMELO = Path(__file__).resolve().parents[2] / "sample_data" / "almelo"


@pytest.fixture(scope="module")
def almelo_plan() -> Plan:
    """One week of the Almelo woongroep rostered by the solver's residential stage."""
    from solver.data import ProblemData, SolveOptions
    from solver.residential import plan_residential

    b, pack = load_bundle_with_pack(ALMELO)
    data = ProblemData(b, pack, b.manifest.period_start, 1)
    result = plan_residential(data, SolveOptions(workers=2), time_limit=20)
    assert result.shifts, result.notes
    return Plan(period_start=data.period_start, weeks=1, shifts=result.shifts)


@pytest.fixture
def almelo_app(tmp_path, almelo_plan):
    app = make_app(f"sqlite:///{tmp_path / 'almelo.sqlite'}", ALMELO)
    bundle, pack = app.state.store.bundle()
    plan = Plan.from_json(almelo_plan.to_json())
    plan.shifts = [s for s in plan.shifts]
    night = next(s for s in plan.shifts if s.kind in ("slaapnacht", "waaknacht"))
    plan.shifts.remove(night)  # one night uncovered: the night rule must show up inline
    now = datetime.now()
    with app.state.store.session() as s:
        row = PlanRow(label="Almelo week", period_start=plan.period_start, weeks=1, status="concept",
                      data=plan.to_json(), report=check_plan(bundle, pack, plan).to_json(), solve={},
                      created_by="test", created_at=now, updated_at=now)
        s.add(row)
        s.flush()
        app.state.plan_id = row.id
    yield app
    app.state.store.engine.dispose()


def test_roster_page_shows_codes_coverage_and_violations(almelo_app):
    client = client_for(almelo_app)
    login(client, "vw")
    plan_id = almelo_app.state.plan_id
    index = client.get(f"/plannen/{plan_id}/diensten")
    assert index.status_code == 200 and f"/plannen/{plan_id}/diensten/WG01" in index.text
    page = client.get(f"/plannen/{plan_id}/diensten/WG01")
    assert page.status_code == 200
    grid = page.text.split('id="dienstrooster"', 1)[1].split("</table>", 1)[0]
    codes = set(__import__("re").findall(r'<td class="dienst">([DAN]+)</td>', grid))
    assert {"D", "A", "N"} <= codes
    for code in ("D", "A", "N"):
        assert f"bezetting {code}" in grid
    assert "jeugdigen op de groep" in grid
    assert "night_shift_required" not in page.text  # rule ids, not kinds, are shown
    assert "A.WG.nacht" in page.text and "citaat" in page.text  # the uncovered night, with its source
    assert client.get(f"/plannen/{plan_id}/diensten/GR001").status_code == 404  # not a residential group
    assert re.search(r'id="spreiding">Nachten per medewerker: \d+–\d+, weekenddagen per medewerker: '
                                   r'\d+–\d+\.', page.text)


def test_roster_fairness_counts_nights_of_night_staff_and_weekend_days_of_all(almelo_plan):
    """The roster page's spread line: nights over the rows with the night rule's education (mbo4 on A-WG),
    weekend days over every row."""
    from web.residential import fairness, roster

    bundle, pack = load_bundle_with_pack(ALMELO)
    grid = roster(bundle, almelo_plan, "WG01")
    fair = fairness(grid, bundle.groups["WG01"], bundle, pack)
    mbo4 = [r for r in grid["rows"] if bundle.staff[r["staff_id"]].education.value != "mbo3"]
    nights = [sum(c.count("N") for c in r["codes"]) for r in mbo4]
    weekend = [sum(1 for d, c in zip(grid["days"], r["codes"]) if c and d.weekday() >= 5) for r in grid["rows"]]
    assert fair == {"nights": (min(nights), max(nights)), "weekend_days": (min(weekend), max(weekend))}


def test_roster_exports(almelo_app):
    client = client_for(almelo_app)
    login(client, "vw")
    plan_id = almelo_app.state.plan_id
    x = client.get(f"/plannen/{plan_id}/diensten/WG01/xlsx")
    assert x.status_code == 200 and x.content.startswith(b"PK")
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(x.content))
    ws = wb["Rooster WG01"]
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert any(str(v).startswith("bezetting N") for v in labels)
    assert "Overtredingen" in wb.sheetnames and wb["Overtredingen"].max_row > 1
    p = client.get(f"/plannen/{plan_id}/diensten/WG01/pdf")
    assert p.status_code == 200 and p.content.startswith(b"%PDF")
    assert p.headers["content-disposition"].endswith(f'dienstrooster-{plan_id}-WG01.pdf"')
