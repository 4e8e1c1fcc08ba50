"""Constraint families, one function per rule kind: ``add_<kind>(pm, rule)``.

Every module here is scanned.  A function marked ``@candidate_filter`` runs
before variables exist and narrows candidate pools; the others add
constraints and soft penalties.  The kind is the key shared with the checker
(``check_<kind>``) and the tests.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

AddFn = Callable[..., None]


def candidate_filter(fn: AddFn) -> AddFn:
    fn.candidate_filter = True  # type: ignore[attr-defined]
    return fn


def _collect() -> dict[str, AddFn]:
    found: dict[str, AddFn] = {}
    for info in pkgutil.iter_modules(__path__):
        mod = importlib.import_module(f"{__name__}.{info.name}")
        for name, fn in vars(mod).items():
            if name.startswith("add_") and callable(fn) and fn.__module__ == mod.__name__:
                found[name.removeprefix("add_")] = fn
    return found


ADDERS: dict[str, AddFn] = _collect()
