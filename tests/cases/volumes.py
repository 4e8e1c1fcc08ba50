"""Violation cases for ``omvang_per_week``: the toewijzing's omvang at the bound (clean) and beyond it."""

from __future__ import annotations

from dataclasses import replace

from planner.domain import Omvang, OmvangFrequency, OmvangUnit
from planner.rules import Rule, RulePack
from tests.cases.common import case_product, clean_toewijzing_case, pick_intervention


def with_omvang(b, tid: str, volume: float, unit: str) -> None:
    b.toewijzingen[tid] = replace(b.toewijzingen[tid], omvang=Omvang(volume, OmvangUnit(unit), OmvangFrequency.PER_WEEK))


def case_omvang_per_week(rule: Rule, pack: RulePack):
    product = case_product(rule, pack)
    iv = pick_intervention(pack, rule, product)
    unit = rule.params.get("unit", "uur")
    bound = float(rule.params["min"] if rule.params.get("min") is not None else rule.params["max"])
    step = -1 if rule.params.get("min") is not None else 1
    clean = clean_toewijzing_case(pack, product, iv)
    with_omvang(clean[0], "T1", bound, unit)
    b, p = clean_toewijzing_case(pack, product, iv)
    with_omvang(b, "T1", bound + step, unit)
    return clean, (b, p)
