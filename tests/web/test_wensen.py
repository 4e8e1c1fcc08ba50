"""Dienstwensen in the web app: the table and its migration, DB <-> bundle, import, the medewerker page, solves."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from openpyxl import Workbook
from sqlalchemy import func, select

from planner.bundle import load_bundle_with_pack
from planner.bundle_write import write_bundle
from planner.domain import ShiftWish, WishKind
from planner.plan import Plan
from tests.web.conftest import client_for, csrf_of, login, make_app
from web.db.engine import alembic_config, make_engine, upgrade
from web.db.mapping import import_bundle_dir, load_bundle, store_bundle
from web.db.models import MedewerkerRow, PlanRow, WishRow
from web.store import Store

ALMELO = Path(__file__).resolve().parents[2] / "sample_data" / "almelo"
HEADER = "medewerker_id,datum,dienst,soort,gewicht\n"


def _alembic(engine, action: str, revision: str) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, action)(cfg, revision)


def test_migration_creates_the_wish_table_and_downgrades(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    inspector = sa.inspect(engine)
    assert {c["name"] for c in inspector.get_columns("dienstwensen")} == {"id", "staff_id", "day", "shift", "kind",
                                                                         "weight"}
    assert [u["column_names"] for u in inspector.get_unique_constraints("dienstwensen")] == [["staff_id", "day",
                                                                                            "shift"]]
    assert [f["referred_table"] for f in inspector.get_foreign_keys("dienstwensen")] == ["medewerkers"]
    _alembic(engine, "downgrade", "0003")
    assert "dienstwensen" not in sa.inspect(engine).get_table_names()
    _alembic(engine, "upgrade", "head")
    assert "dienstwensen" in sa.inspect(engine).get_table_names()
    engine.dispose()


def test_bundle_with_wishes_round_trips_through_the_database(db_url, tmp_path):
    """The Almelo sample's wishes are stored and read back; a bundle written from the database keeps them."""
    engine = make_engine(db_url)
    upgrade(engine)
    store = Store(engine)
    original, _pack = load_bundle_with_pack(ALMELO)
    assert len(original.wishes) == 10
    with store.session() as s:
        import_bundle_dir(s, ALMELO)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(WishRow)) == 10
        bundle, _pack = load_bundle(s)
    assert bundle.wishes == original.wishes and bundle == original
    write_bundle(bundle, tmp_path / "terug")
    assert load_bundle_with_pack(tmp_path / "terug")[0].wishes == original.wishes
    with store.session() as s:  # storing again replaces, never doubles
        store_bundle(s, bundle)
    with store.session() as s:
        assert load_bundle(s)[0].wishes == original.wishes
        s.delete(s.get(MedewerkerRow, "M0013"))  # a removed medewerker takes their wishes along
    with store.session() as s:
        assert {w.staff_id for w in load_bundle(s)[0].wishes} == {"M0014", "M0015", "M0016", "M0017", "M0019"}
    engine.dispose()


# --- import ---------------------------------------------------------------
def _staff_ids(app) -> list[str]:
    with app.state.store.session() as s:
        return list(s.scalars(select(MedewerkerRow.id).order_by(MedewerkerRow.id).limit(2)))


def _wishes(app) -> list[ShiftWish]:
    bundle, _pack = app.state.store.bundle()
    return bundle.wishes


def _preview(client, token, data: bytes, name: str):
    return client.post("/importeren/voorvertoning", data={"csrf_token": token}, files={"bestand": (name, data)})


def _commit(client, token, page) -> str:
    assert 'id="doorvoeren"' in page.text, page.text[:3000]
    pending = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    done = client.post("/importeren/doorvoeren", data={"csrf_token": token, "token": pending})
    assert done.status_code == 200 and 'id="import-klaar"' in done.text, done.text[:2000]
    return done.text


