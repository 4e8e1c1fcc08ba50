"""The explanation of a solve, ordered by cause: what was left undone first, then cancellations, then soft.

Every cause is one Dutch line that starts with the rule id and the place (team and day, group session,
toewijzing and week, group and night), says what is short in people or hours and who could have done it
and why not.  Lines repeat across stages (a reason per week, per person); they are given once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from planner.timeutil import WEEKDAYS_NL

SHORTFALL, CANCELLED, SOFT, DETAIL = 0, 1, 2, 3  # cause levels, in the order the explanation gives them
MAX_SOFT_LINES = 15


@dataclass(frozen=True)
class Cause:
    level: int
    text: str  # "<rule id> — <place>: <what is short>; <who could have and why not>"


def ordered(causes: list[Cause]) -> list[str]:
    """Lines by level (stable within a level), each line once."""
    out: dict[str, None] = {}
    for c in sorted(causes, key=lambda c: c.level):
        out.setdefault(c.text, None)
    return list(out)


def day_label(day) -> str:
    return f"{WEEKDAYS_NL[day.weekday()]} {day.isoformat()}"


WHY_ONCALL = {"oncall_coverage": "geen certificaat voor de interventie van het team", "absence": "afwezig",
              "oncall_consent": "geen instemming met bereikbaarheidsdienst",
              "oncall_night_shift_buffer": "te dicht op een nachtdienst"}


def oncall_gaps(pm, value) -> list[Cause]:
    """Per (team, day) without anyone on call: the rule, 24 uur, and every member with why they were not."""
    out = []
    rules = {r.kind: r for r in pm.data.pack.rules}
    for (team, d), var in sorted(pm.oncall_uncovered.items()):
        if not value(var):
            continue
        day = pm.data.period_start + timedelta(days=d)
        rule_id = pm.oncall_rule.get(team, "bereikbaarheid")
        members = []
        for m in pm.data.members(team):
            excluded = pm.excluded_by.get((f"bereikbaarheid:{team}:{d}", m.id))
            if excluded:
                kind = pm.data.pack.rule(excluded).kind
                members.append(f"{m.id} ({excluded}): {WHY_ONCALL.get(kind, 'uitgesloten')}")
                continue
            other = [tm for (tm, dd, sid), v in pm.oncall.items() if sid == m.id and dd == d and tm != team and value(v)]
            if other:
                members.append(f"{m.id}: al bereikbaar voor team {other[0]}")
            else:
                limit = rules.get("oncall_max_per_28d") or rules.get("oncall_free_periods")
                members.append(f"{m.id} ({limit.id if limit else '28 dagen'}): maximum bereikbaarheidsdagen bereikt")
        team_text = ", ".join(members) or "het team heeft geen leden"
        out.append(Cause(SHORTFALL, f"{rule_id} — Team {team}, {day_label(day)}: 24 uur niemand bereikbaar "
                                    f"(24/7-bereikbaarheid); nodig: 1 teamlid dat mag; teamleden: {team_text}."))
    return out


def soft_causes(places: list[tuple[str, str, int, int]], pack) -> list[Cause]:
    """Soft penalties by place, the largest first: rule id, place, amount and penalty."""
    out = []
    for rid, where, amount, penalty in sorted(places, key=lambda p: (-p[3], p[0], p[1]))[:MAX_SOFT_LINES]:
        rule = pack.rule(rid)
        out.append(Cause(SOFT, f"{rid} — {where or 'plan'}: {rule.text} (zachte regel; {amount} x, penalty {penalty})."))
    if len(places) > MAX_SOFT_LINES:
        out.append(Cause(SOFT, f"... en {len(places) - MAX_SOFT_LINES} andere zachte tekorten (zie de tabel per regel)."))
    return out
