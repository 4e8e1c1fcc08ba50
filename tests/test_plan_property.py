"""Property: whatever the search seed, `planner plan` writes a plan the independent checker accepts.

Across 20 seeds of both samples and of generated S bundles (issue 19):
- `planner plan` never ends with a plan the checker rejects (exit 3) or without a plan (exit 1);
- `planner check` on the written plan gives the same exit code and finds no wrong decision;
- the samples are planned compleet (exit 0);
- an onvolledig plan (exit 4) is never silent: every toewijzing short of care is named in the explanation.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.checker import EXIT_INCOMPLETE, EXIT_OK
from planner.cli import app
from planner.generate import generate_to

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
SEEDS = range(20)
runner = CliRunner()


def _plan_and_check(bundle: Path, out: Path, seed: int, limit: float) -> tuple[int, int, str, dict]:
    planned = runner.invoke(app, ["plan", str(bundle), "--weeks", "1", "--time-limit", str(limit), "--seed", str(seed),
                                  "--quiet", "--out", str(out)])
    assert planned.exit_code in (EXIT_OK, EXIT_INCOMPLETE, 5), planned.output
    checked = runner.invoke(app, ["check", str(bundle), str(out / "plan.json")])
    report = json.loads((out / "rapport.json").read_text("utf-8"))
    return planned.exit_code, checked.exit_code, planned.output, report


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("sample", ["almelo", "flevoland"])
def test_samples_plan_compleet_for_every_seed(sample, seed, tmp_path):
    plan_rc, check_rc, output, report = _plan_and_check(SAMPLES / sample, tmp_path, seed, limit=20)  # the bench's limit
    assert plan_rc == EXIT_OK, output
    assert check_rc == plan_rc, output
    assert not [v for v in report["violations"] if v["category"] == "fout"]


@pytest.fixture(scope="module")
def s_bundles(tmp_path_factory) -> dict[int, Path]:
    root = tmp_path_factory.mktemp("s")
    return {seed: generate_to(root / f"s{seed}", "S", seed=seed + 1) for seed in SEEDS}


@pytest.mark.parametrize("seed", SEEDS)
def test_generated_s_plan_is_accepted_and_never_silently_incomplete(s_bundles, seed, tmp_path):
    plan_rc, check_rc, output, report = _plan_and_check(Path(s_bundles[seed]), tmp_path, seed, limit=5)
    assert check_rc == plan_rc, output
    assert not [v for v in report["violations"] if v["category"] == "fout"], output
    explanation = output.split("Toelichting:", 1)[1] if "Toelichting:" in output else ""
    short = {u["toewijzing_id"] for u in report["unmet"]}
    short |= {e[1] for v in report["violations"] if v["category"] == "niet_geleverd"
              for e in v["entities"] if e[0] == "toewijzing"}
    unexplained = sorted(t for t in short if not re.search(rf"\b{re.escape(t)}\b", explanation))
    assert not unexplained, f"onvolledig zonder toelichting voor {unexplained}:\n{output}"
