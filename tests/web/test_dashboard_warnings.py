"""The dashboard says what the checker says: staff without availability, status words from the report."""

from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path

from tests.web.conftest import client_for, login, make_app


def _drop_availability(src: Path, dst: Path, staff_id: str) -> Path:
    shutil.copytree(src, dst)
    path = dst / "beschikbaarheid.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([r for i, r in enumerate(rows) if i == 0 or r[0] != staff_id])
    return dst


def test_dashboard_warns_about_staff_without_availability(tmp_path, small_bundle):
    with (small_bundle / "teams.csv").open(encoding="utf-8") as f:
        oncall_team = next(r["id"] for r in csv.DictReader(f) if r.get("bereikbaarheid_24_7") == "ja")
    with (small_bundle / "medewerkers.csv").open(encoding="utf-8") as f:
        member = next(r["id"] for r in csv.DictReader(f) if oncall_team in (r.get("teams") or ""))
    bundle = _drop_availability(small_bundle, tmp_path / "b", member)
    app = make_app(f"sqlite:///{tmp_path / 'app.sqlite'}", bundle)
    try:
        client = client_for(app)
        login(client, "vw")
        page = client.get("/").text
        assert "zonder beschikbaarheid" in page
        assert f"Medewerker {member} (" in page and "wordt niet ingepland" in page
    finally:
        app.state.store.engine.dispose()


def test_dashboard_without_such_staff_has_no_warning(sqlite_app):
    client = client_for(sqlite_app)
    login(client, "vw")
    assert "zonder beschikbaarheid" not in client.get("/").text


def test_dashboard_oncall_gaps_are_the_checkers_findings(sqlite_app):
    """An empty plan: the dashboard lists the 24/7 teams the products ask for, with the checker's own
    oncall_coverage messages in red, and calls the plan onvolledig (every toewijzing left undone)."""
    from datetime import datetime

    from planner.checker import check_plan
    from planner.plan import Plan
    from web.db.models import PlanRow

    bundle, pack = sqlite_app.state.store.bundle()
    plan = Plan(bundle.manifest.period_start, 1)
    report = check_plan(bundle, pack, plan)
    gaps = [v for v in report.unmet_care if v.kind == "oncall_coverage"]
    assert gaps, "the S bundle has a team with a 24/7 duty"
    now = datetime.now()
    with sqlite_app.state.store.session() as s:
        row = PlanRow(label="Leeg plan", period_start=plan.period_start, weeks=1, data=plan.to_json(),
                      report=report.to_json(), created_at=now, updated_at=now)
        s.add(row)
        s.flush()
        plan_id = row.id
    client = client_for(sqlite_app)
    login(client, "vw")
    # the on-call page and the teams page: every red line is one of these findings, with its rule id
    for path in (f"/plannen/{plan_id}/bereikbaarheid", "/teams"):
        oncall = client.get(path).text
        red = re.findall(r'<li class="hard"><a href="/regels#([^"]+)">[^<]+</a>: ([^<]+)</li>', oncall)
        assert sorted(red) == sorted((v.rule_id, html.escape(v.message, quote=True)) for v in gaps), path
    page = client.get("/").text
    assert "onvolledig" in page
    for v in gaps:
        assert v.message in page
    # bemenst counts from the checker: an empty plan staffs nothing
    assert "0 / " in page.split("toewijzingen bemenst")[0].rsplit('class="num', 1)[1]
