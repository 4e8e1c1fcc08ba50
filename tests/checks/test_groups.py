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
