"""Integrity families (pack ``integrity``): a plan that is well formed, and sessions held only when staffed.

``held_session_staffed`` is a real constraint.  The others hold by construction of the model; their
``add_<kind>`` says how and asserts it cheaply, so a change that breaks the construction fails loudly.
"""

from __future__ import annotations

from planner.rules import Rule
from solver.model import PlanModel


def staffed_when_held(pm: PlanModel, rule: Rule | None = None) -> None:
    """held[k] <= sum(present): an occurrence with enrolled jeugdigen is held only with someone present, else
    it is cancelled with its reason (solver/explain.cancelled_reason)."""
    if getattr(pm, "_staffed_when_held", False):
        return
    pm._staffed_when_held = True
    for o in pm.data.occurrences:
        if pm.data.enrolled(o) == 0:
            continue
        held = pm.held[pm.occ_key(o)]
        scope = pm.enforce(rule, f"sessie:{o.label}") if rule is not None else []
        pm.model.Add(sum(pm.present(o).values()) >= held).OnlyEnforceIf(scope)


def add_held_session_staffed(pm: PlanModel, rule: Rule) -> None:
    """A held group session with enrolled jeugdigen has at least one staff member present (a session that
    cannot be staffed is cancelled with its reason, never held empty)."""
    staffed_when_held(pm, rule)


def add_session_on_schedule(pm: PlanModel, rule: Rule) -> None:
    """Sessions are planned only on the dates the schedule gives (by construction: the held and present
    variables exist only for ``data.occurrences``, the sessions' weekly occurrences in the period)."""
    scheduled = set(pm.occurrence_by_key)
    assert set(pm.held) <= scheduled, "held variable for an occurrence outside the schedule"
    assert all(key in scheduled for key, _ in pm.y), "present variable for an occurrence outside the schedule"


def add_no_duplicates(pm: PlanModel, rule: Rule) -> None:
    """No toewijzing, session occurrence, staff member or on-call day twice in the plan (by construction:
    one variable per (toewijzing, medewerker), (occurrence, medewerker) and (team, day, medewerker), exactly
    one executor or unassigned per toewijzing, at most one person on call per team and day, and the
    extraction lists each chosen variable once)."""
    assert len({t.id for t in pm.data.toewijzingen}) == len(pm.data.toewijzingen), "toewijzing twice"
    assert len(pm.occurrence_by_key) == len(pm.data.occurrences), "session occurrence twice"


def add_plan_references(pm: PlanModel, rule: Rule) -> None:
    """Every id in the plan refers to the data (by construction: variables are made only for the bundle's
    staff, the active toewijzingen, its sessions' occurrences and its 24/7 teams)."""
    staff, teams = pm.data.bundle.staff, pm.data.bundle.teams
    assert all(sid in staff for (_, sid) in pm.x), "executor outside the bundle"
    assert all(sid in staff for (_, sid) in pm.y), "session staff outside the bundle"
    assert all(team in teams and sid in staff for (team, _, sid) in pm.oncall), "on-call outside the bundle"
    assert all(key[0] in pm.data.bundle.sessions for key in pm.held), "session outside the bundle"
