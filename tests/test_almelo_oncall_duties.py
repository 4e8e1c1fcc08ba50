"""Issue 20 part A: on-call duties of the Almelo pack.

Intake-type duties while a team offers the form (ASH A:3689, crisisdienst A:3613, JeugdzorgPlus A:3477),
the crisisdienst layers (achterwacht A:3619, voorwacht A:3629, hbo professional A:3633), the bereikbare
nachtdienst of Kamertraining (A:3177), FACT in office hours (A:2755) and contacts by the executor (MST A:2835,
Medicatiecontrole A:2201).  Each test fails on the code before issue 20 part A.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from planner.bundle import load_bundle
from planner.checker import check_plan
from planner.domain import Team
from planner.plan import Contact, OnCallBlock
from planner.rules import load_pack
from planner.semantics.oncall import oncall_problems
from tests.builders import add_staff, at, bundle, plan_for, staff
from tests.cases.common import EXECUTOR, clean_toewijzing_case
from tests.solver.helpers import solve_and_check

ALMELO = load_pack("almelo-2025")
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "almelo"


def _ids(report, prefix: str) -> list[str]:
    return [v.rule_id for v in report.violations if v.rule_id.startswith(prefix)]


def crisis_bundle(*members):
    """A bundle without toewijzingen whose team CR offers the crisisdienst (A-CGGZ)."""
    b = bundle("almelo-2025")
    b.teams["CR"] = Team("CR", "Crisisdienst", True, None, frozenset({"A-CGGZ"}))
    add_staff(b, *members)
    return b


def block(p, team: str, sid: str, days: int = 7, start_day: int = 0) -> OnCallBlock:
    s = at(p.period_start, 0) + timedelta(days=start_day)
    return OnCallBlock(team, sid, s, s + timedelta(days=days))


PSY = staff("PSY", profession="psychiater", registrations=("BIG",), teams=("CR",))
SPV = staff("SPV", education="hbo", profession="Sociaal psychiatrisch verpleegkundige", registrations=("BIG",),
            teams=("CR",))
MBO = staff("MBO", education="mbo4", profession="sociaalpedagogisch medewerker", registrations=(), teams=("CR",))


# --- item 1: duties while the form is offered ---------------------------------------------
def test_oncall_coverage_offered_form_needs_cover_without_toewijzing():
    b = crisis_bundle(PSY, SPV)
    p = plan_for(b)
    report = check_plan(b, ALMELO, p)  # no toewijzing at all: before issue 20 nothing was asked
    assert {"A.CGGZ.bereikbaar", "A.CGGZ.achterwacht", "A.CGGZ.voorwacht", "A.CGGZ.hbo_aanwezig"} <= set(
        _ids(report, "A.CGGZ."))
    assert all(v.shortfall for v in report.violations if v.rule_id.startswith("A.CGGZ."))


def test_oncall_coverage_offered_form_clean_with_both_layers():
    b = crisis_bundle(PSY, SPV)
    p = plan_for(b)
    p.oncall = [block(p, "CR", "PSY"), block(p, "CR", "SPV")]
    assert _ids(check_plan(b, ALMELO, p), "A.CGGZ.") == []


def test_oncall_coverage_ash_offered_team_needs_certified_member():
    b = bundle("almelo-2025")
    b.teams["ASH"] = Team("ASH", "ASH-team", True, "ASH", frozenset({"A-ASH"}))
    add_staff(b, staff("A1", teams=("ASH",), certifications=("ASH",)), staff("A2", teams=("ASH",), certifications=()))
    p = plan_for(b)
    p.oncall = [block(p, "ASH", "A1", days=3), block(p, "ASH", "A1", days=4, start_day=3)]
    assert _ids(check_plan(b, ALMELO, p), "A.ASH.") == []
    p.oncall = [block(p, "ASH", "A1", days=3), block(p, "ASH", "A2", days=4, start_day=3)]
    rules = _ids(check_plan(b, ALMELO, p), "A.ASH.")
    assert rules.count("A.ASH.bereikbaar") == 2  # A2's block is a wrong decision, and the days it leaves open


def test_oncall_coverage_offered_jzp_holds_every_hour():
    b = bundle("almelo-2025")
    b.teams["JZ"] = Team("JZ", "JeugdzorgPlus", True, None, frozenset({"A-JZP"}))
    add_staff(b, staff("J1", teams=("JZ",)))
    p = plan_for(b)
    p.oncall = [block(p, "JZ", "J1", days=6)]
    v = [v for v in check_plan(b, ALMELO, p).violations if v.rule_id == "A.JZP.bereikbaar"]
    assert len(v) == 1 and v[0].amount == 24


def test_oncall_coverage_validate_warns_offered_form_without_carrier():
    b = crisis_bundle(SPV, MBO)  # no psychiater
    b.teams["X"] = Team("X", "X", False, None, frozenset({"A-NIETS"}))
    text = "\n".join(oncall_problems(b, ALMELO))
    assert "Team CR biedt A-CGGZ aan; regel A.CGGZ.achterwacht" in text and "psychiater" in text
    assert "A.CGGZ.voorwacht" not in text  # the SPV can carry it
    assert "A-NIETS" in text


def test_oncall_coverage_team_offers_roundtrip(tmp_path):
    from planner.bundle_write import write_bundle

    b = crisis_bundle(PSY)
    write_bundle(b, tmp_path)
    assert load_bundle(tmp_path).teams["CR"].offers == frozenset({"A-CGGZ"})


# --- item 2: layers with professions -------------------------------------------------------
def test_oncall_coverage_layers_psychiater_alone_misses_voorwacht():
    b = crisis_bundle(PSY, SPV)
    p = plan_for(b)
    p.oncall = [block(p, "CR", "PSY")]
    ids = _ids(check_plan(b, ALMELO, p), "A.CGGZ.")
    assert ids == ["A.CGGZ.voorwacht"]
    p.oncall = [block(p, "CR", "SPV")]
    assert _ids(check_plan(b, ALMELO, p), "A.CGGZ.") == ["A.CGGZ.achterwacht"]


def test_oncall_coverage_hbo_professional_layer():
    rule = ALMELO.rule("A.CGGZ.hbo_aanwezig")
    b = crisis_bundle(PSY, MBO)
    p = plan_for(b)
    p.oncall = [block(p, "CR", "MBO")]
    assert "A.CGGZ.hbo_aanwezig" in _ids(check_plan(b, ALMELO, p), "A.CGGZ.")
    assert rule.params["min_education"] == "hbo"


def test_oncall_coverage_solver_covers_layers():
    b = crisis_bundle(PSY, staff("PSY2", profession="psychiater", registrations=("BIG",), teams=("CR",)), SPV,
                      staff("GZ", profession="gz-psycholoog", registrations=("BIG",), teams=("CR",)), MBO)
    result, report = solve_and_check(b, ALMELO)
    assert _ids(report, "A.CGGZ.") == []
    per_day = {}
    for o in result.plan.oncall:
        for d in range((o.end - o.start).days):
            per_day.setdefault(o.start.date() + timedelta(days=d), set()).add(o.staff_id)
    assert len(per_day) == 7 and all(len(s) == 2 and s & {"PSY", "PSY2"} for s in per_day.values())


# --- item 3: Kamertraining bereikbare nachtdienst --------------------------------------------
def _kt_case():
    b, p = clean_toewijzing_case(ALMELO, "A-KT")
    return b, p, next(iter(b.toewijzingen.values())).team_id


def test_oncall_coverage_kt_night_is_oncall_not_a_shift():
    rule = ALMELO.rule("A.KT.nacht")
    assert rule.kind == "oncall_coverage" and rule.params["response_minutes"] == 30
    b, p, team = _kt_case()
    assert check_plan(b, ALMELO, p).violations == []  # on call, no night shift on a group
    p.oncall = [replace(o, end=o.start + timedelta(hours=7)) for o in p.oncall if o.team_id == team]
    v = [v for v in check_plan(b, ALMELO, p).violations if v.rule_id == "A.KT.nacht"]
    # every night from Monday 23:00 open (six of 8 h, Sunday 23-24), the day hours are not asked
    assert len(v) == 7 and sum(x.amount for x in v) == 6 * 8 + 1 and "venster 23:00-07:00" in v[0].message


def test_oncall_coverage_kt_night_needs_mbo4():
    b, p, team = _kt_case()
    add_staff(b, staff("N3", education="mbo3", profession="pedagogisch medewerker", registrations=(), teams=(team,)))
    p.oncall = [block(p, team, "N3")]
    v = [v for v in check_plan(b, ALMELO, p).violations if v.rule_id == "A.KT.nacht"]
    assert v and "minimaal mbo4" in v[0].message


# --- item 4: FACT within 2 hours in office hours ---------------------------------------------
def test_oncall_coverage_fact_office_hours_window():
    b, p = clean_toewijzing_case(ALMELO, "A-FACT", "FACT")
    team = next(iter(b.toewijzingen.values())).team_id
    assert [v.rule_id for v in check_plan(b, ALMELO, p).violations] == []
    mon = at(p.period_start, 0)
    p.oncall = [OnCallBlock(team, EXECUTOR, mon + timedelta(hours=17), mon + timedelta(days=1, hours=9))]
    pack = ALMELO.with_overrides({"A.FACT.bereikbaar": {"params": {"teams_with_intervention": ["geen"]}}})
    v = [v for v in check_plan(b, pack, p).violations if v.rule_id == "A.FACT.binnen_2_uur"]
    # Monday 09-17 and Wednesday to Friday 09-17 open; Tuesday 09:00 covered until 09:00 only; weekend not asked
    assert sum(x.amount for x in v) == 5 * 8 and all("09:00-17:00 op werkdagen" in x.message for x in v)


# --- item 5: contacts by the executor --------------------------------------------------------
def test_contact_by_executor_mst_and_mce_visits_by_the_executor():
    for product, iv, rid in (("A-MST", "MST", "A.MST.contact_door_uitvoerder"),
                             ("A-MCE", None, "A.MCE.contact_door_uitvoerder")):
        b, p = clean_toewijzing_case(ALMELO, product, iv)
        a = p.caseload[0]
        day = p.period_start + timedelta(days=3)
        p.contacts.append(Contact(a.toewijzing_id, a.responsible_id, at(day, 15), at(day, 16), kind="contact"))
        assert [v.rule_id for v in check_plan(b, ALMELO, p).violations] == [rid]


# --- item 6: the sample exercises the new duties -------------------------------------------
def test_oncall_coverage_sample_has_offering_teams():
    b = load_bundle(SAMPLE)
    offers = {t.id: t.offers for t in b.teams.values() if t.offers}
    assert offers == {"T-CGGZ-1": frozenset({"A-CGGZ"}), "T-ASH-1": frozenset({"A-ASH"})}
    assert oncall_problems(b, ALMELO) == []
