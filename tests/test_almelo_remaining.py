"""Issue 20, the remaining items: regiebehandelaar present on the location (A:3095, A:3239, A:3323, A:3487),
gezinshuis gedragswetenschapper 1 uur per week per jeugdige (A:3011), and the qualifications: vaktherapeut RVT
(A:2345), medicatiecontrole by profession (A:2201-2203), screening role (A:2623) and advies (A:3977), forensic
training and team (A:2173-2187), EVB on top of the group staffing (A:3589), HSW supervision chain (A:3091-3093),
orthopedagoog NVO (A:3767/3837), verslavingsarts KNMG and BIG (A:2125).  Every test fails on the code before."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from planner.checker import check_plan
from planner.domain import Education, Enrolment, Groep, Registration
from planner.plan import Contact
from planner.rules import load_pack
from planner.semantics.eligibility import has_role, regie_ok, responsible_ok
from planner.semantics.presence import PRESENCE_KIND
from solver.data import ProblemData, SolveOptions
from solver.presence import presence_blocks
from tests.builders import add_staff, add_team, add_toewijzing, at, bundle, staff
from tests.cases.common import EXECUTOR, RESPONSIBLE, add_clean_toewijzing, clean_toewijzing_case
from tests.cases.presence import presence_case
from tests.cases.residential import GROUP, _wednesday, clean_residential_case

ALMELO = load_pack("almelo-2025")


def _found(b, p, rule_id):
    return [v for v in check_plan(b, ALMELO, p).violations if v.rule_id == rule_id]


def _ids(b, p):
    return sorted(v.rule_id for v in check_plan(b, ALMELO, p).violations)


# --- 1. regiebehandelaar present on the location --------------------------------------------------------------
def test_group_responsible_hours_regiebehandelaar_two_hours_a_week_on_the_group():
    for product, rid in (("A-HSW", "A.HSW.regie_aanwezig"), ("A-BHG", "A.BHG.regie_aanwezig"),
                         ("A-DM", "A.DM.regie_aanwezig"), ("A-JZP", "A.JZP.regie_aanwezig")):
        b, p = presence_case(ALMELO, product)
        assert _ids(b, p) == [], product
        b, p = presence_case(ALMELO, product, hours=1.5)
        (v,) = _found(b, p, rid)
        assert "M-R" in v.message and "minimaal 2 uur" in v.message and v.amount == 0.5


def test_group_responsible_hours_only_for_responsibles_of_jeugdigen_on_the_group():
    b, p = clean_residential_case(ALMELO, "A-HSW")  # jeugdigen on the group, no toewijzing: nobody responsible
    assert _found(b, p, "A.HSW.regie_aanwezig") == []
    b, p = clean_toewijzing_case(ALMELO, "A-HSW")  # a toewijzing, the jeugdige not on a group
    assert _found(b, p, "A.HSW.regie_aanwezig") == []


def test_group_responsible_hours_contacts_count_only_with_interpretation():
    b, p = presence_case(ALMELO, "A-HSW", hours=0)
    wed = _wednesday(b)
    p.contacts.append(Contact("T1", RESPONSIBLE, at(wed, 13), at(wed, 15), kind="regie", one_on_one=True))
    assert len(_found(b, p, "A.HSW.regie_aanwezig")) == 1
    pack = ALMELO.with_overrides({"A.HSW.regie_aanwezig": {"interpretations": {"telt_mee": "met_contacten"}}})
    assert [v for v in check_plan(b, pack, p).violations if v.rule_id == "A.HSW.regie_aanwezig"] == []


def _hsw_bundle():
    """An HSW group with a team of four mbo4 begeleiders and a regiebehandelaar (gz-psycholoog, BIG), one
    jeugdige with an A-HSW toewijzing."""
    b = bundle("almelo-2025")
    add_team(b, "T-HSW", oncall=False)
    b.groups["HS"] = Groep("HS", "HSW", "A-HSW", "Almelo", "T-HSW")
    add_staff(b, *[staff(f"B{i}", education="mbo4", profession="pedagogisch medewerker", registrations=(),
                         teams=("T-HSW",)) for i in range(6)])
    add_staff(b, staff("REGIE", teams=("T-HSW",)), staff("ANDER"))
    first = b.manifest.period_start
    add_toewijzing(b, "T1", "A-HSW", "J1", start=first - timedelta(days=30), end=first + timedelta(days=150),
                   last_regie_contact=first - timedelta(days=1))
    b.enrolments.append(Enrolment("HS", "J1", b.manifest.period_start - timedelta(days=30)))
    return b


def test_group_responsible_hours_solver_plans_a_block_for_a_team_regiebehandelaar():
    b = _hsw_bundle()
    data = ProblemData(b, ALMELO, b.manifest.period_start, 1)
    blocks, notes = presence_blocks(data, [])
    assert notes == [] and [(s.staff_id, s.kind, (s.end - s.start).seconds // 3600) for s in blocks] == \
        [("REGIE", PRESENCE_KIND, 2)]
    assert blocks[0].start.weekday() < 5  # a weekday


def test_group_responsible_hours_stage_one_makes_the_present_one_responsible():
    from solver.build import build_model

    b = _hsw_bundle()
    data = ProblemData(b, ALMELO, b.manifest.period_start, 1)
    data.shifts, _ = presence_blocks(data, [])
    pm = build_model(data)
    assert "ANDER" not in pm.resp_candidates["T1"] and "REGIE" in pm.resp_candidates["T1"]
    assert pm.excluded_by[("verantwoordelijke:T1", "ANDER")] == "A.HSW.regie_aanwezig"


# --- 2. gezinshuis: gedragswetenschapper 1 uur per week per jeugdige -------------------------------------------
def test_group_responsible_hours_gezinshuis_gedragswetenschapper_per_jeugdige_soft():
    b, p = presence_case(ALMELO, "A-GH")  # one jeugdige with a toewijzing: 1 hour in the week
    assert _ids(b, p) == []
    b, p = presence_case(ALMELO, "A-GH", hours=0.5)
    (v,) = _found(b, p, "A.GH.gedragswetenschapper_uren")
    assert v.severity == "soft" and v.amount == 0.5 and "per jeugdige" in v.message


# --- 3. qualifications -------------------------------------------------------------------------------------------
def test_group_registration_required_bhgi_vaktherapeut_in_register_vaktherapie():
    from tests.cases.supervision import _broken_group, _session_staff

    (b, p), _ = _broken_group(ALMELO.rule("A.BHGI.vaktherapeut_groep"), ALMELO)
    assert _found(b, p, "A.BHGI.vaktherapeut_groep") == []
    first = _session_staff(p)[0]
    b.staff[first] = replace(b.staff[first], profession="vaktherapeut", registrations=frozenset({Registration.SKJ}))
    (v,) = _found(b, p, "A.BHGI.vaktherapeut_groep")
    assert "RVT" in v.message
    b.staff[first] = replace(b.staff[first], profession="orthopedagoog")  # only a vaktherapeut is asked
    assert _found(b, p, "A.BHGI.vaktherapeut_groep") == []


def test_executor_registration_bhgi_vaktherapeut_executor():
    b, p = clean_toewijzing_case(ALMELO, "A-BHGI")
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], profession="vaktherapeut", registrations=frozenset({Registration.SKJ}))
    assert len(_found(b, p, "A.BHGI.vaktherapeut_uitvoerder")) == 1


def test_executor_profession_medicatiecontrole_by_arts_psychiater_or_vs():
    b, p = clean_toewijzing_case(ALMELO, "A-MCE")
    assert _found(b, p, "A.MCE.big") == []
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], profession="gz-psycholoog")  # BIG, but not a medical profession
    (v,) = _found(b, p, "A.MCE.big")
    assert "gz-psycholoog" in v.message
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], profession="Verpleegkundig specialist GGZ")
    assert _found(b, p, "A.MCE.big") == []
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], registrations=frozenset({Registration.SKJ}))
    assert len(_found(b, p, "A.MCE.big")) == 1  # the profession without BIG


def test_executor_role_screening_by_gedragswetenschapper_nvo_nip_or_regiebehandelaar():
    b, p = clean_toewijzing_case(ALMELO, "A-SCR")
    assert _found(b, p, "A.SCR.rol") == []  # a gz-psycholoog with BIG is a regiebehandelaar
    # a wo orthopedagoog with SKJ only is a gedragswetenschapper, but screening asks NVO or NIP
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], profession="orthopedagoog", education=Education.WO,
                                registrations=frozenset({Registration.SKJ}))
    assert len(_found(b, p, "A.SCR.rol")) == 1
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], registrations=frozenset({Registration.SKJ, Registration.NVO}))
    assert _found(b, p, "A.SCR.rol") == []


def test_executor_role_advies_en_expertise_interpretation_switches_off():
    b, p = clean_toewijzing_case(ALMELO, "A-AE")
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], profession="psychodiagnostisch medewerker")
    assert len(_found(b, p, "A.AE.adviseur")) == 1
    pack = ALMELO.with_overrides({"A.AE.adviseur": {"interpretations": {"uitvoerder": "ook_onderzoeker"}}})
    assert [v for v in check_plan(b, pack, p).violations if v.rule_id == "A.AE.adviseur"] == []


def test_executor_certification_forensic_training_and_team():
    b, p = clean_toewijzing_case(ALMELO, "A-FOR")
    assert _ids(b, p) == []
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], certifications=frozenset({"MST"}))
    (v,) = _found(b, p, "A.FOR.forensische_opleiding")
    assert "forensisch" in v.message


def test_staff_available_forensic_team_and_systeemtherapeut():
    b, p = clean_toewijzing_case(ALMELO, "A-FOR")
    for sid in [s for s in b.staff if s.startswith("M-IN-DIENST-")]:
        del b.staff[sid]
    for sid in (EXECUTOR, RESPONSIBLE):  # gz-psycholoog with BIG: they form the behandelteam
        assert responsible_ok(b.staff[sid], ALMELO.rule("A.FOR.behandelteam"), None)
    assert [v.rule_id for v in check_plan(b, ALMELO, p).violations] == ["A.FOR.systeemtherapeut"]
    pack = ALMELO.with_overrides({"A.FOR.systeemtherapeut": {"interpretations": {"systeemtherapeut": "alleen_zonder"}}})
    assert check_plan(b, pack, p).violations == []


def test_staff_available_hsw_supervision_chain():
    b, p = clean_toewijzing_case(ALMELO, "A-HSW")
    assert _ids(b, p) == []
    for sid in list(b.staff):
        b.staff[sid] = replace(b.staff[sid], registrations=frozenset({Registration.BIG}))  # nobody with SKJ
    found = _ids(b, p)
    assert "A.HSW.pm_supervisie" in found and "A.HSW.gw_supervisie" in found


def test_shift_staff_ratio_extra_verblijfsbegeleiding_does_not_count():
    b, p = clean_residential_case(ALMELO, "A-BHG")
    assert _ids(b, p) == []
    wed = _wednesday(b)
    dag = next(s for s in p.shifts if s.start.date() == wed and s.kind == "dag")
    add_clean_toewijzing(b, p, ALMELO, "A-EVB", "T-EVB", jid=f"{GROUP}-J0", executor=dag.staff_id)
    p.contacts = [c for c in p.contacts if c.toewijzing_id != "T-EVB"]
    p.contacts.append(Contact("T-EVB", dag.staff_id, at(wed, 9), at(wed, 11)))  # EVB during the dag shift
    (v,) = _found(b, p, "A.BHG.ratio")
    assert "09:00-11:00" in v.message
    b2, p2 = clean_residential_case(ALMELO, "A-JZP")
    dag2 = next(s for s in p2.shifts if s.start.date() == wed and s.kind == "dag")
    add_clean_toewijzing(b2, p2, ALMELO, "A-EVB", "T-EVB", jid=f"{GROUP}-J0", executor=dag2.staff_id)
    p2.contacts = [Contact("T-EVB", dag2.staff_id, at(wed, 9), at(wed, 10))]
    assert len([v for v in check_plan(b2, ALMELO, p2).violations if v.rule_id == "A.JZP.bezetting_dienst"]) == 1


def test_responsible_role_orthopedagoog_needs_nvo_in_crisisverblijf():
    for rid in ("A.CVLVB.verantwoordelijke", "A.CVJO.verantwoordelijke"):
        rule = ALMELO.rule(rid)
        ortho = staff("O", profession="orthopedagoog", registrations=("SKJ",))
        assert not responsible_ok(ortho, rule, None)
        assert responsible_ok(replace(ortho, registrations=frozenset({Registration.NVO})), rule, None)


def test_responsible_role_verslavingsarts_needs_knmg_and_big():
    knmg = staff("V", profession="verslavingsarts", registrations=("KNMG",))
    assert not regie_ok(knmg, "verslavingszorg") and not has_role(knmg, "regiebehandelaar", "verslavingszorg")
    both = replace(knmg, registrations=frozenset({Registration.KNMG, Registration.BIG}))
    assert regie_ok(both, "verslavingszorg") and not regie_ok(both, None)  # still only within verslavingszorg
    rule = ALMELO.rule("A.CVLVB.verantwoordelijke")
    assert not responsible_ok(knmg, rule, None) and responsible_ok(both, rule, None)


def test_group_responsible_hours_full_solve_hsw_plans_clean():
    from solver.solve import solve

    b = _hsw_bundle()
    result = solve(b, ALMELO, options=SolveOptions(time_limit=20, workers=1))
    plan = result.plan
    # on the group: the roster's shifts (REGIE is in the team) or an aanwezig block on top
    on_group = sum((s.end - s.start for s in plan.shifts if s.staff_id == "REGIE" and s.group_id == "HS"), timedelta(0))
    assert on_group >= timedelta(hours=2)
    assert next(a for a in plan.caseload if a.toewijzing_id == "T1").responsible_id == "REGIE"
    assert check_plan(b, ALMELO, plan).hard == []


def test_group_responsible_hours_full_solve_block_and_responsible_agree():
    from solver.solve import solve

    b = _hsw_bundle()
    b.groups["HS"] = replace(b.groups["HS"], team_id=None)  # no fixed team: no roster, only the presence block
    plan = solve(b, ALMELO, options=SolveOptions(time_limit=20, workers=1)).plan
    (block,) = [s for s in plan.shifts if s.kind == PRESENCE_KIND]
    assert block.group_id == "HS" and block.end - block.start == timedelta(hours=2)
    assert next(a for a in plan.caseload if a.toewijzing_id == "T1").responsible_id == block.staff_id
    assert _found(b, plan, "A.HSW.regie_aanwezig") == []
    busy = [v for v in check_plan(b, ALMELO, plan).violations if v.kind in ("daily_rest", "weekly_rest", "max_shift_hours")]
    assert busy == []
