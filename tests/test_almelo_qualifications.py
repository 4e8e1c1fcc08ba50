"""Issue 20: Extra Verblijfsbegeleiding only alongside BHG, DM or JZP (A:3581) and a psychiater or klinisch
psycholoog in service for Crisisverblijf Jeugd GGZ (A:3863): provider-level data rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from planner.checker import check_plan
from planner.rules import load_pack
from tests.builders import add_staff, staff
from tests.cases.common import clean_toewijzing_case

ALMELO = load_pack("almelo-2025")


def _found(b, p, rule_id):
    return [v for v in check_plan(b, ALMELO, p).violations if v.rule_id == rule_id]


def test_requires_concurrent_product_evb_needs_a_behandelgroep_dm_or_jzp():
    b, p = clean_toewijzing_case(ALMELO, "A-EVB")
    assert b.toewijzingen["T1-BIJ"].product_code == "A-BHG" and _found(b, p, "A.EVB.alleen_bij") == []
    # the companion toewijzing ends mid-period: the days after it are reported
    bij = b.toewijzingen["T1-BIJ"]
    b.toewijzingen["T1-BIJ"] = replace(bij, end=p.period_start + timedelta(days=2))
    (v,) = _found(b, p, "A.EVB.alleen_bij")
    assert v.category == "gegevens" and "4 dag(en)" in v.message and v.citation.endswith(":3581")


def test_staff_available_crisisverblijf_ggz_has_a_psychiater_with_big():
    b, p = clean_toewijzing_case(ALMELO, "A-CVGGZ")
    assert _found(b, p, "A.CVGGZ.psychiater_in_dienst") == []
    (sid,) = [s for s in b.staff if s.startswith("M-IN-DIENST-")]
    b.staff[sid] = replace(b.staff[sid], registrations=frozenset())  # a psychiater without BIG does not count
    (v,) = _found(b, p, "A.CVGGZ.psychiater_in_dienst")
    assert v.category == "gegevens"
    add_staff(b, staff("M-KP", profession="klinisch psycholoog"))
    assert _found(b, p, "A.CVGGZ.psychiater_in_dienst") == []


def test_staff_available_not_asked_without_crisisverblijf_ggz():
    b, p = clean_toewijzing_case(ALMELO, "A-BI")
    assert _found(b, p, "A.CVGGZ.psychiater_in_dienst") == []
