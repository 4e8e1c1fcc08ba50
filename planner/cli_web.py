"""``planner serve`` (the web app) and ``planner user add`` (accounts)."""

from __future__ import annotations

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
                                                              "(sample_data/flevoland) en maak een teamleider aan")) -> None:
    """Start de webapp (database uit DATABASE_URL, standaard ./jeugdhulp.sqlite)."""
    import uvicorn

    from web.app import create_app
    from web.db.engine import database_url
    from web.seed import first_teamleider, seed_if_empty

    try:
        store = _store()
        if sample and seed_if_empty(store):
            typer.echo("Database gevuld met de voorbeelddata (sample_data/flevoland).")
        password = first_teamleider(store) if sample else None
        application = create_app(database_url())
    except Exception as e:  # noqa: BLE001 - e.g. an unreachable database: say so in Dutch, no trace
        typer.echo(f"De webapp kan niet starten: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        raise typer.Exit(1) from None
    typer.echo(f"Jeugdhulp Planner draait op http://{host}:{port}/")
    if password:
        typer.echo(f"Inloggen als 'teamleider' met wachtwoord: {password}")
        typer.echo("(dit wachtwoord wordt maar één keer getoond; maak meer gebruikers met 'planner user add')")
    elif sample:
        typer.echo("Log in met een bestaande gebruiker (nieuwe gebruiker: 'planner user add NAAM --role teamleider').")
    uvicorn.run(application, host=host, port=port, log_level="warning")


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
