"""The same capacity instance as a time-indexed MIP (pywraplp: SCIP / HiGHS), to compare with CP-SAT.

Same decisions and objective as solver/capacity/model.py, written the way an
LP/MIP needs it: a waiting client's start is one binary per (executor, start
week) and every medewerker has one capacity row per week.  Used only by
``bench/capacity/run.py`` to choose the engine (docs/capacity.md).
"""

from __future__ import annotations

import time

from ortools.linear_solver import pywraplp

from solver.capacity.instance import CapacityInstance
from solver.capacity.model import W_STAFF_HOUR, W_UNMET_MINUTE


def solve_mip(inst: CapacityInstance, engine: str = "SCIP", time_limit: float = 60.0) -> tuple[str, float, float]:
    """(status, objective, seconds) of the MIP formulation."""
    t0 = time.monotonic()
    s = pywraplp.Solver.CreateSolver(engine)
    load: dict[tuple[str, int], list] = {}
    obj = []

    def use(sid, first, end, minutes, var):
        for w in range(first, min(end, inst.horizon)):
            load.setdefault((sid, w), []).append(minutes * var)

    for i, item in enumerate(inst.items):
        if item.running:
            for k, (a, b) in enumerate(inst.segments):
                first, end = max(a, item.first), min(b, item.end, inst.horizon)
                if first >= end:
                    continue
                xs = []
                for sid in sorted(item.candidates):
                    v = s.BoolVar(f"x{i}_{sid}_{k}")
                    use(sid, first, end, item.minutes, v)
                    xs.append(v)
                u = s.BoolVar(f"u{i}_{k}")
                s.Add(sum(xs) + u == 1)
                obj.append(W_UNMET_MINUTE * max(item.minutes, 60) * (end - first) * u)
        else:
            zs = []
            for sid in sorted(item.candidates):
                for st in range(item.earliest, inst.weeks):
                    v = s.BoolVar(f"z{i}_{sid}_{st}")
                    use(sid, st, st + item.duration, item.minutes, v)
                    zs.append(v)
                    obj.append(W_UNMET_MINUTE * max(item.minutes, 60) * (st - item.earliest) * v)
            started = s.Sum(zs) if zs else 0
            s.Add(started <= 1)
            obj.append(W_UNMET_MINUTE * max(item.minutes, 60) * (inst.weeks - item.earliest) * (1 - started))
    staff = inst.bundle.staff
    for need in inst.sessions:
        for k, (a, b) in enumerate(inst.segments):
            weeks = [w for w in range(a, b) if need.enrolled[w]]
            if not weeks:
                continue
            ys = {sid: s.BoolVar(f"y{need.session.id}_{sid}_{k}") for sid in sorted(need.candidates)}
            for sid, v in ys.items():
                for w in weeks:
                    if not inst.absent_at(sid, need.session, w):
                        load.setdefault((sid, w), []).append(need.minutes * v)
                obj.append(W_STAFF_HOUR * max(1, need.minutes // 60) * len(weeks) * v)
            for w in weeks:
                if w >= inst.weeks:
                    continue
                for r in need.requirements:
                    c = r.counts[w]
                    if c > 0:
                        short = s.IntVar(0, c, "")
                        ok = [v for sid, v in ys.items() if not inst.absent_at(sid, need.session, w)
                              and (r.min_education is None or staff[sid].education >= r.min_education)]
                        s.Add(short >= c - s.Sum(ok))
                        weight = (W_UNMET_MINUTE * need.minutes * max(need.enrolled[w], 1) if r.severity == "hard"
                                  else max(r.penalty, 1))
                        obj.append(weight * short)
    for (sid, w), terms in load.items():
        s.Add(s.Sum(terms) <= inst.supply[sid][w])
    s.Minimize(s.Sum(obj))
    s.SetTimeLimit(int(time_limit * 1000))
    status = s.Solve()
    name = {pywraplp.Solver.OPTIMAL: "OPTIMAL", pywraplp.Solver.FEASIBLE: "FEASIBLE"}.get(status, "NIETS")
    value = s.Objective().Value() if name != "NIETS" else float("nan")
    return name, value, time.monotonic() - t0
