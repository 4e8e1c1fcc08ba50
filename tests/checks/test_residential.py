"""Focused tests for residential checks, on a small pack with the Almelo verblijf rules."""

from dataclasses import replace
from datetime import timedelta

import pytest

from planner.checker import check_plan
from planner.domain import Education
from planner.plan import Shift
from planner.rules import Rule, load_pack
from tests.builders import at
from tests.cases.residential import (GROUP, case_night_shift_required, case_residential_occupancy_max,
                                     case_shift_min_staff, case_shift_staff_ratio, clean_residential_case, enrol)


def rule(id, kind, products, params, severity="hard"):
    return Rule.model_validate(dict(id=id, kind=kind, products=products, severity=severity, wording="maximaal",
                                    params=params, penalty=10 if severity == "soft" else 0, text="Testregel.",
                                    citation="004_20dab77298b97978.txt:3041", quote="maximaal 10 jeugdigen"))


RULES = [
    rule("T.WG.max", "residential_occupancy_max", ["A-WG"], {"max_jeugdigen": 10}),
    rule("T.WG.ratio", "shift_staff_ratio", ["A-WG"], {"jeugdigen_per_staff": 6}, severity="soft"),
    rule("T.WG.nacht", "night_shift_required", ["A-WG"], {"kind": "any"}),
    rule("T.HSW.max", "residential_occupancy_max", ["A-HSW"], {"max_jeugdigen": 6}),
    rule("T.HSW.pref", "residential_occupancy_max", ["A-HSW"], {"max_jeugdigen": 4}, severity="soft"),
    rule("T.HSW.ratio", "shift_staff_ratio", ["A-HSW"], {"jeugdigen_per_staff": 4}),
    rule("T.BHG.nacht", "night_shift_required", ["A-BHG"], {"kind": "slaapnacht", "education": "mbo4"}),
    rule("T.BHG.wnacht", "night_shift_required", ["A-BHG"], {"kind": "waaknacht"}),
    rule("T.JZP.min", "shift_min_staff", ["A-JZP"], {"min": 2}),
    rule("T.JZP.ratio", "shift_staff_ratio", ["A-JZP"], {"jeugdigen_per_staff": 2.5, "day_hours": [8, 22]}),
    rule("T.BI.ratio", "shift_staff_ratio", ["A-BI"], {"jeugdigen_per_staff": 4}),  # a named non-verblijf product
    rule("T.all.nacht", "night_shift_required", [], {"kind": "any"}),  # no products: every verblijf group
]
# the rules under test plus the working-time rules every clean case must also keep
PACK = load_pack("almelo-2025").model_copy(update={"rules": RULES + load_pack("working-time").rules})
CASES = {"residential_occupancy_max": case_residential_occupancy_max, "shift_staff_ratio": case_shift_staff_ratio,
         "shift_min_staff": case_shift_min_staff, "night_shift_required": case_night_shift_required}


def ids(report):
    return [v.rule_id for v in report.violations]


OWN = {r.id for r in RULES}


def check(b, p):
    """The report with the violations of the rules under test only (working-time rules are tested elsewhere)."""
    report = check_plan(b, PACK, p)
    report.violations = [v for v in report.violations if v.rule_id in OWN]
    return report


def _of(kind):
    return [r for r in RULES if r.kind == kind]


def _cases_break_once(r):
    (cb, cp), (bb, bp) = CASES[r.kind](r, PACK)
    assert check_plan(cb, PACK, cp).violations == []
    assert ids(check_plan(bb, PACK, bp)).count(r.id) == 1


@pytest.mark.parametrize("r", _of("residential_occupancy_max"), ids=lambda r: r.id)
def test_residential_occupancy_max_case_breaks_once(r):
    _cases_break_once(r)


@pytest.mark.parametrize("r", _of("shift_staff_ratio"), ids=lambda r: r.id)
def test_shift_staff_ratio_case_breaks_once(r):
    _cases_break_once(r)


