"""Ten instances, each with one planted cause: the explanation names the planted rule and the entity."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from planner.domain import Absence, TimeWindow
from planner.rules import load_pack
from tests.builders import MONDAY, add_group, add_staff, add_team, add_toewijzing, at, bundle, staff
from tests.solver.helpers import explanation_text, solve_and_check

FLEVO = load_pack("flevoland-multi")


def hbo(id, **kw):
    return staff(id, education="hbo", profession="jeugd- en gezinswerker", registrations=("SKJ",), **kw)


def no_wo_for_45F32():
    b = bundle()
    add_group(b, "WEERBAAR", "45F32", 11)
    add_staff(b, hbo("H1"), hbo("H2"), hbo("H3"))
    pack = FLEVO.with_overrides({"F.45F32.wo_aanwezig": {"severity": "hard"}})
    return b, pack, ["F.45F32.wo_aanwezig", "WEERBAAR", "11 jeugdigen"]


def mst_team_one_without_consent():
    b = bundle(weeks=2)
    add_team(b, "MST", intervention="MST")
    add_staff(b, staff("A", teams=("MST",)), staff("B", teams=("MST",), oncall_consent_required=True, oncall_consent=False))
    add_toewijzing(b, "T1", "45F34", hours_per_week=2, intervention="MST", team_id="MST")
    return b, FLEVO, ["Team MST", "B (W.consignatie_instemming)"]


def mdft_without_certified_therapist():
    b = bundle()
    add_staff(b, staff("W1", certifications=("MST", "FAST")))
    add_toewijzing(b, "T7", "45F34", hours_per_week=3, intervention="MDFT")
    return b, FLEVO, ["F.45F34.interventie_opleiding", "T7"]


def gezin_regulier_without_regiebehandelaar():
    b = bundle()
    add_staff(b, hbo("H1"), hbo("H2"))
    add_toewijzing(b, "T3", "45F33", hours_per_week=2)
    return b, FLEVO, ["F.45F33.regiebehandelaar", "T3", "verantwoordelijke"]


def begeleiding_without_gedragswetenschapper():
    b = bundle()
    add_staff(b, hbo("H1"), staff("P", profession="psychiater", registrations=("BIG",)))
    add_toewijzing(b, "T4", "45F23", hours_per_week=2)
    return b, FLEVO, ["F.45F23.gedragswetenschapper", "T4"]


def individueel_with_only_hbo():
    b = bundle()
    add_staff(b, hbo("H1"), hbo("H2"))
    add_toewijzing(b, "T5", "45F31", hours_per_week=2)
    return b, FLEVO, ["F.45F31.opleiding", "T5", "uitvoerder"]


def diagnostiek_without_orthopedagoog_generalist_or_gz():
    b = bundle()
    add_staff(b, staff("O", education="wo", profession="orthopedagoog", registrations=("SKJ",)))
    add_toewijzing(b, "T6", "45F11", hours_per_week=2)
    return b, FLEVO, ["F.45F11.verantwoordelijke", "T6"]


def whole_team_absent_on_wednesday():
    b = bundle()
    add_team(b, "MDFT", intervention="MDFT")
    add_staff(b, staff("A", teams=("MDFT",)), staff("B", teams=("MDFT",)))
    wed = MONDAY + timedelta(days=2)
    b.absences += [Absence(s, at(wed, 0), at(wed + timedelta(days=1), 0)) for s in ("A", "B")]
    add_toewijzing(b, "T8", "45F34", hours_per_week=2, intervention="MDFT", team_id="MDFT")
    return b, FLEVO, ["Team MDFT", wed.isoformat(), "W.afwezigheid"]


def begeleiding_groep_without_hbo():
    b = bundle()
    add_group(b, "SOVA", "45F22", 6)
    add_staff(b, *[staff(f"S{i}", education="mbo4", profession="sociaalpedagogisch medewerker",
                          registrations=()) for i in range(3)])
    pack = FLEVO.with_overrides({"F.45F22.hbo_aanwezig": {"severity": "hard"}})
    return b, pack, ["F.45F22.hbo_aanwezig", "SOVA"]


def nobody_available_at_session_time():
    b = bundle()
    add_group(b, "AVOND", "45F32", 6, weekday=1, start=time(19, 0), end=time(21, 0))
    office = tuple(TimeWindow(d, time(8, 0), time(17, 0)) for d in range(5))
    add_staff(b, *[staff(f"W{i}", availability=office) for i in range(3)])
    pack = FLEVO.with_overrides({"F.45F32.drie_behandelaars": {"severity": "hard"}})
    return b, pack, ["AVOND", "W.beschikbaarheid"]


def caseload_beyond_capacity():
    b = bundle()
    office = tuple(TimeWindow(d, time(9, 0), time(13, 0)) for d in range(5))  # 20 h a week
    add_staff(b, staff("W1", availability=office))
    add_toewijzing(b, "T9", "45F31", hours_per_week=30)
    return b, FLEVO, ["T9", "onvoldoende capaciteit"]


PLANTED = [no_wo_for_45F32, mst_team_one_without_consent, mdft_without_certified_therapist,
           gezin_regulier_without_regiebehandelaar, begeleiding_without_gedragswetenschapper, individueel_with_only_hbo,
           diagnostiek_without_orthopedagoog_generalist_or_gz, whole_team_absent_on_wednesday,
           begeleiding_groep_without_hbo, nobody_available_at_session_time, caseload_beyond_capacity]


@pytest.mark.parametrize("make", PLANTED, ids=[f.__name__ for f in PLANTED])
def test_planted_cause_is_named(make):
    b, pack, expected = make()
    result, _ = solve_and_check(b, pack)
    text = explanation_text(result)
    for fragment in expected:
        assert fragment in text, f"{fragment!r} not in explanation:\n{text}"
