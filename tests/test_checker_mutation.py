"""Mutation test of the checker as an oracle (issue 19): corrupt one item of a clean plan, see a finding.

A small clean plan (Almelo pack) holds every kind of plan item: caseload, casusregie, group session
staffing, an on-call rota, contacts and residential shifts.  Each item is corrupted in every way that
applies (another person, another day, outside the toewijzing's dates, removed, duplicated), with a seeded
RNG and many times; every corrupted plan must give at least one finding that is not soft (a wrong
decision or care left undone).

Harmless corruptions are excluded by construction, not by a weaker assertion:
- "another person" takes someone who may not do the work: an outsider (mbo2, no registration, no team,
  no availability), or for a contact anyone who is not an executor or the responsible of its toewijzing;
- every staff member's availability is exactly the time of their own work in the plan, so work moved to
  another day lands outside the availability or on top of their other work;
- every contact, shift, session and on-call block is needed: the contacts are the MDFT minimum, the shifts
  the ZIT ratio and night, the on-call rota one block a day.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

import pytest

from planner.checker import check_plan
from planner.domain import Bundle, TimeWindow
from planner.plan import Casusregie, OnCallBlock, Plan
from planner.rules import load_pack
from tests.builders import add_staff, add_team, at, bundle, plan_for, staff
from tests.cases.common import EXECUTOR, add_clean_toewijzing
from tests.cases.groups import clean_group
from tests.cases.integrity import team_residential_case

PACK = load_pack("almelo-2025")
FLEVO = load_pack("flevoland-multi")
OUTSIDERS = tuple(f"X{i}" for i in range(4))
LISTS = ("caseload", "casusregie", "sessions", "oncall", "contacts", "shifts")
CORRUPTIONS = ("other_person", "other_day", "outside_dates", "removed", "duplicated")
TRIALS = 25


def _merge(b: Bundle, p: Plan, other: tuple[Bundle, Plan]) -> None:
    ob, op = other
    for name in ("staff", "gezinnen", "jeugdigen", "toewijzingen", "groups", "sessions", "teams"):
        getattr(b, name).update(getattr(ob, name))
    b.enrolments += ob.enrolments
    p.sessions += op.sessions
    p.shifts += op.shifts


def _tailor_availability(b: Bundle, p: Plan) -> None:
    """Each staff member is available exactly when the plan has them work (outsiders: never)."""
    windows: dict[str, set[TimeWindow]] = {sid: set() for sid in b.staff}
    for c in p.contacts:
        windows[c.staff_id].add(TimeWindow(c.start.weekday(), c.start.time(), c.end.time()))
    for s in p.shifts:
        windows[s.staff_id].add(TimeWindow(s.start.weekday(), s.start.time(), s.end.time()))
    for e in p.sessions:
        sess = b.sessions[e.session_id]
        for sid in e.staff_ids:
            windows[sid].add(TimeWindow(sess.weekday, sess.start, sess.end))
    for sid, ws in windows.items():
        b.staff[sid] = replace(b.staff[sid], availability=tuple(sorted(ws, key=lambda w: (w.weekday, w.start))))


def _finish(b: Bundle, p: Plan) -> tuple[Bundle, Plan]:
    add_staff(b, *(staff(sid, education="mbo2", profession="stagiair", registrations=(), certifications=(),
                         availability=()) for sid in OUTSIDERS))
    _tailor_availability(b, p)
    return b, p


def _oncall_rota(b: Bundle, p: Plan, tid: str, intervention: str) -> None:
    """The toewijzing's team on call 24/7, one day block per day, all by the executor."""
    team = f"TEAM-{intervention}"
    if team not in b.teams:
        add_team(b, team, intervention)
    b.toewijzingen[tid] = replace(b.toewijzingen[tid], team_id=team)
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], teams=frozenset({team}))
    p.oncall = [OnCallBlock(team, EXECUTOR, at(p.period_start + timedelta(days=d), 0),
                            at(p.period_start + timedelta(days=d + 1), 0)) for d in range(7)]


def almelo_plan() -> tuple[Bundle, Plan]:
    """Contacts (MDFT: exactly the minimum of 2 a week), on-call (MST), a group session (BGI) and a ZIT
    residential group (hard ratio and night)."""
    b = bundle(PACK.id)
    p = plan_for(b)
    t1 = add_clean_toewijzing(b, p, PACK, "A-BHI", "T1", intervention="MDFT")
    add_clean_toewijzing(b, p, PACK, "A-BI", "T2", gezin_id=b.jeugdigen[t1.jeugdige_id].gezin_id)
    add_clean_toewijzing(b, p, PACK, "A-MST", "T3", intervention="MST")
    _oncall_rota(b, p, "T3", "MST")
    _merge(b, p, clean_group(PACK, "A-BGI"))
    _merge(b, p, team_residential_case(PACK))
    return _finish(b, p)


def flevoland_plan() -> tuple[Bundle, Plan]:
    """Caseload with a gezin of two trajectories (casusregie, F:21), MST on call (F:103) and a 45F32 group."""
    b = bundle(FLEVO.id)
    p = plan_for(b)
    t1 = add_clean_toewijzing(b, p, FLEVO, "45F21", "T1")
    gezin = b.jeugdigen[t1.jeugdige_id].gezin_id
    add_clean_toewijzing(b, p, FLEVO, "45F31", "T2", gezin_id=gezin)
    p.casusregie.append(Casusregie(gezin, EXECUTOR))
    add_clean_toewijzing(b, p, FLEVO, "45F34", "T3", intervention="MST")
    _oncall_rota(b, p, "T3", "MST")
    _merge(b, p, clean_group(FLEVO, "45F32"))
    return _finish(b, p)