@pytest.mark.parametrize("r", _of("shift_min_staff"), ids=lambda r: r.id)
def test_shift_min_staff_case_breaks_once(r):
    _cases_break_once(r)


@pytest.mark.parametrize("r", _of("night_shift_required"), ids=lambda r: r.id)
def test_night_shift_required_case_breaks_once(r):
    _cases_break_once(r)


# --- residential_occupancy_max ---------------------------------------------------
def test_residential_occupancy_max_stretch_of_days_is_one_violation():
    b, p = clean_residential_case(PACK, "A-WG", enrolled=10)
    assert check(b, p).violations == []
    first = b.manifest.period_start
    enrol(b, "X1", first + timedelta(days=1), first + timedelta(days=2))  # Tue-Wed
    enrol(b, "X2", first + timedelta(days=5))  # Sat onwards
    report = check(b, p)
    over = [v for v in report.violations if v.rule_id == "T.WG.max"]
    assert [v.amount for v in over] == [2, 2]
    assert "2026-12-08 t/m 2026-12-09: tot 11 jeugdigen, maximaal 10" in over[0].message


def test_residential_occupancy_max_soft_preference_and_hard_maximum():
    b, p = clean_residential_case(PACK, "A-HSW", enrolled=5)
    report = check(b, p)
    assert ids(report) == ["T.HSW.pref"]
    assert report.violations[0].severity == "soft" and report.violations[0].penalty == 10 * 7


# --- shift_staff_ratio --------------------------------------------------------------
def test_shift_staff_ratio_hole_in_one_shift_is_one_merged_stretch():
    b, p = clean_residential_case(PACK, "A-HSW", enrolled=4)  # 1:4 -> one person per hour
    wed = b.manifest.period_start + timedelta(days=2)
    avond = next(s for s in p.shifts if s.kind == "avond" and s.start.date() == wed)
    p.shifts.remove(avond)
    p.shifts.append(Shift(GROUP, avond.staff_id, at(wed, 17, 30), at(wed, 23), "avond"))  # 15:00-17:30 open
    [v] = check(b, p).violations
    assert v.rule_id == "T.HSW.ratio" and v.amount == 3  # 15, 16 and the partly covered 17 o'clock hour
    assert "2026-12-09 15:00-18:00" in v.message and "4 jeugdigen vragen 1 medewerkers" in v.message


def test_shift_staff_ratio_night_shifts_do_not_count_and_day_hours_bound_the_check():
    b, p = clean_residential_case(PACK, "A-JZP", enrolled=5)  # 1:2.5 -> 2 per hour, from 08 to 22
    assert check(b, p).violations == []
    wed = b.manifest.period_start + timedelta(days=2)
    early = [s for s in p.shifts if s.kind == "dag" and s.start.date() == wed][0]
    p.shifts.remove(early)
    p.shifts.append(Shift(GROUP, early.staff_id, at(wed, 8), at(wed, 15), "waaknacht"))  # wrong kind
    assert ids(check(b, p)) == ["T.JZP.min", "T.JZP.ratio"]
    p.shifts[-1] = Shift(GROUP, early.staff_id, at(wed, 8), at(wed, 15), "dag")  # 07-08 open is outside [8, 22]
    assert "T.JZP.ratio" not in ids(check(b, p))


def test_shift_staff_ratio_reported_per_day():
    b, p = clean_residential_case(PACK, "A-HSW", enrolled=4)
    enrol(b, "X1", b.manifest.period_start)  # five jeugdigen all week need two
    ratio = [v for v in check(b, p).violations if v.rule_id == "T.HSW.ratio"]
    assert len(ratio) == 7 and all(v.amount == 16 for v in ratio)


# --- shift_min_staff ---------------------------------------------------------------
def test_shift_min_staff_empty_group_needs_nobody():
    b, p = clean_residential_case(PACK, "A-JZP", enrolled=0)
    p.shifts = []
    assert check(b, p).violations == []


