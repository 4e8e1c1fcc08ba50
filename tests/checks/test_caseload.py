"""Focused tests for caseload checks (planner/checks/caseload.py) on tiny hand-built cases."""

from dataclasses import replace
from datetime import date, timedelta

from planner.checker import check_plan
from planner.domain import Education, Registration
from planner.plan import CaseAssignment, Casusregie, Unserved
from planner.rules import Rule, RulePack, load_pack
from planner.timeutil import add_months
from tests.builders import add_toewijzing, bundle, plan_for, staff
from tests.cases.common import (
    EXECUTOR,
    RESPONSIBLE,
    add_clean_toewijzing,
    clean_toewijzing_case,
)

PACK = load_pack("flevoland-multi")
PRODUCTS = ["45F11", "45F33", "45F34", "45F31", "45F32", "45F23", "45F21", "45F22"]


def ids(report):
    return [v.rule_id for v in report.violations]


def one_rule_pack(kind: str, severity: str = "hard", **params) -> RulePack:
    """The Flevoland products with a single extra rule (kinds the Flevoland seed does not use)."""
    rule = Rule(id=f"T.{kind}", kind=kind, severity=severity, penalty=10 if severity == "soft" else 0,
                wording="test", params=params, text="Testregel.", citation="extern:test", quote="test")
    return PACK.model_copy(update={"rules": [rule]})


def restaff(b, sid, **changes):
    """Change one staff member; education and registrations may be given as plain strings."""
    if "education" in changes:
        changes["education"] = Education(changes["education"])
    if "registrations" in changes:
        changes["registrations"] = frozenset(Registration(r) for r in changes["registrations"])
    b.staff[sid] = replace(b.staff[sid], **changes)


def test_clean_case_is_clean_for_every_product():
    for product in PRODUCTS:
        b, p = clean_toewijzing_case(PACK, product)
        assert check_plan(b, PACK, p).violations == [], product
    b, p = clean_toewijzing_case(PACK, "45F34", "FAST")
    assert check_plan(b, PACK, p).violations == []


# --- executor_min_education --------------------------------------------------
def test_executor_min_education_hbo_plus_for_gezin_intensief():
    b, p = clean_toewijzing_case(PACK, "45F34")
    restaff(b, EXECUTOR, education="hbo+")
    assert "F.45F34.opleiding" not in ids(check_plan(b, PACK, p))
    restaff(b, EXECUTOR, education="hbo")
    report = check_plan(b, PACK, p)
    assert ids(report).count("F.45F34.opleiding") == 1
    assert "hbo+" in report.violations[0].message and EXECUTOR in report.violations[0].message


def test_executor_min_education_mbo4_may_do_specialistische_begeleiding():
    b, p = clean_toewijzing_case(PACK, "45F21")
    restaff(b, EXECUTOR, education="mbo4", registrations=frozenset())
    assert check_plan(b, PACK, p).violations == []
    restaff(b, EXECUTOR, education="mbo3")
    assert ids(check_plan(b, PACK, p)) == ["F.45F21.opleiding"]


def test_executor_min_education_only_active_toewijzingen():
    b, p = clean_toewijzing_case(PACK, "45F31")
    t = b.toewijzingen["T1"]
    b.toewijzingen["T1"] = replace(t, start=t.start - timedelta(days=200), end=b.manifest.period_start - timedelta(days=1))
    restaff(b, EXECUTOR, education="mbo3")
    assert "F.45F31.opleiding" not in ids(check_plan(b, PACK, p))


# --- executor_registration ---------------------------------------------------
def test_executor_registration_soft_for_unregistered_hbo():
    b, p = clean_toewijzing_case(PACK, "45F23")
    restaff(b, EXECUTOR, education="hbo", profession="jeugd- en gezinswerker", registrations=frozenset())
    report = check_plan(b, PACK, p)
    assert ids(report) == ["F.45F23.registratie"]
    assert report.violations[0].severity == "soft" and report.total_penalty == PACK.rule("F.45F23.registratie").penalty


