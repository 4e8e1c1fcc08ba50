"""CSV import of bundle tables: preview (created/updated/rejected), encodings, aliases, privacy, atomic commit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.bundle import load_bundle
from planner.cli import app
from planner.importing import ImportRefused, commit_import, preview_import
from planner.importing.tables import bundle_hashes

DATA = Path(__file__).parent / "data"


@pytest.fixture
def bundle_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DATA / "tiny_bundle", tmp_path / "b"))


def test_english_headers_with_bom_create_and_update(bundle_dir):
    data = ("\ufeffStaff_ID,Name,Education,Profession,Contract hours\n"
            "M1,Sanne V.,hbo,jeugd- en gezinswerker,28\n"  # update: contract 32 -> 28
            "M2,Daan K.,mbo3,pedagogisch medewerker,32\n"  # unchanged
            "M9,Noor B.,wo,orthopedagoog,36\n").encode("utf-8")
    p = preview_import(bundle_dir, data, "staff.csv")
    assert p.ok, p.issues
    assert [c.key for c in p.created] == ["M9"] and [c.key for c in p.updated] == ["M1"]
    commit_import(bundle_dir, p)
    b = load_bundle(bundle_dir)
    assert b.staff["M1"].contract_hours == 28 and b.staff["M9"].profession == "orthopedagoog"
    assert b.staff["M1"].registrations  # columns not in the upload keep their value (SKJ)


def test_latin1_semicolon_file_is_read(bundle_dir):
    data = "id;gemeente\nG9;Súdwest-Fryslân\n".encode("latin-1")
    p = preview_import(bundle_dir, data, "gezinnen.csv")
    assert p.ok and p.created[0].values["gemeente"] == "Súdwest-Fryslân"


def test_table_recognised_by_header_when_name_says_nothing(bundle_dir):
    p = preview_import(bundle_dir, b"id,gezin_id,initialen,geboortejaar\nJ9,G1,X.Y.,2015\n", "export (3).csv")
    assert p.ok and p.created[0].table == "jeugdigen.csv"
    unknown = preview_import(bundle_dir, b"kleur,smaak\nrood,zoet\n", "export.csv")
    assert not unknown.ok and "welke tabel" in unknown.issues[0].reason


def test_privacy_columns_are_refused(bundle_dir):
    before = bundle_hashes(bundle_dir)
    p = preview_import(bundle_dir, b"id,gezin_id,initialen,geboortejaar,naam,BSN\nJ9,G1,X.Y.,2015,Piet,123\n",
                       "jeugdigen.csv")
    assert not p.ok and {i.field for i in p.issues} == {"naam", "BSN"}
    assert all("geen namen of BSN" in i.reason for i in p.issues)
    with pytest.raises(ImportRefused):
        commit_import(bundle_dir, p)
    assert bundle_hashes(bundle_dir) == before


def test_missing_key_column_and_bad_rows(bundle_dir):
    p = preview_import(bundle_dir, b"naam,opleiding\nX,hbo\n", "medewerkers.csv")
    assert not p.ok and p.issues[0].field == "id" and p.issues[0].row == 1
    p = preview_import(bundle_dir, b"id,naam,opleiding,beroep\nM5,A,phd,x\nM6,B,hbo,y\n", "medewerkers.csv")
    assert [(i.row, i.field) for i in p.issues] == [(2, "opleiding")]
    assert "onbekend opleidingsniveau" in p.issues[0].reason


def test_commit_refused_when_bundle_changed_since_preview(bundle_dir):
    p = preview_import(bundle_dir, b"id,gemeente\nG9,Urk\n", "gezinnen.csv")
    (bundle_dir / "medewerkers.csv").write_text((bundle_dir / "medewerkers.csv").read_text() + "\n", "utf-8")
    with pytest.raises(ImportRefused, match="gewijzigd sinds de voorvertoning"):
        commit_import(bundle_dir, p)
    assert "G9" not in load_bundle(bundle_dir).gezinnen


def test_commit_is_all_or_nothing_when_a_write_fails(bundle_dir, monkeypatch):
    data = b"id,gezin_id,initialen,geboortejaar,gemeente\nJ9,G9,X.Y.,2015,Urk\n"  # creates gezin G9 too
    p = preview_import(bundle_dir, data, "jeugdigen.csv")
    assert p.ok and set(p.files) == {"gezinnen.csv", "jeugdigen.csv"}
    before = bundle_hashes(bundle_dir)
    real, calls = os.replace, []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(ImportRefused, match="ongewijzigd"):
        commit_import(bundle_dir, p)
    monkeypatch.setattr(os, "replace", real)
    assert bundle_hashes(bundle_dir) == before
    assert not [f for f in os.listdir(bundle_dir) if f.endswith(".tmp")]


def test_existing_bundle_problems_block_the_import(tmp_path):
    bad = Path(shutil.copytree(DATA / "bad_bundle", tmp_path / "bad"))
    p = preview_import(bad, b"id,gemeente\nG99,Urk\n", "gezinnen.csv")
    assert not p.ok and any("bestaande bundel" in i.reason for i in p.issues)


def test_not_a_bundle(tmp_path):
    p = preview_import(tmp_path, b"id\n1\n", "x.csv")
    assert not p.ok and "manifest.yaml" in p.issues[0].reason


def test_cli_import_preview_then_commit(bundle_dir, tmp_path):
    f = tmp_path / "gezinnen.csv"
    f.write_text("id,gemeente\nG9,Urk\n", "utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["import", str(bundle_dir), str(f)])
    assert result.exit_code == 0 and "voorvertoning" in result.output and "G9" in result.output
    assert "G9" not in load_bundle(bundle_dir).gezinnen
    result = runner.invoke(app, ["import", str(bundle_dir), str(f), "--commit"])
    assert result.exit_code == 0 and "Doorgevoerd" in result.output
    assert "G9" in load_bundle(bundle_dir).gezinnen
    f.write_text("id,gemeente\nG10,\n", "utf-8")
    result = runner.invoke(app, ["import", str(bundle_dir), str(f), "--commit"])
    assert result.exit_code == 1 and "verplicht veld is leeg" in result.output
    assert "Traceback" not in result.output
