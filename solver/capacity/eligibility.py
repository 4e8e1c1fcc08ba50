"""Who may serve which demand: the weekly planner's own candidate filters, run once.

The capacity model must never hold a second copy of the rules.  Instead of
re-deriving eligibility it builds the planner's :class:`solver.model.PlanModel`
for a template week and runs every ``@candidate_filter`` adder of the pack on
it (qualification, registration, certification, responsible role, group
education and registration, weekly availability).  The pools that survive are
exactly the planner's candidates; the capacity model only adds time.

Two things differ from a planning week, on purpose:
- every toewijzing of a contact product is a candidate demand, not only the
  ones active in the template week (waiting clients start later);
- absences are left out here: the capacity model subtracts them per week from
  supply, so a week of verlof does not bar anyone for the whole year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from planner.demand import CONTACT_SETTINGS
from planner.domain import Toewijzing
from solver.constraints import ADDERS
from solver.data import ProblemData, SolveOptions
from solver.candidates import limit_candidates, limit_session_candidates
from solver.model import PlanModel

# Candidate filters about on-call and absences are decided per week by the capacity model.
SKIPPED_FILTER_KINDS = {"absence", "oncall_coverage", "oncall_consent", "oncall_night_shift_buffer"}


class _TemplateWeek(ProblemData):
    """ProblemData for one template week that sees every contact toewijzing and no absences."""

    @cached_property
    def toewijzingen(self) -> list[Toewijzing]:
        return sorted((t for t in self.bundle.toewijzingen.values() if is_contact_demand(self.pack, t)),
                      key=lambda t: t.id)

    @cached_property
    def oncall_teams(self):
        return []

    @cached_property
    def _absence_index(self) -> dict[str, list]:
        return {}


def is_contact_demand(pack, t: Toewijzing) -> bool:
    """A toewijzing whose omvang is delivered through contacts by an executor (not a group or a stay)."""
    product = pack.product(t.product_code)
    return product is not None and product.setting in CONTACT_SETTINGS


@dataclass
class Pools:
    """Candidate pools as the weekly planner computes them."""

    executors: dict[str, frozenset[str]] = field(default_factory=dict)  # toewijzing id -> staff ids
    responsibles: dict[str, frozenset[str]] = field(default_factory=dict)  # only where a responsible is required
    sessions: dict[str, frozenset[str]] = field(default_factory=dict)  # session id -> staff ids
    excluded_by: dict[tuple[str, str], str] = field(default_factory=dict)  # (scope, staff id) -> rule id


def candidate_pools(bundle, pack, keep: frozenset[str] = frozenset()) -> Pools:
    """Run the planner's candidate filters on a template week and return the surviving pools
    (``keep``: staff never cut by the candidate limits, e.g. hiring candidates)."""
    data = _TemplateWeek(bundle, pack, bundle.manifest.period_start, 1)
    pm = PlanModel(data)
    for rule in pack.rules:
        fn = ADDERS.get(rule.kind)
        if fn is not None and getattr(fn, "candidate_filter", False) and rule.kind not in SKIPPED_FILTER_KINDS:
            fn(pm, rule)
    # the weekly planner's candidate limits too, so both models choose from the same staff
    limit_candidates(pm, SolveOptions().candidate_limit, keep)
    limit_session_candidates(pm, SolveOptions().session_candidate_limit, keep)
    sessions: dict[str, frozenset[str]] = {}
    for (session_id, _day), pool in pm.session_candidates.items():
        sessions[session_id] = frozenset(pool)
    for s in bundle.sessions.values():  # a session whose weekday is outside the template week cannot happen
        sessions.setdefault(s.id, frozenset())
    return Pools(executors={tid: frozenset(p) for tid, p in pm.exec_candidates.items()},
                 responsibles={tid: frozenset(pm.resp_candidates[tid]) for tid in pm.resp_needed},
                 sessions=sessions, excluded_by=dict(pm.excluded_by))
