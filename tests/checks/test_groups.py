"""Focused tests for group-session checks on tiny hand-built groups."""

from planner.checker import check_plan
from planner.rules import load_pack
from tests.cases.groups import clean_group, restaffed

PACK = load_pack("flevoland-multi")


def ids(report):
    return [v.rule_id for v in report.violations]


def test_group_size_max_twelve_is_fine_thirteen_is_not():
    b, p = clean_group(PACK, "45F32", enrolled=12)
    assert "F.45F32.groepsgrootte" not in ids(check_plan(b, PACK, p))
    b, p = clean_group(PACK, "45F32", enrolled=13, staff_count=4)
    report = check_plan(b, PACK, p)
    assert ids(report).count("F.45F32.groepsgrootte") == 1
    assert "13 jeugdigen" in report.violations[0].message


def test_staff_ratio_one_to_four_is_soft_with_penalty():
    b, p = clean_group(PACK, "45F32", enrolled=9, staff_count=3)  # 9 jeugdigen need 3 at 1:4
    assert "F.45F32.ratio" not in ids(check_plan(b, PACK, p))
    report = check_plan(b, PACK, restaffed(b, p, p.sessions[0].staff_ids[:1]))
    ratio = [v for v in report.violations if v.rule_id == "F.45F32.ratio"]
    assert ratio and ratio[0].severity == "soft" and ratio[0].amount == 2
    assert report.penalties_per_rule["F.45F32.ratio"] == 2 * PACK.rule("F.45F32.ratio").penalty


def test_staff_ratio_unstaffed_empty_group_needs_nobody():
    b, p = clean_group(PACK, "45F32", enrolled=0, staff_count=0)
    assert "F.45F32.ratio" not in ids(check_plan(b, PACK, p))


def test_group_staff_count_three_behandelaars_minimum_by_default():
    b, p = clean_group(PACK, "45F32", enrolled=4, staff_count=3)
    assert "F.45F32.drie_behandelaars" not in ids(check_plan(b, PACK, p))
    report = check_plan(b, PACK, restaffed(b, p, p.sessions[0].staff_ids[:2]))
    assert ids(report).count("F.45F32.drie_behandelaars") == 1
    b, p = clean_group(PACK, "45F32", enrolled=4, staff_count=4)  # four is fine under "minimum"
    assert "F.45F32.drie_behandelaars" not in ids(check_plan(b, PACK, p))


def test_group_staff_count_exact_interpretation_refuses_a_fourth():
    pack = PACK.with_overrides({"F.45F32.drie_behandelaars": {"interpretations": {"aantal": "exact"}}})
    b, p = clean_group(pack, "45F32", enrolled=4, staff_count=4)
    assert ids(check_plan(b, pack, p)).count("F.45F32.drie_behandelaars") == 1


def test_group_staff_count_at_most_three_begeleiders_45F22():
    b, p = clean_group(PACK, "45F22", enrolled=12, staff_count=4)
    assert ids(check_plan(b, PACK, p)).count("F.45F22.max_begeleiders") == 1


def test_group_min_education_present_mbo4_is_not_hbo():
    from dataclasses import replace

    from planner.domain import Education

    b, p = clean_group(PACK, "45F22", enrolled=4, staff_count=1)
    assert "F.45F22.hbo_aanwezig" not in ids(check_plan(b, PACK, p))
    sid = p.sessions[0].staff_ids[0]
    b.staff[sid] = replace(b.staff[sid], education=Education.MBO4)
    assert ids(check_plan(b, PACK, p)).count("F.45F22.hbo_aanwezig") == 1
