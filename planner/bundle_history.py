"""``realisatie.csv``: care delivered per toewijzing before the period (docs/data-format.md).

One row per contact that took place: toewijzing, date, minutes, soort (contact / regie / intake) and,
optionally, the medewerker who held it.  Hour caps (A:2197, A:2571, A:2575, A:3885), averaged frequencies
("gemiddeld 1 x per 6 weken", A:2969) and the regiebehandelaar's contact twice a year (A:3143) count these
rows together with the plan (:mod:`planner.semantics.history`).  Rows are validated like every other table:
every bad row is its own :class:`planner.bundle_csv.Issue`.
"""

from __future__ import annotations

from typing import Any

from planner.bundle_csv import Column, FieldError, norm_key, parse_date, parse_int
from planner.domain import Bundle, Realisatie

FILE = "realisatie.csv"
COLUMNS = [Column("toewijzing_id", ("toewijzing", "allocation_id"), True), Column("datum", ("date",), True),
           Column("minuten", ("duur", "minutes", "duration"), True),
           Column("soort", ("kind", "type", "soort_contact"), True),
           Column("medewerker_id", ("medewerker", "staff_id"))]
KINDS = ("contact", "regie", "intake")
MAX_MINUTES = 24 * 60


def parse_kind(s: str) -> str:
    k = norm_key(s)
    if k in KINDS:
        return k
    raise FieldError(f"onbekende soort {s!r} (contact, regie of intake)")


def load_realisatie(ld: Any, b: Bundle) -> None:
    """Read ``realisatie.csv`` (optional) into ``b.realisatie``; ``ld`` is the bundle loader (planner.bundle)."""
    for r in ld.rows(FILE):
        tid = r.get("toewijzing_id", required=True)
        r.ref("toewijzing_id", tid, "toewijzingen.csv", "onbekende toewijzing")
        day, minutes = r.get("datum", parse_date, True), r.get("minuten", parse_int, True)
        kind, sid = r.get("soort", parse_kind, True), r.get("medewerker_id") or None
        r.ref("medewerker_id", sid, "medewerkers.csv", "onbekende medewerker")
        if minutes is not None and not 0 < minutes <= MAX_MINUTES:
            r.error("minuten", f"minuten {minutes} buiten bereik 1-{MAX_MINUTES}")
        if day is not None and day >= b.manifest.period_start:
            r.error("datum", f"realisatie ligt niet voor de planperiode (die begint op "
                             f"{b.manifest.period_start.isoformat()}); die zorg hoort in het plan")
        t = b.toewijzingen.get(tid or "")
        if day is not None and t is not None and not t.start <= day <= t.end:
            r.error("datum", f"datum {day.isoformat()} valt buiten de toewijzing ({t.start.isoformat()} t/m "
                             f"{t.end.isoformat()})")
        if not r.failed:
            b.realisatie.append(Realisatie(tid, day, minutes, kind, sid))
    b.realisatie.sort(key=lambda x: (x.toewijzing_id, x.date))


def realisatie_rows(b: Bundle) -> list[list[Any]]:
    """The rows of ``realisatie.csv`` for :mod:`planner.bundle_write`."""
    return [[x.toewijzing_id, x.date, x.minutes, x.kind, x.staff_id or ""] for x in b.realisatie]
