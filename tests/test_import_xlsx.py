"""XLSX import: 30 planted errors are all reported (row + field) and nothing is imported; the fixed file imports."""

from __future__ import annotations

import copy
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from planner.bundle import load_bundle
from planner.importing import ImportRefused, commit_import, preview_import
from planner.importing.tables import bundle_hashes

TINY = Path(__file__).parent / "data" / "tiny_bundle"

STAFF_HEADER = ["ID", "Naam", "Opleiding", "Beroep", "Registraties", "Contracturen", "Teams", "Caseload_max",
                "Toestemming vereist"]
CLIENT_HEADER = ["jeugdige_id", "Gezin_ID", "Initialen", "Geboortejaar", "Gemeente"]
TW_HEADER = ["toewijzing_id", "Jeugdige", "Product", "Interventie", "Ingangsdatum", "Einddatum", "Volume", "Eenheid",
             "Frequentie"]
ENROL_HEADER = ["Groep", "Jeugdige_id", "Begindatum", "Einddatum"]


def good_sheets() -> dict[str, tuple[list[str], list[list[object]]]]:
    staff = [[f"M{10 + i}", f"Medewerker {i}", "hbo", "jeugd- en gezinswerker", "SKJ", 32, "", 8, "nee"]
             for i in range(12)]
    clients = [[f"J{10 + i}", "G1" if i < 8 else f"GN{i}", f"A.{chr(65 + i)}.", 2012, "Lelystad"] for i in range(10)]
    tws = [[f"TW{10 + i}", "J10" if i % 2 else "J11", "45F21", "", "2026-11-01", "2027-04-30", 2, "uur", "per_week"]
           for i in range(10)]
    enrol = [["GR1", f"J{10 + i}", "2026-11-01", ""] for i in range(5)]
    return {"Medewerkers": (STAFF_HEADER, staff), "Jeugdigen": (CLIENT_HEADER, clients),
            "Toewijzingen": (TW_HEADER, tws), "Inschrijvingen": (ENROL_HEADER, enrol)}


# (sheet, data row index, column header, bad value): exactly one problem each
PLANTED = [
    ("Medewerkers", 0, "Opleiding", "master"), ("Medewerkers", 1, "Contracturen", "veel"),
    ("Medewerkers", 2, "Contracturen", 80), ("Medewerkers", 3, "Registraties", "XYZ"),
    ("Medewerkers", 4, "Naam", None), ("Medewerkers", 5, "Beroep", None), ("Medewerkers", 6, "Teams", "T-X"),
    ("Medewerkers", 7, "Caseload_max", "3,5"), ("Medewerkers", 8, "Toestemming vereist", "misschien"),
    ("Medewerkers", 9, "ID", "M10"),  # duplicate of row 0 within the upload
    ("Jeugdigen", 2, "Geboortejaar", 1970), ("Jeugdigen", 3, "Geboortejaar", "abc"),
    ("Jeugdigen", 4, "Initialen", None), ("Jeugdigen", 5, "Gezin_ID", None), ("Jeugdigen", 6, "Geboortejaar", 2030),
    ("Jeugdigen", 7, "jeugdige_id", None),
    ("Jeugdigen", 8, "Gemeente", None),  # new gezin GN8 without gemeente: reported as unknown gezin
    ("Toewijzingen", 0, "Product", "45F99"), ("Toewijzingen", 1, "Interventie", "XYZ"),
    ("Toewijzingen", 2, "Ingangsdatum", "31-02-2026"), ("Toewijzingen", 3, "Einddatum", "2026-01-01"),
    ("Toewijzingen", 4, "Volume", "twee"), ("Toewijzingen", 5, "Eenheid", "liter"),
    ("Toewijzingen", 6, "Frequentie", "elk jaar"), ("Toewijzingen", 7, "Eenheid", None),
    ("Toewijzingen", 8, "Jeugdige", "J99"),
    ("Inschrijvingen", 0, "Groep", "GR9"), ("Inschrijvingen", 1, "Jeugdige_id", "J77"),
    ("Inschrijvingen", 2, "Begindatum", "gisteren"), ("Inschrijvingen", 3, "Einddatum", "2026-01-01"),
]


def workbook(sheets) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    notes = wb.create_sheet("Toelichting")  # a sheet that is no table: skipped with a warning
    notes.append(["Dit werkblad is uitleg"])
    for title, (header, rows) in sheets.items():
        ws = wb.create_sheet(title)
        ws.append(header)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def planted_sheets():
    sheets = copy.deepcopy(good_sheets())
    for sheet, i, col, value in PLANTED:
        header, rows = sheets[sheet]
        rows[i][header.index(col)] = value
    return sheets


@pytest.fixture
def bundle_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(TINY, tmp_path / "b"))


def test_thirty_planted_errors_are_all_reported_and_nothing_is_imported(bundle_dir):
    assert len(PLANTED) == 30
    before = bundle_hashes(bundle_dir)
    preview = preview_import(bundle_dir, workbook(planted_sheets()), "import.xlsx")
    found = {(i.source.split(":")[-1], i.row, i.field) for i in preview.issues}
    reported_as = {("Jeugdigen", 8): "Gezin_ID"}
    expected = {(sheet, i + 2, reported_as.get((sheet, i), col)) for sheet, i, col, _v in PLANTED}
    assert found == expected, sorted(found ^ expected)
    assert len(preview.issues) == 30
    assert all(i.reason and i.row >= 2 for i in preview.issues)
    assert not preview.ok and len(preview.rejected) == 30
    assert any("Toelichting" in w for w in preview.warnings)
    with pytest.raises(ImportRefused, match="niets ingelezen"):
        commit_import(bundle_dir, preview)
    assert bundle_hashes(bundle_dir) == before


def test_corrected_file_imports_everything(bundle_dir):
    preview = preview_import(bundle_dir, workbook(good_sheets()), "import.xlsx")
    assert preview.ok, [str(i) for i in preview.issues]
    assert len(preview.created) == 12 + 10 + 2 + 10 + 5  # two new gezinnen made from the jeugdigen rows
    commit_import(bundle_dir, preview)
    b = load_bundle(bundle_dir)
    assert {f"M{10 + i}" for i in range(12)} <= set(b.staff)
    assert {f"J{10 + i}" for i in range(10)} <= set(b.jeugdigen)
    assert {"GN8", "GN9"} <= set(b.gezinnen)
    assert len([t for t in b.toewijzingen if t.startswith("TW")]) == 10
    assert b.toewijzingen["TW10"].omvang.minutes_per_week() == 120
    assert len(b.enrolments) == 4 + 5
    again = preview_import(bundle_dir, workbook(good_sheets()), "import.xlsx")
    assert again.ok and not again.created and not again.updated  # idempotent: everything unchanged
