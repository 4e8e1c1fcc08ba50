"""Bundle loader: every planted error reported with file/row/field, encodings, aliases, empty and missing files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planner.bundle import BundleError, load_bundle, load_bundle_with_pack, validate_bundle
from planner.bundle_write import write_bundle

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"

# (file, row, field) of the 20 errors planted in tests/data/bad_bundle
PLANTED = {
    ("medewerkers.csv", 3, "naam"),  # empty required field
    ("medewerkers.csv", 4, "opleiding"),  # unknown education level
    ("medewerkers.csv", 5, "registraties"),  # unknown registration
    ("medewerkers.csv", 6, "contracturen"),  # bad number
    ("medewerkers.csv", 7, "id"),  # duplicate id
    ("medewerkers.csv", 8, "teams"),  # dangling team
    ("beschikbaarheid.csv", 3, "weekdag"),  # weekday out of range
    ("beschikbaarheid.csv", 4, "tot"),  # end before start
    ("beschikbaarheid.csv", 5, "medewerker_id"),  # dangling staff
    ("afwezigheid.csv", 2, "tot"),  # bad datetime
    ("jeugdigen.csv", 3, "gezin_id"),  # dangling gezin
    ("jeugdigen.csv", 4, "geboortejaar"),  # bad number
    ("sessies.csv", 3, "groep_id"),  # dangling group
    ("sessies.csv", 4, "van"),  # bad time
    ("toewijzingen.csv", 3, "productcode"),  # unknown product code for the pack
    ("toewijzingen.csv", 4, "einddatum"),  # end before start
    ("toewijzingen.csv", 5, "jeugdige_id"),  # dangling jeugdige
    ("toewijzingen.csv", 6, "interventie"),  # intervention not allowed for the product
    ("toewijzingen.csv", 7, "begindatum"),  # bad date
    ("toewijzingen.csv", 8, "huidige_uitvoerder"),  # dangling staff
}

MANIFEST = "name: test\nrule_pack: flevoland-multi\nperiod_start: 2026-12-07\nweeks: 1\n"


def _bundle(tmp_path: Path, files: dict[str, bytes | str], manifest: str = MANIFEST) -> Path:
    (tmp_path / "manifest.yaml").write_text(manifest, "utf-8")
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (tmp_path / name).write_bytes(data)
    return tmp_path


def _keys(issues):
    return {(i.file, i.row, i.field) for i in issues}


@pytest.mark.parametrize("name", ["flevoland", "almelo"])
def test_samples_load_clean(name):
    bundle, pack = load_bundle_with_pack(SAMPLES / name)
    assert bundle.staff and bundle.toewijzingen and bundle.groups and bundle.teams
    assert pack.id == bundle.manifest.rule_pack


def test_bad_bundle_reports_all_twenty_errors():
    with pytest.raises(BundleError) as err:
        load_bundle(DATA / "bad_bundle")
    issues = err.value.issues
    assert len(issues) == 20, "\n".join(map(str, issues))
    assert _keys(issues) == PLANTED
    assert all(i.reason for i in issues)


def test_bom_semicolon_and_case_insensitive_headers(tmp_path):
    gezinnen = "\ufeffID;Gemeente\nG1;Almere\n".encode("utf-8")
    jeugdigen = "Jeugdige_ID;GEZIN_ID;Initialen;Geboortejaar\nJ1;G1;A.B.;2014\n".encode("utf-8")
    b = load_bundle(_bundle(tmp_path, {"gezinnen.csv": gezinnen, "jeugdigen.csv": jeugdigen}))
    assert b.gezinnen["G1"].gemeente == "Almere"
    assert b.jeugdigen["J1"].gemeente == "Almere"  # taken from the gezin when empty


def test_latin1_with_accent_in_gemeente_and_header(tmp_path):
    gezinnen = "id,gemeënte\nG1,Sédorp\n".encode("latin-1")
    jeugdigen = "id,gezin_id,initialen,geboortejaar,gemeente\nJ1,G1,A.B.,2014,Sédorp\n".encode("latin-1")
    b = load_bundle(_bundle(tmp_path, {"gezinnen.csv": gezinnen, "jeugdigen.csv": jeugdigen}))
    assert b.gezinnen["G1"].gemeente == "Sédorp"
    assert b.jeugdigen["J1"].gemeente == "Sédorp"


def test_english_aliases(tmp_path):
    files = {"gezinnen.csv": "family_id,municipality\nG1,Urk\n",
             "jeugdigen.csv": "client_id,family_id,initials,birth_year,municipality\nJ1,G1,A.B.,2014,Urk\n",
             "toewijzingen.csv": "allocation_id,client_id,product_code,intervention,start_date,end_date,"
                                 "volume,unit,frequency,team\n"
                                 "T1,J1,45F21,,2026-11-01,2027-04-30,2,hour,week,\n"}
    b = load_bundle(_bundle(tmp_path, files))
    t = b.toewijzingen["T1"]
    assert t.omvang is not None and t.omvang.minutes_per_week() == 120


def test_empty_and_missing_optional_files(tmp_path):
    b = load_bundle(_bundle(tmp_path, {"toewijzingen.csv": b"", "groepen.csv": "id,naam,productcode\n"}))
    assert b.toewijzingen == {} and b.groups == {} and b.staff == {}


def test_missing_required_column_is_one_issue(tmp_path):
    files = {"gezinnen.csv": "id,gemeente\nG1,Almere\n",
             "jeugdigen.csv": "id,gezin_id,initialen\nJ1,G1,A.B.\nJ2,G1,C.D.\n",
             "toewijzingen.csv": "id,jeugdige_id,productcode,begindatum,einddatum\nT1,J1,45F21,2026-11-01,2027-04-30\n"}
    _, _, issues = validate_bundle(_bundle(tmp_path, files))
    assert [(i.file, i.row, i.field) for i in issues] == [("jeugdigen.csv", 1, "geboortejaar")]
    assert "ontbreekt" in issues[0].reason


def test_client_names_and_bsn_are_refused(tmp_path):
    files = {"gezinnen.csv": "id,gemeente\nG1,Almere\n",
             "jeugdigen.csv": "id,gezin_id,initialen,geboortejaar,bsn\nJ1,G1,A.B.,2014,123456782\n"}
    _, _, issues = validate_bundle(_bundle(tmp_path, files))
    assert _keys(issues) == {("jeugdigen.csv", 1, "bsn")}


@pytest.mark.parametrize(("manifest", "field"), [
    ("name: x\nrule_pack: bestaat-niet\nperiod_start: 2026-12-07\n", "rule_pack"),
    ("name: x\nrule_pack: flevoland-multi\nperiod_start: 2026-12-08\n", "period_start"),
    ("name: x\nrule_pack: flevoland-multi\nperiod_start: morgen\n", "period_start"),
    ("rule_pack: flevoland-multi\nperiod_start: 2026-12-07\n", "name"),
    ("name: x\nrule_pack: flevoland-multi\nperiod_start: 2026-12-07\nweeks: 0\n", "weeks"),
    ("name: x\nrule_pack: flevoland-multi\nperiod_start: 2026-12-07\nrule_overrides: {GEEN.REGEL: {}}\n",
     "rule_overrides"),
    ("name: [x\n", ""),
    ("- een lijst\n", ""),
])
def test_bad_manifest(tmp_path, manifest, field):
    _, _, issues = validate_bundle(_bundle(tmp_path, {}, manifest))
    assert [(i.file, i.field) for i in issues] == [("manifest.yaml", field)]


def test_missing_manifest_and_missing_folder(tmp_path):
    assert [i.reason for i in validate_bundle(tmp_path)[2]] == ["manifest.yaml ontbreekt"]
    assert validate_bundle(tmp_path / "nergens")[2][0].reason == "map bestaat niet"


def test_overrides_are_applied(tmp_path):
    manifest = MANIFEST + "rule_overrides:\n  F.45F32.ratio: {params: {jeugdigen_per_staff: 3}}\n"
    _, pack = load_bundle_with_pack(_bundle(tmp_path, {}, manifest))
    assert pack.rule("F.45F32.ratio").params["jeugdigen_per_staff"] == 3


def test_garbage_never_crashes(tmp_path):
    files = {"medewerkers.csv": bytes(range(256)) * 4, "sessies.csv": '"open quote,\n"', "teams.csv": "\n\n\n"}
    _, _, issues = validate_bundle(_bundle(tmp_path, files))
    assert issues and all(i.file.endswith(".csv") for i in issues)


@pytest.mark.parametrize("name", ["flevoland", "almelo"])
def test_round_trip_through_writer(tmp_path, name):
    original = load_bundle(SAMPLES / name)
    write_bundle(original, tmp_path / "copy")
    copy = load_bundle(tmp_path / "copy")
    assert copy == original


def test_wishes_load_and_every_bad_row_is_reported(tmp_path):
    """wensen.csv: rows become ShiftWish; each bad row is one issue with its field and a Dutch reason."""
    from datetime import date

    from planner.domain import ShiftWish, WishKind

    staff = "id,naam,opleiding,beroep\nM1,Sanne V.,mbo4,sociaalpedagogisch medewerker\n"
    good = ("medewerker_id,datum,dienst,soort,gewicht\n"
            "M1,2026-12-08,N,niet,20\nM1,09-12-2026,,niet,\nM1,2026-12-10,dag,wel,5\n")
    (tmp_path / "goed").mkdir()
    b = load_bundle(_bundle(tmp_path / "goed", {"medewerkers.csv": staff, "wensen.csv": good}))
    assert b.wishes == [ShiftWish("M1", date(2026, 12, 8), "N", WishKind.NIET, 20),
                        ShiftWish("M1", date(2026, 12, 9), "*", WishKind.NIET, 10),
                        ShiftWish("M1", date(2026, 12, 10), "D", WishKind.WEL, 5)]
    bad = ("medewerker_id,datum,dienst,soort,gewicht\n"
           "M1,2026-12-08,N,niet,20\n"  # fine
           "M9,2026-12-08,D,wel,10\n"  # unknown medewerker
           "M1,8 december,D,wel,10\n"  # bad date
           "M1,2026-12-08,X,wel,10\n"  # unknown shift
           "M1,2026-12-08,D,misschien,10\n"  # unknown kind
           "M1,2026-12-08,D,wel,500\n"  # weight out of range
           "M1,2026-12-08,*,wel,10\n"  # 'wel' needs a shift
           "M1,08-12-2026,nacht,wel,30\n")  # a second wish for row 2's medewerker, datum and dienst
    (tmp_path / "fout").mkdir()
    _, _, issues = validate_bundle(_bundle(tmp_path / "fout", {"medewerkers.csv": staff, "wensen.csv": bad}))
    assert _keys(issues) == {("wensen.csv", 3, "medewerker_id"), ("wensen.csv", 4, "datum"),
                             ("wensen.csv", 5, "dienst"), ("wensen.csv", 6, "soort"), ("wensen.csv", 7, "gewicht"),
                             ("wensen.csv", 8, "dienst"), ("wensen.csv", 9, "dienst")}
    reasons = {i.row: i.reason for i in issues}
    assert "onbekende medewerker" in reasons[3] and "wel of niet" in reasons[6] and "1-100" in reasons[7]
    assert "hoort een dienst" in reasons[8] and "dubbele wens" in reasons[9] and "rij 2" in reasons[9]


def test_copy_of_sample_with_one_broken_row(tmp_path):
    target = tmp_path / "b"
    shutil.copytree(SAMPLES / "flevoland", target)
    with (target / "inschrijvingen.csv").open("a", encoding="utf-8") as f:
        f.write("GR001,J99999,2026-12-01,\n")
    _, _, issues = validate_bundle(target)
    assert len(issues) == 1 and issues[0].field == "jeugdige_id"
