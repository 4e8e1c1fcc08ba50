"""One person's days as the rest rules of stage 2 see them, inside the period and around it.

Inside the period a day ``d`` has model variables (``works``, ``day_start``, ``day_end``; start and end are
free when the day has no work).  Before day 0 the days hold the previous period's shifts (known); after the
horizon nothing is known, so those days are free, as the checker sees them.  A rest day is a day without
work whose surrounding free time, clipped to a window, is long enough: the weekly rest asks one per window.

The free time is read from the neighbouring days: the work begun before day ``d`` ends by the last end of
day ``d - 1`` or ``d - 2`` (a day's work lasts at most a working day, W.max_dienst, so work begun earlier has
ended before ``d - 1`` began), and the next work starts no earlier than the first start of day ``d + 1``.
"""

from __future__ import annotations

from datetime import timedelta

from planner.rules import Rule
from planner.semantics.rest import daily_rest_episodes
from planner.timeutil import union
from solver.contacts.model import DAY, ContactModel


def works(cm: ContactModel, d: int):
    """Whether work starts on day ``d``: a model literal inside the period, 0 or 1 outside it."""
    if 0 <= d < len(cm.works):
        return cm.works[d]
    return int(d < 0 and any(d * DAY <= s < (d + 1) * DAY for s, _ in cm.history))


def ends_before(cm: ContactModel, d: int) -> list:
    """Terms whose maximum is at least the end of all work begun before day ``d``."""
    out: list = []
    if d <= 1:
        past = [e for s, e in cm.history if s < d * DAY]
        out += [max(past)] if past else []
    last = min(d, len(cm.day_end))  # after the horizon the last period days hold the last work
    out += [cm.day_end[k] for k in (last - 1, last - 2) if 0 <= k < len(cm.day_end)]
    return out


def starts_after(cm: ContactModel, d: int) -> list:
    """Terms whose minimum is at most the start of any work begun after day ``d`` (none after the horizon)."""
    k = d + 1
    if 0 <= k < len(cm.day_start):
        return [cm.day_start[k]]
    if k < 0:
        today = [s for s, _ in cm.history if k * DAY <= s < (k + 1) * DAY]
        return [min(today) if today else (k + 1) * DAY]
    return []


def rest_day(cm: ContactModel, d: int, lo, hi, rest: int, name: str):
    """Day ``d`` free, with ``rest`` minutes free around it inside [lo, hi): a new literal, True when it holds
    whatever stage 2 decides, or None when it cannot hold."""
    free = works(cm, d)
    if isinstance(free, int) and free:
        return None
    pairs = []
    for a in [lo, *ends_before(cm, d)]:
        for b in [hi, *starts_after(cm, d)]:
            if not (isinstance(a, int) and isinstance(b, int)):
                pairs.append((a, b))
            elif b - a < rest:
                return None
    if not pairs and isinstance(free, int):
        return True
    ok = cm.model.NewBoolVar(name)
    if not isinstance(free, int):
        cm.model.Add(free == 0).OnlyEnforceIf(ok)
    for a, b in pairs:
        cm.model.Add(b - a >= rest).OnlyEnforceIf(ok)
    return ok


def weekly_rest_windows(rule: Rule, days: list, history: list, start_of):
    """The weekly rest's windows for one person: (name, days that may be the rest day, lo, hi, day indexes
    whose work asks the window).  Calendar weeks (``venster`` ``kalenderweek``, the default) from the Mondays
    of the period's ``days``; with ``glijdend`` the 7 x 24 h from ``start_of(j)`` for each day ``j`` of the
    period, and from the first start of each of the 7 days before it on which a ``history`` shift (minutes,
    sorted) starts.  Shared by stage 2 (``start_of``: the day's first start) and stage 1 (its 00:00)."""
    n = len(days)
    if "venster" in rule.interpretations and rule.interpretation("venster") == "glijdend":
        for j in range(-7, n):
            if j >= 0:
                lo = start_of(j)
                yield f"{j}", range(j + 1, j + 8), lo, lo + 7 * DAY, [j]
                continue
            today = [s for s, _ in history if j * DAY <= s < (j + 1) * DAY]
            if today:
                yield f"{j}", range(j + 1, j + 8), today[0], today[0] + 7 * DAY, range(min(j + 8, n))
        return
    for monday in sorted({d - day.weekday() for d, day in enumerate(days)}):
        yield f"{monday}", range(monday, monday + 7), monday * DAY, (monday + 7) * DAY, range(max(monday - 1, 0),
                                                                                          min(monday + 7, n))


def require_rest_day(cm: ContactModel, days: range, lo, hi, rest: int, when: list, name: str) -> None:
    """If any literal of ``when`` holds, one day of ``days`` is a rest day inside [lo, hi)."""
    if not when:
        return
    options = [rest_day(cm, d, lo, hi, rest, f"{name}[{d}]") for d in days]
    if any(o is True for o in options):
        return
    options = [o for o in options if o is not None]
    for lit in when:
        cm.model.AddBoolOr(options).OnlyEnforceIf(lit)


def last_history_shortening(cm: ContactModel, rest: timedelta, reduced: timedelta, per: timedelta) -> int | None:
    """Start (minutes) of the previous period's last allowed shortening of the daily rest, as the checker
    reads it from the history shifts alone (the contact stage keeps the full rest after the last of them,
    so the period's work does not change those episodes)."""
    work = union((cm.at(s), cm.at(e)) for s, e in cm.history)
    allowed = [starts[0] for starts, why in daily_rest_episodes(work, rest, reduced, per) if why is None]
    return cm.minute(allowed[-1]) if allowed else None
