"""Why stage 2 left contacts out: per toewijzing and week the rule, how many contacts short, and why."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from planner.timeutil import WEEKDAYS_NL, within_availability
from solver.causes import SHORTFALL, Cause


def _rule_id(data, kind: str, t, hard_min: bool = False) -> str | None:
    for r in data.pack.rules_of(kind):
        if r.applies_to(t.product_code, t.intervention) and (not hard_min or (
                r.severity == "hard" and r.params.get("min_per_week") is not None)):
            return r.id
    return None


def _days_free(data, staff, need) -> list:
    """Dates of the need's span on which the person has an availability window between 08:00 and 21:00."""
    out, d = [], need.earliest.date()
    while datetime.combine(d, datetime.min.time()) < need.latest_end:
        lo = datetime.combine(d, datetime.min.time()) + timedelta(hours=8)
        if any(within_availability(staff, lo + timedelta(minutes=15 * i), lo + timedelta(minutes=15 * i + need.length))
               and not data.absent(staff.id, lo + timedelta(minutes=15 * i),
                                   lo + timedelta(minutes=15 * i + need.length))
               for i in range((13 * 60 - need.length) // 15 + 1)):
            out.append(d)
        d += timedelta(days=1)
    return out


def _fixed_text(fixed, days) -> str:
    by_day = defaultdict(list)
    for s, e in fixed:
        if s.date() in days:
            by_day[s.date()].append(f"{s:%H:%M}-{e:%H:%M}")
    return "; ".join(f"{WEEKDAYS_NL[d.weekday()]} {', '.join(v)}" for d, v in sorted(by_day.items()))


def shortfall_causes(data, sid: str, needs, placed_count: dict, fixed) -> list[Cause]:
    """One cause per need with contacts left out: required ones (hard minimum, intake) under their rule,
    the rest as omvang not delivered."""
    staff = data.bundle.staff[sid]
    out = []
    for n in needs:
        got = placed_count.get(id(n), 0)
        if got >= max(n.count, n.minimum):
            continue
        t = data.bundle.toewijzingen[n.toewijzing_id]
        week = (n.earliest - data.start_dt).days // 7
        monday = data.period_start + timedelta(days=7 * week)
        free = _days_free(data, staff, n)
        free_text = ", ".join(WEEKDAYS_NL[d.weekday()] for d in free) or "geen"
        if n.kind in ("intake", "regie"):
            rid = _rule_id(data, "regie_one_on_one", t) or "regie_one_on_one"
            what = f"{'intake' if n.kind == 'intake' else 'regiecontact'} van de verantwoordelijke {sid} niet ingepland"
        elif got < max(n.required, n.minimum):
            rid = _rule_id(data, "contact_frequency", t, hard_min=True) or "contact_frequency"
            least = max(n.required, n.minimum)
            what = f"{got} van minimaal {least} contacten ingepland, {least - got} te weinig"
        else:
            rid = _rule_id(data, "assignment_present", t) or "omvang"
            what = f"{n.count - got} van {n.count} contacten ({(n.count - got) * n.length} min) niet ingepland"
        if n.kind == "contact" and len(free) < max(n.count, n.minimum):
            why = (f"uitvoerder {sid} kan in die week op {len(free)} dag(en) ({free_text}); nodig: een uitvoerder "
                   f"die op {max(n.count, n.minimum)} verschillende dagen kan (beschikbaarheid)")
        else:
            busy = _fixed_text(fixed, set(free))
            why = (f"uitvoerder {sid} kan op {free_text}, maar er is geen ruimte voor {n.length} min + reistijd "
                   f"naast de rust- en werktijdregels{' en het vaste werk (' + busy + ')' if busy else ''} en "
                   f"de andere contacten; nodig: een andere uitvoerder of minder vast werk op die dagen")
        out.append(Cause(SHORTFALL, f"{rid} — toewijzing {t.id}, week van {monday.isoformat()}: {what}; {why}."))
    return out
