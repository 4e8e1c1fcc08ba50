"""Plan result views as plain data for the templates: week grids, on-call calendar, caseload, gaps."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from planner.domain import Bundle
from planner.plan import Plan
from planner.rules import RulePack
from planner.semantics.oncall import duty_teams
from planner.semantics.occurrences import period_days, session_occurrences


def days_of(plan: Plan) -> list[date]:
    return period_days(plan.period_start, plan.weeks)


def group_grid(bundle: Bundle, plan: Plan) -> list[dict]:
    """Per group, per day, its session occurrences with staff (or 'geannuleerd')."""
    days = days_of(plan)
    staffing = {(s.session_id, s.date): (i, s) for i, s in enumerate(plan.sessions)}
    out = []
    for g in sorted(bundle.groups.values(), key=lambda g: g.id):
        per_day: list[list[dict]] = [[] for _ in days]
        for o in session_occurrences(bundle, days):
            if o.session.group_id != g.id:
                continue
            i, s = staffing.get((o.session.id, o.date), (None, None))
            per_day[days.index(o.date)].append({"occ": o, "index": i, "staffing": s})
        out.append({"group": g, "days": per_day})
    return out


def active_toewijzingen(bundle: Bundle, plan: Plan) -> list:
    """Toewijzingen that overlap the plan's period (as the checker's ``CheckContext.active_toewijzingen``)."""
    first, last = plan.period_start, plan.period_end - timedelta(days=1)
    return [t for t in bundle.toewijzingen.values() if t.start <= last and t.end >= first]


def oncall_calendar(bundle: Bundle, pack: RulePack, plan: Plan, report: dict | None = None) -> list[dict]:
    """Per team with a 24/7 duty (from the product: planner.semantics.oncall), per day, who is on call (with
    block index), and the checker's own coverage findings for the team (what a page shows in red)."""
    days = days_of(plan)
    out = []
    for t in duty_teams(bundle, pack, active_toewijzingen(bundle, plan)):
        blocks = [(i, b) for i, b in enumerate(plan.oncall) if b.team_id == t.id]
        per_day = []
        for d in days:
            d0 = datetime.combine(d, datetime.min.time())
            per_day.append([{"index": i, "block": b} for i, b in blocks if b.start < d0 + timedelta(days=1)
                            and b.end > d0])
        out.append({"team": t, "days": per_day, "findings": oncall_findings(report, t.id)})
    return out


def oncall_findings(report: dict | None, team_id: str) -> list[dict]:
    """The checker's own ``oncall_coverage`` findings for one team: what the pages show in red as a gap."""
    return [v for v in (report or {}).get("violations", [])
            if v.get("kind") == "oncall_coverage" and ["team", team_id] in v.get("entities", [])]


def caseload(bundle: Bundle, plan: Plan, report: dict | None = None) -> list[dict]:
    """Per professional: toewijzingen executed, responsible for, casusregie, against the caseload maximum.

    A row is marked over the maximum only by a checker finding (rule kind ``caseload_max`` naming the
    medewerker in the stored report): without such a rule in the pack the maximum is shown, never red.
    """
    exe: dict[str, list[str]] = defaultdict(list)
    resp: dict[str, list[str]] = defaultdict(list)
    for a in plan.caseload:
        for sid in a.executor_ids:
            exe[sid].append(a.toewijzing_id)
        if a.responsible_id:
            resp[a.responsible_id].append(a.toewijzing_id)
    regie: dict[str, int] = defaultdict(int)
    for c in plan.casusregie:
        regie[c.staff_id] += 1
    findings: dict[str, list[dict]] = defaultdict(list)
    for v in (report or {}).get("violations", []):
        if v.get("kind") == "caseload_max":
            for kind, sid in v.get("entities", []):
                if kind == "medewerker":
                    findings[sid].append(v)
    rows = []
    for m in sorted(bundle.staff.values(), key=lambda m: m.id):
        if m.id in exe or m.id in resp:
            rows.append({"staff": m, "executes": sorted(exe[m.id]), "responsible": sorted(resp[m.id]),
                         "regie": regie[m.id], "findings": findings.get(m.id, []), "over": bool(findings.get(m.id))})
    return rows


CATEGORY_ORDER = ("fout", "niet_geleverd", "gegevens", "zacht")
CATEGORY_WORDS = {"fout": "hard", "niet_geleverd": "niet geleverd", "gegevens": "gegevens", "zacht": "zacht"}


def finding_category(v: dict) -> str:
    """A stored finding's category (fout / niet_geleverd / gegevens / zacht); reports stored before the
    categories existed carry none, and then the severity decides as it did then."""
    from planner.checks import DATA_KINDS

    if "category" in v:
        return v["category"]
    return "gegevens" if v.get("kind") in DATA_KINDS else ("zacht" if v["severity"] == "soft" else "fout")


def report_status(report: dict | None) -> str:
    """The checker's word for a stored report: ongeldig, onvolledig or compleet (geen plan without one)."""
    if not report:
        return "geen plan"
    cats = {finding_category(v) for v in report.get("violations", [])}
    if "fout" in cats:
        return "ongeldig"
    return "onvolledig" if "niet_geleverd" in cats or report.get("unmet") else "compleet"


def coverage(plan: Plan, report: dict | None, bundle: Bundle | None = None, pack: RulePack | None = None) -> dict:
    """The dashboard figures of one plan, taken from the checker's report, never from what the plan says of
    itself: of the active toewijzingen that an ``assignment_present`` rule asks staff for, those without a
    finding of that rule count as bemenst."""
    report = report or {}
    violations = report.get("violations", [])
    cats = [finding_category(v) for v in violations]
    unstaffed = {e[1] for v in violations if v.get("kind") == "assignment_present"
                 for e in v.get("entities", []) if e[0] == "toewijzing"}
    if bundle is not None and pack is not None:
        rules = pack.rules_of("assignment_present")
        total = sum(1 for t in active_toewijzingen(bundle, plan)
                    if any(r.applies_to(t.product_code, t.intervention) for r in rules))
    else:
        total = len({a.toewijzing_id for a in plan.caseload} | unstaffed)
    return {"served": total - len(unstaffed), "total": total,
            "sessions_held": sum(1 for s in plan.sessions if not s.cancelled), "sessions": len(plan.sessions),
            "contacts": len(plan.contacts),
            "unmet_minutes": sum(max(0, u["required_minutes"] - u["planned_minutes"]) for u in report.get("unmet", [])),
            "hard": cats.count("fout"), "not_delivered": cats.count("niet_geleverd"), "data": cats.count("gegevens"),
            "soft": cats.count("zacht"), "status": report_status(report)}
