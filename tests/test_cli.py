"""The planner command line (Typer CliRunner)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
runner = CliRunner()


@pytest.mark.parametrize("name", ["flevoland", "almelo"])
def test_validate_samples_is_clean(name):
    result = runner.invoke(app, ["validate", str(SAMPLES / name)])
    assert result.exit_code == 0, result.output
    assert "in orde" in result.output and "toewijzingen" in result.output


def test_validate_bad_bundle_lists_twenty_issues():
    result = runner.invoke(app, ["validate", str(DATA / "bad_bundle")])
    assert result.exit_code == 1
    rows = [ln for ln in result.output.splitlines() if ln.split(" ")[0].endswith(".csv")]
    assert len(rows) == 20, result.output
    assert "20 probleem/problemen" in result.output
    assert "onbekende productcode '45F99'" in result.output


def test_check_plan_with_one_hard_violation_exits_1():
    result = runner.invoke(app, ["check", str(DATA / "tiny_bundle"), str(DATA / "tiny_plan_hard.json")])
    assert result.exit_code == 1, result.output
    assert "Harde overtredingen" in result.output and "F.45F22.min_opleiding" in result.output
    assert "000_b4979bd38850de40.txt:" in result.output  # the citation is shown
    assert result.output.strip().splitlines()[-1] == "Status: ongeldig"


def test_check_clean_plan_exits_0():
    result = runner.invoke(app, ["check", str(DATA / "tiny_bundle"), str(DATA / "tiny_plan_clean.json")])
    assert result.exit_code == 0, result.output
    assert "Geen overtredingen" in result.output
    assert result.output.strip().splitlines()[-1] == "Status: compleet"


def _write(tmp_path, b, p):
    from planner.bundle_write import write_bundle

    write_bundle(b, tmp_path / "bundle")
    p.save(tmp_path / "plan.json")
    return [str(tmp_path / "bundle"), str(tmp_path / "plan.json")]


def test_check_empty_plan_claiming_everything_unserved_is_incomplete_exit_4(tmp_path):
    """Tester's finding: an empty plan listing every toewijzing as unserved passed with exit 0."""
    from planner.plan import Unserved
    from planner.rules import load_pack
    from tests.builders import plan_for
    from tests.cases.common import clean_toewijzing_case

    b, _ = clean_toewijzing_case(load_pack("flevoland-multi"), "45F21")
    empty = plan_for(b)
    empty.unserved = [Unserved("T1", "geen gedragswetenschapper beschikbaar")]
    result = runner.invoke(app, ["check", *_write(tmp_path, b, empty)])
    assert result.exit_code == 4, result.output
    assert "Niet geleverde zorg" in result.output and "geen gedragswetenschapper beschikbaar" in result.output
    assert "F.45F21.toewijzing_bemenst" in result.output and "toewijzing T1" in result.output
    assert "Harde overtredingen" not in result.output
    assert result.output.strip().splitlines()[-1] == "Status: onvolledig"


def test_check_data_problem_only_exits_5_in_its_own_table(tmp_path):
    from dataclasses import replace
    from datetime import timedelta

    from planner.rules import load_pack
    from tests.cases.common import clean_toewijzing_case

    b, p = clean_toewijzing_case(load_pack("flevoland-multi"), "45F21")
    t = b.toewijzingen["T1"]
    b.toewijzingen["T1"] = replace(t, end=t.start + timedelta(days=800))
    result = runner.invoke(app, ["check", *_write(tmp_path, b, p)])
    assert result.exit_code == 5, result.output
    assert "Problemen in de gegevens (niet door planning op te lossen)" in result.output
    assert result.output.strip().splitlines()[-1] == "Status: compleet"


def test_check_reports_unreadable_plan_and_bad_bundle(tmp_path):
    bad_plan = tmp_path / "plan.json"
    bad_plan.write_text("{}", "utf-8")
    assert runner.invoke(app, ["check", str(DATA / "tiny_bundle"), str(bad_plan)]).exit_code == 2
    # a bundle with bad rows is unreadable input (2), not a plan that breaks a hard rule (1)
    bad = runner.invoke(app, ["check", str(DATA / "bad_bundle"), str(bad_plan)])
    assert bad.exit_code == 2 and "onbekende productcode '45F99'" in bad.output
    assert runner.invoke(app, ["plan", str(DATA / "bad_bundle"), "--quiet"]).exit_code == 2


def test_rules_table_has_citations():
    result = runner.invoke(app, ["rules", "flevoland-multi"])
    assert result.exit_code == 0
    assert "F.45F32.groepsgrootte" in result.output and "000_b4979bd38850de40.txt:193" in result.output
    assert runner.invoke(app, ["rules", "bestaat-niet"]).exit_code == 1


def test_generate_then_validate(tmp_path):
    out = tmp_path / "s"
    result = runner.invoke(app, ["generate", "--size", "S", "--seed", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0
    assert runner.invoke(app, ["generate", "--size", "XXXL", "--out", str(out)]).exit_code == 2


def test_demo_summarises_the_sample():
    result = runner.invoke(app, ["demo", str(SAMPLES / "flevoland")])
    assert result.exit_code == 0, result.output
    for text in ("Medewerkers per discipline", "45F34", "MST-team", "Vraag in de periode"):
        assert text in result.output
