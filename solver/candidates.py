"""Keep the model small on large instances: at most K executor and responsible candidates per toewijzing.

Every candidate left after the hard-rule filters is equally qualified; the
ones kept are the current executor/responsible (continuity), then staff whose
working area holds the client's gemeente, then a stable pseudo-random spread
so candidate lists of different toewijzingen overlap little and capacity is
shared evenly.  ``SolveOptions.candidate_limit = 0`` keeps them all.
"""

from __future__ import annotations

import zlib

from solver.model import PlanModel


def _spread(tid: str, sid: str) -> int:
    return zlib.crc32(f"{tid}|{sid}".encode())


def _current(pm: PlanModel) -> tuple[dict[str, str], dict[str, str]]:
    """Current executor and responsible per toewijzing: previous plan first, then the toewijzing's data."""
    execs, resps = {}, {}
    for t in pm.data.toewijzingen:
        if t.current_executor_id:
            execs[t.id] = t.current_executor_id
        if t.current_responsible_id:
            resps[t.id] = t.current_responsible_id
    for plan in (pm.data.previous, pm.data.fixed):
        for a in (plan.caseload if plan else []):
            if a.executor_ids:
                execs[a.toewijzing_id] = a.executor_ids[0]
            if a.responsible_id:
                resps[a.toewijzing_id] = a.responsible_id
    return execs, resps


def limit_candidates(pm: PlanModel, limit: int, keep: frozenset[str] = frozenset()) -> None:
    """At most ``limit`` executors (half as many responsibles) per toewijzing; staff in ``keep`` always stay."""
    if limit <= 0:
        return
    execs, resps = _current(pm)
    staff, jeugdigen = pm.data.bundle.staff, pm.data.bundle.jeugdigen
    for t in pm.data.toewijzingen:
        pm.eligible_count[t.id] = len(pm.exec_candidates[t.id])
        gemeente = jeugdigen[t.jeugdige_id].gemeente

        def rank(sid: str, current: str | None) -> tuple:
            area = staff[sid].gemeenten
            return (sid != current, bool(area) and gemeente not in area, _spread(t.id, sid))

        for pool, current, k in ((pm.exec_candidates, execs.get(t.id), limit),
                                 (pm.resp_candidates, resps.get(t.id), max(limit // 2, 5))):
            if len(pool[t.id]) > k:
                pool[t.id] = set(sorted(pool[t.id], key=lambda s: rank(s, current))[:k]) | (pool[t.id] & keep)


def limit_session_candidates(pm: PlanModel, limit: int, keep: frozenset[str] = frozenset()) -> None:
    """At most ``limit`` staff per session occurrence: the previous plan's staff of the session first,
    then the most qualified (highest education, registered) and a stable spread for the rest."""
    if limit <= 0:
        return
    from planner.roles import is_registered_professional

    staff = pm.data.bundle.staff
    before: dict[tuple, set[str]] = {}
    for plan in (pm.data.previous, pm.data.fixed):
        for s in (plan.sessions if plan else []):
            before.setdefault((s.session_id, s.date), set()).update(s.staff_ids)
    senior = {sid: (-staff[sid].education.rank, not is_registered_professional(staff[sid])) for sid in staff}
    for key, pool in pm.session_candidates.items():
        if len(pool) <= limit:
            continue
        chosen = {sid for sid in pool if sid in before.get(key, ())}
        qualified = sorted(pool - chosen, key=lambda sid: (*senior[sid], _spread(str(key), sid)))
        chosen |= set(qualified[: max(limit // 3, 1)])
        rest = sorted(pool - chosen, key=lambda sid: _spread(str(key), sid))
        chosen |= set(rest[: max(limit - len(chosen), 0)])
        pm.session_candidates[key] = chosen | (pool & keep)
