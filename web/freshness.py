"""Is a plan still made from today's data?  A fingerprint of the data a plan is made from.

Every plan version stores :func:`data_fingerprint` of the bundle it was solved from (column
``plannen.fingerprint``, migration 0008): one short hash per part (medewerkers, beschikbaarheid en
afwezigheid, toewijzingen, groepen).  The plan page and the dashboard compare it with the current
bundle's; the parts that differ are named ("Gegevens gewijzigd na dit plan: toewijzingen").  Data changed
and changed back counts as unchanged.  The fingerprint of a bundle is computed once per bundle object
(the store caches the bundle per data revision), so a page view costs a dictionary lookup.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import asdict, is_dataclass
from typing import Any

from planner.domain import Bundle

PARTS = {"medewerkers": "medewerkers", "beschikbaarheid": "beschikbaarheid en afwezigheid",
         "toewijzingen": "toewijzingen", "groepen": "groepen en inschrijvingen"}

_lock = threading.Lock()
_cache: dict[int, tuple[Bundle, dict[str, str]]] = {}


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=str)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)  # dates, times, enums


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(_plain(value), sort_keys=True, default=str).encode()).hexdigest()[:16]


def _compute(bundle: Bundle) -> dict[str, str]:
    staff = {sid: {k: v for k, v in asdict(m).items() if k != "availability"} for sid, m in bundle.staff.items()}
    avail = {sid: m.availability for sid, m in bundle.staff.items()}
    return {"medewerkers": _digest(staff),
            "beschikbaarheid": _digest([avail, sorted(bundle.absences, key=repr)]),
            "toewijzingen": _digest(bundle.toewijzingen),
            "groepen": _digest([bundle.groups, bundle.sessions, sorted(bundle.enrolments, key=repr)])}


def data_fingerprint(bundle: Bundle) -> dict[str, str]:
    """Per part of the data a short hash (cached per bundle object)."""
    with _lock:
        hit = _cache.get(id(bundle))
        if hit is not None and hit[0] is bundle:
            return hit[1]
    fp = _compute(bundle)
    with _lock:
        if len(_cache) > 8:
            _cache.clear()
        _cache[id(bundle)] = (bundle, fp)
    return fp


def changed_parts(stored: dict | None, bundle: Bundle) -> list[str]:
    """The Dutch names of the parts that changed since the plan was made ([] when unknown or unchanged)."""
    if not stored:
        return []
    now = data_fingerprint(bundle)
    return [PARTS[k] for k in PARTS if k in stored and stored[k] != now.get(k)]
