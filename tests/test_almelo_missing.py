"""Issue 20, missing from the pack: every hbo+ professional BIG or SKJ registered (A:1205), not form by form."""

from __future__ import annotations

from dataclasses import replace

from planner.checker import check_plan
from planner.domain import Education
from planner.rules import load_pack
from tests.cases.common import EXECUTOR, clean_toewijzing_case
from tests.cases.groups import clean_group

ALMELO = load_pack("almelo-2025")


def _ids(b, p):
    return [v.rule_id for v in check_plan(b, ALMELO, p).violations]


def test_executor_registration_every_hbo_executor_of_every_form_is_registered():
    # Begeleiding Individueel asks only mbo4 (A:2039); an hbo executor there still needs SKJ or BIG (A:1205)
    b, p = clean_toewijzing_case(ALMELO, "A-BI")
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], education=Education.HBO, profession="sociaal werker",
                                registrations=frozenset())
    assert _ids(b, p) == ["A.hbo_registratie.uitvoerder"]
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], education=Education.MBO4)
    assert _ids(b, p) == []  # mbo4 needs no register


def test_group_registration_required_hbo_staff_on_a_behandelgroep_is_registered():
    b, p = clean_group(ALMELO, "A-BHGB")
    assert _ids(b, p) == []
    sid = p.sessions[0].staff_ids[0]
    b.staff[sid] = replace(b.staff[sid], education=Education.HBO, profession="sociaal werker", registrations=frozenset())
    assert _ids(b, p) == ["A.hbo_registratie.groep"]