def test_executor_registration_not_asked_below_hbo_and_rvt_counts_where_the_rule_names_it():
    b, p = clean_toewijzing_case(PACK, "45F23")
    restaff(b, EXECUTOR, education="mbo4", registrations=frozenset())
    assert check_plan(b, PACK, p).violations == []
    # F:214 "Waar een SKJ-registratie niet kan, is een kwalificatie vereist": the pack lists RVT
    restaff(b, EXECUTOR, education="hbo", profession="vaktherapeut", registrations=frozenset({"RVT"}))
    assert check_plan(b, PACK, p).violations == []
    restaff(b, EXECUTOR, registrations=frozenset({"NVO"}))  # a register the rule does not name
    assert ids(check_plan(b, PACK, p)) == ["F.45F23.registratie"]
    without_rvt = PACK.with_overrides({"F.45F23.registratie": {"params": {"registrations": ["SKJ", "BIG"]}}})
    restaff(b, EXECUTOR, registrations=frozenset({"RVT"}))
    assert ids(check_plan(b, without_rvt, p)) == ["F.45F23.registratie"]  # SKJ means SKJ


# --- responsible_role --------------------------------------------------------
def test_responsible_role_diagnostiek_needs_orthopedagoog_generalist_or_gz_psycholoog():
    b, p = clean_toewijzing_case(PACK, "45F11")
    restaff(b, RESPONSIBLE, profession="orthopedagoog-generalist", registrations=frozenset({"BIG"}))
    assert check_plan(b, PACK, p).violations == []
    restaff(b, RESPONSIBLE, profession="psychiater")  # a regiebehandelaar, but not named for 45F11
    assert ids(check_plan(b, PACK, p)) == ["F.45F11.verantwoordelijke"]
    restaff(b, RESPONSIBLE, profession="gz-psycholoog", registrations=frozenset({"SKJ"}))  # BIG missing
    assert ids(check_plan(b, PACK, p)) == ["F.45F11.verantwoordelijke"]


def test_responsible_role_regiebehandelaar_for_behandeling():
    b, p = clean_toewijzing_case(PACK, "45F33")
    restaff(b, RESPONSIBLE, profession="psychiater", registrations=frozenset({"BIG"}))
    assert check_plan(b, PACK, p).violations == []
    restaff(b, RESPONSIBLE, profession="orthopedagoog", registrations=frozenset({"SKJ", "NVO"}))
    report = check_plan(b, PACK, p)
    assert ids(report) == ["F.45F33.regiebehandelaar"] and "regiebehandelaar" in report.violations[0].message


def test_responsible_role_gedragswetenschapper_for_begeleiding():
    b, p = clean_toewijzing_case(PACK, "45F21")
    restaff(b, RESPONSIBLE, education="wo", profession="orthopedagoog", registrations=frozenset({"SKJ"}))
    assert check_plan(b, PACK, p).violations == []
    restaff(b, RESPONSIBLE, education="hbo+")
    assert ids(check_plan(b, PACK, p)) == ["F.45F21.gedragswetenschapper"]


def test_responsible_role_missing_responsible_is_reported_once_by_assignment_present():
    b, p = clean_toewijzing_case(PACK, "45F31")
    p.caseload[0] = replace(p.caseload[0], responsible_id=None)
    assert ids(check_plan(b, PACK, p)) == ["F.45F31.toewijzing_bemenst"]


# --- intervention_certification -----------------------------------------------
def test_intervention_certification_executor_needs_the_toewijzings_intervention():
    b, p = clean_toewijzing_case(PACK, "45F34", "FAST")
    restaff(b, EXECUTOR, certifications=frozenset({"MST"}))
    report = check_plan(b, PACK, p)
    assert ids(report) == ["F.45F34.interventie_opleiding"] and "FAST" in report.violations[0].message
    restaff(b, EXECUTOR, certifications=frozenset({"fast"}))  # case-insensitive
    assert check_plan(b, PACK, p).violations == []


def test_intervention_certification_not_asked_without_intervention():
    b, p = clean_toewijzing_case(PACK, "45F34")
    restaff(b, EXECUTOR, certifications=frozenset())
    assert check_plan(b, PACK, p).violations == []


