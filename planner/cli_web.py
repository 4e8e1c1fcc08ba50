"""``planner serve`` (the web app) and ``planner user add|list|disable|passwd`` (accounts)."""

from __future__ import annotations

import os

import typer

from planner.cli import app

user_app = typer.Typer(help="Gebruikers van de webapp beheren.", no_args_is_help=True)
app.add_typer(user_app, name="user")


def _store():
    from web.db.engine import database_url, make_engine, upgrade
    from web.store import Store

    engine = make_engine(database_url())
    upgrade(engine)
    return Store(engine)


@app.command()
def serve(host: str = typer.Option("127.0.0.1", "--host", help="Adres om op te luisteren"),
          port: int = typer.Option(8000, "--port", help="Poort"),
          sample: bool = typer.Option(False, "--sample", help="Vul een lege database met de voorbeelddata "
                                                              "(sample_data/flevoland) en maak een teamleider aan"),
          worker: bool = typer.Option(True, "--worker/--geen-worker",
                                      help="Start een verwerker ('planner worker') naast de webapp; --geen-worker "
                                           "(of JHP_WORKER=extern) als aparte verwerkers de taken doen")) -> None:
    """Start de webapp (database uit DATABASE_URL, standaard ./jeugdhulp.sqlite) met een verwerker voor de taken."""
    import uvicorn

    from web.app import create_app
    from web.db.engine import database_url
    from web.seed import first_teamleider, seed_if_empty

    try:
        store = _store()
        if sample and seed_if_empty(store):
            typer.echo("Database gevuld met de voorbeelddata (sample_data/flevoland).")
        password = first_teamleider(store) if sample else None
        mode = os.environ.get("JHP_WORKER", "")
        application = create_app(database_url(), embedded_worker=mode == "ingebouwd")
    except Exception as e:
        typer.echo(f"De webapp kan niet starten: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        raise typer.Exit(1) from None
    typer.echo(f"Jeugdhulp Planner draait op http://{host}:{port}/")
    if password:
        typer.echo(f"Inloggen als 'teamleider' met wachtwoord: {password}")
        typer.echo("(dit wachtwoord wordt maar één keer getoond; maak meer gebruikers met 'planner user add')")
    elif sample:
        typer.echo("Log in met een bestaande gebruiker (nieuwe gebruiker: 'planner user add NAAM --role teamleider').")
    child = _spawn_worker() if worker and mode not in ("extern", "ingebouwd") else None
    try:
        uvicorn.run(application, host=host, port=port, log_level="warning")
    finally:
        if child is not None:
            _stop_worker(child)


def _spawn_worker():
    """``planner worker`` as a child process: solves never run in the web process (nor hold its GIL).

    It runs in its own session (a Ctrl-C on the web is passed on as SIGTERM by :func:`_stop_worker`)
    and, on Linux, gets SIGTERM when the web process dies, however it dies.
    """
    import signal
    import subprocess
    import sys

    def die_with_parent() -> None:
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except Exception:
            pass

    return subprocess.Popen([sys.executable, "-c", "from planner.cli import app; app()", "worker"],
                            start_new_session=True, preexec_fn=die_with_parent)


def _stop_worker(child) -> None:
    import subprocess

    child.terminate()  # SIGTERM: stop now; its running jobs are marked mislukt, nothing half-written
    try:
        child.wait(timeout=15)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


@user_app.command("add")
def user_add(username: str = typer.Argument(..., help="Gebruikersnaam"),
             role: str = typer.Option(..., "--role", help="teamleider, planner of viewer"),
             teams: str = typer.Option("", "--teams", help="Teams van een teamleider, gescheiden door ; (leeg = alle)"),
             password: str = typer.Option(..., "--password", prompt="Wachtwoord", hide_input=True,
                                          confirmation_prompt="Herhaal het wachtwoord",
                                          help="Wordt gevraagd als u het weglaat")) -> None:
    """Maak een gebruiker aan; het wachtwoord wordt gevraagd (nooit een standaardwachtwoord)."""
    from web.security import create_user

    store = _store()
    try:
        with store.session() as s:
            create_user(s, username.strip(), password, role,
                        [t.strip() for t in teams.split(";") if t.strip()])
    except ValueError as e:
        typer.echo(f"Niet aangemaakt: {e}.")
        raise typer.Exit(2) from None
    typer.echo(f"Gebruiker {username!r} aangemaakt met rol {role}.")


@user_app.command("list")
def user_list() -> None:
    """Toon alle gebruikers met rol, teams en of ze actief zijn."""
    from sqlalchemy import select

    from web.db.models import UserRow

    store = _store()
    with store.session() as s:
        users = s.scalars(select(UserRow).order_by(UserRow.username)).all()
    if not users:
        typer.echo("Er zijn nog geen gebruikers (maak er een met 'planner user add').")
        return
    for u in users:
        teams = ";".join(u.teams or []) or "alle teams"
        typer.echo(f"{u.username}\t{u.role}\t{teams}\t{'actief' if u.active else 'uitgeschakeld'}")


def _one_user(s, username: str):
    from sqlalchemy import select

    from web.db.models import UserRow

    user = s.scalar(select(UserRow).where(UserRow.username == username))
    if user is None:
        typer.echo(f"Gebruiker {username!r} bestaat niet.")
        raise typer.Exit(2)
    return user


@user_app.command("disable")
def user_disable(username: str = typer.Argument(..., help="Gebruikersnaam"),
                 enable: bool = typer.Option(False, "--enable", help="Weer inschakelen in plaats van uitschakelen")
                 ) -> None:
    """Schakel een gebruiker uit (al zijn sessies eindigen meteen), of weer in met --enable."""
    from web.security import set_active

    store = _store()
    with store.session() as s:
        set_active(s, _one_user(s, username.strip()), enable)
    typer.echo(f"Gebruiker {username!r} is {'weer ingeschakeld' if enable else 'uitgeschakeld; zijn sessies zijn beëindigd'}.")


@user_app.command("passwd")
def user_passwd(username: str = typer.Argument(..., help="Gebruikersnaam"),
                password: str = typer.Option(..., "--password", prompt="Nieuw wachtwoord", hide_input=True,
                                             confirmation_prompt="Herhaal het wachtwoord",
                                             help="Wordt gevraagd als u het weglaat")) -> None:
    """Geef een gebruiker een nieuw wachtwoord; al zijn sessies eindigen."""
    from web.security import set_password

    store = _store()
    try:
        with store.session() as s:
            set_password(s, _one_user(s, username.strip()), password)
    except ValueError as e:
        typer.echo(f"Niet gewijzigd: {e}.")
        raise typer.Exit(2) from None
    typer.echo(f"Wachtwoord van {username!r} gewijzigd; zijn sessies zijn beëindigd.")
