"""Stage 1 for ``group_responsible_hours`` (A:3095, A:3239, A:3323, A:3487, A:3011): the responsible of a
jeugdige on the group is someone with enough time on it.

Stage 0 planned the ``aanwezig`` blocks (``solver.presence``); ``data.shifts`` holds them.  Hard
(``per: medewerker``): a candidate responsible with a role the rule names but without ``min_hours`` on the group
in a week of the jeugdige's stay is no candidate.  Soft (``per: jeugdige``, "gemiddeld"): such a responsible costs
the rule's penalty per hour the group would miss.
"""

from __future__ import annotations

from planner.rules import Rule
from planner.semantics.eligibility import has_role
from planner.semantics.presence import enrolled_on, hours_on_group, min_hours, per_jeugdige, presence_groups, week_days
from solver.constraints import candidate_filter
from solver.model import PlanModel


@candidate_filter
def add_group_responsible_hours(pm: PlanModel, rule: Rule) -> None:
    """Responsible candidates of a toewijzing whose jeugdige stays on a group of the rule: with the rule's role,
    only those with ``min_hours`` (per jeugdige: ``min_hours``) on the group in each week of the stay."""
    data = pm.data
    weeks = week_days(data.period_start, data.weeks)
    staff = data.bundle.staff
    for g in presence_groups(data.bundle, data.pack, rule):
        product = data.pack.product(g.product_code)
        domain = product.domain if product else None
        for t in pm.toewijzingen_for(rule):
            stay = [days for days in weeks if any(t.start <= d <= t.end and t.jeugdige_id in enrolled_on(data.bundle, g.id, d)
                                                  for d in days)]
            if not stay:
                continue
            need = min_hours(rule)
            for sid in sorted(pm.resp_candidates[t.id]):
                if not has_role(staff[sid], rule.params["role"], domain):
                    continue
                short = max((need - hours_on_group(data.bundle, data.shifts, [], rule, sid, g, days) for days in stay),
                            default=0)
                if short <= 0:
                    continue
                if rule.severity == "soft" or per_jeugdige(rule):
                    pm.after_variables.append(lambda pm, k=(t.id, sid), h=short: pm.penalize(
                        rule, pm.r[k] * max(1, round(h)), where=f"toewijzing {k[0]}, verantwoordelijke {k[1]}")
                        if k in pm.r else None)
                else:
                    pm.exclude(pm.resp_candidates, t.id, sid, rule, f"verantwoordelijke:{t.id}")
