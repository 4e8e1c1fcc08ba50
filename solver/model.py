"""PlanModel: the CP-SAT model of one planning period, built from ProblemData.

Building runs in phases so that variables exist only for possible pairs:

1. candidate filters (``add_<kind>`` marked ``@candidate_filter``) remove
   staff who may never take a toewijzing, session or on-call day, recording
   which rule excluded whom (for explanations);
2. variables are created for the remaining pairs;
3. constraint families (the other ``add_<kind>``) add constraints and soft
   penalty terms;
4. the objective: unmet demand first, then soft penalties, continuity and
   fairness (PLANNING.md section 5).

Hard constraints are enforced under per-rule literals when ``explain`` is on,
so an infeasible model can be explained with assumptions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from ortools.sat.python import cp_model

from planner.rules import Rule
from planner.semantics.occurrences import Occurrence
from solver.data import ProblemData

# Objective weights, in priority order (PLANNING.md section 5).
W_UNMET_MINUTE = 100  # per minute of toewijzing demand not served
W_SESSION_MINUTE = 100  # per jeugdige-minute of a group session not held
W_CONTINUITY = 20  # per toewijzing whose current executor/responsible changes
W_FAIRNESS = 1  # per on-call day away from a fair share
W_STAFF_HOUR = 1  # per staff-hour in a group session beyond what the rules ask: keep capacity free


@dataclass(frozen=True)
class Penalty:
    rule_id: str
    expr: cp_model.LinearExprT
    weight: int
    where: str = ""  # the place, in Dutch ("groepssessie S1 2026-12-08", "medewerker M01"), for explanations


class PlanModel:
    def __init__(self, data: ProblemData, explain: bool = False):
        self.data = data
        self.explain = explain
        self.model = cp_model.CpModel()
        staff_ids = [m.id for m in data.staff]
        # candidates, narrowed by filters; value: staff ids still possible
        self.exec_candidates: dict[str, set[str]] = {t.id: set(staff_ids) for t in data.toewijzingen}
        self.resp_needed: set[str] = set()
        self.resp_candidates: dict[str, set[str]] = {t.id: set(staff_ids) for t in data.toewijzingen}
        self.session_candidates: dict[tuple[str, object], set[str]] = {
            self.occ_key(o): set(staff_ids) for o in data.occurrences}
        self.oncall_candidates: dict[tuple[str, int], set[str]] = {
            (team.id, d): {m.id for m in data.members(team.id)}
            for team in data.oncall_teams for d in range(len(data.days))}
        self.oncall_required: set[str] = set()  # teams whose 24/7 duty a rule of the pack demands
        # why a candidate was removed: (scope, staff id) -> rule id
        self.excluded_by: dict[tuple[str, str], str] = {}
        self.eligible_count: dict[str, int] = {}  # qualified executors before the candidate limit
        # (staff, calendar week) -> (load terms, fixed minutes), see constraints.working_time
        self.weekly_load: dict | None = None
        # variables
        self.x: dict[tuple[str, str], cp_model.IntVar] = {}  # executor
        self.r: dict[tuple[str, str], cp_model.IntVar] = {}  # responsible
        self.unassigned: dict[str, cp_model.IntVar] = {}
        self.y: dict[tuple[tuple, str], cp_model.IntVar] = {}  # staff present at occurrence
        self.held: dict[tuple, cp_model.IntVar] = {}
        self.oncall: dict[tuple[str, int, str], cp_model.IntVar] = {}  # (team, day index, staff)
        self.casusregie: dict[str, dict[str, cp_model.IntVar]] = {}  # gezin -> staff -> chosen
        self.after_variables: list = []
        self.pinned_sessions: dict[tuple, set[str]] = {}  # constraint builders registered by candidate filters
        self.penalties: list[Penalty] = []
        self.fairness: list[cp_model.IntVar] = []  # deviations from a fair share (objective level 4)
        self.continuity: list = []  # expressions counting changes against the previous plan (level 3)
        self.extra_objective: list = []  # level-1 terms of other families (contact days short, on-call uncovered)
        self.contact_day_short: list = []  # (toewijzing, staff, week, var): contacts stage 1 found no day for
        self.oncall_uncovered: dict[tuple[str, int], cp_model.IntVar] = {}  # (team, day) -> nobody on call
        self.oncall_rule: dict[str, str] = {}  # team -> id of the rule that asks its 24/7 duty
        self.literals: dict[str, cp_model.IntVar] = {}  # assumption literal per (rule, scope)
        self.literal_info: dict[str, tuple[Rule, str]] = {}

    # --- keys and helpers -------------------------------------------------
    @staticmethod
    def occ_key(o: Occurrence) -> tuple:
        return (o.session.id, o.date)

    def exclude(self, pool: dict, key, staff_id: str, rule: Rule, scope: str) -> None:
        """Remove a candidate because of a hard rule; remember which rule did it."""
        if staff_id in pool.get(key, ()):
            pool[key].discard(staff_id)
            self.excluded_by.setdefault((scope, staff_id), rule.id)

    def restrict_sessions(self, rule: Rule, occurrences: list[Occurrence], ok) -> None:
        """Staff for whom ``ok(medewerker, occurrence)`` fails: a hard rule keeps them out of the session,
        a soft one lets them in with the rule's penalty per such person present (the checker's amount)."""
        staff = self.data.bundle.staff
        for o in occurrences:
            k = self.occ_key(o)
            bad = [sid for sid in sorted(self.session_candidates[k]) if not ok(staff[sid], o)]
            if rule.severity == "soft":
                self.after_variables.append(lambda pm, k=k, bad=bad, o=o: [
                    pm.penalize(rule, pm.y[k, sid], where=f"groepssessie {o.label}, medewerker {sid}")
                    for sid in bad if (k, sid) in pm.y])
                continue
            for sid in bad:
                self.exclude(self.session_candidates, k, sid, rule, f"sessie:{o.label}")

    def enforce(self, rule: Rule, scope: str) -> list[cp_model.IntVar]:
        """Enforcement literals for a hard constraint of ``rule`` on ``scope`` (only when explaining)."""
        if not self.explain:
            return []
        name = f"{rule.id}|{scope}"
        if name not in self.literals:
            self.literals[name] = self.model.new_bool_var(name)
            self.literal_info[name] = (rule, scope)
        return [self.literals[name]]

    def penalize(self, rule: Rule, expr, per_unit: int | None = None, where: str = "") -> None:
        """A soft rule's penalty term: rule.penalty (or per_unit) x expr, as in the checker; ``where`` names
        the place for the explanation."""
        self.penalties.append(Penalty(rule.id, expr, per_unit if per_unit is not None else rule.penalty, where))

    def new_int(self, lo: int, hi: int, name: str) -> cp_model.IntVar:
        return self.model.new_int_var(lo, hi, name)

    # --- variable creation (phase 2) ---------------------------------------
    def create_variables(self) -> None:
        m = self.model
        for t in self.data.toewijzingen:
            self.unassigned[t.id] = m.new_bool_var(f"unassigned[{t.id}]")
            for sid in sorted(self.exec_candidates[t.id]):
                self.x[t.id, sid] = m.new_bool_var(f"exec[{t.id},{sid}]")
            m.AddExactlyOne([*(self.x[t.id, s] for s in self.exec_candidates[t.id]), self.unassigned[t.id]])
            if t.id in self.resp_needed:
                for sid in sorted(self.resp_candidates[t.id]):
                    self.r[t.id, sid] = m.new_bool_var(f"resp[{t.id},{sid}]")
                # a responsible exactly when the toewijzing is served
                m.Add(sum(self.r[t.id, s] for s in self.resp_candidates[t.id]) == 1 - self.unassigned[t.id])
        for o in self.data.occurrences:
            k = self.occ_key(o)
            self.held[k] = m.new_bool_var(f"held[{o.label}]")
            for sid in sorted(self.session_candidates[k]):
                self.y[k, sid] = m.new_bool_var(f"present[{o.label},{sid}]")
                m.AddImplication(self.y[k, sid], self.held[k])
        for (team, d), pool in self.oncall_candidates.items():
            if team not in self.oncall_required:
                continue
            for sid in sorted(pool):
                self.oncall[team, d, sid] = m.new_bool_var(f"oncall[{team},{d},{sid}]")

    @cached_property
    def occurrence_by_key(self) -> dict[tuple, Occurrence]:
        return {self.occ_key(o): o for o in self.data.occurrences}

    # --- queries used by constraint families ----------------------------------
    def exec_vars(self, tid: str) -> dict[str, cp_model.IntVar]:
        return {sid: self.x[tid, sid] for sid in self.exec_candidates[tid] if (tid, sid) in self.x}

    def present(self, o: Occurrence) -> dict[str, cp_model.IntVar]:
        k = self.occ_key(o)
        return {sid: self.y[k, sid] for sid in self.session_candidates[k] if (k, sid) in self.y}

    def occurrences_for(self, rule: Rule) -> list[Occurrence]:
        return [o for o in self.data.occurrences if rule.applies_to(self.data.group_product(o))]

    def toewijzingen_for(self, rule: Rule):
        return [t for t in self.data.toewijzingen if rule.applies_to(t.product_code, t.intervention)]

    def day_bounds(self, d: int) -> tuple[datetime, datetime]:
        start = self.data.start_dt + timedelta(days=d)
        return start, start + timedelta(days=1)

    # --- objective (phase 4) ----------------------------------------------
    def objective_terms(self) -> list:
        terms = []
        for t in self.data.toewijzingen:
            terms.append(W_UNMET_MINUTE * max(self.data.demand_minutes(t), 60) * self.unassigned[t.id])
        for o in self.data.occurrences:
            minutes = int((o.end - o.start).total_seconds() // 60)
            terms.append(W_SESSION_MINUTE * minutes * self.data.enrolled(o) * (1 - self.held[self.occ_key(o)]))
        terms += self.extra_objective
        terms += [p.weight * p.expr for p in self.penalties]
        terms += [W_CONTINUITY * c for c in self.continuity]
        terms += [W_FAIRNESS * f for f in self.fairness]
        for (k, sid), var in self.y.items():
            o = self.occurrence_by_key[k]
            terms.append(W_STAFF_HOUR * max(1, int((o.end - o.start).total_seconds() // 3600)) * var)
        return terms

    def penalty_places(self, value) -> list[tuple[str, str, int, int]]:
        """(rule id, place, amount, penalty) of every soft term that counts in a solution."""
        out: dict[tuple[str, str], list[int]] = {}
        for p in self.penalties:
            amount = int(value(p.expr))
            if amount:
                acc = out.setdefault((p.rule_id, p.where), [0, 0])
                acc[0] += amount
                acc[1] += p.weight * amount
        return [(rid, where, a, pen) for (rid, where), (a, pen) in out.items()]

    def penalty_breakdown(self, value) -> dict[str, int]:
        """Penalty per soft rule in a solution (``value`` maps an expression to its value)."""
        out: dict[str, int] = defaultdict(int)
        for p in self.penalties:
            out[p.rule_id] += p.weight * int(value(p.expr))
        return {k: v for k, v in out.items() if v}