def test_wish_import_reports_row_and_field_and_commits_all_or_nothing(app):
    client = client_for(app)
    token = login(client, "pl")
    a, b = _staff_ids(app)
    bad = (HEADER + f"{a},2026-12-08,N,niet,20\n{a},2026-12-09,D,wel,500\n{b},2026-12-09,X,wel,10\n"
           f"M-ONBEKEND,2026-12-09,D,wel,10\n{b},2026-12-10,*,wel,10\n")
    r = _preview(client, token, bad.encode(), "wensen.csv")
    assert r.status_code == 200
    table = r.text.split('id="problemen"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr class=\"hard\"><td>([^<]*)</td><td>(\d*)</td><td>([^<]*)</td><td>([^<]*)</td>", table)
    assert {(row, field) for _src, row, field, _reason in rows} == {
        ("3", "gewicht"), ("4", "dienst"), ("5", "medewerker_id"), ("6", "dienst")}, rows
    assert all(reason.strip() for *_x, reason in rows) and "1-100" in table
    assert 'id="doorvoeren"' not in r.text and _wishes(app) == []
    good = HEADER + f"{a},2026-12-08,N,niet,20\n{a},09-12-2026,dag,wel,\n{b},2026-12-10,,niet,5\n"
    done = _commit(client, token, _preview(client, token, good.encode(), "wensen.csv"))
    assert "wensen: 3" in done
    assert _wishes(app) == [ShiftWish(a, date(2026, 12, 8), "N", WishKind.NIET, 20),
                            ShiftWish(a, date(2026, 12, 9), "D", WishKind.WEL, 10),
                            ShiftWish(b, date(2026, 12, 10), "*", WishKind.NIET, 5)]
    again = HEADER + f"{a},2026-12-08,nacht,wel,40\n"  # same key (medewerker, datum, dienst): an update
    _commit(client, token, _preview(client, token, again.encode(), "dienstwensen.csv"))
    assert _wishes(app)[0] == ShiftWish(a, date(2026, 12, 8), "N", WishKind.WEL, 40) and len(_wishes(app)) == 3


def test_wish_sheet_of_an_xlsx_imports(sqlite_app):
    client = client_for(sqlite_app)
    token = login(client, "tl")
    a, _b = _staff_ids(sqlite_app)
    wb = Workbook()
    ws = wb.active
    ws.title = "Wensen"
    ws.append(["Medewerker", "Datum", "Dienst", "Wens", "Gewicht"])
    ws.append([a, date(2026, 12, 11), "A", "niet", 30])
    ws.append([a, date(2026, 12, 12), "A", "misschien", 30])
    buf = io.BytesIO()
    wb.save(buf)
    r = _preview(client, token, buf.getvalue(), "wensen.xlsx")
    assert 'id="doorvoeren"' not in r.text and re.search(r"<td>3</td><td>Wens</td>", r.text), r.text[:3000]
    ws.delete_rows(3)
    buf = io.BytesIO()
    wb.save(buf)
    _commit(client, token, _preview(client, token, buf.getvalue(), "wensen.xlsx"))
    assert _wishes(sqlite_app) == [ShiftWish(a, date(2026, 12, 11), "A", WishKind.NIET, 30)]


# --- the medewerker page ----------------------------------------------------
@pytest.fixture
def almelo_app(tmp_path):
    application = make_app(f"sqlite:///{tmp_path / 'almelo.sqlite'}", ALMELO)
    yield application
    application.state.store.engine.dispose()


def _htmx(token: str) -> dict:
    return {"HX-Request": "true", "X-CSRF-Token": token}


def _wish_ids(app, staff_id: str) -> dict[tuple, int]:
    with app.state.store.session() as s:
        return {(w.day, w.shift, w.kind, w.weight): w.id
                for w in s.scalars(select(WishRow).where(WishRow.staff_id == staff_id))}


def test_medewerker_page_lists_adds_and_deletes_wishes(almelo_app):
    app = almelo_app
    client = client_for(app)
    token = login(client, "pl")
    page = client.get("/medewerkers/M0013").text
    listing = page.split('id="wensenlijst"', 1)[1].split("</table>", 1)[0]
    assert "zo 13-12-2026" in listing and "D (dag 07-15)" in listing and "wel (wil deze dienst werken)" in listing
    assert 'id="wens-toevoegen"' in page and "dienstrooster van de woongroep" in page
    form = {"datum": "2026-12-09", "dienst": "N", "soort": "wel", "gewicht": "60"}
    assert client.post("/medewerkers/M0013/wensen", data=form, headers={"HX-Request": "true"}).status_code == 403
    r = client.post("/medewerkers/M0013/wensen", data=form, headers=_htmx(token))
    assert r.status_code == 200 and r.text.lstrip().startswith('<section id="wensen"') and "<html" not in r.text
    assert "Wens toegevoegd: wo 09-12-2026, N (nacht 23-07)." in r.text and "wo 09-12-2026" in r.text
    assert ShiftWish("M0013", date(2026, 12, 9), "N", WishKind.WEL, 60) in _wishes(app)  # the cache follows
    r = client.post("/medewerkers/M0013/wensen", data={**form, "soort": "niet", "gewicht": "15"}, headers=_htmx(token))
    assert "bijgewerkt" in r.text
    wish_id = _wish_ids(app, "M0013")[(date(2026, 12, 9), "N", "niet", 15)]
    assert client.post(f"/medewerkers/M0013/wensen/{wish_id}/verwijderen").status_code == 403  # no CSRF token
    r = client.post(f"/medewerkers/M0013/wensen/{wish_id}/verwijderen", headers=_htmx(token))
    assert r.status_code == 200 and "verwijderd" in r.text and len(_wish_ids(app, "M0013")) == 2
    r = client.post(f"/medewerkers/M0013/wensen/{wish_id}/verwijderen", headers=_htmx(token))
    assert "al verwijderd" in r.text
    plain = client.post("/medewerkers/M0013/wensen", data={**form, "csrf_token": token})  # without htmx
    assert plain.status_code == 303 and plain.headers["location"] == "/medewerkers/M0013#wensen"


def test_bad_wish_input_gets_a_dutch_message_per_field(almelo_app):
    app = almelo_app
    client = client_for(app)
    token = login(client, "tl")
    before = _wish_ids(app, "M0013")
    cases = [({"datum": "31-02-2026", "dienst": "D", "soort": "wel", "gewicht": "10"}, "datum", "ongeldige datum"),
             ({"datum": "", "dienst": "D", "soort": "wel"}, "datum", "verplicht"),
             ({"datum": "2026-12-09", "dienst": "X", "soort": "wel"}, "dienst", "onbekende dienst"),
             ({"datum": "2026-12-09", "dienst": "*", "soort": "wel"}, "dienst", "hoort een dienst"),
             ({"datum": "2026-12-09", "dienst": "D", "soort": "graag"}, "soort", "wel of niet"),
             ({"datum": "2026-12-09", "dienst": "D", "soort": "niet", "gewicht": "500"}, "gewicht", "1-100"),
             ({"datum": "2026-12-09", "dienst": "D", "soort": "niet", "gewicht": "veel"}, "gewicht", "geen getal")]
    for form, field, words in cases:
        r = client.post("/medewerkers/M0013/wensen", data=form, headers=_htmx(token))
        assert r.status_code == 422, (form, r.status_code)
        assert f'id="fout-wens-{field}"' in r.text and words in r.text and "Traceback" not in r.text, (form, r.text)
        assert 'id="wens-fout"' in r.text
    r = client.post("/medewerkers/M0013/wensen", data={**cases[0][0], "csrf_token": token})  # a whole page
    assert r.status_code == 422 and "<html" in r.text and 'id="fout-wens-datum"' in r.text
    assert client.post("/medewerkers/M9999/wensen", data=cases[0][0], headers=_htmx(token)).status_code == 404
    assert _wish_ids(app, "M0013") == before


def test_viewers_and_other_teams_cannot_change_wishes(almelo_app):
    from web.security import create_user

    app = almelo_app
    with app.state.store.session() as s:
        create_user(s, "tl-mst", "teamleider-mst-wachtwoord", "teamleider", ["T-MST-1"])
    viewer = client_for(app)
    token = login(viewer, "vw")
    page = viewer.get("/medewerkers/M0013").text
    assert 'id="wensenlijst"' in page and 'id="wens-toevoegen"' not in page and "/verwijderen" not in page
    form = {"datum": "2026-12-09", "dienst": "N", "soort": "wel"}
    assert viewer.post("/medewerkers/M0013/wensen", data=form, headers=_htmx(token)).status_code == 403
    other = client_for(app)
    other.post("/login", data={"username": "tl-mst", "password": "teamleider-mst-wachtwoord",
                               "csrf_token": csrf_of(other.get("/login").text)})
    token = csrf_of(other.get("/plannen").text)
    assert 'id="wens-toevoegen"' not in other.get("/medewerkers/M0013").text
    r = other.post("/medewerkers/M0013/wensen", data=form, headers=_htmx(token))
    assert r.status_code == 403 and "eigen teams" in r.text
    wish_id = next(iter(_wish_ids(app, "M0013").values()))
    assert other.post(f"/medewerkers/M0013/wensen/{wish_id}/verwijderen", headers=_htmx(token)).status_code == 403
    assert len(_wish_ids(app, "M0013")) == 2


# --- a plan started from the web ------------------------------------------
def test_plan_started_from_the_web_gets_and_honours_the_wishes(almelo_app, monkeypatch):
    """A wish added on the medewerker page reaches the solver, and the stored roster grants it."""
    import solver.solve
    from tests.web.test_planning import start_solve, wait_done

    app = almelo_app
    real, seen = solver.solve.solve, []

    def spy(bundle, *args, **kwargs):
        seen.append(list(bundle.wishes))
        return real(bundle, *args, **kwargs)

    monkeypatch.setattr(solver.solve, "solve", spy)
    client = client_for(app)
    token = login(client, "pl")
    for staff_id, form in (("M0014", {"datum": "2026-12-09", "dienst": "N", "soort": "wel", "gewicht": "100"}),
                           ("M0017", {"datum": "2026-12-10", "dienst": "*", "soort": "niet", "gewicht": "100"})):
        assert client.post(f"/medewerkers/{staff_id}/wensen", data=form, headers=_htmx(token)).status_code == 200
    job = wait_done(app, start_solve(client, app, token, limit="10"))
    assert job.state == "klaar", job.message
    assert ShiftWish("M0014", date(2026, 12, 9), "N", WishKind.WEL, 100) in seen[0]
    assert ShiftWish("M0017", date(2026, 12, 10), "*", WishKind.NIET, 100) in seen[0] and len(seen[0]) == 12
    with app.state.store.session() as s:
        row = s.get(PlanRow, job.plan_id)
        plan, stats = Plan.from_json(row.data), row.solve["stages"]["diensten"]["groups"]["WG01"]
    worked = {(x.staff_id, x.start.date()): x.kind for x in plan.shifts}
    assert worked.get(("M0014", date(2026, 12, 9))) in ("slaapnacht", "waaknacht")
    assert ("M0017", date(2026, 12, 10)) not in worked
    assert stats["wishes"][1] >= 4 and stats["wishes"][0] == stats["wishes"][1], stats