def test_shift_min_staff_one_short_on_a_day_shift():
    b, p = clean_residential_case(PACK, "A-JZP", enrolled=1)  # ratio needs 1, minimum 2
    mon = b.manifest.period_start
    p.shifts.remove(next(s for s in p.shifts if s.kind == "dag" and s.start.date() == mon))
    [v] = check(b, p).violations
    assert v.rule_id == "T.JZP.min" and "07:00-15:00" in v.message and v.amount == 8


# --- night_shift_required ----------------------------------------------------------
def _nights(p, day):
    return [s for s in p.shifts if s.kind in ("slaapnacht", "waaknacht") and s.start.date() == day]


def test_night_shift_required_kind_and_any():
    b, p = clean_residential_case(PACK, "A-WG")
    wed = b.manifest.period_start + timedelta(days=2)
    [night] = _nights(p, wed)
    assert night.kind == "waaknacht"
    p.shifts[p.shifts.index(night)] = Shift(GROUP, night.staff_id, night.start, night.end, "slaapnacht")
    assert check(b, p).violations == []  # any: a slaapnacht will do


def test_night_shift_required_waaknacht_does_not_replace_slaapnacht_and_education_counts():
    b, p = clean_residential_case(PACK, "A-BHG")
    assert check(b, p).violations == []
    wed = b.manifest.period_start + timedelta(days=2)
    sleeping = next(s for s in _nights(p, wed) if s.kind == "slaapnacht")
    p.shifts.remove(sleeping)
    [v] = check(b, p).violations
    assert v.rule_id == "T.BHG.nacht" and "480 minuten zonder slaapnacht" in v.message
    p.shifts.append(sleeping)
    b.staff[sleeping.staff_id] = replace(b.staff[sleeping.staff_id], education=Education.MBO3)
    assert ids(check(b, p)) == ["T.BHG.nacht"]


def test_night_shift_required_split_night_is_covered_a_gap_is_not():
    b, p = clean_residential_case(PACK, "A-WG")
    wed = b.manifest.period_start + timedelta(days=2)
    [night] = _nights(p, wed)
    p.shifts.remove(night)
    p.shifts += [Shift(GROUP, night.staff_id, night.start, night.start + timedelta(hours=4), "waaknacht"),
                 Shift(GROUP, "AV0-0", night.start + timedelta(hours=4), night.end, "slaapnacht")]
    assert "T.WG.nacht" not in ids(check(b, p))
    p.shifts[-1] = Shift(GROUP, "AV0-0", night.start + timedelta(hours=5), night.end, "slaapnacht")
    [v] = [v for v in check(b, p).violations if v.rule_id == "T.WG.nacht"]
    assert "nacht van 2026-12-09: 60 minuten zonder nachtdienst" in v.message


def test_night_shift_required_not_for_an_empty_group():
    b, p = clean_residential_case(PACK, "A-WG", enrolled=0)
    p.shifts = []
    assert check(b, p).violations == []


def test_shift_staff_ratio_named_product_counts_whatever_its_setting():
    b, p = clean_residential_case(PACK, "A-BI", enrolled=5)
    assert PACK.product("A-BI").setting != "verblijf"
    assert check(b, p).violations == []
    p.shifts = [s for s in p.shifts if not (s.kind == "dag" and s.staff_id.endswith("1-0"))]  # Monday 07-15 one short
    assert ids(check(b, p)) == ["T.BI.ratio"]


def test_night_shift_required_rule_without_products_takes_verblijf_groups_only():
    b, p = clean_residential_case(PACK, "A-BI")
    p.shifts = [s for s in p.shifts if s.kind not in ("slaapnacht", "waaknacht")]
    assert "T.all.nacht" not in ids(check(b, p))  # A-BI is an individual product
    b, p = clean_residential_case(PACK, "A-WG")
    p.shifts = [s for s in p.shifts if s.kind not in ("slaapnacht", "waaknacht")]
    assert ids(check(b, p)).count("T.all.nacht") == 7


