"""Integrity rule kinds in the solver: a solved plan keeps each of them (pack ``integrity``)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from planner.rules import load_pack
from solver.build import build_model
from solver.constraints import ADDERS
from solver.data import ProblemData
from tests.builders import (
    MONDAY,
    add_group,
    add_staff,
    add_team,
    add_toewijzing,
    bundle,
    staff,
)
from tests.solver.helpers import solve_and_check

FLEVO = load_pack("flevoland-multi")
ALMELO = load_pack("almelo-2025")


def _kinds(report, kind):
    return [v.message for v in report.violations if v.kind == kind]


def _mixed():
    b = bundle()
    add_group(b, "WEERBAAR", "45F32", 6)
    add_staff(b, *[staff(f"W{i}") for i in range(3)])
    add_toewijzing(b, "T1", "45F31", hours_per_week=3)
    add_toewijzing(b, "T2", "45F31", hours_per_week=2, start=MONDAY + timedelta(days=3))
    return b


def test_held_session_staffed_solver_holds_sessions_only_with_staff():
    b = bundle()
    add_group(b, "AVOND", "45F32", 6, weekday=1, start=time(19), end=time(21))
    from planner.domain import TimeWindow
    add_staff(b, staff("W0", availability=tuple(TimeWindow(d, time(8), time(17)) for d in range(5))))
    result, report = solve_and_check(b, FLEVO)
    assert all(s.staff_ids for s in result.plan.sessions if not s.cancelled)
    # nobody can work 19-21: the session is cancelled (care not delivered), never held by nobody
    assert [v.category for v in report.violations if v.kind == "held_session_staffed"] == ["niet_geleverd"]


def test_contact_within_toewijzing_solver_keeps_contacts_inside_the_dates():
    result, report = solve_and_check(_mixed(), FLEVO)
    late = [c for c in result.plan.contacts if c.toewijzing_id == "T2"]
    assert late and all(c.start >= datetime.combine(MONDAY + timedelta(days=3), time(0)) for c in late)
    assert _kinds(report, "contact_within_toewijzing") == []


def test_contact_by_executor_solver_contacts_by_the_assigned_executor():
    result, report = solve_and_check(_mixed(), FLEVO)
    execs = {a.toewijzing_id: a.executor_ids for a in result.plan.caseload}
    assert all(c.staff_id in execs[c.toewijzing_id] for c in result.plan.contacts if not c.one_on_one)
    assert _kinds(report, "contact_by_executor") == []


def test_session_on_schedule_solver_plans_only_scheduled_occurrences():
    b = _mixed()
    result, report = solve_and_check(b, FLEVO)
    assert {(s.session_id, s.date.weekday()) for s in result.plan.sessions} == {("WEERBAAR-S1", 1)}
    assert _kinds(report, "session_on_schedule") == []
    pm = build_model(ProblemData(b, FLEVO, MONDAY, 1))
    ADDERS["session_on_schedule"](pm, FLEVO.rule("I.sessie_volgens_rooster"))  # the construction holds


def test_no_duplicates_solver_plan_lists_everything_once():
    b = _mixed()
    add_team(b, "MDFT", intervention="MDFT")
    for sid in ("W0", "W1"):
        b.staff[sid] = b.staff[sid].__class__(**{**{f: getattr(b.staff[sid], f) for f in b.staff[sid].__dataclass_fields__},
                                               "teams": frozenset({"MDFT"})})
    add_toewijzing(b, "T3", "45F34", hours_per_week=2, intervention="MDFT", team_id="MDFT")
    result, report = solve_and_check(b, FLEVO)
    plan = result.plan
    assert len({a.toewijzing_id for a in plan.caseload}) == len(plan.caseload)
    assert len({(s.session_id, s.date) for s in plan.sessions}) == len(plan.sessions)
    assert all(len(set(s.staff_ids)) == len(s.staff_ids) for s in plan.sessions)
    assert _kinds(report, "no_duplicates") == []


def test_plan_references_solver_uses_only_known_ids():
    b = _mixed()
    result, report = solve_and_check(b, FLEVO)
    plan = result.plan
    assert all(sid in b.staff for a in plan.caseload for sid in a.executor_ids)
    assert all(c.staff_id in b.staff and c.toewijzing_id in b.toewijzingen for c in plan.contacts)
    assert _kinds(report, "plan_references") == []


def test_shift_by_team_member_solver_rosters_only_the_team():
    b = bundle("almelo-2025")
    add_team(b, "T-WG", oncall=False)
    s = add_group(b, "WG", "A-WG", 6)
    del b.sessions[s.id]
    b.groups["WG"] = b.groups["WG"].__class__("WG", "Woongroep", "A-WG", "", "T-WG")
    # SKJ: every hbo professional on a shift is BIG or SKJ registered (A.hbo_registratie.dienst, A:1205)
    spw = dict(profession="sociaalpedagogisch medewerker", registrations=("SKJ",), contract_hours=36)
    add_staff(b, *[staff(f"W{i}", education="hbo", teams=("T-WG",), **spw) for i in range(8)],
              *[staff(f"X{i}", education="hbo", **spw) for i in range(4)])
    result, report = solve_and_check(b, ALMELO)
    assert result.plan.shifts and all(x.staff_id.startswith("W") for x in result.plan.shifts)
    assert _kinds(report, "shift_by_team_member") == []
