"""Parallel LNS repair for a ShiftProblem: exact re-optimisation of small neighbourhoods.

A move frees a few employees (over the whole horizon, or many on a window of days), builds only
that part of the model (``build`` with everything else constant) and solves it exactly with one
CP-SAT worker at maximal linearisation. ``workers`` threads run moves at the same time (CP-SAT
releases the GIL while it solves); each thread claims its employees, so two running moves never
touch the same row. Cover couples the rows: a finished move is re-scored against the current
roster by ``Penalty`` (incremental, plain Python) and kept when it is not worse. Each row comes
whole from one move, so the merged roster keeps every per-employee rule; the one hard rule across
rows (companions: a junior only with a senior on the shift) is re-checked on the merged roster.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from ortools.sat.python import cp_model

from solver.shifts.build import build
from solver.shifts.penalty import Penalty
from solver.shifts.problem import Roster, ShiftProblem, companion_violations

Progress = Callable[[str, float, int | None, int], None]  # phase, seconds, objective, bound


def cp_solver(limit: float, workers: int, seed: int, max_lp: bool = False) -> cp_model.CpSolver:
    """A CP-SAT solver; ``max_lp``: maximal linearisation, plus the ``max_lp`` subsolver when there are
    two or more workers (what proves the small Curtois instances and closes moves fast, docs/curtois.md)."""
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = max(limit, 0.01)
    s.parameters.num_workers = workers
    s.parameters.random_seed = seed
    if max_lp:
        s.parameters.linearization_level = 2
        if workers >= 2:
            s.parameters.subsolvers.append("max_lp")
    return s


@dataclass
class _Sizes:
    """Neighbourhood size (employee-day cells) per move kind, grown when moves close fast, shrunk when not."""
    cells: dict[str, float] = field(default_factory=dict)
    most: float = 1e9

    def adapt(self, kind: str, optimal: bool, fast: bool) -> None:
        if optimal and fast:
            self.cells[kind] = min(self.most, self.cells[kind] * 1.1)
        elif not optimal:
            self.cells[kind] = max(self.cells[kind] * 0.85, 7.0)


def _skills(p: ShiftProblem) -> dict[str, set[str]]:
    return {e.id: {s.id for s in p.shifts if p.allowed(e, -1, s.id)} for e in p.employees}


def _pick(p: ShiftProblem, rng: random.Random, kind: str, cells: float, busy: set[str], pen: Penalty,
          skills: dict[str, set[str]], most: int) -> tuple[list[str], range | None]:
    """At most ``most`` employees (not ``busy``) and the days of one move of about ``cells`` cells."""
    h = p.horizon
    idle = [e.id for e in p.employees if e.id not in busy]
    if not idle:
        return [], None
    cells = min(cells, most * h)
    if kind == "rows":  # a few employees over the whole horizon
        k, days = max(1, min(len(idle), int(cells // h) or 1)), None
    else:  # many employees on a window of days
        span = min(h, rng.choice([3, 5, 7, 7, 10, 14]))
        k = max(1, min(len(idle), most, int(cells // span)))
        first = rng.randrange(0, h - span + 1)
        days = None if span >= h else range(first, first + span)
    # 60 % of the moves go to a hot spot: a missed cover or an unmet request of an idle employee. A gap
    # that cannot be closed (too few staff) would otherwise draw every targeted move (Instance9: 4 unders)
    gaps = [(None, d, s) for d, s in pen.missed()] + [u for u in pen.unmet_requests() if u[0] not in busy]
    if gaps and rng.random() < 0.6:  # around a hot spot, with its employee and people who can take the shift
        owner, d, shift = rng.choice(gaps)
        if days is not None:
            first = min(max(0, d - rng.randrange(days.stop - days.start)), h - (days.stop - days.start))
            days = range(first, first + days.stop - days.start)
        able = [e for e in idle if shift in skills[e] and e != owner]
        rng.shuffle(able)
        spare: set[str] = set()  # those with minutes left, freed first where a trade can close the shortage
        if owner is None and pen.count.get((d, shift), 0) < pen.cover[d, shift].required:
            # a shortage: first those who may still take one more of that shift, then those who may by
            # giving up another; the others freed are then first those with minutes left to take that over
            reach = pen.reach()
            able.sort(key=lambda e: (e not in reach.takers[shift], e not in reach.traders[shift]))
            if reach.traders[shift]:
                spare = reach.spare
        pick = ([owner] if owner else []) + able[:max(1, (k + 1) // 2) - bool(owner)]
        rest = [e for e in idle if e not in pick]
        rng.shuffle(rest)
        rest.sort(key=lambda e: e not in spare)
        return pick + rest[:k - len(pick)], days
    if rng.random() < 0.5:
        return rng.sample(idle, min(k, len(idle))), days
    pivot = rng.choice(idle)  # employees sharing many shift types with a pivot
    ranked = sorted(idle, key=lambda e: (-len(skills[e] & skills[pivot]), rng.random()))
    return ranked[:k], days


def repair_parallel(p: ShiftProblem, roster: Roster, deadline: float, workers: int, seed: int,
                    move_limit: float, progress: Progress | None = None, t0: float | None = None) -> tuple[Roster, int, dict]:
    """Run moves on ``workers`` threads until ``deadline`` (time.monotonic()); best roster and its objective."""
    t0 = time.monotonic() if t0 is None else t0
    pen = Penalty(p, roster)
    lock = threading.Lock()
    busy: set[str] = set()
    skills = _skills(p)
    sizes = _Sizes({"rows": 2.0 * p.horizon, "window": 60.0}, most=len(p.employees) * p.horizon / 2)
    stats = {"moves": 0, "improved": 0, "merged_worse": 0}

    threads = max(1, workers)  # one CP-SAT worker per move, ``workers`` moves at a time
    most = max(1, len(p.employees) // threads)  # each running move leaves room for the others
    errors: list[BaseException] = []

    def work(wid: int) -> None:
        try:
            moves(random.Random(seed * 7919 + wid))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            errors.append(exc)

    def moves(rng: random.Random) -> None:
        while time.monotonic() < deadline - 0.05:
            with lock:
                kind = "rows" if rng.random() < 0.5 else "window"
                free, days = _pick(p, rng, kind, sizes.cells[kind], busy, pen, skills, most)
                busy.update(free)
                base = {k: list(v) for k, v in pen.roster.items()}
            if not free:
                time.sleep(0.01)
                continue
            try:
                sm = build(p, free, base, days)
                sm.hint(base)
                s = cp_solver(min(move_limit, deadline - time.monotonic()), 1, rng.randrange(1 << 30), max_lp=True)
                st = s.Solve(sm.model)
                with lock:
                    stats["moves"] += 1
                    sizes.adapt(kind, st == cp_model.OPTIMAL, s.WallTime() < move_limit / 3)
                    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                        continue
                    new = sm.roster(s, base)
                    rows = {e: new[e] for e in free}
                    delta = pen.delta(rows)
                    if delta <= 0 and p.companions and (companion_violations(p, {**pen.roster, **rows})
                                                        > companion_violations(p, pen.roster)):
                        delta = 1  # each move kept the companions of its base; merged they may not
                    if delta <= 0:
                        pen.apply(rows)
                        if delta < 0:
                            stats["improved"] += 1
                            if progress:
                                progress("repair", time.monotonic() - t0, pen.value, 0)
                    else:
                        stats["merged_worse"] += 1
            finally:
                with lock:
                    busy.difference_update(free)

    pool = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if errors:
        raise errors[0]
    stats.update(objective=pen.value, cells={k: int(v) for k, v in sizes.cells.items()})
    return pen.roster, pen.value, stats
