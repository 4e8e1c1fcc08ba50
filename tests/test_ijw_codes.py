"""The built-in iJw code lists match ../shared/reference/ijw/codelijsten.csv; the XSD check adds schema errors."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from planner.ijw import codes
from planner.ijw.schema import XSD_ENV, xsd_dir
from planner.importing import preview_import

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference" / "ijw"
SAMPLES = ROOT / "sample_data" / "jw301"


def _need(name: str) -> Path:
    path = REFERENCE / name
    if not path.is_file():
        pytest.skip(f"{path} ontbreekt (iJw-referentiebestanden staan in ../shared/reference/ijw)")
    return path


def test_code_lists_match_reference_csv():
    rows = list(csv.DictReader(_need("codelijsten.csv").open(encoding="utf-8")))
    reference: dict[str, dict[str, str]] = {}
    for r in rows:
        reference.setdefault(r["codelijst"], {})[r["code"]] = r["omschrijving"]
    assert reference == codes.CODE_LISTS


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.xml")), ids=lambda p: p.name)
def test_own_samples_validate_against_the_xsd(sample):
    import xmlschema

    schema = xmlschema.XMLSchema(str(_need("JW301.xsd")))
    assert schema.is_valid(str(sample)), list(schema.iter_errors(str(sample)))[:3]


def test_xsd_errors_beyond_the_builtin_checks_are_reported_in_dutch(tmp_path, monkeypatch):
    monkeypatch.setenv(XSD_ENV, str(_need("JW301.xsd").parent))
    assert xsd_dir() is not None
    bundle = Path(shutil.copytree(ROOT / "tests" / "data" / "tiny_bundle", tmp_path / "b"))
    # Contact/Soort is required by the schema; the built-in checks do not read contact details
    msg = (SAMPLES / "jw301-nieuwe-client.xml").read_bytes().replace(b"<jw301:Soort>01</jw301:Soort>", b"")
    preview = preview_import(bundle, msg, "x.xml")
    assert not preview.ok
    [issue] = preview.issues
    assert "iJw-schema" in issue.reason and "Soort" in issue.reason and issue.row > 0


def test_without_xsd_the_builtin_checks_still_run(tmp_path, monkeypatch):
    monkeypatch.setenv(XSD_ENV, str(tmp_path))  # no XSDs there
    monkeypatch.setattr("planner.ijw.schema._SHARED", tmp_path)
    assert xsd_dir() is None
    bundle = Path(shutil.copytree(ROOT / "tests" / "data" / "tiny_bundle", tmp_path / "b"))
    msg = (SAMPLES / "jw301-nieuwe-client.xml").read_bytes().replace(b">2026-11-02<", b">2026-11-31<", 1)
    preview = preview_import(bundle, msg, "x.xml")
    assert [i.field for i in preview.issues] == ["ToegewezenProduct[1]/Ingangsdatum"]
