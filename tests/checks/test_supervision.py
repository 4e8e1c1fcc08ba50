"""Focused tests for group qualification and supervision checks (planner/checks/supervision.py)."""

from dataclasses import replace

from planner.checker import check_plan
from planner.domain import Education, Registration
from planner.plan import CaseAssignment
from planner.rules import Rule, load_pack
from tests.builders import add_staff, add_toewijzing, staff
from tests.cases.groups import clean_group, restaffed

PACK = load_pack("flevoland-multi")


def ids(report):
    return [v.rule_id for v in report.violations]


def one_rule_pack(kind: str, products=("45F32",), **params):
    """The Flevoland products with a single rule of ``kind`` (for kinds Flevoland does not use)."""
    rule = Rule(id=f"T.{kind}", kind=kind, products=list(products), severity="hard", wording="test",
                params=params, text="Testregel.", citation="extern:test", quote="test")
    return PACK.model_copy(update={"rules": [rule]})


def restaff(b, sid, education=None, registrations=None, **changes):
    if education is not None:
        changes["education"] = Education(education)
    if registrations is not None:
        changes["registrations"] = frozenset(Registration(r) for r in registrations)
    b.staff[sid] = replace(b.staff[sid], **changes)


# --- group_min_education_all ----------------------------------------------------
def test_group_min_education_all_mbo3_in_behandelgroep():
    b, p = clean_group(PACK, "45F32")
    first = p.sessions[0].staff_ids[0]
    restaff(b, first, education="mbo4", registrations=())
    assert check_plan(b, PACK, p).violations == []
    restaff(b, first, education="mbo3")
    report = check_plan(b, PACK, p)
    assert ids(report) == ["F.45F32.min_opleiding"] and first in report.violations[0].message


def test_group_min_education_all_empty_session_not_checked():
    b, p = clean_group(PACK, "45F22", enrolled=0, staff_count=1)
    restaff(b, p.sessions[0].staff_ids[0], education="mbo3")
    assert "F.45F22.min_opleiding" not in ids(check_plan(b, PACK, p))


# --- group_registration_required ------------------------------------------------
def test_group_registration_required_hbo_without_skj_or_big():
    b, p = clean_group(PACK, "45F32")
    first = p.sessions[0].staff_ids[0]
    restaff(b, first, education="hbo", profession="sociaal werker", registrations=())
    report = check_plan(b, PACK, p)
    assert ids(report) == ["F.45F32.registratie"] and report.violations[0].severity == "hard"
    restaff(b, first, registrations=("BIG",))
    assert check_plan(b, PACK, p).violations == []


def test_group_registration_required_vaktherapeut_with_rvt_and_mbo4_exempt():
    b, p = clean_group(PACK, "45F32")
    first, second = p.sessions[0].staff_ids[:2]
    restaff(b, first, education="hbo", profession="vaktherapeut", registrations=("RVT",))
    restaff(b, second, education="mbo4", profession="sociaalpedagogisch medewerker", registrations=())
    assert check_plan(b, PACK, p).violations == []


def test_group_registration_required_soft_for_begeleidingsgroep():
    b, p = clean_group(PACK, "45F22")
    restaff(b, p.sessions[0].staff_ids[0], education="hbo", profession="sociaal werker", registrations=())
    report = check_plan(b, PACK, p)
    assert ids(report) == ["F.45F22.registratie"] and report.violations[0].severity == "soft"


# --- group_mbo3_needs_mbo4 --------------------------------------------------------
def test_group_mbo3_needs_mbo4_colleague():
    pack = one_rule_pack("group_mbo3_needs_mbo4")
    b, p = clean_group(pack, "45F32", staff_count=2)
    first, second = p.sessions[0].staff_ids
    restaff(b, first, education="mbo3")
    restaff(b, second, education="mbo4")
    assert check_plan(b, pack, p).violations == []
    restaff(b, second, education="mbo3")
    assert ids(check_plan(b, pack, p)) == ["T.group_mbo3_needs_mbo4"]
    restaff(b, second, education="hbo")  # hbo counts as "mbo 4 of hoger"
    assert check_plan(b, pack, p).violations == []


# --- group_mbo4_under_registered --------------------------------------------------
def _mbo4_alone_with_unregistered_hbo():
    b, p = clean_group(PACK, "45F32")
    a, c, d = p.sessions[0].staff_ids
    restaff(b, a, education="mbo4", profession="sociaalpedagogisch medewerker", registrations=())
    restaff(b, c, registrations=("BIG",))  # registered, but not SKJ
    restaff(b, d, registrations=("BIG",))
    return b, p


def test_group_mbo4_under_registered_needs_skj_professional_present():
    b, p = _mbo4_alone_with_unregistered_hbo()
    report = check_plan(b, PACK, p)
    assert ids(report) == ["F.45F32.mbo4_onder_regie"]
    restaff(b, p.sessions[0].staff_ids[1], registrations=("SKJ",))
    assert check_plan(b, PACK, p).violations == []


def test_group_mbo4_under_registered_rvt_vaktherapeut_is_not_skj():
    """F:192 names SKJ: a vaktherapeut with only the Register Vaktherapie does not carry the regie."""
    b, p = _mbo4_alone_with_unregistered_hbo()
    restaff(b, p.sessions[0].staff_ids[1], education="hbo+", profession="vaktherapeut", registrations=("RVT",))
    assert "F.45F32.mbo4_onder_regie" in ids(check_plan(b, PACK, p))
    restaff(b, p.sessions[0].staff_ids[1], registrations=("RVT", "SKJ"))
    assert "F.45F32.mbo4_onder_regie" not in ids(check_plan(b, PACK, p))


def test_group_mbo4_under_registered_interpretation_verantwoordelijk():
    b, p = _mbo4_alone_with_unregistered_hbo()
    pack = PACK.with_overrides({"F.45F32.mbo4_onder_regie": {"interpretations": {"onder_regie": "verantwoordelijk"}}})
    assert ids(check_plan(b, pack, p)) == ["F.45F32.mbo4_onder_regie"]
    # every enrolled jeugdige's 45F32 toewijzing has an SKJ-registered responsible
    add_staff(b, staff("M-SKJ", registrations=("SKJ",)))
    for e in b.enrolments:
        t = add_toewijzing(b, f"T-{e.jeugdige_id}", "45F32", e.jeugdige_id)
        p.caseload.append(CaseAssignment(t.id, ("M-SKJ",), "M-SKJ"))
    assert "F.45F32.mbo4_onder_regie" not in ids(check_plan(b, pack, p))


# --- supervision_span ---------------------------------------------------------------
def test_supervision_span_one_registered_hbo_for_four_unregistered():
    pack = one_rule_pack("supervision_span", max_unregistered=4)
    b, p = clean_group(pack, "45F32", staff_count=1)
    boss = p.sessions[0].staff_ids[0]
    helpers = [staff(f"MU{i}", education="mbo4", profession="sociaalpedagogisch medewerker", registrations=())
               for i in range(5)]
    add_staff(b, *helpers)
    assert check_plan(b, pack, restaffed(b, p, [boss] + [m.id for m in helpers[:4]])).violations == []
    report = check_plan(b, pack, restaffed(b, p, [boss] + [m.id for m in helpers]))
    assert ids(report) == ["T.supervision_span"] and report.violations[0].amount == 1
    # a registered mbo does not count as supervisor (registered professional is hbo or higher)
    restaff(b, "MU0", registrations=("SKJ",))
    assert ids(check_plan(b, pack, restaffed(b, p, [boss] + [m.id for m in helpers]))) == ["T.supervision_span"]
