"""``planner serve --sample`` and ``planner user add`` (uvicorn itself is not started here)."""

from __future__ import annotations

import re

from sqlalchemy import select
from typer.testing import CliRunner

from planner.cli import app as cli
from web.db.engine import make_engine
from web.db.models import UserRow
from web.security import verify_password


def _users(url: str) -> list[UserRow]:
    from sqlalchemy.orm import Session

    engine = make_engine(url)
    with Session(engine) as s:
        users = s.scalars(select(UserRow)).all()
    engine.dispose()
    return users


def test_serve_sample_seeds_once_and_prints_a_one_time_password(tmp_path, monkeypatch):
    import uvicorn

    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    started = []
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, **kw: started.append((host, port)))
    first = CliRunner().invoke(cli, ["serve", "--sample", "--port", "8123"])
    assert first.exit_code == 0, first.output
    assert "http://127.0.0.1:8123/" in first.output and "voorbeelddata" in first.output
    password = re.search(r"wachtwoord: (\S+)", first.output).group(1)
    (user,) = _users(url)
    assert user.username == "teamleider" and user.role == "teamleider"
    assert verify_password(user.password_hash, password)
    second = CliRunner().invoke(cli, ["serve", "--sample", "--port", "8123"])
    assert second.exit_code == 0 and "wachtwoord:" not in second.output and "voorbeelddata" not in second.output
    assert started == [("127.0.0.1", 8123), ("127.0.0.1", 8123)]


def test_user_add_prompts_for_the_password(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    r = CliRunner().invoke(cli, ["user", "add", "anna", "--role", "planner"], input="geheim-123\ngeheim-123\n")
    assert r.exit_code == 0, r.output
    assert "Wachtwoord" in r.output and "geheim-123" not in r.output
    (user,) = _users(url)
    assert (user.username, user.role) == ("anna", "planner") and verify_password(user.password_hash, "geheim-123")
    r = CliRunner().invoke(cli, ["user", "add", "bert", "--role", "baas"], input="geheim-123\ngeheim-123\n")
    assert r.exit_code == 2 and "onbekende rol" in r.output
    r = CliRunner().invoke(cli, ["user", "add", "anna", "--role", "viewer"], input="geheim-123\ngeheim-123\n")
    assert r.exit_code == 2 and "bestaat al" in r.output
    r = CliRunner().invoke(cli, ["user", "add", "kort", "--role", "viewer"], input="kort\nkort\n")
    assert r.exit_code == 2 and "minstens 8" in r.output


def test_serve_reports_an_unreachable_database_in_dutch(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    r = CliRunner().invoke(cli, ["serve"])
    assert r.exit_code == 1 and "De webapp kan niet starten" in r.output and "Traceback" not in r.output
