"""Violation cases for ``vog_valid`` (A:4183): the executor's VOG is older than the rule allows."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from planner.rules import Rule, RulePack
from planner.semantics.eligibility import years_before
from tests.cases.common import EXECUTOR, case_product, clean_toewijzing_case, pick_intervention


def case_vog_valid(rule: Rule, pack: RulePack):
    product = case_product(rule, pack)
    iv = pick_intervention(pack, rule, product)
    clean = clean_toewijzing_case(pack, product, iv)
    b, p = clean_toewijzing_case(pack, product, iv)
    too_old = years_before(p.period_start, int(rule.params.get("max_years", 3))) - timedelta(days=1)
    b.staff[EXECUTOR] = replace(b.staff[EXECUTOR], vog_date=too_old)
    return clean, (b, p)