# Per pack, the plan items it has duties for (Almelo has no casusregie rule; Flevoland no contact
# frequency or residential rules, so there a contact or shift carries no duty).
PLANS = {"almelo": (PACK, almelo_plan, ("caseload", "sessions", "oncall", "contacts", "shifts")),
         "flevoland": (FLEVO, flevoland_plan, ("caseload", "casusregie", "sessions", "oncall"))}
UNDATED = {"caseload", "casusregie"}  # no day to move: only another person, removed, duplicated
CASES = [(pack, name, how) for pack, (_, _, names) in PLANS.items() for name in names for how in CORRUPTIONS
         if not (name in UNDATED and how in ("other_day", "outside_dates"))]


def _when(item):
    return getattr(item, "start", None) or getattr(item, "date", None)


def _shift_days(item, days: int):
    if hasattr(item, "date"):
        return replace(item, date=item.date + timedelta(days=days))
    return replace(item, start=item.start + timedelta(days=days), end=item.end + timedelta(days=days))


def _involved(p: Plan, tid: str) -> set[str]:
    a = next(a for a in p.caseload if a.toewijzing_id == tid)
    return set(a.executor_ids) | {a.responsible_id}


def corrupt(b: Bundle, p: Plan, name: str, i: int, how: str, rng: random.Random) -> Plan | None:
    """A copy of ``p`` with item ``i`` of list ``name`` corrupted ``how``; None where it does not apply."""
    items = list(getattr(p, name))
    item = items[i]
    if how in ("other_day", "outside_dates") and _when(item) is None:
        return None
    if how == "removed":
        items.pop(i)
    elif how == "duplicated":
        items.append(item)
    elif how == "other_person":
        if name == "contacts":
            pool = sorted(set(b.staff) - _involved(p, item.toewijzing_id))
        else:
            pool = list(OUTSIDERS)
        other = rng.choice(pool)
        if name == "caseload":
            field = rng.choice(["executor", "responsible"])
            items[i] = (replace(item, executor_ids=(other,)) if field == "executor"
                        else replace(item, responsible_id=other))
        elif name == "sessions":
            k = rng.randrange(len(item.staff_ids))
            items[i] = replace(item, staff_ids=item.staff_ids[:k] + (other,) + item.staff_ids[k + 1:])
        else:
            items[i] = replace(item, staff_id=other)
    elif how == "other_day":
        if _when(item) is None:
            return None
        items[i] = _shift_days(item, rng.choice([-3, -2, -1, 1, 2, 3]))
    elif how == "outside_dates":
        if _when(item) is None:
            return None
        if name == "contacts":
            t = b.toewijzingen[item.toewijzing_id]
            target = rng.choice([t.start - timedelta(days=rng.randint(1, 5)), t.end + timedelta(days=rng.randint(1, 5))])
            items[i] = _shift_days(item, (target - item.start.date()).days)
        else:  # before or after the period
            items[i] = _shift_days(item, rng.choice([-1, 1]) * 7 * rng.randint(1, 3))
    q = Plan(p.period_start, p.weeks, **{n: list(getattr(p, n)) for n in LISTS})
    setattr(q, name, items)
    return q


@pytest.mark.parametrize("plan_name", PLANS)
def test_mutation_base_plan_is_clean_and_covers_every_item_kind(plan_name):
    pack, build, names = PLANS[plan_name]
    b, p = build()
    report = check_plan(b, pack, p)
    assert report.violations == [], [v.message for v in report.violations]
    assert report.status == "compleet" and report.unmet == []
    assert all(getattr(p, name) for name in names), {name: len(getattr(p, name)) for name in LISTS}


def test_mutation_both_plans_together_cover_every_item_kind():
    assert {name for _, _, names in PLANS.values() for name in names} == set(LISTS)


@pytest.mark.parametrize(("plan_name", "name", "how"), CASES)
def test_mutation_every_corruption_is_found(plan_name, name, how):
    pack, build, _ = PLANS[plan_name]
    b, p = build()
    rng = random.Random(f"{plan_name}-{name}-{how}")
    choices = range(len(getattr(p, name)))
    for _ in range(TRIALS):
        i = rng.choice(choices)
        q = corrupt(b, p, name, i, how, rng)
        assert q is not None, (name, how)
        report = check_plan(b, pack, q)
        serious = [v for v in report.violations if v.category in ("fout", "niet_geleverd")]
        assert serious, (name, i, how, [v.message for v in report.violations])


@pytest.mark.parametrize("tid", ["T2", "T3"])
def test_mutation_almelo_caseload_removed_without_contacts_is_found(tid):
    """Almelo's assignment duties (A.<vorm>.toewijzing_bemenst, issue 20): a toewijzing without executor or
    responsible is care left undone, even when it has no contacts to betray it."""
    b, p = almelo_plan()
    q = corrupt(b, p, "caseload", next(i for i, a in enumerate(p.caseload) if a.toewijzing_id == tid), "removed",
                random.Random(0))
    assert [v for v in check_plan(b, PACK, q).violations if v.category in ("fout", "niet_geleverd")]
