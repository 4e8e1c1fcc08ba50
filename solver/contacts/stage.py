"""Run stage 2: one ContactModel per medewerker, solved in turn within the remaining time.

Two passes (issue 24, "use the whole time limit").  The first pass gives every person an even share of
what is left; almost every person's model is proven optimal in milliseconds, so most of the stage's
time is still there when it ends.  A few people need a second or two (days fragmented by sessions,
several frequency rules) and an even share (~0.2 s at XL) leaves them FEASIBLE with contacts out: at
10,000 + 100 a minute per contact, those few carried the whole gap of an XL week.  The second pass
gives the time left to exactly those people, largest gap first, starting from their first-pass
solution, and keeps the better of the two; it goes round again while time is left and someone is
still open, so the stage uses its whole budget unless everyone is proven optimal.
"""

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
MIN_PERSON_SECONDS = 0.05  # the first pass gives everyone at least this (no plan at all leaves care undone)


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


@dataclass
class PersonResult:
    """One person's contact model as solved: status OPTIMAL, FEASIBLE, UNKNOWN (nothing in time) or
    INFEASIBLE (the day rules cannot hold with the fixed sessions and shifts)."""

    status: str
    contacts: list[Contact] = field(default_factory=list)
    objective: int = 0
    bound: int = 0
    penalties: dict[str, int] = field(default_factory=dict)
    counts: dict = field(default_factory=dict)  # id(need) -> contacts placed
    places: list = field(default_factory=list)
    model: ContactModel | None = None  # kept only while a second pass may need it
    values: list[int] | None = None  # the solution, as a hint for the second pass

    @property
    def solved(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")

    @property
    def open(self) -> bool:
        """Worth more time: not proven optimal, and not proven impossible."""
        return self.status in ("FEASIBLE", "UNKNOWN")

    @property
    def gap(self) -> float:
        """What more time could still gain; no plan at all comes first."""
        return self.objective - self.bound if self.solved else float("inf")


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


def _fixed_work(data: ProblemData, plan: Plan, pinned: list[Contact]) -> dict[str, list]:
    """Per person the (start, end) of what stage 2 must plan around: pinned contacts, sessions, shifts."""
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
    return fixed


def place_contacts(data: ProblemData, plan: Plan, options: SolveOptions, time_limit: float,
                   stop: threading.Event | None = None) -> ContactStageResult:
    """Place every person's contacts within ``time_limit`` seconds: a first pass over all, a second pass
    over those not proven optimal; the second pass never runs past the limit."""
    t0 = time.monotonic()
    deadline = t0 + time_limit
    out = ContactStageResult()
    needs = defaultdict(list)
    pinned = _pinned_contacts(data, plan)
    out.contacts += pinned
    for n in _minus_pinned(contact_needs(data, plan), pinned, data):
        needs[n.staff_id].append(n)
    fixed = _fixed_work(data, plan, pinned)
    people = sorted(needs)
    results = _first_pass(data, people, needs, fixed, options, deadline, stop)
    if len(results) < len(people):
        out.notes.append("Gestopt: contacten van een deel van de medewerkers zijn niet ingepland.")
        out.optimal = False
    t1 = time.monotonic()
    second = _second_pass(results, options, deadline, stop)
    statuses = defaultdict(int)
    for sid in people:
        if sid in results:
            statuses[_collect(out, data, sid, needs[sid], fixed[sid], results[sid])] += 1
    out.stats = {"people": len(people), "statuses": dict(statuses), "seconds": round(time.monotonic() - t0, 3),
                 "contacts": len(out.contacts), "second_pass": second["people"],
                 "second_pass_improved": second["improved"], "second_pass_rounds": second["rounds"],
                 "second_pass_seconds": round(time.monotonic() - t1, 3)}
    return out


def first_pass_limit(left: float, people_left: int) -> float:
    """A person's time in the first pass: an even share of what is left (at least MIN_PERSON_SECONDS).
    Those who finish early leave their time to the people after them and to the second pass."""
    return max(left / max(people_left, 1), MIN_PERSON_SECONDS)


def _first_pass(data: ProblemData, people: list[str], needs: dict, fixed: dict, options: SolveOptions,
                deadline: float, stop: threading.Event | None) -> dict[str, PersonResult]:
    """Every person once; stops early (fewer results than people) when asked to."""
    results: dict[str, PersonResult] = {}
    for i, sid in enumerate(people):
        if stop is not None and stop.is_set():
            break
        cm = _build_person(data, sid, needs[sid], fixed[sid])
        results[sid] = _solve_person(cm, sid, options, first_pass_limit(deadline - time.monotonic(), len(people) - i))
    return results


def second_pass_order(results: dict[str, PersonResult]) -> list[str]:
    """The people worth more time, largest gap first (no plan at all first): each contact left out costs
    10,000 + 100 a minute, so the largest gap is where the most care is still unplaced."""
    return sorted((sid for sid, r in results.items() if r.open), key=lambda sid: (-results[sid].gap, sid))


def _second_pass(results: dict[str, PersonResult], options: SolveOptions, deadline: float,
                 stop: threading.Event | None) -> dict:
    """Give the open people the time left, in rounds, until none is open or the time is used up; keep the
    better result of every solve.  Unlike the first pass there is no minimum: it only uses time the stage
    still has."""
    tried: set[str] = set()
    improved = rounds = 0
    while (order := second_pass_order(results)) and _time_left(deadline, stop):
        rounds += 1
        done, better = _second_pass_round(results, order, options, deadline, stop)
        tried |= done
        improved += better
    for r in results.values():  # the models are not needed any more
        r.model = r.values = None
    return {"people": len(tried), "improved": improved, "rounds": rounds}


def _time_left(deadline: float, stop: threading.Event | None) -> bool:
    """Another second-pass solve fits: at least MIN_PERSON_SECONDS before the stage's deadline (shorter slices
    cost more in presolve than they search), and no stop asked."""
    return deadline - time.monotonic() >= MIN_PERSON_SECONDS and not (stop is not None and stop.is_set())


def _second_pass_round(results: dict[str, PersonResult], order: list[str], options: SolveOptions, deadline: float,
                       stop: threading.Event | None) -> tuple[set[str], int]:
    """One round over ``order``: each person an even share of what is left when their turn comes, starting from
    their best solution so far.  One proven optimal early leaves its time to the next; the time of the last
    people who finish early goes to the next round, in which those still open share it (the largest gap came
    first, when the shares were smallest).  Returns (people solved again, improved)."""
    done, improved = set(), 0
    for i, sid in enumerate(order):
        if not _time_left(deadline, stop):
            break
        done.add(sid)
        first = results[sid]
        again = _solve_person(first.model, sid, options, (deadline - time.monotonic()) / (len(order) - i),
                              hint=first.values)
        results[sid] = best = _better(first, again)
        improved += best is again and (not first.solved or again.objective < first.objective)
    return done, improved


def _better(first: PersonResult, again: PersonResult) -> PersonResult:
    """The better of two solves of the same model: the lower objective, the tighter (higher) of both bounds;
    proven optimal when that objective meets that bound."""
    if again.status == "INFEASIBLE":  # only a person without any plan yet: proven that none exists
        return again
    if not again.solved:
        return first
    if first.solved and first.objective < again.objective:
        best = first
    else:
        best = again
    if first.solved:
        best.bound = max(first.bound, again.bound)
    if best.objective <= best.bound:
        best.status = "OPTIMAL"
    return best


def _collect(out: ContactStageResult, data: ProblemData, sid: str, needs, fixed, r: PersonResult) -> str:
    """Add one person's final result to the stage's; returns the status to count."""
    if not r.solved:
        # no plan in time, or the day rules cannot hold with the fixed sessions: place nothing for this
        # person rather than break a hard rule; the contacts show up as unmet demand
        out.notes.append(f"Medewerker {sid}: contacten niet ingepland (geen rooster binnen de tijd of de "
                         f"werktijdregels per dag botsen met de groepssessies).")
        out.causes += shortfall_causes(data, sid, needs, {}, fixed)
        out.optimal = False
        return "NIET_GEPLAND"
    out.causes += shortfall_causes(data, sid, needs, r.counts, fixed)
    out.soft_places += r.places
    for rid, p in r.penalties.items():
        out.penalties[rid] = out.penalties.get(rid, 0) + p
    out.contacts += r.contacts
    out.objective += r.objective
    out.bound += r.bound
    out.optimal &= r.status == "OPTIMAL"
    return r.status


def _build_person(data: ProblemData, sid: str, needs, fixed) -> ContactModel:
    cm = ContactModel(data, data.bundle.staff[sid], needs, fixed)
    cm.build_days()
    for rule in data.pack.rules:
        fn = CONTACT_ADDERS.get(rule.kind)
        if fn is not None:
            fn(cm, rule)
    cm.finish()
    return cm


def _hint(cm: ContactModel, values: list[int]) -> None:
    """Hint a complete earlier solution of the same model (every variable, in proto order): the search starts
    from it, so a second solve is never worse than the first."""
    cm.model.clear_hints()
    cm.model.proto.solution_hint.vars.extend(range(len(values)))
    cm.model.proto.solution_hint.values.extend(values)


def _solve_person(cm: ContactModel, sid: str, options: SolveOptions, limit: float,
                  hint: list[int] | None = None) -> PersonResult:
    """Solve one person's model; a result that may get a second pass keeps its model and solution."""
    if hint is not None:
        _hint(cm, hint)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(limit, 0.0)
    solver.parameters.num_workers = 1  # tiny models: a single worker has the least overhead
    solver.parameters.random_seed = options.seed
    status = solver.Solve(cm.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        name = "INFEASIBLE" if status == cp_model.INFEASIBLE else "UNKNOWN"
        return PersonResult(name, model=cm if name == "UNKNOWN" else None)
    contacts, counts = [], defaultdict(int)
    for pv in cm.placed:
        if solver.Value(pv.presence):
            counts[id(pv.need)] += 1
            start = cm.at(solver.Value(pv.start))
            contacts.append(Contact(pv.need.toewijzing_id, sid, start, start + (cm.at(pv.need.length) - cm.at(0)),
                                    kind=pv.need.kind, one_on_one=pv.need.one_on_one))
    penalties: dict[str, int] = {}
    places = []
    for rid, w, e, where in cm.rule_penalties:
        if (v := w * solver.Value(e)):
            penalties[rid] = penalties.get(rid, 0) + v
            places.append((rid, where, solver.Value(e), v))
    r = PersonResult("OPTIMAL" if status == cp_model.OPTIMAL else "FEASIBLE", contacts,
                     round(solver.ObjectiveValue()), round(solver.BestObjectiveBound()), penalties, counts, places)
    if r.status == "FEASIBLE":
        r.model, r.values = cm, list(solver.response_proto.solution)
    return r
