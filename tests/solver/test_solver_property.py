"""Property: every plan the solver returns passes the independent checker on all hard rules,
and the soft penalties it reports equal the checker's, on random small Flevoland instances."""

from __future__ import annotations

from datetime import time

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from planner.checker import check_plan
from planner.domain import TimeWindow
from planner.rules import load_pack
from solver.data import SolveOptions
from solver.solve import solve
from tests.builders import add_group, add_staff, add_team, add_toewijzing, bundle, staff

PACK = load_pack("flevoland-multi")
PROFILES = [  # (education, profession, registrations)
    ("wo+", "gz-psycholoog", ("BIG", "SKJ")),
    ("wo", "orthopedagoog", ("SKJ",)),
    ("wo", "orthopedagoog-generalist", ("BIG",)),
    ("hbo+", "systeemtherapeut", ("SKJ",)),
    ("hbo", "jeugd- en gezinswerker", ("SKJ",)),
    ("hbo", "vaktherapeut", ("RVT",)),
    ("hbo", "sociaal werker", ()),
    ("mbo4", "sociaalpedagogisch medewerker", ()),
]
PRODUCTS = ["45F11", "45F33", "45F34", "45F31", "45F23", "45F21"]


@st.composite
def instances(draw):
    b = bundle()
    n_staff = draw(st.integers(3, 9))
    add_team(b, "TM", intervention="MDFT")
    for i in range(n_staff):
        edu, prof, regs = draw(st.sampled_from(PROFILES))
        days = draw(st.sets(st.integers(0, 4), min_size=2, max_size=5))
        avail = tuple(TimeWindow(d, time(8, 30), time(17, 0)) for d in sorted(days))
        certs = draw(st.sets(st.sampled_from(["MST", "MDFT", "FAST"]), max_size=2)) | ({"MDFT"} if i < 3 else set())
        add_staff(b, staff(f"M{i}", education=edu, profession=prof, registrations=regs, certifications=certs,
                           contract_hours=draw(st.sampled_from([16, 24, 32, 36])), availability=avail,
                           teams=("TM",) if "MDFT" in certs else ()))
    for k in range(draw(st.integers(1, 8))):
        product = draw(st.sampled_from(PRODUCTS))
        intervention = draw(st.sampled_from(["MST", "MDFT", "FAST"])) if product == "45F34" else None
        add_toewijzing(b, f"T{k}", product, hours_per_week=draw(st.sampled_from([1, 1.5, 2, 3, 4])),
                       intervention=intervention, team_id="TM" if intervention == "MDFT" else None,
                       gezin_id=f"G{draw(st.integers(0, 3))}")
    for g in range(draw(st.integers(0, 2))):
        add_group(b, f"GR{g}", draw(st.sampled_from(["45F32", "45F22"])), draw(st.integers(2, 12)),
                  weekday=draw(st.integers(0, 4)))
    return b


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_solved_plans_pass_the_checker_and_penalties_agree(b):
    result = solve(b, PACK, options=SolveOptions(time_limit=4, workers=2))
    if result.plan is None:  # infeasible hard rules: must be explained
        assert result.status == "INFEASIBLE" and result.explanation
        event("infeasible")
        return
    event("feasible")
    report = check_plan(b, PACK, result.plan)
    assert report.plan_hard == [], [v.message for v in report.plan_hard]
    assert result.penalties == report.penalties_per_rule
