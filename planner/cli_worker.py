"""``planner worker``: run the background jobs (solves, what-if runs and sweeps) from the task queue."""

from __future__ import annotations

import typer

from planner.cli import app


@app.command()
def worker(concurrency: int = typer.Option(0, "--concurrency", "-c", min=0,
                                           help="Taken tegelijk in deze verwerker (0 = JHP_WORKER_CONCURRENCY, "
                                                "anders alle kernen op één na, minstens 1)"),
           solver_workers: int = typer.Option(0, "--solver-workers", min=0,
                                              help="CP-SAT-threads per taak (0 = JHP_SOLVER_WORKERS, anders alle "
                                                   "kernen op één na)")) -> None:
    """Voer taken uit de wachtrij uit (database uit DATABASE_URL; Redis als REDIS_URL gezet is, anders een
    SQLite-wachtrij naast de database). Stoppen: Ctrl-C (lopende taken maken af) of SIGTERM (meteen)."""
    import logging

    from web.app import default_solver_workers
    from web.db.engine import database_url, make_engine, upgrade
    from web.jobs import default_concurrency, stale_seconds, worker_name
    from web.queue import JobQueue, run_worker
    from web.store import Store

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("jeugdhulp.web").setLevel(logging.INFO)
    slots = concurrency or default_concurrency()
    threads = solver_workers or default_solver_workers()
    try:
        engine = make_engine(database_url())
        upgrade(engine)
        store = Store(engine)
        where = JobQueue(store).describe()
    except Exception as e:  # noqa: BLE001 - e.g. an unreachable database: say so in Dutch, no trace
        typer.echo(f"De verwerker kan niet starten: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        raise typer.Exit(1) from None
    typer.echo(f"Verwerker {worker_name()}: {slots} {'taak' if slots == 1 else 'taken'} tegelijk, "
               f"{threads} solver-thread{'' if threads == 1 else 's'} per taak; "
               f"wachtrij: {where}; een taak zonder hartslag na {stale_seconds():g} s heet mislukt.", err=True)
    run_worker(store, slots, threads)
