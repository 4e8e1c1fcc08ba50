"""Focused tests per constraint family on tiny hand-built instances (feasible and infeasible)."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

from planner.domain import Absence, TimeWindow
from planner.plan import OnCallBlock, Plan
from planner.rules import load_pack
from tests.builders import MONDAY, add_group, add_staff, add_team, add_toewijzing, at, bundle, staff
from tests.solver.helpers import explanation_text, solve_and_check

FLEVO = load_pack("flevoland-multi")
OFFICE = tuple(TimeWindow(d, time(8, 0), time(18, 0)) for d in range(5))


def hbo(id, **kw):
    return staff(id, education="hbo", profession="jeugd- en gezinswerker", registrations=("SKJ",), **kw)


def test_executor_min_education_solver_picks_qualified_executor():
    b = bundle()
    add_staff(b, staff("M1", education="mbo4", profession="sociaalpedagogisch medewerker", registrations=()),
              staff("W1"))
    add_toewijzing(b, "T1", "45F31", hours_per_week=2)
    result, report = solve_and_check(b, FLEVO)
    assert result.plan.caseload[0].executor_ids == ("W1",)
    assert report.unmet_minutes == 0


def test_intervention_certification_solver_reports_unserved_with_rule():
    b = bundle()
    add_staff(b, staff("W1", certifications=("MST",)))
    add_toewijzing(b, "T1", "45F34", hours_per_week=2, intervention="MDFT")
    result, _ = solve_and_check(b, FLEVO)
    assert [u.toewijzing_id for u in result.plan.unserved] == ["T1"]
    text = explanation_text(result)
    assert "F.45F34.interventie_opleiding" in text and "T1" in text


def test_responsible_role_solver_finds_regiebehandelaar():
    b = bundle()
    add_staff(b, hbo("H1"), staff("GZ"))
    add_toewijzing(b, "T1", "45F33", hours_per_week=2)
    result, _ = solve_and_check(b, FLEVO)
    assert result.plan.caseload[0].responsible_id == "GZ"


def test_staff_ratio_solver_staffs_group_with_a_wo():
    b = bundle()
    add_group(b, "GR", "45F32", 8)
    add_staff(b, *[hbo(f"H{i}") for i in range(3)], staff("W1"))
    result, report = solve_and_check(b, FLEVO)
    present = result.plan.sessions[0].staff_ids
    assert "W1" in present and len(present) >= 3
    assert report.total_penalty == 0


def test_group_min_education_present_solver_pays_soft_penalty_without_wo():
    b = bundle()
    add_group(b, "GR", "45F32", 8)
    add_staff(b, *[hbo(f"H{i}") for i in range(3)])
    result, report = solve_and_check(b, FLEVO)
    assert report.penalties_per_rule.get("F.45F32.wo_aanwezig", 0) > 0
    assert not result.plan.sessions[0].cancelled


def test_group_min_education_present_hard_cancels_session_with_reason():
    pack = FLEVO.with_overrides({"F.45F32.wo_aanwezig": {"severity": "hard"}})
    b = bundle()
    add_group(b, "GR", "45F32", 11)
    add_staff(b, *[hbo(f"H{i}") for i in range(2)])
    result, report = solve_and_check(b, pack)
    assert result.plan.sessions[0].cancelled and report.cancelled_sessions
    text = explanation_text(result)
    assert "F.45F32.wo_aanwezig" in text and "11 jeugdigen" in text and "geen" in text


def test_oncall_coverage_solver_covers_every_day_with_certified_members():
    b = bundle()
    add_team(b, "MDFT", intervention="MDFT")
    add_staff(b, *[staff(f"M{i}", teams=("MDFT",)) for i in range(3)],
              staff("X", teams=("MDFT",), certifications=()))
    add_toewijzing(b, "T1", "45F34", hours_per_week=2, intervention="MDFT", team_id="MDFT")
    result, _ = solve_and_check(b, FLEVO)
    covered = sum((blk.end - blk.start for blk in result.plan.oncall), timedelta())
    assert covered == timedelta(days=7)
    assert all(blk.staff_id != "X" for blk in result.plan.oncall)


def test_oncall_consent_solver_uncovered_days_are_explained():
    """Issue 19: 24/7 coverage is a slack per (team, day); the rest of the plan stays (A may be on call at
    most 7 of the 14 days, B has not consented)."""
    b = bundle(weeks=2)
    add_team(b, "MST", intervention="MST")
    add_staff(b, staff("A", teams=("MST",)),
              staff("B", teams=("MST",), oncall_consent_required=True, oncall_consent=False))
    add_toewijzing(b, "T1", "45F34", hours_per_week=2, intervention="MST", team_id="MST")
    result, report = solve_and_check(b, FLEVO)
    assert result.plan is not None and result.plan.caseload and report.status == "onvolledig"
    text = "\n".join(result.explanation[:5])
    assert "Team MST" in text and "B (W." in text  # B excluded by the consent rule


def test_oncall_max_per_28d_solver_uses_history():
    b = bundle()
    add_team(b, "MDFT", intervention="MDFT")
    add_staff(b, *[staff(f"M{i}", teams=("MDFT",)) for i in range(2)])
    add_toewijzing(b, "T1", "45F34", hours_per_week=2, intervention="MDFT", team_id="MDFT")
    prev = Plan(period_start=MONDAY - timedelta(days=7), weeks=1)
    start = at(MONDAY - timedelta(days=7), 0)
    prev.oncall.append(OnCallBlock("MDFT", "M0", start, start + timedelta(days=7)))  # M0 used 7 days already
    result, _ = solve_and_check(b, FLEVO, previous=prev)
    assert {blk.staff_id for blk in result.plan.oncall} == {"M1"}


def test_availability_solver_places_contacts_in_office_hours_and_skips_absence():
    b = bundle()
    add_staff(b, staff("W1", availability=OFFICE))
    b.absences.append(Absence("W1", at(MONDAY, 0), at(MONDAY + timedelta(days=2), 0)))
    add_toewijzing(b, "T1", "45F31", hours_per_week=3)
    result, report = solve_and_check(b, FLEVO)
    assert report.unmet_minutes == 0
    for c in result.plan.contacts:
        assert c.start.date() >= MONDAY + timedelta(days=2) and time(8) <= c.start.time() and c.end.time() <= time(18)


def test_casusregisseur_solver_names_one_for_gezin_with_two_trajectories():
    b = bundle()
    add_staff(b, staff("W1"), staff("W2"))
    add_toewijzing(b, "T1", "45F33", hours_per_week=2, gezin_id="G1")
    add_toewijzing(b, "T2", "45F31", hours_per_week=1, gezin_id="G1")
    result, _ = solve_and_check(b, FLEVO)
    assert len(result.plan.casusregie) == 1 and result.plan.casusregie[0].gezin_id == "G1"


def test_contract_hours_solver_spreads_work_before_paying_overtime():
    b = bundle()
    add_staff(b, staff("W1", contract_hours=4), staff("W2", contract_hours=4))
    add_toewijzing(b, "T1", "45F31", hours_per_week=3)
    add_toewijzing(b, "T2", "45F31", hours_per_week=3)
    result, report = solve_and_check(b, FLEVO)
    assert {a.executor_ids[0] for a in result.plan.caseload} == {"W1", "W2"}
    assert report.total_penalty == 0


def test_pinned_assignment_stays_and_replan_reports_changes():
    b = bundle()
    add_staff(b, staff("W1"), staff("W2"))
    add_toewijzing(b, "T1", "45F31", hours_per_week=2)
    first, _ = solve_and_check(b, FLEVO)
    pinned = first.plan
    other = "W2" if pinned.caseload[0].executor_ids == ("W1",) else "W1"
    pinned.caseload[0] = replace(pinned.caseload[0], executor_ids=(other,), responsible_id=other, pinned=True)
    again, _ = solve_and_check(b, FLEVO, previous=pinned)
    assert again.plan.caseload[0].executor_ids == (other,)


def test_replan_after_sick_staff_member_changes_little_and_reports_it():
    from planner.plandiff import plan_changes

    b = bundle()
    add_staff(b, staff("W1"), staff("W2"), staff("W3"))
    for k in range(3):
        add_toewijzing(b, f"T{k}", "45F31", hours_per_week=2)
    first, _ = solve_and_check(b, FLEVO)
    sick = first.plan.caseload[0].executor_ids[0]
    b.absences.append(Absence(sick, at(MONDAY, 0), at(MONDAY + timedelta(days=7), 0)))
    again, report = solve_and_check(b, FLEVO, previous=first.plan)
    moved = [a for a in again.plan.caseload if a.executor_ids != next(
        x.executor_ids for x in first.plan.caseload if x.toewijzing_id == a.toewijzing_id)]
    assert all(sick not in a.executor_ids for a in again.plan.caseload)
    assert len(moved) == sum(1 for a in first.plan.caseload if sick in a.executor_ids)  # only the sick one's
    assert any("uitvoerder" in line for line in plan_changes(first.plan, again.plan))


def test_oncall_coverage_pinned_block_and_pinned_contact_stay():
    from planner.plan import Contact

    b = bundle()
    add_team(b, "MDFT", intervention="MDFT")
    add_staff(b, *[staff(f"M{i}", teams=("MDFT",)) for i in range(3)])
    add_toewijzing(b, "T1", "45F34", hours_per_week=2, intervention="MDFT", team_id="MDFT")
    first, _ = solve_and_check(b, FLEVO)
    plan = first.plan
    wed = at(MONDAY + timedelta(days=2), 0)
    someone_else = next(s for s in ("M0", "M1", "M2") if all(
        not (blk.start <= wed < blk.end and blk.staff_id == s) for blk in plan.oncall))
    plan.oncall.append(OnCallBlock("MDFT", someone_else, wed, wed + timedelta(days=1), pinned=True))
    executor = plan.caseload[0].executor_ids[0]
    pin = Contact("T1", executor, at(MONDAY + timedelta(days=3), 13), at(MONDAY + timedelta(days=3), 14), pinned=True)
    plan.contacts = [pin]
    again, _ = solve_and_check(b, FLEVO, previous=plan)
    on_wed = [blk.staff_id for blk in again.plan.oncall if blk.start <= wed < blk.end]
    assert on_wed == [someone_else]
    assert pin in again.plan.contacts


def test_stop_event_ends_the_solve_and_keeps_the_best_plan():
    import threading

    from solver.data import SolveOptions
    from solver.solve import solve

    b = bundle()
    add_staff(b, *[staff(f"W{i}") for i in range(6)])
    for k in range(30):
        add_toewijzing(b, f"T{k}", "45F31", hours_per_week=2)
    stop = threading.Event()
    stop.set()
    result = solve(b, FLEVO, options=SolveOptions(time_limit=60), stop=stop)
    assert result.plan is not None and result.status == "FEASIBLE"  # the best plan so far, not a proof
    assert any("Gestopt" in line for line in result.explanation)
