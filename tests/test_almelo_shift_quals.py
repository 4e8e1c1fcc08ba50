"""Issue 20: residential shift staff registered (A:1205, A:3861), CSI shift education (A:2905) and a registered
hbo/wo professional present on the Jeugd GGZ group (A:3403)."""

from __future__ import annotations

from dataclasses import replace

from planner.checker import check_plan
from planner.domain import Education, Registration
from planner.plan import Plan
from planner.rules import load_pack
from solver.data import ProblemData, SolveOptions
from solver.residential import plan_residential, roster_problem
from tests.cases.residential import _wednesday, clean_residential_case
from tests.solver.test_solver_residential import _woongroep

ALMELO = load_pack("almelo-2025")


def _ids(b, p):
    return sorted(v.rule_id for v in check_plan(b, ALMELO, p).violations)


def test_shift_registration_required_hbo_on_a_woongroep_shift_is_registered():
    b, p = clean_residential_case(ALMELO, "A-WG")
    assert _ids(b, p) == []
    sid = p.shifts[0].staff_id
    b.staff[sid] = replace(b.staff[sid], education=Education.HBO,
                           profession="sociaal werker", registrations=frozenset())
    assert _ids(b, p) == ["A.hbo_registratie.dienst"]
    b.staff[sid] = replace(b.staff[sid], education=Education.MBO4)
    assert _ids(b, p) == []  # mbo4 needs no register


def test_shift_registration_required_crisisverblijf_ggz_every_shift_worker():
    b, p = clean_residential_case(ALMELO, "A-CVGGZ")
    assert _ids(b, p) == []
    sid = p.shifts[0].staff_id
    b.staff[sid] = replace(b.staff[sid], education=Education.MBO4, registrations=frozenset())
    assert _ids(b, p) == ["A.CVGGZ.registratie_dienst"]


def test_shift_min_education_all_csi_groups_have_mbo4_or_hbo():
    b, p = clean_residential_case(ALMELO, "A-CSI")
    sid = p.shifts[0].staff_id
    b.staff[sid] = replace(b.staff[sid], education=Education.MBO3)
    assert "A.CSI.opleiding_dienst" in _ids(b, p)


def test_shift_min_education_present_ggz_group_has_a_registered_hbo_each_hour():
    b, p = clean_residential_case(ALMELO, "A-GGZV")
    assert _ids(b, p) == []
    wed = _wednesday(b)
    dag = [s for s in p.shifts if s.start.date() == wed and s.kind == "dag"]
    for s in dag:
        b.staff[s.staff_id] = replace(b.staff[s.staff_id], education=Education.MBO4)
    found = [v for v in check_plan(b, ALMELO, p).violations if v.rule_id == "A.GGZV.hbo_aanwezig"]
    assert len(found) == 1 and "07:00-15:00" in found[0].message and not found[0].shortfall
    b2, p2 = clean_residential_case(ALMELO, "A-GGZV")
    p2.shifts = [s for s in p2.shifts if not (s.start.date() == wed and s.kind == "avond")]
    found = [v for v in check_plan(b2, ALMELO, p2).violations if v.rule_id == "A.GGZV.hbo_aanwezig"]
    assert len(found) == 1 and found[0].shortfall  # nobody on shift: care left undone


def test_shift_registration_required_roster_leaves_unregistered_hbo_out():
    b = _woongroep(6)
    for sid in ("W0", "W3"):  # hbo without registration
        b.staff[sid] = replace(b.staff[sid], registrations=frozenset())
    data = ProblemData(b, ALMELO, b.manifest.period_start, 1)
    problem, _, _ = roster_problem(data, b.groups["WG"])
    assert {e.id for e in problem.employees} == {"W1", "W2", "W4", "W5"}


def test_shift_min_education_present_roster_puts_a_registered_hbo_beside_everyone():
    b = _woongroep(8)
    b.groups["WG"] = replace(b.groups["WG"], product_code="A-GGZV")
    assert all(b.staff[sid].registrations == {Registration.SKJ} for sid in ("W0", "W3", "W6"))  # the hbo staff
    data = ProblemData(b, ALMELO, b.manifest.period_start, 1)
    problem, _, _ = roster_problem(data, b.groups["WG"])
    assert any(c.seniors == frozenset({"W0", "W3", "W6"}) for c in problem.companions)
    result = plan_residential(data, SolveOptions(workers=1), time_limit=10)
    plan = Plan(period_start=data.period_start, weeks=1, shifts=result.shifts)
    found = [v for v in check_plan(b, ALMELO, plan).violations if v.rule_id == "A.GGZV.hbo_aanwezig" and not v.shortfall]
    assert found == []
