"""Stage 2's second pass (issue 24, "use the whole time limit"): people whose contact model was not proven
optimal in the first pass get the time left of the stage, largest gap first, and the better result is kept."""

from __future__ import annotations

from ortools.sat.python import cp_model

import solver.contacts.stage as stage
from planner.checker import check_plan
from planner.plan import CaseAssignment, Plan
from planner.rules import load_pack
from solver.contacts import place_contacts
from solver.contacts.needs import contact_needs
from solver.data import ProblemData
from tests.builders import MONDAY, add_staff, add_toewijzing, bundle, staff
from tests.solver.helpers import FAST

FLEVO = load_pack("flevoland-multi")


def _two_people():
    """X executes TX (3 h a week), Y executes TY (2 h a week); stage 1's caseload given."""
    b = bundle()
    add_staff(b, staff("X", gemeenten=("Lelystad",)), staff("Y", gemeenten=("Lelystad",)))
    add_toewijzing(b, "TX", "45F31", hours_per_week=3)
    add_toewijzing(b, "TY", "45F31", hours_per_week=2)
    data = ProblemData(b, FLEVO, MONDAY, 1)
    plan = Plan(period_start=MONDAY, weeks=1, caseload=[CaseAssignment("TX", ("X",)), CaseAssignment("TY", ("Y",))])
    return b, data, plan


def test_second_pass_places_what_a_starved_first_pass_left_out(monkeypatch):
    """With no time at all per person in the first pass nobody gets a plan there; the second pass gives them
    the stage's time and reaches the same optimum as an ordinary run, every contact placed."""
    b, data, plan = _two_people()
    normal = place_contacts(data, plan, FAST, time_limit=10)
    assert normal.optimal and normal.stats["second_pass"] == 0

    first_pass = []
    solve_person = stage._solve_person

    def spy(cm, sid, options, limit, hint=None):
        r = solve_person(cm, sid, options, limit, hint)
        if hint is None and limit == 0.0:
            first_pass.append(r.status)
        return r

    monkeypatch.setattr(stage, "first_pass_limit", lambda left, people_left: 0.0)
    monkeypatch.setattr(stage, "_solve_person", spy)
    b, data, plan = _two_people()
    result = place_contacts(data, plan, FAST, time_limit=10)
    assert first_pass == ["UNKNOWN", "UNKNOWN"]  # the precondition: the first pass found nothing
    assert result.stats["second_pass"] == 2 and result.stats["second_pass_improved"] == 2
    assert result.stats["second_pass_rounds"] == 1  # both proven optimal in the first round
    assert result.optimal and result.stats["statuses"] == {"OPTIMAL": 2}
    assert result.objective == normal.objective and result.bound == normal.bound
    assert len(result.contacts) == len(normal.contacts) > 0
    assert not result.causes
    plan.contacts = result.contacts
    assert check_plan(b, FLEVO, plan).plan_hard == []


def test_second_pass_gets_no_time_past_the_limit(monkeypatch):
    """The first pass has a minimum per person; the second pass does not run when the limit is used up."""
    monkeypatch.setattr(stage, "first_pass_limit", lambda left, people_left: 0.0)
    _, data, plan = _two_people()
    result = place_contacts(data, plan, FAST, time_limit=0.0)
    assert result.stats["second_pass"] == 0 and result.stats["second_pass_rounds"] == 0
    assert not result.optimal and result.stats["statuses"] == {"NIET_GEPLAND": 2}


def test_second_pass_order_largest_gap_first_no_plan_before_all():
    results = {"A": stage.PersonResult("FEASIBLE", objective=500, bound=100),
               "B": stage.PersonResult("OPTIMAL", objective=900, bound=900),
               "C": stage.PersonResult("FEASIBLE", objective=20_000, bound=100),
               "D": stage.PersonResult("INFEASIBLE"),
               "E": stage.PersonResult("UNKNOWN")}
    assert stage.second_pass_order(results) == ["E", "C", "A"]


def test_better_keeps_the_lower_objective_and_the_higher_bound():
    first = stage.PersonResult("FEASIBLE", objective=300, bound=100)
    worse = stage.PersonResult("FEASIBLE", objective=400, bound=250)
    assert stage._better(first, worse) is first and first.bound == 250 and first.status == "FEASIBLE"
    first = stage.PersonResult("FEASIBLE", objective=300, bound=100)
    closed = stage.PersonResult("FEASIBLE", objective=280, bound=200)
    best = stage._better(first, stage.PersonResult("FEASIBLE", objective=300, bound=300))
    assert best.status == "OPTIMAL" and best.objective == 300  # the first's objective met the second's bound
    assert stage._better(first, stage.PersonResult("UNKNOWN")) is first
    assert stage._better(stage.PersonResult("UNKNOWN"), closed) is closed
    assert stage._better(stage.PersonResult("UNKNOWN"), stage.PersonResult("INFEASIBLE")).status == "INFEASIBLE"


def test_the_first_pass_solution_is_a_complete_hint():
    """The second pass starts from the first pass's solution: with every variable fixed to its hinted value the
    same model has exactly that solution (a hint missing or out of order would make it infeasible)."""
    _, data, plan = _two_people()
    needs = [n for n in contact_needs(data, plan) if n.staff_id == "X"]
    cm = stage._build_person(data, "X", needs, [])
    first = cp_model.CpSolver()
    first.parameters.num_workers = 1
    assert first.Solve(cm.model) == cp_model.OPTIMAL
    stage._hint(cm, list(first.response_proto.solution))
    again = cp_model.CpSolver()
    again.parameters.num_workers = 1
    again.parameters.fix_variables_to_their_hinted_value = True
    assert again.Solve(cm.model) == cp_model.OPTIMAL
    assert again.ObjectiveValue() == first.ObjectiveValue()


# --- provider scale: a part not proven optimal is solved again with the time the others left ------------
def _result(status, objective, bound):
    from solver.result import SolveResult

    return SolveResult(plan=Plan(period_start=MONDAY, weeks=1), status=status, seconds=1.0, objective=objective,
                       bound=bound)


def test_parts_not_proven_optimal_are_retried_when_time_is_left():
    import time

    from solver.parallel import RETRY_SECONDS, retry_jobs

    jobs = ["p1", "p2", "p3"]  # retry_jobs only pairs them with their results
    results = [_result("OPTIMAL", 10, 10), _result("FEASIBLE", 10_100, 100), None]
    assert retry_jobs(jobs, results, time.monotonic() + RETRY_SECONDS + 5) == ["p2"]
    assert retry_jobs(jobs, results, time.monotonic() + RETRY_SECONDS / 2) == []


def test_better_part_keeps_the_lower_objective_then_the_higher_bound():
    from solver.parallel import better_part

    first = _result("FEASIBLE", 10_100, 100)
    assert better_part(first, _result("OPTIMAL", 100, 100)).status == "OPTIMAL"
    assert better_part(first, _result("FEASIBLE", 20_000, 150)) is first
    assert better_part(first, _result("FEASIBLE", 10_100, 90)) is first
    assert better_part(first, _result("UNKNOWN", None, None)) is first
    assert better_part(first, None) is first
