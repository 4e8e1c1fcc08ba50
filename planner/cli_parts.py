"""``planner deelverwerker``: solve parts of decomposed plans from the parts queue (planner/queue_parts.py)."""

from __future__ import annotations

import typer

from planner.cli import app


@app.command()
def deelverwerker(workers: int = typer.Option(1, "--workers", "-w", min=1,
                                              help="Delen tegelijk (één proces per deel)")) -> None:
    """Voer delen van gesplitste plannen uit ('planner plan --workers-from-queue'); Redis als REDIS_URL gezet
    is, anders het SQLite-bestand JHP_PARTS_QUEUE_FILE (standaard ./jeugdhulp-delen.sqlite). Stoppen: Ctrl-C."""
    from planner.queue_parts import run_consumer

    run_consumer(workers)
