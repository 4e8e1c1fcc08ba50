"""Collect ``<prefix><kind>`` functions from every module of a package: the rule kind is the key.

Used for the checker (``check_<kind>``), the solver's constraint families (``add_<kind>``) and the
tests' violation cases (``case_<kind>``).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable


def collect(package: str, path: Iterable[str], prefix: str) -> dict[str, Callable]:
    """kind -> function for each module-level function named ``prefix + kind`` defined in the package."""
    found: dict[str, Callable] = {}
    for info in pkgutil.iter_modules(path):
        mod = importlib.import_module(f"{package}.{info.name}")
        for name, fn in vars(mod).items():
            if name.startswith(prefix) and callable(fn) and getattr(fn, "__module__", None) == mod.__name__:
                kind = name.removeprefix(prefix)
                if kind in found:
                    raise RuntimeError(f"{prefix}{kind} is defined twice in {package}")
                found[kind] = fn
    return found
