"""Constraint families, one function per rule kind: ``add_<kind>(pm, rule)``.

Every module here is scanned.  A function marked ``@candidate_filter`` runs
before variables exist and narrows candidate pools; the others add
constraints and soft penalties.  The kind is the key shared with the checker
(``check_<kind>``) and the tests.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.registry import collect

AddFn = Callable[..., None]


def candidate_filter(fn: AddFn) -> AddFn:
    fn.candidate_filter = True  # type: ignore[attr-defined]
    return fn


ADDERS: dict[str, AddFn] = collect(__name__, __path__, "add_")
