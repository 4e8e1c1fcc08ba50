"""No rows in beschikbaarheid.csv means no availability (docs/data-format.md), and validate warns."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.bundle import load_bundle, load_bundle_with_pack
from planner.bundle_warnings import staff_without_availability
from planner.cli import app
from planner.generate import generate_to
from planner.timeutil import within_availability
from tests.builders import MONDAY, add_staff, add_team, add_toewijzing, at, bundle, staff

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def test_availability_none_given_means_never_available():
    m = staff("M", availability=())
    assert not within_availability(m, at(MONDAY, 10), at(MONDAY, 11))
    assert within_availability(staff("A"), at(MONDAY, 23), at(MONDAY + timedelta(days=1), 7))  # all week


def test_availability_warning_lists_staff_with_duties_only():
    b = bundle()
    add_team(b, "T-MST-1", "MST")
    add_staff(b, staff("M0012", teams=("T-MST-1",), availability=()), staff("M0013", availability=()),
              staff("M0014", teams=("T-MST-1",)))
    (w,) = staff_without_availability(b)
    assert w.staff_id == "M0012"
    assert w.message == "Medewerker M0012 (team T-MST-1) heeft geen beschikbaarheid: wordt niet ingepland."
    add_toewijzing(b, "T1", "45F21", current_executor_id="M0013")
    assert [x.staff_id for x in staff_without_availability(b)] == ["M0012", "M0013"]


@pytest.mark.parametrize("name", ["flevoland", "almelo"])
def test_availability_every_sample_staff_member_has_rows(name):
    b, pack = load_bundle_with_pack(ROOT / "sample_data" / name)
    assert all(m.availability for m in b.staff.values())
    assert staff_without_availability(b, pack) == []


def test_availability_generated_staff_all_have_rows(tmp_path):
    b = load_bundle(generate_to(tmp_path / "s", "S", 2))
    assert all(m.availability for m in b.staff.values())


def test_availability_validate_warns_but_passes(tmp_path):
    src = ROOT / "tests" / "data" / "tiny_bundle"
    dst = tmp_path / "b"
    shutil.copytree(src, dst)
    rows = (dst / "beschikbaarheid.csv").read_text("utf-8").splitlines()
    (dst / "beschikbaarheid.csv").write_text("\n".join(r for r in rows if not r.startswith("M1,")) + "\n", "utf-8")
    result = runner.invoke(app, ["validate", str(dst)])
    assert result.exit_code == 0, result.output
    assert "Medewerker M1 (" in result.output and "heeft geen beschikbaarheid: wordt niet ingepland." in result.output
    assert "M2 (" not in result.output
