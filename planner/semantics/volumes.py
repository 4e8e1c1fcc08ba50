"""What a toewijzing's omvang means per week, for rules on volumes (kind ``omvang_per_week``).

"ZIG: 4 maanden, 30 uur per week" (A:2079), "maximaal drie etmalen per week (gemiddeld binnen geldigheidsduur
toewijzing)" (A:3555), deeltijdpleegzorg "maximaal drie dagen per week" (A:913), crisispleegzorg "gemiddelde van
zeven contacturen per week" (A:3869): the allocation states the volume, the plan realises it (omvang not
planned is unmet demand), so the rule reads the omvang.
"""

from __future__ import annotations

from planner.domain import OmvangUnit, Toewijzing
from planner.rules import Rule

MINUTES = {"minuut": 1, "uur": 60, "dagdeel": 240, "etmaal": 1440}
# omvang units a rule in hours or in etmalen reads; an omvang in other units says something else (a stay in
# etmalen is no contact time, contact hours are no stay) and is not judged
READS = {"uur": ("minuut", "uur", "dagdeel"), "minuut": ("minuut", "uur", "dagdeel"), "dagdeel": ("dagdeel",),
         "etmaal": ("etmaal",)}


def omvang_per_week(rule: Rule, t: Toewijzing) -> float | None:
    """The toewijzing's omvang in the rule's ``unit`` per week, averaged over the toewijzing (a ``totaal`` is
    spread over its weeks, ``per_maand`` is x 12/52, ``per_dag`` counts 5 days a week as the demand does); None
    when there is no omvang or its unit is not one the rule reads (``READS``)."""
    unit = rule.params.get("unit", "uur")
    o = t.omvang
    if o is None or o.unit.value not in READS[unit]:
        return None
    days = (t.end - t.start).days + 1
    minutes = o.minutes_per_week(days)
    if o.unit is OmvangUnit.ETMAAL and o.frequency.value == "per_dag":
        minutes = o.volume * MINUTES["etmaal"] * 7  # a stay "per dag" is every day of the week
    return None if minutes is None else minutes / MINUTES[unit]


def omvang_problem(rule: Rule, t: Toewijzing) -> str | None:
    """Dutch reason when the omvang per week lies outside [``min``, ``max``], else None."""
    value = omvang_per_week(rule, t)
    if value is None:
        return None
    unit = rule.params.get("unit", "uur")
    shown = f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    lo, hi = rule.params.get("min"), rule.params.get("max")
    if lo is not None and value < float(lo) - 1e-9:
        return f"omvang {shown} {unit} per week, minimaal {lo} {unit} per week"
    if hi is not None and value > float(hi) + 1e-9:
        return f"omvang {shown} {unit} per week, maximaal {hi} {unit} per week"
    return None
