"""JW301 import: reference samples (../shared), own samples, changes, aspecific toewijzingen, BSN privacy."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from planner.bundle import load_bundle
from planner.ijw.pending import PENDING_FILE
from planner.ijw.privacy import INDEX_FILE, KEY_ENV, KEY_FILE
from planner.importing import ImportRefused, commit_import, preview_import

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference" / "ijw"
SAMPLES = ROOT / "sample_data" / "jw301"
NEW, CHANGE = SAMPLES / "jw301-nieuwe-client.xml", SAMPLES / "jw301-wijziging.xml"
BSN = "999990019"


def reference(name: str) -> bytes:
    path = REFERENCE / name
    if not path.is_file():
        pytest.skip(f"{path} ontbreekt (iJw-referentiebestanden staan in ../shared/reference/ijw)")
    return path.read_bytes()


@pytest.fixture
def flevoland(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.delenv(KEY_ENV, raising=False)
    return Path(shutil.copytree(ROOT / "sample_data" / "flevoland", tmp_path / "flv"))


def imported(bundle: Path, path: Path):
    preview = preview_import(bundle, path.read_bytes(), path.name)
    assert preview.ok, [str(i) for i in preview.issues]
    commit_import(bundle, preview)
    return preview


def all_text(folder: Path) -> str:
    return "\n".join(p.read_text("utf-8", errors="replace") for p in folder.rglob("*") if p.is_file())


def test_reference_jw301_sample_imports(flevoland):
    preview = preview_import(flevoland, reference("JW301-voorbeeld.xml"), "JW301-voorbeeld.xml")
    assert preview.ok, [str(i) for i in preview.issues]
    commit_import(flevoland, preview)
    b = load_bundle(flevoland)
    j = b.jeugdigen["J-IJW0001"]
    assert (j.initials, j.birth_year, j.gemeente) == ("T.W.", 2010, "Diemen")
    pending = list(csv.DictReader((flevoland / PENDING_FILE).open(encoding="utf-8")))
    # 55A11/55A12 (landelijk ingekochte zorg) are no products of flevoland-multi: they wait to be specified
    assert [(r["id"], r["productcode"], r["eenheid"]) for r in pending] == [
        ("TW-300201", "55A11", "uur"), ("TW-300202", "55A12", "dagdeel")]
    assert all("regelpakket" in r["signaal"] for r in pending)
    text = all_text(flevoland)
    for secret in ("999900006", "Wit", "Tom", "Van Woustraat", "0201234567", "Galen"):
        assert secret not in text, f"{secret!r} stored in the bundle"


def test_reference_jw315_bad_date_is_reported(flevoland):
    preview = preview_import(flevoland, reference("JW315-voorbeeld.xml"), "JW315-voorbeeld.xml")
    assert not preview.ok
    dates = [i for i in preview.issues if i.field.endswith("ToewijzingEinddatum")]
    assert len(dates) == 2 and all("'2027-06-31' is geen bestaande datum" in i.reason and i.row > 0 for i in dates)
    assert any("JW315" in i.reason for i in preview.issues)
    with pytest.raises(ImportRefused):
        commit_import(flevoland, preview)


def test_new_client_then_changes(flevoland):
    first = imported(flevoland, NEW)
    b = load_bundle(flevoland)
    jid = "J-IJW0001"
    assert b.jeugdigen[jid].initials == "F.T." and b.gezinnen[b.jeugdigen[jid].gezin_id].gemeente == "Almere"
    mst = b.toewijzingen["TW-810001"]
    assert (mst.product_code, mst.omvang.minutes_per_week()) == ("45F34", 180)
    assert "TW-810003" not in b.toewijzingen  # aspecific: on the list
    flagged = next(c for c in first.changes if c.key == "TW-810003")
    assert flagged.table == PENDING_FILE and any("aspecifieke toewijzing" in n for n in flagged.notes)
    assert any("vraag 3.0 uur per week" in n for n in next(c for c in first.changes if c.key == "TW-810001").notes)

    second = imported(flevoland, CHANGE)
    actions = {c.key: c.action for c in second.changes}
    assert actions["TW-810001"] == "updated" and actions["TW-810002"] == "deleted" and actions["TW-810003"] == "created"
    b = load_bundle(flevoland)
    assert b.toewijzingen["TW-810001"].end.isoformat() == "2027-05-31"  # verlenging
    assert "TW-810002" not in b.toewijzingen  # RedenWijziging 13
    assert b.toewijzingen["TW-810003"].product_code == "45F31"
    assert b.toewijzingen["TW-810003"].jeugdige_id == jid  # same BSN, same jeugdige
    assert len([j for j in b.jeugdigen if j.startswith("J-IJW")]) == 1
    assert "TW-810003" not in (flevoland / PENDING_FILE).read_text("utf-8")  # specified: off the list
    assert BSN not in all_text(flevoland)


def test_reimport_changes_nothing_and_warns(flevoland):
    imported(flevoland, NEW)
    again = preview_import(flevoland, NEW.read_bytes(), NEW.name)
    assert again.ok and not again.created and not again.updated
    assert any("al eerder ingelezen" in w for w in again.warnings)


def test_bsn_key_file_private_and_index_hashed(flevoland):
    imported(flevoland, NEW)
    key = flevoland / KEY_FILE
    assert key.is_file() and oct(key.stat().st_mode & 0o777) == "0o600"
    index = (flevoland / INDEX_FILE).read_text("utf-8")
    assert BSN not in index and "J-IJW0001" in index


def test_key_from_environment_and_mismatch_refused(flevoland, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "een-geheime-sleutel-van-de-organisatie")
    imported(flevoland, NEW)
    assert not (flevoland / KEY_FILE).exists()
    monkeypatch.setenv(KEY_ENV, "een-andere-sleutel-die-niet-past")
    preview = preview_import(flevoland, CHANGE.read_bytes(), CHANGE.name)
    assert not preview.ok and "sleutel" in preview.issues[0].reason.lower()
    monkeypatch.setenv(KEY_ENV, "kort")
    assert "te kort" in preview_import(flevoland, CHANGE.read_bytes(), CHANGE.name).issues[0].reason


def test_toewijzing_number_of_another_client_is_rejected(flevoland):
    imported(flevoland, NEW)
    other = NEW.read_bytes().replace(BSN.encode(), b"999990020").replace(b"FLV2026001", b"FLV2026002")
    preview = preview_import(flevoland, other, "ander.xml")
    assert not preview.ok
    assert any("hoort bij een andere jeugdige" in i.reason for i in preview.issues)


def test_unknown_gemeente_code_is_flagged(flevoland):
    msg = NEW.read_bytes().replace(b"<jw301:Afzender>0034<", b"<jw301:Afzender>9999<")
    preview = preview_import(flevoland, msg, "x.xml")
    assert preview.ok and any("9999" in w for w in preview.warnings)


def test_wrong_namespace_and_not_xml(flevoland):
    msg = NEW.read_bytes().replace(b"ijw/3_2/jw301", b"ijw/3_1/jw301")
    p = preview_import(flevoland, msg, "oud.xml")
    assert not p.ok and "iJw-release 3.1" in p.issues[0].reason
    p = preview_import(flevoland, b"<Bericht><niet/>", "kapot.xml")
    assert not p.ok and "geen geldige XML" in p.issues[0].reason


def test_dtd_is_refused(flevoland):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            b'<Bericht>&lol2;</Bericht>')
    p = preview_import(flevoland, bomb, "bom.xml")
    assert not p.ok and "DOCTYPE" in p.issues[0].reason
