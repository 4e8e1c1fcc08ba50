"""Hiring recommendation: the cheapest set of candidate hires that meets a waiting-list goal.

Each candidate profile (education, registration, profession, certifications,
fte, cost per fte, earliest start) is added ``max_aantal`` times as an
optional medewerker, absent before the earliest start.  The same candidate
filters decide what a hire may do, so a profile without the MST
certification is never counted for MST.  Lexicographic CP-SAT solves
(:func:`solver.capacity.solve.solve_lexicographic`):
0. running clients keep their care: the least running care not given comes
   first (a hire plan never starts a waiting client at their cost);
1. the fewest weeks waited beyond the goal (0 when the goal is reachable);
2. at that, the lowest cost of hires;
3. at all of these, the least care not given as the result reports it;
4. the usual capacity objective (guidelines, continuity, roster hours).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from planner.domain import Bundle
from planner.rules import RulePack
from planner.scenario import ScenarioBundle, ScenarioError, _date, _shallow_copy, add_profile_staff
from solver.capacity.instance import CapacityOptions, build_instance
from solver.capacity.model import CapacityModel, build_capacity_model
from solver.capacity.result import Hire, ScenarioResult, extract
from solver.capacity.solve import ProgressFn, explain, objective_of, solve_lexicographic
from solver.capacity.supply import week_of


@dataclass
class Candidate:
    name: str
    profile: dict  # opleiding, beroep, registraties, certificeringen, teams, gemeenten, dagen
    fte: float
    cost_per_fte: float
    earliest: date
    max_count: int = 3

    @property
    def cost(self) -> int:
        return round(self.fte * self.cost_per_fte)


@dataclass
class HiringGoal:
    within_weeks: int | None = 6  # every waiting client starts within this many weeks after referral
    clear_by: date | None = None  # or: the waiting list is empty by this date
    max_waiting: int | None = None  # or: at most this many clients wait in any week ...
    from_date: date | None = None  # ... from this date (also: the wait goal counts from this date)
    percentile: int | None = None  # with inflow: plan for the inflow not exceeded in this share of years (bands)

    def text(self) -> str:
        """The goal as a Dutch sentence part."""
        since = f" vanaf {self.from_date.isoformat()}" if self.from_date else ""
        if self.max_waiting is not None:
            what = f"hoogstens {self.max_waiting} wachtenden per week{since}"
        elif self.clear_by is not None:
            what = f"wachtlijst leeg op {self.clear_by.isoformat()}"
        else:
            what = f"iedere wachtende binnen {self.within_weeks} weken na verwijzing gestart{since}"
        if self.percentile:
            what += f", in {self.percentile // 10} van de 10 jaren (instroom p{self.percentile})"
        return what


def parse_hiring(raw: dict, period_start: date) -> tuple[list[Candidate], HiringGoal]:
    """The ``werving`` section of a scenario: ``kandidaten`` and ``doel`` ({binnen_weken} or {wachtlijst_leeg_op})."""
    problems, cands = [], []
    for n, c in enumerate(raw.get("kandidaten") or [], 1):
        try:
            profile = {**c, "fte": float(c.get("fte", 1.0))}
            cands.append(Candidate(str(c.get("naam") or f"kandidaat {n}"), profile, float(c.get("fte", 1.0)),
                                   float(c["kosten_per_fte"]), _date(c.get("vanaf") or period_start, "vanaf"),
                                   int(c.get("max_aantal", 3))))
        except (KeyError, TypeError, ValueError) as e:
            problems.append(f"kandidaat {n}: ontbrekend of ongeldig veld ({e})")
    goal_raw = raw.get("doel") or {}
    try:
        goal = HiringGoal(int(goal_raw["binnen_weken"]) if "binnen_weken" in goal_raw else None,
                          _date(goal_raw["wachtlijst_leeg_op"], "wachtlijst_leeg_op") if "wachtlijst_leeg_op" in goal_raw
                          else None,
                          int(goal_raw["max_wachtenden"]) if goal_raw.get("max_wachtenden") is not None else None,
                          _date(goal_raw["vanaf"], "vanaf") if goal_raw.get("vanaf") else None,
                          int(goal_raw["percentiel"]) if goal_raw.get("percentiel") else None)
    except (TypeError, ValueError) as e:
        raise ScenarioError([f"werving: ongeldig doel ({e})"]) from None
    if goal.within_weeks is None and goal.clear_by is None and goal.max_waiting is None:
        goal.within_weeks = 6
    if goal.percentile is not None and not 50 <= goal.percentile <= 99:
        problems.append("werving: percentiel ligt tussen 50 en 99")
    if not cands:
        problems.append("werving: geen kandidaten opgegeven")
    if problems:
        raise ScenarioError(problems)
    return cands, goal


def _add_candidates(bundle: Bundle, pack: RulePack, candidates: list[Candidate]) -> tuple[Bundle, dict[str, Candidate]]:
    sb = ScenarioBundle("werving", _shallow_copy(bundle), pack)
    owner: dict[str, Candidate] = {}
    for n, c in enumerate(candidates, 1):
        for sid in add_profile_staff(sb, c.profile, c.max_count, c.earliest, f"K{n}-", c.name):
            owner[sid] = c
    return sb.bundle, owner


def _lateness(cm: CapacityModel, goal: HiringGoal) -> list:
    """Weeks each waiting client starts beyond its deadline."""
    inst, out = cm.inst, []
    since = max(0, week_of(inst.start, goal.from_date)) if goal.from_date else 0
    if goal.max_waiting is not None:
        return _excess_waiting(cm, goal.max_waiting, since)
    clear = week_of(inst.start, goal.clear_by) if goal.clear_by else None
    for i, s in cm.start.items():
        item = inst.items[i]
        deadline = max(item.earliest, since,
                       clear if clear is not None else item.referral + (goal.within_weeks or 0))
        if deadline >= inst.weeks:
            continue
        late = cm.model.NewIntVar(0, inst.weeks, f"late[{item.t.id}]")
        cm.model.Add(late >= s - deadline)
        out.append(late)
    return out


def _excess_waiting(cm: CapacityModel, limit: int, since: int) -> list:
    """Per week from ``since``: how many clients wait beyond ``limit`` (referred by then, not yet started)."""
    inst, out = cm.inst, []
    for w in range(since, inst.weeks):
        waiting = []
        for i, s in cm.start.items():
            if inst.items[i].referral > w:
                continue
            b = cm.model.NewBoolVar(f"wacht[{inst.items[i].t.id},{w}]")
            cm.model.Add(s <= w).OnlyEnforceIf(b.Not())  # not waiting in week w: started by then
            waiting.append(b)
        if len(waiting) > limit:
            excess = cm.model.NewIntVar(0, len(waiting), f"teveel[{w}]")
            cm.model.Add(excess >= sum(waiting) - limit)
            out.append(excess)
    return out


def recommend_hires(bundle: Bundle, pack: RulePack, candidates: list[Candidate], goal: HiringGoal,
                    options: CapacityOptions | None = None,
                    contract_changes: dict[str, list[tuple[date, float]]] | None = None,
                    priorities: dict[str, int] | None = None, name: str = "werving",
                    on_progress: ProgressFn | None = None, stop: threading.Event | None = None) -> ScenarioResult:
    """Cheapest hires that meet ``goal``; the result lists each hire with the demand it serves."""
    options = options or CapacityOptions()
    t0 = time.monotonic()
    extended, owner = _add_candidates(bundle, pack, candidates)
    inst = build_instance(extended, pack, options, contract_changes, priorities, optional_staff=frozenset(owner))
    model = cp_model.CpModel()
    hires = {sid: model.NewBoolVar(f"hire[{sid}]") for sid in owner}
    by_profile: dict[str, list[str]] = {}
    for sid, c in owner.items():
        by_profile.setdefault(c.name, []).append(sid)
    for sids in by_profile.values():  # the first copies of a profile are hired first
        for a, b in zip(sids, sids[1:]):
            model.AddImplication(hires[b], hires[a])
    cm = build_capacity_model(inst, hires=hires, model=model)
    late = _lateness(cm, goal)
    cost = sum(owner[sid].cost * h for sid, h in hires.items())
    phases = [("lopend", sum(cm.running_unmet), 0.2), ("doel", sum(late), 0.25), ("kosten", cost, 0.2),
              ("zorg", sum(cm.care), 0.15), ("capaciteit", objective_of(cm), 0.2)]
    solver, status, best = solve_lexicographic(cm, phases, options, options.time_limit, t0, on_progress, stop)
    if solver is None:
        res = ScenarioResult(name, status, time.monotonic() - t0, inst.start, inst.weeks)
        res.explanation = [f"Geen wervingsadvies gevonden ({status}); geef meer tijd."]
        return res
    res = extract(cm, solver.Value, name, status, time.monotonic() - t0)
    res.hires = _hires(cm, solver, owner, hires)
    if len(best) < len(phases):
        res.explanation.append(f"Let op: binnen de tijd alleen de stap(pen) {', '.join(n for n, _ in best)} afgerond; "
                               f"geef meer tijd voor het goedkoopste advies.")
    res.explanation = _goal_lines(goal, dict(best)) + res.explanation + [h.explanation for h in res.hires] + explain(res)
    return res


def _hires(cm: CapacityModel, solver, owner: dict[str, Candidate], hires: dict) -> list[Hire]:
    inst, out = cm.inst, []
    for sid, h in hires.items():
        if not solver.Value(h):
            continue
        c = owner[sid]
        ts = sorted({inst.items[i].t.id for (i, s, _k), v in cm.x.items() if s == sid and solver.Value(v)}
                    | {inst.items[i].t.id for (i, s), v in cm.w.items() if s == sid and solver.Value(v)})
        sessions = sorted({sess for (sess, s, _k), v in cm.y.items() if s == sid and solver.Value(v)})
        products: dict[str, int] = {}
        for tid in ts:
            t = inst.bundle.toewijzingen[tid]
            key = t.product_code + (f" {t.intervention}" if t.intervention else "")
            products[key] = products.get(key, 0) + 1
        what = ", ".join(f"{n}x {k}" for k, n in sorted(products.items())) or "geen toewijzingen"
        text = (f"Aannemen: {c.name} ({c.profile.get('beroep')}, {c.profile.get('opleiding')}, {c.fte:g} fte, "
                f"vanaf {c.earliest.isoformat()}, {_euro(c.cost)} per jaar) als {sid}: neemt {what} op"
                + (f" ({', '.join(ts)})" if ts else "") + (f" en groepssessies {', '.join(sessions)}" if sessions else "")
                + ".")
        out.append(Hire(c.name, sid, c.fte, c.cost, c.earliest, ts, sessions, text))
    return out


def _goal_lines(goal: HiringGoal, best: dict[str, int]) -> list[str]:
    what = goal.text()
    if "doel" not in best:
        return [f"Doel ({what}) kon binnen de tijd niet beoordeeld worden; geef meer tijd."]
    late = best["doel"]
    if late:
        unit = "wachtende(n) per week te veel (opgeteld)" if goal.max_waiting is not None else "wachtweek/weken te laat"
        return [f"Doel ({what}) is met deze kandidaten niet haalbaar: samen {late} {unit}."]
    return [f"Doel ({what}) is haalbaar; goedkoopste aannames: {_euro(best.get('kosten', 0))} per jaar."]


def _euro(amount: float) -> str:
    """60520 -> '€ 60.520' (Dutch thousands separator)."""
    return "€ " + f"{amount:,.0f}".replace(",", ".")
