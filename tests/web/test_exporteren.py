"""Exporteren: plan downloads of the right type from every roster view, and secret iCal feeds."""

from __future__ import annotations

import io
import json
import re

import pytest

from tests.web.conftest import client_for, login
from tests.web.test_planning import solved_plan
from web.db.models import JeugdigeRow
from web.featuretables import FeedTokenRow


@pytest.fixture
def planned(sqlite_app):
    client = client_for(sqlite_app)
    token = login(client, "tl")
    return sqlite_app, client, token, solved_plan(sqlite_app, client, token)


def _staff_with_work(client, plan_id: int) -> str:
    page = client.get(f"/plannen/{plan_id}/export").text
    return re.search(r"/export/ics\?medewerker=([A-Za-z0-9_-]+)", page).group(1)


def test_every_roster_view_offers_the_export_buttons(planned):
    _app, client, _token, plan_id = planned
    for view in ("/week", "/groepen", "/bereikbaarheid", "/diensten", "/export"):
        page = client.get(f"/plannen/{plan_id}{view}")
        assert page.status_code == 200, view
        for fmt in ("xlsx", "csv", "pdf", "json"):
            assert f'href="/plannen/{plan_id}/export/{fmt}"' in page.text, (view, fmt)


def test_downloads_have_the_right_type(planned):
    _app, client, _token, plan_id = planned
    sid = _staff_with_work(client, plan_id)
    checks = {"xlsx": ("spreadsheetml", b"PK"), "csv": ("text/csv", "\ufeff".encode()), "pdf": ("application/pdf", b"%PDF"),
              "json": ("application/json", b"{")}
    for fmt, (media, magic) in checks.items():
        r = client.get(f"/plannen/{plan_id}/export/{fmt}")
        assert r.status_code == 200 and media in r.headers["content-type"] and r.content.startswith(magic), fmt
        assert f'filename="plan-{plan_id}.{fmt}"' in r.headers["content-disposition"]
    assert json.loads(client.get(f"/plannen/{plan_id}/export/json").content)["weeks"] == 1
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(client.get(f"/plannen/{plan_id}/export/xlsx").content))
    assert "Per medewerker" in wb.sheetnames
    ics = client.get(f"/plannen/{plan_id}/export/ics?medewerker={sid}")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert ics.content.startswith(b"BEGIN:VCALENDAR") and b"BEGIN:VEVENT" in ics.content
    person = client.get(f"/plannen/{plan_id}/export/pdf-persoon?medewerker={sid}")
    assert person.status_code == 200 and person.content.startswith(b"%PDF")
    assert client.get(f"/plannen/{plan_id}/export/ics?medewerker=ONBEKEND").status_code == 404
    assert client.get(f"/plannen/{plan_id}/export/exe").status_code == 404


def test_feed_token_works_without_login_and_a_revoked_one_gives_404(planned):
    app, client, token, plan_id = planned
    sid = _staff_with_work(client, plan_id)
    page = client.post(f"/plannen/{plan_id}/agenda/{sid}/maken", data={"csrf_token": token})
    assert page.status_code == 200
    url = re.search(r'id="agenda-url" readonly size="90" value="([^"]+)"', page.text).group(1)
    path = url.split("testserver", 1)[1]
    secret = path.rsplit("/", 1)[1].removesuffix(".ics")
    with app.state.store.session() as s:  # only the hash is stored
        assert all(secret not in (r.digest, r.staff_id) for r in s.query(FeedTokenRow))
    anonymous = client_for(app)
    feed = anonymous.get(path)
    assert feed.status_code == 200 and feed.content.startswith(b"BEGIN:VCALENDAR")
    with app.state.store.session() as s:  # clients appear as pseudonymous id + initials, nothing else
        initials = {j.id: j.initials for j in s.query(JeugdigeRow)}
    text = feed.content.decode().replace("\r\n ", "")
    mentions = re.findall(r"\((J[0-9A-Z-]+) ([^)]*)\)", text)
    assert mentions and all(initials[jid] == shown for jid, shown in mentions)
    assert not re.search(r"\b\d{9}\b", text)  # no BSN-like numbers
    assert anonymous.get("/agenda/feed/verkeerd.ics").status_code == 404
    assert client.post(f"/plannen/{plan_id}/agenda/{sid}/intrekken", data={"csrf_token": token}).status_code == 200
    gone = anonymous.get(path)
    assert gone.status_code == 404 and "BEGIN:VCALENDAR" not in gone.text
    assert anonymous.get("/plannen").status_code == 303  # everything else still needs a login


def test_only_a_teamleider_manages_feeds_and_csrf_is_required(planned):
    app, client, token, plan_id = planned
    sid = _staff_with_work(client, plan_id)
    assert client.post(f"/plannen/{plan_id}/agenda/{sid}/maken").status_code == 403  # no CSRF token
    assert client.post(f"/plannen/{plan_id}/agenda/{sid}/intrekken").status_code == 403
    planner = client_for(app)
    ptoken = login(planner, "pl")
    assert planner.post(f"/plannen/{plan_id}/agenda/{sid}/maken", data={"csrf_token": ptoken}).status_code == 403
    viewer = client_for(app)
    login(viewer, "vw")
    assert viewer.get(f"/plannen/{plan_id}/export/xlsx").status_code == 200  # viewers may download
    with app.state.store.session() as s:
        assert s.query(FeedTokenRow).count() == 0
