"""Violation cases for on-call rule kinds.

The limit rules (consent, 28-day limits, night shifts) use an on-call team
``BD`` of four members with a rota of 24-hour blocks (midnight to midnight)
and no active trajectory, so no coverage rule asks anything of it.  The
coverage case uses a clean toewijzing of the rule's product and intervention
(``tests.cases.common``) whose team is on call the whole period.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from planner.plan import OnCallBlock, Plan
from planner.rules import Rule, RulePack
from planner.semantics.oncall import window_spans
from tests.builders import add_staff, add_team, at, staff
from tests.cases.common import case_product, clean_toewijzing_case
from tests.cases.working_time import shift, work_case

TEAM = "BD"
ROTA = ("M1", "M2", "M3", "M1", "M2", "M3", "M4")  # who is on call on each day of the week


def day_block(p: Plan, day: int, staff_id: str, hours: float = 24, start_h: float = 0, team: str = TEAM) -> OnCallBlock:
    """An on-call block ``day`` days after the period start (negative = history)."""
    start = at(p.period_start, 0) + timedelta(days=day, hours=start_h)
    return OnCallBlock(team, staff_id, start, start + timedelta(hours=hours))


def rota_case(pack: RulePack, **m4_kw):
    """Team ``BD`` with members M1-M4 (M4 with ``m4_kw``), on call by ``ROTA`` every week of the period."""
    b, p = work_case(pack)  # brings the plain work group and M1
    add_team(b, TEAM)
    b.staff["M1"] = replace(b.staff["M1"], teams=frozenset({TEAM}))
    add_staff(b, staff("M2", teams=(TEAM,)), staff("M3", teams=(TEAM,)), staff("M4", teams=(TEAM,), **m4_kw))
    for week in range(p.weeks):
        p.oncall.extend(day_block(p, 7 * week + d, sid) for d, sid in enumerate(ROTA))
    return b, p


def case_oncall_consent(rule: Rule, pack: RulePack):
    clean = rota_case(pack, oncall_consent_required=True, oncall_consent=True)
    broken = rota_case(pack, oncall_consent_required=True, oncall_consent=False)  # M4's Sunday
    return clean, broken


def case_oncall_max_per_28d(rule: Rule, pack: RulePack):
    clean = rota_case(pack)
    b, p = rota_case(pack)
    # M1 had the full allowance in the two weeks before the period: Monday and Thursday are too many
    p.history_oncall.extend(day_block(p, -1 - 2 * k, "M1") for k in range(int(rule.params.get("max_days", 7))))
    return clean, (b, p)


def case_oncall_free_periods(rule: Rule, pack: RulePack):
    clean = rota_case(pack)
    b, p = rota_case(pack)
    # M1 had a short evening call on each of the previous 26 days: hardly any free day left
    window = int(rule.params.get("window_days", 28))
    p.history_oncall.extend(day_block(p, -1 - k, "M1", hours=2, start_h=20) for k in range(window - 2))
    return clean, (b, p)


def case_oncall_night_shift_buffer(rule: Rule, pack: RulePack):
    b, p = clean = rota_case(pack)
    shift(p, 1, 23, 31, staff_id="M4", kind="slaapnacht")  # Tuesday night, far from M4's Sunday call
    b2, p2 = rota_case(pack)
    shift(p2, 5, 23, 31, staff_id="M4", kind="slaapnacht")  # Saturday night: Sunday's call starts within 14 h after
    return clean, (b2, p2)


# --- coverage -------------------------------------------------------------------
def coverage_case(rule: Rule, pack: RulePack):
    """A clean toewijzing the rule applies to, with its 24/7 team on call the whole period."""
    product = case_product(rule, pack)
    p_obj = pack.product(product)
    intervention = (rule.interventions or (p_obj.interventions if p_obj else []) or [None])[0]
    b, p = clean_toewijzing_case(pack, product, intervention)
    t = next(iter(b.toewijzingen.values()))
    if t.team_id is None:  # the shared fixture adds a team only for on-call interventions it knows
        team = add_team(b, TEAM, intervention)
        b.toewijzingen[t.id] = replace(t, team_id=team.id)
        add_staff(b, *(staff(sid, teams=(TEAM,)) for sid in ("M1", "M2", "M3", "M4") if sid not in b.staff))
        for week in range(p.weeks):
            p.oncall.extend(day_block(p, 7 * week + d, sid) for d, sid in enumerate(ROTA))
    return b, p


def cut_hole(p: Plan, team_id: str, start: datetime, end: datetime) -> None:
    """Remove on-call of ``team_id`` in [start, end) from the plan."""
    kept = []
    for o in p.oncall:
        if o.team_id != team_id or o.end <= start or o.start >= end:
            kept.append(o)
            continue
        if o.start < start:
            kept.append(replace(o, end=start))
        if o.end > end:
            kept.append(replace(o, start=end))
    p.oncall = kept


def case_oncall_coverage(rule: Rule, pack: RulePack):
    clean = coverage_case(rule, pack)
    b, p = coverage_case(rule, pack)
    team_id = next(iter(b.toewijzingen.values())).team_id
    wed = at(p.period_start + timedelta(days=2), 10)
    spans = window_spans(rule, wed - timedelta(hours=10), wed + timedelta(hours=14))
    if not any(s <= wed and wed + timedelta(hours=2) <= e for s, e in spans):  # a window without 10:00 (night)
        wed = spans[0][0] + timedelta(hours=1)
    cut_hole(p, team_id, wed, wed + timedelta(hours=2))  # nobody reachable Wednesday 10:00-12:00 (in the window)
    return clean, (b, p)