# --- max_trajectory_length -----------------------------------------------------
def test_max_trajectory_length_boundary_is_inclusive_end_date():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    b, p = clean_toewijzing_case(PACK, "45F34")
    t = b.toewijzingen["T1"]
    b.toewijzingen["T1"] = replace(t, end=add_months(t.start, 9) - timedelta(days=1))
    assert check_plan(b, PACK, p).violations == []
    b.toewijzingen["T1"] = replace(t, end=add_months(t.start, 9))
    report = check_plan(b, PACK, p)
    assert ids(report) == ["F.45F34.trajectduur"] and report.violations[0].amount == 1


def test_max_trajectory_length_checks_toewijzingen_outside_the_period_too():
    b, p = clean_toewijzing_case(PACK, "45F11")
    add_toewijzing(b, "T-OLD", "45F11", start=date(2024, 1, 1), end=date(2025, 6, 1))
    assert ids(check_plan(b, PACK, p)) == ["F.45F11.trajectduur"]


# --- per_gezin_financing -------------------------------------------------------
def test_per_gezin_financing_two_concurrent_in_one_gezin():
    b, p = clean_toewijzing_case(PACK, "45F33")
    gezin = b.jeugdigen[b.toewijzingen["T1"].jeugdige_id].gezin_id
    add_clean_toewijzing(b, p, PACK, "45F33", "T2", gezin_id=gezin)
    p.casusregie.append(Casusregie(gezin, EXECUTOR))
    report = check_plan(b, PACK, p)
    assert ids(report) == ["F.45F33.per_gezin"] and ("toewijzing", "T2") in report.violations[0].entities


def test_per_gezin_financing_successive_toewijzingen_are_fine():
    b, p = clean_toewijzing_case(PACK, "45F23")
    t1 = b.toewijzingen["T1"]
    gezin = b.jeugdigen[t1.jeugdige_id].gezin_id
    b.toewijzingen["T1"] = replace(t1, end=b.manifest.period_start + timedelta(days=1))
    t2 = add_clean_toewijzing(b, p, PACK, "45F23", "T2", gezin_id=gezin)
    b.toewijzingen["T2"] = replace(t2, start=b.manifest.period_start + timedelta(days=2))
    p.casusregie.append(Casusregie(gezin, EXECUTOR))
    assert "F.45F23.per_gezin" not in ids(check_plan(b, PACK, p))


def test_per_gezin_financing_individual_product_not_limited():
    b, p = clean_toewijzing_case(PACK, "45F31")
    gezin = b.jeugdigen[b.toewijzingen["T1"].jeugdige_id].gezin_id
    add_clean_toewijzing(b, p, PACK, "45F31", "T2", gezin_id=gezin)
    p.casusregie.append(Casusregie(gezin, EXECUTOR))
    assert check_plan(b, PACK, p).violations == []


# --- casusregisseur ------------------------------------------------------------
def _gezin_with_two(casusregisseurs=()):
    b = bundle()
    p = plan_for(b)
    add_clean_toewijzing(b, p, PACK, "45F33", "T1", jid="J1", gezin_id="GZ1")
    add_clean_toewijzing(b, p, PACK, "45F31", "T2", jid="J2", gezin_id="GZ1")
    p.casusregie.extend(Casusregie("GZ1", sid) for sid in casusregisseurs)
    return b, p


def test_casusregisseur_one_of_the_involved_is_fine():
    b, p = _gezin_with_two([RESPONSIBLE])
    assert check_plan(b, PACK, p).violations == []


def test_casusregisseur_missing_or_two():
    b, p = _gezin_with_two()
    report = check_plan(b, PACK, p)
    assert ids(report) == ["F.casusregisseur"] and "geen casusregisseur" in report.violations[0].message
    b, p = _gezin_with_two([EXECUTOR, RESPONSIBLE])
    assert ids(check_plan(b, PACK, p)) == ["F.casusregisseur"]


def test_casusregisseur_must_be_involved_unless_interpretation_says_otherwise():
    b, p = _gezin_with_two(["M-X"])
    b.staff["M-X"] = staff("M-X")
    assert ids(check_plan(b, PACK, p)) == ["F.casusregisseur"]
    loose = PACK.with_overrides({"F.casusregisseur": {"interpretations": {"houder": "medewerker"}}})
    assert check_plan(b, loose, p).violations == []


