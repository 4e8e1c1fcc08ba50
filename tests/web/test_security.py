"""Login, session cookie, CSRF, roles, access log and error pages (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute
from sqlalchemy import select

from tests.web.conftest import PASSWORDS, client_for, csrf_of, login
from web.db.models import AccessLogRow, MedewerkerRow, UserRow


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def api_routes(routes) -> list[APIRoute]:
    """Every APIRoute, also inside included routers (newer FastAPI wraps them)."""
    out = []
    for r in routes:
        if isinstance(r, APIRoute):
            out.append(r)
        elif hasattr(r, "original_router"):
            out.extend(api_routes(r.original_router.routes))
    return out


def test_every_route_without_session_redirects_to_login(app):
    client = client_for(app)
    routes = api_routes(app.routes)
    assert len(routes) > 20
    checked = 0
    for route in routes:
        path = _concrete(route.path)
        if path.startswith("/login"):
            continue
        for method in route.methods:
            r = client.request(method, path)
            assert r.status_code == 303 and r.headers["location"] == "/login", (method, path, r.status_code)
            checked += 1
    # htmx requests get an HX-Redirect instead of a page
    r = client.get("/plannen", headers={"HX-Request": "true"})
    assert r.status_code == 401 and r.headers["HX-Redirect"] == "/login"
    # unknown paths too, but static files stay public
    assert client.get("/bestaat-niet").headers["location"] == "/login"
    assert client.get("/static/vendor/htmx/htmx.min.js").status_code == 200
    assert checked > 20


def test_login_wrong_password_is_refused_in_dutch(app):
    client = client_for(app)
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": "tl", "password": "fout-wachtwoord", "csrf_token": token})
    assert r.status_code == 401
    assert "Onjuiste gebruikersnaam of wachtwoord" in r.text
    assert client.get("/").status_code == 303


def test_passwords_are_argon2_hashed(app):
    with app.state.store.session() as s:
        user = s.scalar(select(UserRow).where(UserRow.username == "tl"))
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORDS["tl"] not in user.password_hash


def test_session_cookie_is_httponly_and_samesite(app):
    client = client_for(app)
    r = client.get("/login")
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_mutating_request_without_csrf_token_is_refused(app):
    client = client_for(app)
    token = login(client, "tl")
    with app.state.store.session() as s:
        row = s.scalar(select(MedewerkerRow).order_by(MedewerkerRow.id))
        staff_id, version, hours = row.id, row.version, row.contract_hours
    form = {"naam": "Nieuwe Naam", "opleiding": "wo", "beroep": "jeugdzorgwerker", "contracturen": "20",
            "version": str(version)}
    r = client.post(f"/medewerkers/{staff_id}", data=form)
    assert r.status_code == 403 and "CSRF" in r.text
    r = client.post(f"/medewerkers/{staff_id}", data={**form, "csrf_token": "vervalst"})
    assert r.status_code == 403
    r = client.post("/logout")  # logout is mutating too
    assert r.status_code == 403
    with app.state.store.session() as s:
        row = s.get(MedewerkerRow, staff_id)
        assert (row.version, row.contract_hours) == (version, hours)
    # with the token (form field or htmx header) the same request passes the check
    r = client.post(f"/medewerkers/{staff_id}", data={**form, "csrf_token": token})
    assert r.status_code == 303


def test_csrf_token_as_htmx_header(app):
    client = client_for(app)
    token = login(client, "tl")
    r = client.post("/plannen/start", data={"tijdslimiet": "abc"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 422 and "tijdslimiet" in r.text


def test_viewer_cannot_edit(app):
    client = client_for(app)
    token = login(client, "vw")
    with app.state.store.session() as s:
        row = s.scalar(select(MedewerkerRow).order_by(MedewerkerRow.id))
        staff_id, version, name = row.id, row.version, row.name
    page = client.get(f"/medewerkers/{staff_id}").text
    assert "Opslaan" not in page and 'id="medewerker-form"' not in page  # read-only data, no form
    form = {"naam": "X", "opleiding": "wo", "beroep": "b", "contracturen": "20", "version": str(version),
            "csrf_token": token}
    assert client.post(f"/medewerkers/{staff_id}", data=form).status_code == 403
    assert client.post("/medewerkers/nieuw", data={**form, "id": "MNEW"}).status_code == 403
    assert client.post("/plannen/start", data={"csrf_token": token}).status_code == 403
    assert client.get("/toegangslog").status_code == 403
    with app.state.store.session() as s:
        assert s.get(MedewerkerRow, staff_id).name == name
        assert s.get(MedewerkerRow, "MNEW") is None


def test_viewing_a_client_record_writes_an_access_log_row(app):
    client = client_for(app)
    login(client, "pl")
    bundle, _ = app.state.store.bundle()
    jid = sorted(bundle.jeugdigen)[0]
    r = client.get(f"/clienten/{jid}")
    assert r.status_code == 200 and jid in r.text
    with app.state.store.session() as s:
        rows = s.scalars(select(AccessLogRow).where(AccessLogRow.record_id == jid)).all()
    assert [(x.username, x.action, x.record_type) for x in rows] == [("pl", "bekeken", "jeugdige")]
    # the teamleider sees it in the access log
    tl = client_for(app)
    login(tl, "tl")
    page = tl.get(f"/toegangslog?record={jid}").text
    assert "pl" in page and "bekeken" in page


def test_client_pages_show_no_names(app):
    client = client_for(app)
    login(client, "pl")
    bundle, _ = app.state.store.bundle()
    j = bundle.jeugdigen[sorted(bundle.jeugdigen)[0]]
    page = client.get(f"/clienten/{j.id}").text
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert j.initials not in title and j.id in title


def test_404_and_500_pages_are_dutch_without_trace(app):
    def boom():
        raise RuntimeError("geheime interne fout in module x")

    app.add_api_route("/kapot", boom)
    client = client_for(app)
    login(client, "vw")
    r = client.get("/pagina-bestaat-niet")
    assert r.status_code == 404 and "Niet gevonden" in r.text and "Jeugdhulp Planner" in r.text
    r = client.get("/kapot")
    assert r.status_code == 500 and "Er ging iets mis" in r.text
    assert "Traceback" not in r.text and "geheime" not in r.text and "RuntimeError" not in r.text
    r = client.get("/plannen/abc")  # bad path parameter: Dutch 400, not a validation dump
    assert r.status_code == 400 and "ongeldige waarde" in r.text


def test_changing_a_toewijzing_is_logged_and_a_stale_change_refused(app):
    from web.db.models import ToewijzingRow

    client = client_for(app)
    token = login(client, "pl")
    with app.state.store.session() as s:
        row = s.scalar(select(ToewijzingRow).order_by(ToewijzingRow.id))
        tid, jid, end, version = row.id, row.jeugdige_id, row.end, row.version
    team = sorted(app.state.store.bundle()[0].teams)[0]
    form = {"csrf_token": token, "version": str(version), "einddatum": end.isoformat(), "team_id": team}
    assert client.post(f"/clienten/toewijzingen/{tid}", data=form).status_code == 303
    r = client.post(f"/clienten/toewijzingen/{tid}", data={**form, "einddatum": "2030-01-01"})
    assert r.status_code == 409 and "intussen gewijzigd" in r.text
    with app.state.store.session() as s:
        assert (s.get(ToewijzingRow, tid).end, s.get(ToewijzingRow, tid).team_id) == (end, team)
        actions = [(x.action, x.record_type) for x in
                   s.scalars(select(AccessLogRow).where(AccessLogRow.record_id.in_([tid, jid]))).all()]
    assert ("gewijzigd", "toewijzing") in actions and ("bekeken", "jeugdige") in actions


def test_teamleider_with_teams_edits_only_their_own_medewerkers(app):
    from web.security import create_user

    bundle, _ = app.state.store.bundle()
    team = "T-ANDER"  # a team none of the bundle's medewerkers is in
    outside = next(m for m in sorted(bundle.staff.values(), key=lambda m: m.id) if m.teams)
    with app.state.store.session() as s:
        create_user(s, "tl-team", "team-wachtwoord", "teamleider", [team])
        version = s.get(MedewerkerRow, outside.id).version
    client = client_for(app)
    token = csrf_of(client.get("/login").text)
    client.post("/login", data={"username": "tl-team", "password": "team-wachtwoord", "csrf_token": token})
    token = csrf_of(client.get("/").text)
    form = {"csrf_token": token, "version": str(version), "naam": "X", "opleiding": "wo", "beroep": "b",
            "contracturen": "20"}
    r = client.post(f"/medewerkers/{outside.id}", data=form)
    assert r.status_code == 403 and "eigen teams" in r.text


def test_pages_on_an_empty_database_explain_what_to_do(tmp_path):
    from web.app import create_app
    from web.security import create_user

    app = create_app(f"sqlite:///{tmp_path / 'leeg.sqlite'}", solver_workers=1, secret_key="x")
    with app.state.store.session() as s:
        create_user(s, "vw", "viewer-wachtwoord", "viewer")
    client = client_for(app)
    login(client, "vw")
    assert "nog geen gegevens" in client.get("/").text
    r = client.get("/medewerkers")
    assert r.status_code == 409 and "planner serve --sample" in r.text
