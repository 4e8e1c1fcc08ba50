"""Importeren in the web app: preview with every error, nothing written on error, one atomic commit, roles."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, select

from tests.web.conftest import client_for, login
from web.db.models import AccessLogRow, JeugdigeRow, MedewerkerRow
from web.featuretables import ImportSideFileRow

JW301 = Path(__file__).resolve().parents[2] / "sample_data" / "jw301"
HEADER = "id,naam,opleiding,beroep,registraties,certificeringen,contracturen,teams\n"
BAD = (HEADER + "M9001,Nieuwe A.,hbo,jeugdzorgwerker,SKJ,,veertig,T-MST-1\n"
       "M9002,Nieuwe B.,doctor,jeugdzorgwerker,,,32,T-MST-1\n"
       "M0001,Sanne V.,wo,orthopedagoog,SKJ,MST,24,T-ONBEKEND\n")
GOOD = (HEADER + "M9001,Nieuwe A.,hbo,jeugdzorgwerker,SKJ,,36,T-MST-1\n"
        "M9002,Nieuwe B.,mbo4,jeugdzorgwerker,,,32,T-MST-1\n"
        "M0001,Sanne V.,wo,orthopedagoog,SKJ,MST,24,T-MST-1\n")


def _upload(client, token, text: str, name: str = "medewerkers.csv"):
    return client.post("/importeren/voorvertoning", data={"csrf_token": token},
                       files={"bestand": (name, text.encode("utf-8"), "text/csv")})


def _counts(app) -> tuple[int, float]:
    with app.state.store.session() as s:
        return (s.scalar(select(func.count()).select_from(MedewerkerRow)),
                s.get(MedewerkerRow, "M0001").contract_hours)


def test_errors_are_all_shown_and_nothing_changes(app):
    client = client_for(app)
    token = login(client, "pl")
    before = _counts(app)
    r = _upload(client, token, BAD)
    assert r.status_code == 200
    table = r.text.split('id="problemen"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr class=\"hard\"><td>([^<]*)</td><td>(\d*)</td><td>([^<]*)</td><td>([^<]*)</td>", table)
    fields = {(row, field) for _src, row, field, _reason in rows}
    assert {("2", "contracturen"), ("3", "opleiding"), ("4", "teams")} <= fields, rows
    assert all(reason.strip() for *_x, reason in rows)
    assert 'id="doorvoeren"' not in r.text and "er is niets gewijzigd" in r.text
    assert _counts(app) == before


def test_corrected_file_imports_everything_in_one_transaction(app):
    client = client_for(app)
    token = login(client, "tl")
    count, _hours = _counts(app)
    r = _upload(client, token, GOOD)
    assert r.status_code == 200 and 'id="doorvoeren"' in r.text, r.text[:2000]
    assert _counts(app)[0] == count  # preview writes nothing
    pending = re.search(r'name="token" value="([^"]+)"', r.text).group(1)
    done = client.post("/importeren/doorvoeren", data={"csrf_token": token, "token": pending})
    assert done.status_code == 200 and 'id="import-klaar"' in done.text, done.text[:2000]
    assert _counts(app) == (count + 2, 24.0)
    with app.state.store.session() as s:
        assert s.get(MedewerkerRow, "M0001").version == 2  # an update through optimistic locking
        assert s.get(MedewerkerRow, "M9002").education == "mbo4"
    bundle, _pack = app.state.store.bundle()  # the cache sees the new data revision
    assert "M9001" in bundle.staff and bundle.staff["M0001"].contract_hours == 24
    again = client.post("/importeren/doorvoeren", data={"csrf_token": token, "token": pending})
    assert again.status_code == 409  # a preview is committed once


def test_client_rows_are_logged_and_a_stale_preview_is_refused(sqlite_app):
    app = sqlite_app
    client = client_for(app)
    token = login(client, "tl")
    csv = ("id,gezin_id,initialen,geboortejaar,gemeente\nJ99001,G99001,A.B.,2015,Almere\n")
    r = _upload(client, token, csv, "jeugdigen.csv")
    assert 'id="doorvoeren"' in r.text, r.text[:3000]
    pending = re.search(r'name="token" value="([^"]+)"', r.text).group(1)
    with app.state.store.session() as s:  # someone else changes data meanwhile
        app.state.store.bump(s)
    stale = client.post("/importeren/doorvoeren", data={"csrf_token": token, "token": pending})
    assert stale.status_code == 409 and "gewijzigd sinds de voorvertoning" in stale.text
    r = _upload(client, token, csv, "jeugdigen.csv")
    pending = re.search(r'name="token" value="([^"]+)"', r.text).group(1)
    assert client.post("/importeren/doorvoeren", data={"csrf_token": token, "token": pending}).status_code == 200
    with app.state.store.session() as s:
        assert s.get(JeugdigeRow, "J99001").initials == "A.B."
        logged = s.scalars(select(AccessLogRow).where(AccessLogRow.record_id.in_(["J99001", "G99001"]))).all()
        assert {(a.action, a.record_type) for a in logged} == {("ingelezen", "jeugdige"), ("ingelezen", "gezin")}


def test_jw301_message_imports_and_its_bsn_index_is_kept(sqlite_app, monkeypatch):
    """A broken JW301 message is rejected as a whole; a good one imports and its private BSN index stays in the
    database, so the change message for the same client updates that jeugdige instead of adding one."""
    from planner.ijw.privacy import INDEX_FILE, KEY_ENV

    monkeypatch.delenv(KEY_ENV, raising=False)
    app = sqlite_app
    client = client_for(app)
    token = login(client, "tl")
    r = _upload(client, token, "<?xml version='1.0'?><Bericht xmlns='urn:x'/>", "bericht.xml")
    assert r.status_code == 200 and 'id="problemen"' in r.text and 'id="doorvoeren"' not in r.text

    def commit(path: Path):
        page = client.post("/importeren/voorvertoning", data={"csrf_token": token},
                           files={"bestand": (path.name, path.read_bytes(), "application/xml")})
        assert 'id="doorvoeren"' in page.text, page.text[:3000]
        pending = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        done = client.post("/importeren/doorvoeren", data={"csrf_token": token, "token": pending})
        assert done.status_code == 200, done.text[:2000]
        assert "999990019" not in page.text + done.text  # the BSN never reaches a page

    commit(JW301 / "jw301-nieuwe-client.xml")
    with app.state.store.session() as s:
        jeugdigen = s.scalar(select(func.count()).select_from(JeugdigeRow))
        assert s.get(ImportSideFileRow, INDEX_FILE) is not None
    commit(JW301 / "jw301-wijziging.xml")
    with app.state.store.session() as s:
        assert s.scalar(select(func.count()).select_from(JeugdigeRow)) == jeugdigen


def test_viewer_cannot_import_and_csrf_is_required(sqlite_app):
    client = client_for(sqlite_app)
    token = login(client, "vw")
    assert client.get("/importeren").status_code == 403
    assert _upload(client, token, GOOD).status_code == 403
    assert client.post("/importeren/doorvoeren", data={"csrf_token": token, "token": "x"}).status_code == 403
    client = client_for(sqlite_app)
    login(client, "pl")
    assert client.get("/importeren").status_code == 200
    no_csrf = client.post("/importeren/voorvertoning", files={"bestand": ("m.csv", GOOD.encode(), "text/csv")})
    assert no_csrf.status_code == 403
    assert client.post("/importeren/doorvoeren", data={"token": "x"}).status_code == 403
