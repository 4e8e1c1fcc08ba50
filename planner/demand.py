"""Demand of a toewijzing in a planning period, and what a plan leaves unmet.

Used by the checker (unmet demand report) and, later, the solver and the
capacity model: one definition of demand.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from planner.domain import Toewijzing
from planner.semantics.history import demand_cap

if TYPE_CHECKING:
    from planner.checker import CheckContext, UnmetDemand
# Settings whose omvang is delivered through contacts (not group sessions or a stay).
CONTACT_SETTINGS = {"individueel", "gezin", "ambulant", "crisis"}


def active_days(t: Toewijzing, first: date, last: date) -> int:
    """Working days (Monday-Friday) of [first, last] inside the toewijzing's validity.

    Weekly omvang is spread over the working week, so a toewijzing that starts
    on a Sunday asks for nothing in the week that ends that day.
    """
    lo, hi = max(first, t.start), min(last, t.end)
    days = (hi - lo).days + 1
    if days <= 0:
        return 0
    full_weeks, rest = divmod(days, 7)
    return full_weeks * 5 + sum(1 for i in range(rest) if (lo.weekday() + i) % 7 < 5)


def required_minutes(t: Toewijzing, first: date, last: date) -> int | None:
    """Contact minutes the omvang asks for in [first, last], pro rata; None if not time-based."""
    if t.omvang is None:
        return None
    per_week = t.omvang.minutes_per_week(trajectory_days=(t.end - t.start).days + 1)
    if per_week is None:
        return None
    return round(per_week * active_days(t, first, last) / 5)


def unmet_demand(ctx: "CheckContext") -> list["UnmetDemand"]:
    from planner.checker import UnmetDemand
    first, last = ctx.days[0], ctx.days[-1]
    planned: dict[str, int] = {}
    for c in ctx.plan.contacts:
        planned[c.toewijzing_id] = planned.get(c.toewijzing_id, 0) + int((c.end - c.start).total_seconds() // 60)
    out = []
    for t in ctx.active_toewijzingen():
        product = ctx.product(t.product_code)
        if product is None or product.setting not in CONTACT_SETTINGS:
            continue
        need = required_minutes(t, first, last)
        if need is None:
            continue
        cap = demand_cap(ctx.pack.rules, t, ctx.history.get(t.id, ()), first)
        if cap is not None:  # hours beyond an omvang_cap (history included) cannot be delivered
            need = min(need, cap)
        got = planned.get(t.id, 0)
        if got < need:
            out.append(UnmetDemand(t.id, need, got))
    return out