def test_shift_min_education_all_flags_each_shift_of_someone_below_the_level():
    from dataclasses import replace as _replace

    from planner.checker import check_plan as _check
    from planner.domain import Education
    from planner.rules import load_pack as _load
    from tests.cases.residential import clean_residential_case

    pack = _load("almelo-2025")
    b, p = clean_residential_case(pack, "A-HSW")
    assert not [v for v in _check(b, pack, p).violations if v.kind == "shift_min_education_all"]
    sid = p.shifts[0].staff_id
    b.staff[sid] = _replace(b.staff[sid], education=Education.MBO3)  # HSW asks mbo4 (A:3091)
    found = [v for v in _check(b, pack, p).violations if v.rule_id == "A.HSW.opleiding_dienst"]
    assert len(found) == sum(1 for s in p.shifts if s.staff_id == sid) and "mbo3" in found[0].message


# --- shift_mbo3_needs_mbo4 ---------------------------------------------------------
def _mbo3_case(product="A-WG"):
    """The Almelo pack's clean case with Wednesday's dag person at mbo3 and alone on that shift."""
    from tests.cases.residential import case_shift_mbo3_needs_mbo4

    pack = load_pack("almelo-2025")
    rule = next(r for r in pack.rules_of("shift_mbo3_needs_mbo4") if product in r.products)
    _, (b, p) = case_shift_mbo3_needs_mbo4(rule, pack)
    wed = b.manifest.period_start + timedelta(days=2)
    dag = next(s for s in p.shifts if s.kind == "dag" and s.start.date() == wed)
    return pack, rule, b, p, dag


def _found(pack, rule, b, p):
    return [v for v in check_plan(b, pack, p).violations if v.rule_id == rule.id]


@pytest.mark.parametrize("product", ["A-WG", "A-DTV"])
def test_shift_mbo3_needs_mbo4_alone_on_a_shift_is_one_violation(product):
    pack, rule, b, p, dag = _mbo3_case(product)
    [v] = _found(pack, rule, b, p)
    assert v.citation.endswith(":3051" if product == "A-WG" else ":3565") and v.amount == 480
    assert f"{dag.staff_id} heeft mbo3" in v.message and "07:00-15:00" in v.message
    assert ("medewerker", dag.staff_id) in v.entities and ("groep", GROUP) in v.entities


def test_shift_mbo3_needs_mbo4_whole_shift_or_overlap_reading():
    pack, rule, b, p, dag = _mbo3_case()
    from tests.builders import add_staff, staff

    add_staff(b, staff("S4", education="mbo4"), staff("S5", education="hbo"))
    p.shifts.append(Shift(GROUP, "S4", dag.start + timedelta(hours=4), dag.end, "dag"))  # 11-15 only
    [v] = _found(pack, rule, b, p)
    assert v.amount == 240 and "240 minuten" in v.message
    loose = rule.model_copy(update={"interpretations": {"aanwezig": rule.interpretations["aanwezig"].model_copy(
        update={"value": "overlap"})}})
    assert _found(pack.model_copy(update={"rules": [loose]}), loose, b, p) == []
    p.shifts.append(Shift(GROUP, "S5", dag.start, dag.start + timedelta(hours=4), "dag"))  # 07-11: covered in two parts
    assert _found(pack, rule, b, p) == []


def test_shift_mbo3_needs_mbo4_only_mbo3_needs_a_colleague_and_only_on_the_same_group():
    pack, rule, b, p, dag = _mbo3_case()
    from tests.builders import add_staff, staff

    add_staff(b, staff("S4", education="mbo4"))
    p.shifts.append(Shift("ELDERS", "S4", dag.start, dag.end, "dag"))  # another group does not count
    assert len(_found(pack, rule, b, p)) == 1
    b.staff[dag.staff_id] = replace(b.staff[dag.staff_id], education=Education.MBO2)  # below mbo3: another rule's
    assert _found(pack, rule, b, p) == []
    b.staff[dag.staff_id] = replace(b.staff[dag.staff_id], education=Education.MBO4)
    assert _found(pack, rule, b, p) == []
