"""Categories of findings: a wrong decision (fout) or care the plan leaves undone (niet geleverde zorg).

The plan's own ``unserved`` list exempts nothing (issue 19): every active toewijzing is checked against
the data, and what the plan leaves undone is a shortfall carrying the plan's reason.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from planner.checker import EXIT_DATA, EXIT_HARD, EXIT_INCOMPLETE, EXIT_OK, check_plan
from planner.domain import Education
from planner.plan import Casusregie, Unserved
from planner.rules import load_pack
from tests.builders import add_staff, plan_for, staff
from tests.cases import CASES
from tests.cases.common import EXECUTOR, add_clean_toewijzing, clean_toewijzing_case
from tests.cases.residential import clean_residential_case, night_kinds

FLEVO = load_pack("flevoland-multi")
ALMELO = load_pack("almelo-2025")
FF = next(r for r in ALMELO.rules_of("contact_frequency") if r.severity == "hard" and r.params.get("min_per_week"))


def _of(report, rule_id):
    return [v for v in report.violations if v.rule_id == rule_id]


def test_contact_frequency_too_few_is_a_shortfall_too_many_is_a_wrong_decision():
    b, p = clean_toewijzing_case(ALMELO, FF.products[0], FF.interventions[0] if FF.interventions else None)
    ours = [c for c in p.contacts if c.toewijzing_id == "T1"]
    few = plan_for(b)
    few.caseload, few.oncall, few.contacts = p.caseload, p.oncall, ours[1:]
    p.unserved.append(Unserved("T1", "te weinig uitvoerders met Families First"))
    few.unserved = p.unserved
    (v,) = _of(check_plan(b, ALMELO, few), FF.id)
    assert v.category == "niet_geleverd" and v.reason == "te weinig uitvoerders met Families First"
    if FF.params.get("max_per_week"):
        many = plan_for(b)
        many.caseload, many.oncall = p.caseload, p.oncall
        extra = int(FF.params["max_per_week"]) + 1 - len(ours)
        day = p.period_start + timedelta(days=5)
        many.contacts = ours + [replace(ours[0], start=ours[0].start.replace(day=day.day) + timedelta(hours=i),
                                        end=ours[0].end.replace(day=day.day) + timedelta(hours=i)) for i in range(extra)]
        assert [x.category for x in _of(check_plan(b, ALMELO, many), FF.id)] == ["fout"]


@pytest.mark.parametrize("pack", [FLEVO, ALMELO], ids=["flevoland", "almelo"])
def test_contact_frequency_no_exemption_in_either_pack(pack):
    """Almelo and Flevoland agree: a plan's unserved claim exempts no duty (contact frequency, staffing,
    on-call), and what it leaves undone is reported as a shortfall with the plan's reason."""
    kinds = [k for k in ("contact_frequency", "assignment_present", "oncall_coverage") if pack.rules_of(k)]
    assert "oncall_coverage" in kinds and (pack is FLEVO or "contact_frequency" in kinds)
    for kind in kinds:
        rule = next(r for r in pack.rules_of(kind) if r.severity == "hard")
        (_, _), (b, p) = CASES[kind](rule, pack)
        before = _of(check_plan(b, pack, p), rule.id)
        p.unserved += [Unserved(tid, "reden") for tid in b.toewijzingen]
        after = _of(check_plan(b, pack, p), rule.id)
        assert len(after) == len(before) >= 1, kind
        assert all(v.category == "niet_geleverd" and v.reason == "reden" for v in after), kind


def test_start_within_and_regie_one_on_one_are_shortfalls():
    for kind in ("start_within", "regie_one_on_one"):
        rule = ALMELO.rules_of(kind)[0]
        (_, _), (b, p) = CASES[kind](rule, ALMELO)
        p.unserved.append(Unserved("T1", "geen plek in de agenda"))
        (v,) = _of(check_plan(b, ALMELO, p), rule.id)
        assert v.shortfall and v.reason == "geen plek in de agenda", kind


def test_casusregisseur_missing_is_a_shortfall_only_while_a_trajectory_has_no_executor():
    b, p = clean_toewijzing_case(FLEVO, "45F21")
    gezin = b.jeugdigen[b.toewijzingen["T1"].jeugdige_id].gezin_id
    add_clean_toewijzing(b, p, FLEVO, "45F31", "T2", gezin_id=gezin)
    rule = FLEVO.rules_of("casusregisseur")[0]
    (v,) = _of(check_plan(b, FLEVO, p), rule.id)
    assert v.category == "fout"  # everyone is staffed: not naming a casusregisseur is a wrong decision
    p.caseload = [a for a in p.caseload if a.toewijzing_id != "T2"]
    p.unserved.append(Unserved("T2", "geen behandelaar"))
    (v,) = _of(check_plan(b, FLEVO, p), rule.id)
    assert v.category == "niet_geleverd" and v.reason == "geen behandelaar"
    p.casusregie = [Casusregie(gezin, EXECUTOR), Casusregie(gezin, "M-R")]
    (v,) = _of(check_plan(b, FLEVO, p), rule.id)
    assert v.category == "fout"  # two casusregisseurs is always wrong


def test_night_shift_required_empty_night_is_a_shortfall_an_unqualified_one_is_wrong():
    rule = next(r for r in ALMELO.rules_of("night_shift_required") if r.params.get("education"))
    product = rule.products[0]
    b, p = clean_residential_case(ALMELO, product)
    assert _of(check_plan(b, ALMELO, p), rule.id) == []
    kinds = night_kinds(ALMELO, product)
    night = next(s for s in p.shifts if s.kind in kinds)
    p.shifts.remove(night)
    (v,) = _of(check_plan(b, ALMELO, p), rule.id)
    assert v.category == "niet_geleverd"
    add_staff(b, staff("LOW", education="mbo2"))
    p.shifts.append(replace(night, staff_id="LOW"))
    (v,) = _of(check_plan(b, ALMELO, p), rule.id)
    assert v.category == "fout"


def test_shift_staff_ratio_too_few_on_shift_is_a_shortfall():
    rule = next(r for r in ALMELO.rules_of("shift_staff_ratio") if r.severity == "hard")
    (_, _), (b, p) = CASES["shift_staff_ratio"](rule, ALMELO)
    assert [v.category for v in _of(check_plan(b, ALMELO, p), rule.id)] == ["niet_geleverd"]


def test_report_status_and_exit_codes():
    b, p = clean_toewijzing_case(FLEVO, "45F21")
    report = check_plan(b, FLEVO, p)
    assert (report.status, report.exit_code) == ("compleet", EXIT_OK)
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], education=Education.MBO3)
    report = check_plan(b, FLEVO, p)
    assert (report.status, report.exit_code) == ("ongeldig", EXIT_HARD) and report.unmet_care == []
    b, p = clean_toewijzing_case(FLEVO, "45F21")
    p.caseload.clear()
    report = check_plan(b, FLEVO, p)
    assert (report.status, report.exit_code) == ("onvolledig", EXIT_INCOMPLETE) and report.plan_hard == []
    b, p = clean_toewijzing_case(FLEVO, "45F21")
    t = b.toewijzingen["T1"]
    b.toewijzingen["T1"] = replace(t, end=t.start + timedelta(days=800))  # longer than 12 months: the data
    report = check_plan(b, FLEVO, p)
    assert report.data_problems and (report.status, report.exit_code) == ("compleet", EXIT_DATA)
    assert report.to_json()["status"] == "compleet"