def test_casusregisseur_single_trajectory_needs_none():
    b, p = clean_toewijzing_case(PACK, "45F33")
    assert "F.casusregisseur" not in ids(check_plan(b, PACK, p))


# --- working_area ----------------------------------------------------------------
def test_working_area_soft_outside_gemeenten():
    pack = one_rule_pack("working_area", severity="soft")
    b, p = clean_toewijzing_case(pack, "45F31")
    restaff(b, EXECUTOR, gemeenten=frozenset({"Lelystad", "Almere"}))
    assert check_plan(b, pack, p).violations == []
    restaff(b, EXECUTOR, gemeenten=frozenset({"Urk"}))
    report = check_plan(b, pack, p)
    assert ids(report) == ["T.working_area"] and report.total_penalty == 10


# --- caseload_max ------------------------------------------------------------------
def test_caseload_max_counts_active_executed_toewijzingen():
    pack = one_rule_pack("caseload_max")
    b, p = clean_toewijzing_case(pack, "45F31")
    add_clean_toewijzing(b, p, pack, "45F31", "T2")
    restaff(b, EXECUTOR, caseload_max=2)
    assert check_plan(b, pack, p).violations == []
    add_clean_toewijzing(b, p, pack, "45F31", "T3")
    report = check_plan(b, pack, p)
    assert ids(report) == ["T.caseload_max"] and report.violations[0].amount == 1
    restaff(b, EXECUTOR, caseload_max=None)  # no maximum set
    assert check_plan(b, pack, p).violations == []


# --- assignment_present ------------------------------------------------------------
def test_assignment_present_missing_assignment_and_executor():
    b, p = clean_toewijzing_case(PACK, "45F21")
    p.caseload.clear()
    report = check_plan(b, PACK, p)
    assert "F.45F21.toewijzing_bemenst" in ids(report)
    assert "uitvoerder en geen verantwoordelijke" in report.violations[ids(report).index("F.45F21.toewijzing_bemenst")].message
    p.caseload.append(CaseAssignment("T1", (), RESPONSIBLE))
    assert "F.45F21.toewijzing_bemenst" in ids(check_plan(b, PACK, p))


def test_assignment_present_unserved_toewijzing_is_a_shortfall_with_the_plans_reason():
    """The plan's own ``unserved`` list exempts nothing: the duty is reported as niet geleverde zorg."""
    b, p = clean_toewijzing_case(PACK, "45F21")
    p.caseload.clear()
    p.contacts.clear()
    p.unserved.append(Unserved("T1", "geen gedragswetenschapper beschikbaar"))
    report = check_plan(b, PACK, p)
    (v,) = [v for v in report.violations if v.rule_id == "F.45F21.toewijzing_bemenst"]
    assert v.shortfall and v.category == "niet_geleverd" and v.reason == "geen gedragswetenschapper beschikbaar"
    assert report.plan_hard == [] and report.unmet_care == [v]
    assert report.status == "onvolledig" and report.exit_code == 4


def test_assignment_present_empty_plan_claiming_everything_unserved_is_not_clean():
    """Tester's finding: an empty plan listing every toewijzing as unserved passed with exit 0."""
    b, p = clean_toewijzing_case(PACK, "45F21")
    from tests.cases.common import add_clean_toewijzing
    add_clean_toewijzing(b, p, PACK, "45F34", "T2", intervention="MST")
    empty = plan_for(b)
    empty.unserved = [Unserved(tid, "") for tid in b.toewijzingen]
    report = check_plan(b, PACK, empty)
    kinds = {v.kind for v in report.unmet_care}
    assert {"assignment_present", "oncall_coverage"} <= kinds, [v.message for v in report.violations]
    assert report.exit_code != 0 and report.status == "onvolledig"


def test_responsible_role_list_accepts_any_of_the_roles():
    from planner.semantics.eligibility import has_role
    from tests.builders import staff as mk

    psychiater = mk("P", profession="psychiater", registrations=("BIG",))
    assert not has_role(psychiater, "gedragswetenschapper")
    assert has_role(psychiater, ["gedragswetenschapper", "regiebehandelaar"])
