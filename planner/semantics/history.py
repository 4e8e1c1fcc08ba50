"""Care history (``realisatie.csv``, :class:`planner.domain.Realisatie`) and what it means for the rules.

Shared by the checker and the solver:

- hour caps (``omvang_cap``: A:2197 medicatiecontrole 10 uur per jaar, A:2571 ED-diagnostiek 15 uur, A:2575 ED
  65 uur, A:3885 Advies en Expertise 15 uur per casus) count the minutes delivered before the period;
- averaged frequencies ("gemiddeld 1 x per 6 weken", A:2969) are judged over a window of weeks that reaches back
  into the history;
- the regiebehandelaar's contact "minimaal twee keer per jaar" (A:3143, A:3287, A:3371, A:3535) counts from the
  last regie/intake contact of the history or the toewijzing's ``laatste_regiecontact``, whichever is later.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from planner.domain import Bundle, Realisatie, Toewijzing
from planner.rules import Rule

REGIE_KINDS = ("intake", "regie")  # the responsible's one-on-one contacts (A:2153, A:3143)
VISIT_KIND = "contact"  # what a contact_frequency counts (not intake/regie)
EPS = 1e-9


def history_by_toewijzing(bundle: Bundle) -> dict[str, list[Realisatie]]:
    """The bundle's realisatie rows per toewijzing id, sorted by date."""
    out: dict[str, list[Realisatie]] = defaultdict(list)
    for r in sorted(bundle.realisatie, key=lambda r: r.date):
        out[r.toewijzing_id].append(r)
    return dict(out)


def cap_scope(rule: Rule, day: date) -> str:
    """The bucket an ``omvang_cap`` counts ``day`` in: the calendar year (``per: jaar``) or the whole traject."""
    return str(day.year) if rule.params.get("per", "traject") == "jaar" else "traject"


def used_minutes(rule: Rule, rows: Iterable[Realisatie], scope: str) -> int:
    """Minutes delivered before the period that count against ``rule``'s cap in ``scope`` (every soort counts,
    as every planned contact does)."""
    return sum(r.minutes for r in rows if cap_scope(rule, r.date) == scope)


def cap_minutes_left(rule: Rule, rows: Iterable[Realisatie], day: date) -> int:
    """Minutes of ``rule``'s cap still free on ``day`` after the history (never negative)."""
    cap = round(float(rule.params["max_hours"]) * 60)
    return max(cap - used_minutes(rule, rows, cap_scope(rule, day)), 0)


def demand_cap(rules: Iterable[Rule], t: Toewijzing, rows: Iterable[Realisatie], day: date) -> int | None:
    """Minutes the applicable ``omvang_cap`` rules still allow ``t`` from ``day`` on, after the history; None
    without a cap.  Omvang beyond it cannot be delivered, so it is not unmet demand (planner.demand)."""
    rows = list(rows)
    left = [cap_minutes_left(r, rows, day) for r in rules
            if r.kind == "omvang_cap" and r.applies_to(t.product_code, t.intervention)]
    return min(left, default=None)


def last_regie_date(t: Toewijzing, rows: Iterable[Realisatie]) -> date | None:
    """The last one-on-one regie/intake contact before the period: the toewijzing's ``laatste_regiecontact`` or
    the latest realisatie row of soort regie/intake, whichever is later."""
    dates = [r.date for r in rows if r.kind in REGIE_KINDS]
    if t.last_regie_contact is not None:
        dates.append(t.last_regie_contact)
    return max(dates, default=None)


def is_fractional(bound: float | None) -> bool:
    return bound is not None and not float(bound).is_integer()


def window_weeks(rule: Rule, bound: float) -> int:
    """Weeks over which a fractional bound is averaged: ``params.window_weeks``, else 1/bound rounded (0.16 ->
    6: "gemiddeld 1 x per 6 weken"); interpretation ``gemiddeld`` ``per_week_gemiddeld`` makes it 1."""
    if "gemiddeld" in rule.interpretations and rule.interpretation("gemiddeld") == "per_week_gemiddeld":
        return 1
    return int(rule.params.get("window_weeks") or max(round(1 / float(bound)), 1))


def window(t: Toewijzing, monday: date, weeks: int) -> tuple[date, date, int]:
    """(first day, last day, full weeks of ``t``) of the ``weeks`` calendar weeks that end with ``monday``'s week.

    A week counts only when ``t`` is active on every day of it, so a young trajectory asks pro rata."""
    first = monday - timedelta(weeks=weeks - 1)
    full = sum(1 for i in range(weeks)
               if t.start <= first + timedelta(weeks=i) and first + timedelta(weeks=i, days=6) <= t.end)
    return first, monday + timedelta(days=6), full


def window_bound(bound: float, full_weeks: int) -> float:
    """Contacts the window asks (minimum) or allows (maximum): bound x the full weeks of the toewijzing."""
    return float(bound) * full_weeks


def visits_missing(bound: float, full_weeks: int, have: int) -> int:
    """Visits still needed in a window that holds ``have`` to reach ``bound`` x ``full_weeks`` (0 when enough)."""
    return max(math.ceil(window_bound(bound, full_weeks) - have - EPS), 0)


def history_visits(rows: Iterable[Realisatie], first: date, last: date) -> int:
    """Visits (soort contact) of the history on a day of [first, last]."""
    return sum(1 for r in rows if r.kind == VISIT_KIND and first <= r.date <= last)
