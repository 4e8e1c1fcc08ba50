"""What a capacity run returns, and reading it from a solved model."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from planner.domain import Education, Toewijzing
from planner.rules import RulePack
from solver.capacity.instance import CapacityInstance
from solver.capacity.model import CapacityModel, runs


@dataclass
class WaitingClient:
    toewijzing_id: str
    jeugdige_id: str  # pseudonymous id only
    product: str
    intervention: str | None
    referral_date: date | None
    earliest_start: date
    projected_start: date | None  # None: not within the horizon
    wait_weeks: int | None  # from referral (or earliest start) to the projected start
    executor_id: str | None
    priority: int | None = None


GUIDELINE = "richtlijn"  # staff hours below a soft group rule: reported, but not care not given
UNMET_KINDS = ("lopend", "wachtend", "groep", "bereikbaarheid")


@dataclass
class UnmetRow:
    week: int
    product: str
    discipline: str  # the qualification that is short, in Dutch
    kind: str  # lopend | wachtend | groep | bereikbaarheid; richtlijn: a soft group guideline, not unmet care
    hours: float


@dataclass
class Hire:
    profile: str
    staff_id: str
    fte: float
    cost: float
    start: date
    toewijzingen: list[str] = field(default_factory=list)
    sessions: list[str] = field(default_factory=list)
    explanation: str = ""


@dataclass
class ScenarioResult:
    name: str
    status: str
    seconds: float
    period_start: date
    weeks: int
    waiting_per_week: list[int] = field(default_factory=list)
    unmet: list[UnmetRow] = field(default_factory=list)
    utilisation_staff: dict[str, list[float]] = field(default_factory=dict)  # per medewerker per week, 0..1+
    utilisation_discipline: dict[str, list[float]] = field(default_factory=dict)  # per beroep per week
    clients: list[WaitingClient] = field(default_factory=list)
    hires: list[Hire] = field(default_factory=list)
    served_minutes: list[int] = field(default_factory=list)  # contact minutes served per week
    served_toewijzingen: list[list[str]] = field(default_factory=list)  # per week, ids with an executor
    first_week_executors: dict[str, str] = field(default_factory=dict)  # toewijzing id -> executor in week 1
    explanation: list[str] = field(default_factory=list)  # Dutch
    changes: list[str] = field(default_factory=list)  # the scenario's changes, in Dutch

    @property
    def hire_cost(self) -> float:
        return sum(h.cost for h in self.hires)

    def unmet_hours(self, kind: str | None = None) -> float:
        """Hours of care not given (of one ``kind``); a soft guideline short ("richtlijn") only when asked."""
        return sum(r.hours for r in self.unmet if r.kind == kind or (kind is None and r.kind in UNMET_KINDS))

    def unmet_by_product(self) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for r in self.unmet:
            if r.kind in UNMET_KINDS:
                out[r.product] += r.hours
        return dict(sorted(out.items()))

    def summary(self) -> dict[str, Any]:
        started = [c for c in self.clients if c.projected_start is not None]
        waits = [c.wait_weeks for c in started if c.wait_weeks is not None]
        return {"scenario": self.name, "status": self.status, "seconds": round(self.seconds, 2),
                "wachtenden_start": self.waiting_per_week[0] if self.waiting_per_week else 0,
                "wachtenden_eind": self.waiting_per_week[-1] if self.waiting_per_week else 0,
                "wachtenden_max": max(self.waiting_per_week, default=0),
                "niet_gestart": len(self.clients) - len(started),
                "gem_wachttijd_weken": round(sum(waits) / len(waits), 1) if waits else 0.0,
                "onvervuld_uren": round(self.unmet_hours(), 1),
                "onvervuld_lopend_uren": round(self.unmet_hours("lopend"), 1),
                "onvervuld_groep_uren": round(self.unmet_hours("groep"), 1),
                "richtlijn_tekort_uren": round(self.unmet_hours(GUIDELINE), 1),
                "aannames": len(self.hires), "kosten_aannames": round(self.hire_cost, 2)}

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["summary"] = self.summary()
        return jsonable(data)


def jsonable(v):
    """Dates as ISO text, recursively (a result or a scenario as JSON)."""
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, date):
        return v.isoformat()
    return v


def discipline_of(pack: RulePack, t: Toewijzing) -> str:
    """The qualification an executor needs, from the product's hard rules: e.g. "hbo+ met MST"."""
    level = max((Education(r.params["education"]) for r in pack.rules_of("executor_min_education")
                 if r.severity == "hard" and r.applies_to(t.product_code, t.intervention)),
                default=None, key=lambda e: e.rank)
    certified = t.intervention and any(r.severity == "hard" and r.applies_to(t.product_code, t.intervention)
                                       for r in pack.rules_of("intervention_certification"))
    text = f"uitvoerder {level.value}" if level else "uitvoerder"
    return f"{text} met {t.intervention}" if certified else text


