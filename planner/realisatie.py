"""A published plan as care history: "uitgevoerd zoals gepland", with corrections.

:func:`plan_realisatie` turns the contacts of a plan into :class:`planner.domain.Realisatie` rows (one per
contact: toewijzing, date, minutes, soort, medewerker), leaving out the contacts a teamleider marks as not held
and cutting a contact that ran shorter.  :func:`write_realisatie` writes or extends a ``realisatie.csv``
(docs/data-format.md); the next period's bundle then counts them for hour caps, averaged frequencies and the
regiebehandelaar's contact twice a year (planner.semantics.history).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from planner.bundle_csv import read_rows, read_text
from planner.bundle_history import COLUMNS
from planner.domain import Realisatie
from planner.plan import Plan


def plan_realisatie(plan: Plan, not_held: Iterable[tuple[str, date]] = (),
                    minutes: dict[tuple[str, date], int] | None = None) -> list[Realisatie]:
    """The plan's contacts as realisatie rows, by date.

    ``not_held``: (toewijzing id, date) pairs whose contacts did not take place; ``minutes``: (toewijzing id,
    date) -> the minutes really delivered on that day (a correction of the planned length)."""
    skip, fixed = set(not_held), dict(minutes or {})
    rows = []
    for c in sorted(plan.contacts, key=lambda c: (c.start, c.toewijzing_id)):
        key = (c.toewijzing_id, c.start.date())
        if key in skip:
            continue
        length = fixed.pop(key, None)
        if length is None:
            length = int((c.end - c.start).total_seconds() // 60)
        if length > 0:
            rows.append(Realisatie(c.toewijzing_id, c.start.date(), length, c.kind, c.staff_id))
    return rows


def _line(r: Realisatie) -> list[str]:
    return [r.toewijzing_id, r.date.isoformat(), str(r.minutes), r.kind, r.staff_id or ""]


def write_realisatie(rows: Iterable[Realisatie], path: str | Path) -> int:
    """Append ``rows`` to ``path`` (created with its header when missing); identical rows already there are
    not written twice.  Returns the number of rows written."""
    path = Path(path)
    existing: set[tuple[str, ...]] = set()
    text = read_text(path) if path.is_file() else ""
    if text.strip():
        _header, old = read_rows(text)
        existing = {tuple(c.strip() for c in cells[:5]) for _, cells in old}
    new = [line for line in map(_line, rows) if tuple(line) not in existing]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if not text.strip():
        w.writerow([c.name for c in COLUMNS])
    elif not text.endswith("\n"):
        buf.write("\n")
    w.writerows(new)
    with path.open("a", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    return len(new)
