"""The rest around this period's fixed work (stage 0's residential shifts) in stage 1 and stage 2, as the
checker measures it: the daily rest with its one shortening per 7 x 24 h, the weekly rest per calendar week
(a period may start mid-week) or per 7 x 24 h (interpretation ``glijdend``)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from planner.checker import check_plan
from planner.domain import Groep, TimeWindow
from planner.plan import CaseAssignment, Plan, Shift
from planner.rules import load_pack
from solver.build import build_model
from solver.contacts import place_contacts
from solver.data import ProblemData
from solver.residential import ResidentialResult
from tests.builders import MONDAY, add_group, add_staff, add_toewijzing, at, bundle, staff
from tests.solver.helpers import FAST, explanation_text

FLEVO = load_pack("flevoland-multi")
WO_HARD = FLEVO.with_overrides({"F.45F32.wo_aanwezig": {"severity": "hard"}})
SLIDING = FLEVO.with_overrides({"W.wekelijkse_rust": {"interpretations": {"venster": "glijdend"}}})
REST_KINDS = {"daily_rest", "weekly_rest", "double_booking", "max_shift_hours"}


def _shift(day: int, start_h: float, end_h: float, sid: str = "X", first: date = MONDAY) -> Shift:
    """A fixed shift ``day`` days after ``first``; hours beyond 24 end on the next day."""
    base = at(first, 0) + timedelta(days=day)
    return Shift("DIENST", sid, base + timedelta(hours=start_h), base + timedelta(hours=end_h))


def _rest_broken(b, pack, plan: Plan) -> list[str]:
    return [v.message for v in check_plan(b, pack, plan).violations if v.kind in REST_KINDS]


def _solve_with_stage0(monkeypatch, pack, shifts: list[Shift], session: tuple):
    """Solve with ``shifts`` as stage 0's fixed work: X, the only wo, executes TX (2 h a week); one session GR
    (weekday, start, end) needs a wo.  Returns (bundle, result)."""
    import solver.solve as solve_module

    monkeypatch.setattr(solve_module, "residential_groups", lambda data: ["stage 0"])
    monkeypatch.setattr(solve_module, "plan_residential",
                        lambda data, options, time_limit: ResidentialResult(shifts=list(shifts)))
    b = bundle()
    b.groups["DIENST"] = Groep("DIENST", "Dienstrooster", "DIENST")  # the shifts' group (I.bekende_verwijzingen)
    weekday, start, end = session
    add_group(b, "GR", "45F32", 8, weekday=weekday, start=start, end=end)
    add_staff(b, staff("X", gemeenten=("Lelystad",)))
    add_toewijzing(b, "TX", "45F31", hours_per_week=2)
    return b, solve_module.solve(b, pack, options=FAST)


def _stage2(b, pack, start: date, shifts: list[Shift], history: list[Shift] = ()) -> tuple[Plan, object]:
    """Stage 2 alone for X executing toewijzing TX, with ``shifts`` as stage 0's fixed work and ``history`` as
    the previous plan's shifts; the plan carries both as the checker sees them."""
    previous = Plan(period_start=start - timedelta(weeks=1), weeks=1, shifts=list(history)) if history else None
    data = ProblemData(b, pack, start, 1, previous=previous)
    data.shifts = shifts
    plan = Plan(period_start=start, weeks=1, caseload=[CaseAssignment("TX", ("X",))], shifts=shifts,
                history_shifts=data.kept_history_shifts)
    result = place_contacts(data, plan, FAST, time_limit=5)
    plan.contacts = result.contacts
    return plan, result


# --- stage 1: sessions next to this period's shifts ------------------------------------------------------
def test_daily_rest_solver_keeps_sessions_out_of_the_rest_around_this_periods_shifts():
    """X works a night Monday 23:00-Tuesday 07:00, a day shift Thursday 07:00-15:00 and a night from Friday
    23:00.  The Tuesday 13:00 session starts 6 h after the night and the Wednesday 18:00-21:00 session ends
    10 h before Thursday's shift (W.dagelijkse_rust); Friday 08:00-10:00 and the night starting that day make
    a working day of 23 h (W.max_dienst, stage 2 counts a day from its first start to its last end).
    Thursday 15:30-18:30 right after the day shift is one working day of 11.5 h: allowed.  Y, without
    shifts, may join them all."""
    b = bundle()
    sessions = {"GA": (1, time(13), time(17)), "GB": (2, time(18), time(21)), "GC": (3, time(15, 30), time(18, 30)),
                "GD": (4, time(8), time(10))}
    for gid, (weekday, start, end) in sessions.items():
        add_group(b, gid, "45F32", 8, weekday=weekday, start=start, end=end)
    add_staff(b, staff("X"), staff("Y"))
    data = ProblemData(b, WO_HARD, MONDAY, 1)
    data.shifts = [_shift(0, 23, 31), _shift(3, 7, 15), _shift(4, 23, 31)]
    pm = build_model(data, options=FAST)
    candidates = {o.session.group_id: (pm.session_candidates[pm.occ_key(o)], o.label) for o in data.occurrences}
    assert {gid: "X" in c for gid, (c, _) in candidates.items()} == {"GA": False, "GB": False, "GC": True, "GD": False}
    assert all("Y" in c for c, _ in candidates.values())
    why = {gid: pm.excluded_by.get((f"sessie:{label}", "X")) for gid, (_, label) in candidates.items()}
    assert why == {"GA": "W.dagelijkse_rust", "GB": "W.dagelijkse_rust", "GC": None, "GD": "W.max_dienst"}