def extract(cm: CapacityModel, value, name: str, status: str, seconds: float) -> ScenarioResult:
    """Read the solved model: load, unmet demand, waiting list and projected starts."""
    inst = cm.inst
    W = inst.weeks
    res = ScenarioResult(name, status, seconds, inst.start, W)
    load: dict[str, list[int]] = defaultdict(lambda: [0] * W)
    served = [0] * W
    served_ids: list[list[str]] = [[] for _ in range(W)]
    for (i, sid, k), v in cm.x.items():
        if value(v):
            item, (a, b) = inst.items[i], cm.span[i, k]
            for w in range(max(a, item.first), min(b, item.end, W)):
                load[sid][w] += item.minutes
                served[w] += item.care
                served_ids[w].append(item.t.id)
                if w == 0:
                    res.first_week_executors[item.t.id] = sid
    executor = {i: sid for (i, sid), v in cm.w.items() if value(v)}
    for i, s_var in cm.start.items():
        item, s = inst.items[i], value(s_var)
        sid = executor.get(i)
        if sid is not None:
            for w in range(s, min(s + item.duration, W)):
                load[sid][w] += item.minutes
                served[w] += item.care
                served_ids[w].append(item.t.id)
            if s == 0:
                res.first_week_executors[item.t.id] = sid
        _waiting(res, inst, item, s if sid is not None else None, sid)
    for (session_id, sid, k), v in cm.y.items():
        if value(v):
            need = next(n for n in inst.sessions if n.session.id == session_id)
            a, b = cm.span[session_id, k]
            for w in range(a, min(b, W)):
                if need.enrolled[w] and not inst.absent_at(sid, need.session, w):
                    load[sid][w] += need.minutes
    _unmet_running(res, cm, value)
    _unmet_groups(res, cm, value)
    for team, gaps in inst.uncovered_oncall.items():
        for w, days in enumerate(gaps[:W]):
            if days > 0:
                res.unmet.append(UnmetRow(w, team, f"bereikbaarheid {team}", "bereikbaarheid", round(days * 24, 1)))
    res.unmet.sort(key=lambda r: (r.week, r.product, r.kind, r.discipline))
    res.served_minutes, res.served_toewijzingen = served, [sorted(ids) for ids in served_ids]
    res.waiting_per_week = [sum(1 for c in res.clients if _on_list(inst, c, w)) for w in range(W)]
    _utilisation(res, inst, load)
    return res


def _waiting(res: ScenarioResult, inst: CapacityInstance, item, s: int | None, sid: str | None) -> None:
    t = item.t
    earliest = max(t.start, inst.start)
    start = max(t.start, inst.start + timedelta(weeks=s)) if s is not None else None
    ref = t.referral_date or t.start
    res.clients.append(WaitingClient(t.id, t.jeugdige_id, t.product_code, t.intervention, t.referral_date, earliest,
                                     start, (start - ref).days // 7 if start else None, sid, item.priority))
    for w in range(item.earliest, min(s if s is not None else inst.weeks, inst.weeks)):
        res.unmet.append(UnmetRow(w, t.product_code, discipline_of(inst.pack, t), "wachtend", item.care / 60))


def _on_list(inst: CapacityInstance, c: WaitingClient, w: int) -> bool:
    """On the waiting list in week ``w``: referred by the end of that week and not yet started."""
    ref = c.referral_date or c.earliest_start
    sunday = inst.start + timedelta(weeks=w, days=6)
    return ref <= sunday and (c.projected_start is None or c.projected_start > sunday)


def _unmet_running(res: ScenarioResult, cm: CapacityModel, value) -> None:
    inst = cm.inst
    for (i, k), u in cm.u.items():
        if not value(u):
            continue
        item, (a, b) = inst.items[i], cm.span[i, k]
        for w in range(max(a, item.first), min(b, item.end, inst.weeks)):
            res.unmet.append(UnmetRow(w, item.t.product_code, discipline_of(inst.pack, item.t), "lopend",
                                      item.care / 60))


def _unmet_groups(res: ScenarioResult, cm: CapacityModel, value) -> None:
    inst = cm.inst
    needs = {n.session.id: n for n in inst.sessions}
    for (session_id, w, rule_id), var in cm.short.items():
        short = value(var)
        if short:
            need = needs[session_id]
            req = next(r for r in need.requirements if r.rule_id == rule_id)
            soft = req.severity == "soft"
            res.unmet.append(UnmetRow(w, need.product, req.label + (" (richtlijn)" if soft else ""),
                                      GUIDELINE if soft else "groep", round(short * need.minutes / 60, 2)))


def _utilisation(res: ScenarioResult, inst: CapacityInstance, load: dict[str, list[int]]) -> None:
    by_prof_load: dict[str, list[int]] = defaultdict(lambda: [0] * inst.weeks)
    by_prof_supply: dict[str, list[int]] = defaultdict(lambda: [0] * inst.weeks)
    for sid, m in sorted(inst.bundle.staff.items()):
        row = []
        for w in range(inst.weeks):
            oncall = inst.oncall.get(sid, [0] * inst.horizon)[w]
            total = inst.supply[sid][w] + oncall
            used = load[sid][w] + oncall if sid in load else oncall
            row.append(round(used / total, 3) if total else 0.0)
            by_prof_load[m.profession][w] += used
            by_prof_supply[m.profession][w] += total
        res.utilisation_staff[sid] = row
    for prof in sorted(by_prof_load):
        res.utilisation_discipline[prof] = [round(l_ / s, 3) if s else 0.0
                                            for l_, s in zip(by_prof_load[prof], by_prof_supply[prof])]


__all__ = ["GUIDELINE", "UNMET_KINDS", "Hire", "ScenarioResult", "UnmetRow", "WaitingClient", "discipline_of", "extract",
           "runs"]
