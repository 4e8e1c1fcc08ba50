"""Issue 20, volumes per week read from the omvang (kind omvang_per_week): ZIG 30 h (A:2079), deeltijd verblijf
at most 3 etmalen (A:3555), deeltijdpleegzorg at most 3 days (A:913), crisispleegzorg 7 contact hours (A:3869)."""

from __future__ import annotations

from dataclasses import replace

from planner.checker import check_plan
from planner.domain import Omvang, OmvangFrequency, OmvangUnit
from planner.rules import load_pack
from planner.semantics.volumes import omvang_per_week
from tests.cases.common import clean_toewijzing_case

ALMELO = load_pack("almelo-2025")


def _case(product, intervention, volume, unit, freq="per_week"):
    b, p = clean_toewijzing_case(ALMELO, product, intervention)
    b.toewijzingen["T1"] = replace(b.toewijzingen["T1"],
                                   omvang=Omvang(volume, OmvangUnit(unit), OmvangFrequency(freq)))
    return b, p


def _found(b, p, rule_id):
    return [v for v in check_plan(b, ALMELO, p).violations if v.rule_id == rule_id]


def test_omvang_per_week_zig_needs_30_hours_a_week():
    assert _found(*_case("A-BHI", "ZIG", 30, "uur"), "A.BHI.ZIG.uren") == []
    assert _found(*_case("A-BHI", "ZIG", 8, "dagdeel"), "A.BHI.ZIG.uren") == []  # 8 x 4 h = 32 h
    (v,) = _found(*_case("A-BHI", "ZIG", 20, "uur"), "A.BHI.ZIG.uren")
    assert v.category == "gegevens" and "minimaal 30" in v.message and v.citation.endswith(":2079")
    assert _found(*_case("A-BHI", "MDFT", 2, "uur"), "A.BHI.ZIG.uren") == []  # other modules


def test_omvang_per_week_deeltijd_verblijf_at_most_three_etmalen_averaged():
    assert _found(*_case("A-DTV", None, 3, "etmaal"), "A.DTV.etmalen") == []
    assert len(_found(*_case("A-DTV", None, 4, "etmaal"), "A.DTV.etmalen")) == 1
    assert len(_found(*_case("A-DTV", None, 1, "etmaal", "per_dag"), "A.DTV.etmalen")) == 1  # 7 a week
    b, p = _case("A-DTV", None, 1, "etmaal")
    t = b.toewijzingen["T1"]
    weeks = ((t.end - t.start).days + 1) / 7
    b.toewijzingen["T1"] = replace(t, omvang=Omvang(int(3 * weeks), OmvangUnit.ETMAAL, OmvangFrequency.TOTAAL))
    assert _found(b, p, "A.DTV.etmalen") == []  # a total over the toewijzing: on average 3 a week
    b.toewijzingen["T1"] = replace(t, omvang=Omvang(round(3 * weeks) + 7, OmvangUnit.ETMAAL, OmvangFrequency.TOTAAL))
    assert len(_found(b, p, "A.DTV.etmalen")) == 1


def test_omvang_per_week_deeltijdpleegzorg_at_most_three_days():
    assert _found(*_case("A-PZ", "deeltijd", 3, "etmaal"), "A.PZ.deeltijd_dagen") == []
    assert len(_found(*_case("A-PZ", "deeltijd", 4, "etmaal"), "A.PZ.deeltijd_dagen")) == 1
    assert _found(*_case("A-PZ", None, 7, "etmaal"), "A.PZ.deeltijd_dagen") == []  # full-time pleegzorg


def test_omvang_per_week_crisispleegzorg_seven_contact_hours_soft():
    assert _found(*_case("A-CPZ", None, 7, "uur"), "A.CPZ.contacturen") == []
    (v,) = _found(*_case("A-CPZ", None, 300, "minuut"), "A.CPZ.contacturen")
    assert v.severity == "soft" and v.penalty > 0
    assert _found(*_case("A-CPZ", None, 7, "etmaal"), "A.CPZ.contacturen") == []  # the stay, not contact time


def test_omvang_per_week_per_maand_and_no_omvang():
    rule = ALMELO.rule("A.BHI.ZIG.uren")
    b, _ = _case("A-BHI", "ZIG", 130, "uur", "per_maand")
    assert round(omvang_per_week(rule, b.toewijzingen["T1"]), 2) == 30.0
    b.toewijzingen["T1"] = replace(b.toewijzingen["T1"], omvang=None)
    assert omvang_per_week(rule, b.toewijzingen["T1"]) is None