def test_daily_rest_solver_cancels_a_session_too_soon_after_a_night_of_this_period(monkeypatch):
    """X, the only wo, sleeps over Monday 23:00-Tuesday 07:00 (stage 0): the Tuesday 13:00-17:00 session (a wo
    hard) is cancelled with the rest rule as reason, rather than staffed with X; X's fixed work then keeps its
    rest, so stage 2 places X's contacts and the checker finds no rest violation."""
    night = [_shift(0, 23, 31)]
    b, result = _solve_with_stage0(monkeypatch, WO_HARD, night, (1, time(13), time(17)))
    plan = result.plan
    assert plan.shifts == night and plan.sessions[0].cancelled and "X" not in plan.sessions[0].staff_ids
    assert "W.dagelijkse_rust" in explanation_text(result)
    assert len([c for c in plan.contacts if c.staff_id == "X"]) == 2
    assert _rest_broken(b, WO_HARD, plan) == []


# --- stage 2: the daily rest's one shortening -------------------------------------------------------------
def _evenings_then_mornings(*evenings: int):
    """X works an evening 15:00-23:00 on the given days and is free for contacts only 08:00-10:00 on the day
    after each: every contact there follows 9 h of rest, a shortening to at least 8 h."""
    windows = [TimeWindow(d, time(15), time(23)) for d in evenings]
    windows += [TimeWindow(d + 1, time(8), time(10)) for d in evenings]
    b = bundle()
    add_staff(b, staff("X", availability=tuple(windows), contract_hours=60))
    add_toewijzing(b, "TX", "45F31", hours_per_week=len(evenings))
    return b, [_shift(d, 15, 23) for d in evenings]


def test_daily_rest_solver_shortens_the_rest_once_per_seven_days():
    """Contacts at 08:00 after an evening until 23:00 (9 h of rest): the checker allows one such shortening
    per 7 x 24 h, so stage 2 places exactly one of the two (Tuesday or Thursday), not none."""
    b, shifts = _evenings_then_mornings(0, 2)
    plan, _ = _stage2(b, FLEVO, MONDAY, shifts)
    assert len(plan.contacts) == 1 and plan.contacts[0].start.hour == 8
    assert _rest_broken(b, FLEVO, plan) == []
    no_shortening = FLEVO.with_overrides({"W.dagelijkse_rust": {"params": {"reduced_hours": None}}})
    plan, _ = _stage2(b, no_shortening, MONDAY, shifts)
    assert plan.contacts == []


def test_daily_rest_solver_counts_a_shortening_in_the_history():
    """The previous period shortened the rest on Friday (Thursday 14:00-23:00, Friday 07:00-12:00): a second
    shortening on Tuesday is within 7 x 24 h of it, so no contact follows Monday's evening."""
    b, shifts = _evenings_then_mornings(0)
    history = [_shift(-4, 14, 23), _shift(-3, 7, 12)]
    plan, _ = _stage2(b, FLEVO, MONDAY, shifts, history)
    assert plan.contacts == [] and _rest_broken(b, FLEVO, plan) == []
    plan, _ = _stage2(b, FLEVO, MONDAY, shifts, history[:1])  # no shortening in the history
    assert len(plan.contacts) == 1 and _rest_broken(b, FLEVO, plan) == []
    # shortenings every 6 days from 34 days back: of the 28 days the plan keeps (what the checker counts),
    # the first allowed one is 28 days back, so the last one (4 days back) is allowed too and Tuesday's
    # would be a second one; counted from 34 days back the last allowed one would be 10 days back
    history = [x for k in range(-34, 0, 6) for x in (_shift(k, 14, 23), _shift(k + 1, 7, 12))]
    plan, _ = _stage2(b, FLEVO, MONDAY, shifts, history)
    assert plan.contacts == [] and _rest_broken(b, FLEVO, plan) == []


# --- stage 2: the weekly rest in calendar weeks -------------------------------------------------------------
@pytest.mark.parametrize("pack", [FLEVO, SLIDING], ids=["kalenderweek", "glijdend"])
def test_weekly_rest_solver_mid_week_start_keeps_the_rest_in_the_week_begun_in_the_history(pack):
    """The period starts on Thursday; X worked Monday-Wednesday 07:00-15:00 (history) and works Thursday and
    Saturday 07:00-15:00.  Contacts fit only on Friday and Sunday 10:00-11:00: both would leave the calendar
    week (and the 7 x 24 h from Monday) without 36 h of rest, so one stays unplaced; a free Friday gives
    Thursday 15:00 to Saturday 07:00 (40 h)."""
    start = MONDAY + timedelta(days=3)
    windows = [TimeWindow(d, time(7), time(15)) for d in (3, 5)] + [TimeWindow(d, time(10), time(11)) for d in (4, 6)]
    b = bundle()
    add_staff(b, staff("X", availability=tuple(windows), contract_hours=60))
    add_toewijzing(b, "TX", "45F31", hours_per_week=2)
    history = [_shift(d, 7, 15) for d in range(3)]
    plan, _ = _stage2(b, pack, start, [_shift(3, 7, 15), _shift(5, 7, 15)], history)
    assert len(plan.contacts) == 1
    assert _rest_broken(b, pack, plan) == []
    if pack is FLEVO:
        assert plan.contacts[0].start.weekday() == 6  # Sunday: 33 h from Saturday 15:00 is not enough
