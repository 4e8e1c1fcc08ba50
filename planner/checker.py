"""The independent rule checker: the oracle for every plan, hand-made or solved.

It imports nothing from the solver.  For every rule of the pack it calls
``check_<kind>`` from :mod:`planner.checks` and collects the violations, then
computes soft penalties per rule and unmet demand.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from planner.domain import Bundle, Medewerker, Realisatie, Toewijzing
from planner.plan import Plan
from planner.rules import Product, Rule, RulePack
from planner.semantics.history import history_by_toewijzing
from planner.semantics.occurrences import (
    Occurrence,
    enrolled_at,
    period_days,
    session_occurrences,
)


# Exit codes of ``planner check`` and ``planner plan`` (README, docs/cli.md).
EXIT_OK, EXIT_HARD, EXIT_USAGE, EXIT_INTERNAL, EXIT_INCOMPLETE, EXIT_DATA = 0, 1, 2, 3, 4, 5


@dataclass(frozen=True, slots=True)
class Violation:
    rule_id: str
    kind: str
    severity: str
    citation: str
    message: str  # Dutch, no client names (pseudonymous ids only)
    entities: tuple[tuple[str, str], ...] = ()  # (entity type, id), e.g. ("medewerker", "M01")
    amount: float = 1.0  # size of the breach (hours over, staff short, ...)
    penalty: int = 0  # soft rules: rule.penalty * amount, rounded
    # care the plan leaves undone (a duty not carried out: no executor, too few contacts, hours without
    # on-call, a night without staff) rather than a wrong decision; reported as "niet geleverde zorg"
    shortfall: bool = False
    reason: str = ""  # for a shortfall: the reason the plan itself gives (its ``unserved`` entry), if any

    @property
    def category(self) -> str:
        """``fout`` (a wrong decision), ``niet_geleverd`` (care left undone), ``gegevens`` (the data itself
        breaks the rule) or ``zacht`` (a soft rule's penalty)."""
        from planner.checks import DATA_KINDS

        if self.kind in DATA_KINDS:
            return "gegevens"
        if self.severity == "soft":
            return "zacht"
        return "niet_geleverd" if self.shortfall else "fout"

    def to_json(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "kind": self.kind, "severity": self.severity,
                "citation": self.citation, "message": self.message,
                "entities": [list(e) for e in self.entities], "amount": self.amount, "penalty": self.penalty,
                "category": self.category, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Busy:
    """A stretch of time a staff member is committed to (work, not on-call)."""

    staff_id: str
    start: datetime
    end: datetime
    what: str  # e.g. "sessie S1 2026-12-08", "contact T12", "dienst G1"
    home_visit: bool = False
    history: bool = False  # a shift of the previous period (``plan.history_shifts``), not this plan's


@dataclass(frozen=True, slots=True)
class UnmetDemand:
    toewijzing_id: str
    required_minutes: int
    planned_minutes: int

    @property
    def missing_minutes(self) -> int:
        return max(0, self.required_minutes - self.planned_minutes)


@dataclass(slots=True)
class CheckReport:
    violations: list[Violation] = field(default_factory=list)
    unmet: list[UnmetDemand] = field(default_factory=list)
    cancelled_sessions: list[str] = field(default_factory=list)  # occurrence labels not held

    @property
    def hard(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "hard"]

    @property
    def plan_hard(self) -> list[Violation]:
        """Wrong decisions (category ``fout``): hard violations a planning decision caused, without data
        problems and without care the plan leaves undone (:attr:`unmet_care`)."""
        return [v for v in self.violations if v.category == "fout"]

    @property
    def unmet_care(self) -> list[Violation]:
        """Care the plan leaves undone (category ``niet_geleverd``): a toewijzing without executor, too few
        contacts, hours without on-call, a night without staff; each with the rule it breaks."""
        return [v for v in self.violations if v.category == "niet_geleverd"]

    @property
    def data_problems(self) -> list[Violation]:
        """Violations of rules the data itself breaks (e.g. two 45F33 toewijzingen in one gezin)."""
        from planner.checks import DATA_KINDS
        return [v for v in self.violations if v.kind in DATA_KINDS]

    @property
    def soft(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "soft"]

    @property
    def penalties_per_rule(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for v in self.soft:
            out[v.rule_id] += v.penalty
        return dict(out)

    @property
    def total_penalty(self) -> int:
        return sum(v.penalty for v in self.soft)

    @property
    def unmet_minutes(self) -> int:
        return sum(u.missing_minutes for u in self.unmet)

    @property
    def status(self) -> str:
        """``ongeldig`` (a wrong decision), ``onvolledig`` (care left undone: a shortfall, omvang not
        planned or a cancelled group session) or ``compleet``.  Data problems and soft penalties do not
        change the status."""
        if self.plan_hard:
            return "ongeldig"
        if self.unmet_care or self.unmet_minutes > 0 or self.cancelled_sessions:
            return "onvolledig"
        return "compleet"

    @property
    def exit_code(self) -> int:
        """Exit code of ``planner check``: 1 ongeldig, 4 onvolledig, 5 only data problems, 0 otherwise."""
        status = self.status
        if status == "ongeldig":
            return EXIT_HARD
        if status == "onvolledig":
            return EXIT_INCOMPLETE
        return EXIT_DATA if self.data_problems else EXIT_OK

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "violations": [v.to_json() for v in self.violations],
                "penalties_per_rule": self.penalties_per_rule, "total_penalty": self.total_penalty,
                "unmet": [{"toewijzing_id": u.toewijzing_id, "required_minutes": u.required_minutes,
                           "planned_minutes": u.planned_minutes} for u in self.unmet],
                "cancelled_sessions": self.cancelled_sessions}


class CheckContext:
    """Read-only view of bundle + pack + plan with the derived indices checks share."""

    def __init__(self, bundle: Bundle, pack: RulePack, plan: Plan):
        self.bundle, self.pack, self.plan = bundle, pack, plan

    # --- period -----------------------------------------------------------
    @cached_property
    def days(self) -> list[date]:
        return period_days(self.plan.period_start, self.plan.weeks)

    @property
    def period_start_dt(self) -> datetime:
        return datetime.combine(self.plan.period_start, datetime.min.time())

    @property
    def period_end_dt(self) -> datetime:
        return datetime.combine(self.plan.period_end, datetime.min.time())

    # --- lookups ----------------------------------------------------------
    def staff(self, staff_id: str) -> Medewerker | None:
        return self.bundle.staff.get(staff_id)

    def product(self, code: str) -> Product | None:
        return self.pack.product(code)

    def toewijzing(self, tid: str) -> Toewijzing | None:
        return self.bundle.toewijzingen.get(tid)

    def active_toewijzingen(self) -> list[Toewijzing]:
        """Toewijzingen that overlap the planning period."""
        first, last = self.days[0], self.days[-1]
        return [t for t in self.bundle.toewijzingen.values() if t.start <= last and t.end >= first]

    def rule_applies(self, rule: Rule, t: Toewijzing) -> bool:
        return rule.applies_to(t.product_code, t.intervention)

    @cached_property
    def history(self) -> dict[str, list[Realisatie]]:
        """The bundle's realisatie (care before the period) per toewijzing id, by date."""
        return history_by_toewijzing(self.bundle)

    # --- groups -----------------------------------------------------------
    @cached_property
    def occurrences(self) -> list[Occurrence]:
        return session_occurrences(self.bundle, self.days)

    @cached_property
    def staffing(self) -> dict[tuple[str, date], tuple[str, ...]]:
        return {(s.session_id, s.date): s.staff_ids for s in self.plan.sessions}

    def staff_at(self, occ: Occurrence) -> list[Medewerker]:
        """The distinct known staff listed at the occurrence (a person listed twice counts once)."""
        ids = dict.fromkeys(self.staffing.get((occ.session.id, occ.date), ()))
        return [m for i in ids if (m := self.bundle.staff.get(i)) is not None]

    def enrolled(self, occ: Occurrence) -> int:
        return enrolled_at(self.bundle, occ)

    def group_product(self, occ: Occurrence) -> str:
        return self.bundle.groups[occ.session.group_id].product_code

    @cached_property
    def unserved(self) -> dict[str, str]:
        """The reason the plan itself gives per toewijzing it declares unserved (its ``unserved`` list).

        Only a source of reason texts: no rule exempts a toewijzing because the plan says it is unserved;
        every active toewijzing is checked against the data whatever the plan claims.
        """
        reasons: dict[str, list[str]] = defaultdict(list)
        for u in self.plan.unserved:
            if u.reason not in reasons[u.toewijzing_id]:
                reasons[u.toewijzing_id].append(u.reason)
        return {tid: "; ".join(r for r in rs if r) for tid, rs in reasons.items()}

    def reason_for(self, *toewijzing_ids: str) -> str:
        """The plan's reason(s) for leaving these toewijzingen unserved, joined; empty when it gives none."""
        reasons = [r for tid in toewijzing_ids if (r := self.unserved.get(tid))]
        return "; ".join(dict.fromkeys(reasons))

    @cached_property
    def cancelled(self) -> set[tuple[str, date]]:
        """Occurrences not held: cancelled by the plan, or not in the plan at all (a session the plan does not
        mention is not staffed: care not delivered, never a session held by nobody)."""
        listed = {(s.session_id, s.date) for s in self.plan.sessions}
        return ({(s.session_id, s.date) for s in self.plan.sessions if s.cancelled}
                | {(o.session.id, o.date) for o in self.occurrences if (o.session.id, o.date) not in listed})

    def occurrences_for(self, rule: Rule) -> list[Occurrence]:
        """Held occurrences of the groups whose product the rule applies to (cancelled ones are unmet demand)."""
        return [o for o in self.occurrences
                if rule.applies_to(self.group_product(o)) and (o.session.id, o.date) not in self.cancelled]

    # --- staff time -------------------------------------------------------
    @cached_property
    def busy(self) -> dict[str, list[Busy]]:
        """Per staff member, every worked stretch in the plan, sorted by start.

        Every session entry counts at the session's times on the entry's date, also an entry on a date the
        session does not occur (``session_on_schedule`` reports that): whoever the plan sends somewhere is
        busy then, so availability, absence and double booking see them.  Staff listed on a cancelled entry
        count too (the plan still names them there).
        """
        out: dict[str, list[Busy]] = defaultdict(list)
        for entry in self.plan.sessions:
            session = self.bundle.sessions.get(entry.session_id)
            if session is None:
                continue
            start, end = datetime.combine(entry.date, session.start), datetime.combine(entry.date, session.end)
            label = f"groepssessie {session.id} {entry.date.isoformat()} {start:%H:%M}-{end:%H:%M}"
            for sid in dict.fromkeys(entry.staff_ids):
                out[sid].append(Busy(sid, start, end, label))
        for c in self.plan.contacts:
            out[c.staff_id].append(Busy(c.staff_id, c.start, c.end, f"contact {c.toewijzing_id} {c.start:%Y-%m-%d %H:%M}",
                                        home_visit=c.kind == "contact" and not c.one_on_one))
        for s in self.plan.shifts:
            out[s.staff_id].append(Busy(s.staff_id, s.start, s.end, f"dienst {s.group_id} {s.start:%Y-%m-%d %H:%M}"))
        for lst in out.values():
            lst.sort(key=lambda b: (b.start, b.end))
        return dict(out)

    @cached_property
    def history_busy(self) -> dict[str, list[Busy]]:
        """Per staff member the previous period's shifts (``plan.history_shifts``), sorted by start.

        Not part of :attr:`busy`: only rules whose window crosses the period start (rest, week
        hours, dienst length, overlap) look at them, and only to judge this plan's own work.
        """
        out: dict[str, list[Busy]] = defaultdict(list)
        for s in self.plan.history_shifts:
            out[s.staff_id].append(Busy(s.staff_id, s.start, s.end,
                                        f"dienst {s.group_id} {s.start:%Y-%m-%d %H:%M} (vorige periode)", history=True))
        for lst in out.values():
            lst.sort(key=lambda b: (b.start, b.end))
        return dict(out)

    def violation(self, rule: Rule, message: str, *entities: tuple[str, str], amount: float = 1.0,
                  shortfall: bool = False, reason: str = "") -> Violation:
        """A finding of ``rule``; ``shortfall`` marks care left undone (niet geleverde zorg), not a wrong decision."""
        penalty = round(rule.penalty * amount) if rule.severity == "soft" else 0
        return Violation(rule.id, rule.kind, rule.severity, rule.citation, message, tuple(entities), amount, penalty,
                         shortfall, reason)


def check_plan(bundle: Bundle, pack: RulePack, plan: Plan) -> CheckReport:
    """Every violation of every rule in ``pack``, plus unmet demand."""
    from planner.checks import CHECKS
    from planner.demand import unmet_demand

    days = period_days(plan.period_start, plan.weeks)
    pack = pack.for_period(days[0], days[-1])  # rules with validity dates (A:3309) hold by the plan's period
    ctx = CheckContext(bundle, pack, plan)
    report = CheckReport()
    for rule in pack.rules:
        fn = CHECKS.get(rule.kind)
        if fn is None:
            raise KeyError(f"regel {rule.id}: geen controle voor soort {rule.kind!r}")
        report.violations.extend(fn(ctx, rule))
    report.unmet = unmet_demand(ctx)
    report.cancelled_sessions = [o.label for o in ctx.occurrences if (o.session.id, o.date) in ctx.cancelled]
    return report
