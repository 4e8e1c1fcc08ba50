"""Violation cases for caseload rule kinds (``planner/checks/caseload.py``).

Every clean case is :func:`tests.cases.common.clean_toewijzing_case`; the broken
one changes the executor, the responsible or the toewijzing in one respect.
"""

from __future__ import annotations

from dataclasses import replace

from planner.domain import Education
from planner.plan import Casusregie
from planner.rules import Rule, RulePack
from planner.timeutil import add_months
from tests.builders import bundle, plan_for
from tests.cases.common import (
    EXECUTOR,
    GROUP_SETTINGS,
    RESPONSIBLE,
    add_clean_toewijzing,
    case_product,
    clean_toewijzing_case,
    pick_intervention,
)
from tests.cases.groups import BELOW


def _clean_pair(rule: Rule, pack: RulePack, intervention_required: bool = False):
    """Two independent clean cases for the rule's product: (clean, to-be-broken)."""
    product = case_product(rule, pack)
    iv = pick_intervention(pack, rule, product, required=intervention_required)
    return clean_toewijzing_case(pack, product, iv), clean_toewijzing_case(pack, product, iv)


def _restaff(b, sid: str, **changes) -> None:
    b.staff[sid] = replace(b.staff[sid], **changes)


def case_executor_min_education(rule: Rule, pack: RulePack):
    clean, (b, p) = _clean_pair(rule, pack)
    _restaff(b, EXECUTOR, education=Education(BELOW[rule.params["education"]]))
    return clean, (b, p)


def case_executor_registration(rule: Rule, pack: RulePack):
    clean, (b, p) = _clean_pair(rule, pack)
    # an orthopedagoog (or the profession the rule asks, A:2345) at or above the level, without any register
    _restaff(b, EXECUTOR, profession=(rule.params.get("professions") or ["orthopedagoog"])[0],
             registrations=frozenset())
    return clean, (b, p)


def case_responsible_role(rule: Rule, pack: RulePack):
    clean, (b, p) = _clean_pair(rule, pack)
    # an unregistered hbo sociaal werker has none of the derived roles
    _restaff(b, RESPONSIBLE, education=Education.HBO, profession="sociaal werker", registrations=frozenset())
    return clean, (b, p)


def case_intervention_certification(rule: Rule, pack: RulePack):
    clean, (b, p) = _clean_pair(rule, pack, intervention_required=True)
    _restaff(b, EXECUTOR, certifications=frozenset())
    return clean, (b, p)


def case_max_trajectory_length(rule: Rule, pack: RulePack):
    clean, (b, p) = _clean_pair(rule, pack)
    t = b.toewijzingen["T1"]
    b.toewijzingen["T1"] = replace(t, end=add_months(t.start, rule.params["months"]))  # one day too long
    return clean, (b, p)


def case_per_gezin_financing(rule: Rule, pack: RulePack):
    clean, (b, p) = _clean_pair(rule, pack)
    t1 = b.toewijzingen["T1"]
    add_clean_toewijzing(b, p, pack, t1.product_code, "T2", intervention=t1.intervention,
                         gezin_id=b.jeugdigen[t1.jeugdige_id].gezin_id)
    return clean, (b, p)


def _two_trajectories(rule: Rule, pack: RulePack):
    """A gezin with two active trajectories of different products (no per-gezin clash)."""
    products = [p.code for p in pack.products if p.setting not in GROUP_SETTINGS
                and (not rule.products or p.code in rule.products)]
    first, second = (products + products)[:2]
    b = bundle(pack.id)
    p = plan_for(b)
    add_clean_toewijzing(b, p, pack, first, "T1", jid="J1", gezin_id="GZ1")
    add_clean_toewijzing(b, p, pack, second, "T2", jid="J2", gezin_id="GZ1")
    return b, p


def case_casusregisseur(rule: Rule, pack: RulePack):
    b, p = _two_trajectories(rule, pack)
    p.casusregie.append(Casusregie("GZ1", EXECUTOR))
    return (b, p), _two_trajectories(rule, pack)


def case_working_area(rule: Rule, pack: RulePack):
    clean, (b, p) = _clean_pair(rule, pack)
    gemeente = b.jeugdigen[b.toewijzingen["T1"].jeugdige_id].gemeente
    _restaff(b, EXECUTOR, gemeenten=frozenset({f"niet-{gemeente}"}))
    return clean, (b, p)


def case_caseload_max(rule: Rule, pack: RulePack):
    (cb, cp), (b, p) = _clean_pair(rule, pack)
    _restaff(cb, EXECUTOR, caseload_max=1)
    _restaff(b, EXECUTOR, caseload_max=1)
    t1 = b.toewijzingen["T1"]
    add_clean_toewijzing(b, p, pack, t1.product_code, "T2", intervention=t1.intervention)  # another gezin
    return (cb, cp), (b, p)


def case_assignment_present(rule: Rule, pack: RulePack):
    clean, (b, p) = _clean_pair(rule, pack)
    p.caseload.clear()
    return clean, (b, p)


