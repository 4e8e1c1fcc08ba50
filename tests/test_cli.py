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
    assert "F.45F22.min_opleiding" in result.output and "hard" in result.output
    assert "000_b4979bd38850de40.txt:" in result.output  # the citation is shown


def test_check_clean_plan_exits_0():
    result = runner.invoke(app, ["check", str(DATA / "tiny_bundle"), str(DATA / "tiny_plan_clean.json")])
    assert result.exit_code == 0, result.output
    assert "Geen overtredingen" in result.output


def test_check_reports_unreadable_plan_and_bad_bundle(tmp_path):
    bad_plan = tmp_path / "plan.json"
    bad_plan.write_text("{}", "utf-8")
    assert runner.invoke(app, ["check", str(DATA / "tiny_bundle"), str(bad_plan)]).exit_code == 2
    assert runner.invoke(app, ["check", str(DATA / "bad_bundle"), str(bad_plan)]).exit_code == 1


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
    assert runner.invoke(app, ["generate", "--size", "XXL", "--out", str(out)]).exit_code == 2


def test_demo_summarises_the_sample():
    result = runner.invoke(app, ["demo", str(SAMPLES / "flevoland")])
    assert result.exit_code == 0, result.output
    for text in ("Medewerkers per discipline", "45F34", "MST-team", "Vraag in de periode"):
        assert text in result.output
