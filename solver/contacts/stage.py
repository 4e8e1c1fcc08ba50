"""Run stage 2: one ContactModel per medewerker, solved in turn within the remaining time."""

from __future__ import annotations

import importlib
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from planner.plan import Contact, Plan
from solver.contacts.explain import shortfall_causes
from solver.contacts.model import ContactModel
from solver.contacts.needs import ContactNeed, contact_needs
from solver.data import ProblemData, SolveOptions

_rules = importlib.import_module("solver.contacts.rules")
CONTACT_ADDERS = {name.removeprefix("add_"): fn for name, fn in vars(_rules).items()
                  if name.startswith("add_") and callable(fn)}


@dataclass
class ContactStageResult:
    contacts: list[Contact] = field(default_factory=list)
    objective: int = 0
    bound: int = 0
    optimal: bool = True
    notes: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    penalties: dict[str, int] = field(default_factory=dict)  # per soft rule
    causes: list = field(default_factory=list)  # solver.causes.Cause: contacts left out, and why
    soft_places: list = field(default_factory=list)  # (rule id, place, amount, penalty) of the soft rules


def _pinned_contacts(data: ProblemData, plan: Plan) -> list[Contact]:
    """Pinned contacts of the fixed plan whose toewijzing is still served by the same person."""
    if data.fixed is None:
        return []
    served = {a.toewijzing_id: {*a.executor_ids, a.responsible_id} for a in plan.caseload}
    return [c for c in data.fixed.contacts
            if c.pinned and c.staff_id in served.get(c.toewijzing_id, ()) and data.start_dt <= c.start < data.end_dt]


def _minus_pinned(needs: list[ContactNeed], pinned: list[Contact], data: ProblemData) -> list[ContactNeed]:
    """Each pinned contact takes the place of one contact of the same toewijzing, week and kind."""
    left = defaultdict(int)
    for c in pinned:
        left[c.toewijzing_id, (c.start - data.start_dt).days // 7, c.kind] += 1
    out = []
    for n in needs:
        key = (n.toewijzing_id, n.week, n.kind)
        take = min(left[key], n.count)
        left[key] -= take
        if n.count - take:
            out.append(replace(n, count=n.count - take, required=max(n.required - take, 0)))
    return out


def place_contacts(data: ProblemData, plan: Plan, options: SolveOptions, time_limit: float,
                   stop: threading.Event | None = None) -> ContactStageResult:
    t0 = time.monotonic()
    out = ContactStageResult()
    needs = defaultdict(list)
    pinned = _pinned_contacts(data, plan)
    out.contacts += pinned
    for n in _minus_pinned(contact_needs(data, plan), pinned, data):
        needs[n.staff_id].append(n)
    fixed = defaultdict(list)
    for c in pinned:
        fixed[c.staff_id].append((c.start, c.end))
    occ = {(o.session.id, o.date): o for o in data.occurrences}
    for s in plan.sessions:
        o = occ.get((s.session_id, s.date))
        for sid in s.staff_ids if o else ():
            fixed[sid].append((o.start, o.end))
    for sh in plan.shifts:
        fixed[sh.staff_id].append((sh.start, sh.end))
    people = sorted(needs)
    statuses = defaultdict(int)
    for i, sid in enumerate(people):
        if stop is not None and stop.is_set():
            out.notes.append("Gestopt: contacten van een deel van de medewerkers zijn niet ingepland.")
            out.optimal = False
            break
        left = time_limit - (time.monotonic() - t0)
        per_person = max(left / max(len(people) - i, 1), 0.05)
        result = _solve_person(data, sid, needs[sid], fixed[sid], options, per_person)
        if result is None:
            # no plan in time, or the day rules cannot hold with the fixed sessions: place nothing for this
            # person rather than break a hard rule; the contacts show up as unmet demand
            out.notes.append(f"Medewerker {sid}: contacten niet ingepland (geen rooster binnen de tijd of de "
                             f"werktijdregels per dag botsen met de groepssessies).")
            out.causes += shortfall_causes(data, sid, needs[sid], {}, fixed[sid])
            out.optimal = False
            statuses["NIET_GEPLAND"] += 1
            continue
        status, contacts, obj, bound, penalties, counts, places = result
        out.causes += shortfall_causes(data, sid, needs[sid], counts, fixed[sid])
        out.soft_places += places
        for rid, p in penalties.items():
            out.penalties[rid] = out.penalties.get(rid, 0) + p
        statuses[status] += 1
        out.contacts += contacts
        out.objective += obj
        out.bound += bound
        out.optimal &= status == "OPTIMAL"
    out.stats = {"people": len(people), "statuses": dict(statuses), "seconds": round(time.monotonic() - t0, 3),
                 "contacts": len(out.contacts)}
    return out


def _solve_person(data: ProblemData, sid: str, needs, fixed, options: SolveOptions, limit: float):
    cm = ContactModel(data, data.bundle.staff[sid], needs, fixed)
    cm.build_days()
    for rule in data.pack.rules:
        fn = CONTACT_ADDERS.get(rule.kind)
        if fn is not None:
            fn(cm, rule)
    cm.finish()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = 1  # tiny models: a single worker has the least overhead
    solver.parameters.random_seed = options.seed
    status = solver.Solve(cm.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    contacts, counts = [], defaultdict(int)
    for pv in cm.placed:
        if solver.Value(pv.presence):
            counts[id(pv.need)] += 1
            start = cm.at(solver.Value(pv.start))
            contacts.append(Contact(pv.need.toewijzing_id, sid, start, start + (cm.at(pv.need.length) - cm.at(0)),
                                    kind=pv.need.kind, one_on_one=pv.need.one_on_one))
    name = "OPTIMAL" if status == cp_model.OPTIMAL else "FEASIBLE"
    penalties: dict[str, int] = {}
    places = []
    for rid, w, e, where in cm.rule_penalties:
        if (v := w * solver.Value(e)):
            penalties[rid] = penalties.get(rid, 0) + v
            places.append((rid, where, solver.Value(e), v))
    return (name, contacts, round(solver.ObjectiveValue()), round(solver.BestObjectiveBound()), penalties, counts,
            places)
