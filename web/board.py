"""The planning board as plain data: per medewerker a row, per day a timeline with blocks sized by time.

Blocks carry the client's initials and product (never a name), the kind's letter (C contact, G groepssessie,
D dienst, B bereikbaarheid) so the legend does not rely on colour, pinned and overruled marks, and the
findings of the plan's *stored* checker report that concern them: the board never runs the checker, it
reads the report that was saved with this version of the plan (``PlanRow.report``), so a red outline is
always a finding the checker listed.  Worked hours come from the checker's own notion of worked time
(:attr:`planner.checker.CheckContext.busy`, :func:`planner.checks.working_time.worked`).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from planner.checker import CheckContext
from planner.checks.working_time import worked
from planner.domain import Bundle
from planner.plan import Plan
from planner.rules import RulePack
from planner.semantics.occurrences import period_days, session_occurrences
from planner.timeutil import hours

UNIT = 5  # minutes per position class (web/static/board.css: .bt-N top, .bh-N height)
DAY = timedelta(days=1)
LETTERS = {"contact": "C", "sessie": "G", "dienst": "D", "bereikbaarheid": "B"}
WORDS = {"contact": "contact", "sessie": "groepssessie", "dienst": "dienst", "bereikbaarheid": "bereikbaarheid"}
EDIT_PARAM = {"contact": "contact", "sessie": "sessie", "bereikbaarheid": "dienst"}  # ?contact=3 on /bewerken
LABEL = re.compile(r"(contact|groepssessie|bereikbaarheidsdienst|dienst) (\S+) (?:op )?(\d{4}-\d{2}-\d{2})"
                   r"(?: (\d{2}:\d{2}))?")
DATES = re.compile(r"(\d{4}-\d{2}-\d{2})|(\d{2})-(\d{2})-(\d{4})")


@dataclass
class Block:
    kind: str  # contact | sessie | dienst | bereikbaarheid
    staff_id: str
    start: datetime
    end: datetime
    label: str  # initials + product, group or team: never a client's name
    index: int | None = None  # position in the plan's list (edit forms point at it); None: not editable
    pinned: bool = False
    keys: tuple = ()  # how checker messages name this item (see LABEL)
    findings: list[int] = field(default_factory=list)  # indices into the report's violations
    severity: str = ""  # "hard" (red outline) / "soft" / ""
    overruled: bool = False
    top: int = 0  # position in UNIT minutes from the window start
    height: int = 1
    lane: int = 0
    lanes: int = 1
    cut_before: bool = False
    cut_after: bool = False

    @property
    def letter(self) -> str:
        return LETTERS[self.kind]

    @property
    def word(self) -> str:
        return WORDS[self.kind]

    @property
    def times(self) -> str:
        if self.end - self.start >= DAY and self.start.time() == self.end.time() == time():
            return "hele dag" if self.end - self.start == DAY else f"{self.start:%d-%m} tot {self.end:%d-%m}"
        return f"{self.start:%H:%M}-{self.end:%H:%M}" + ("" if self.end.date() == self.start.date() else " (+1)")

    @property
    def param(self) -> str | None:
        return EDIT_PARAM.get(self.kind) if self.index is not None else None

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def initials_product(bundle: Bundle, toewijzing_id: str) -> str:
    t = bundle.toewijzingen.get(toewijzing_id)
    if t is None:
        return toewijzing_id
    j = bundle.jeugdigen.get(t.jeugdige_id)
    return f"{j.initials if j else '?'} {t.product_code}"


def blocks_of(bundle: Bundle, plan: Plan, days: list[date]) -> dict[str, dict[date, list[Block]]]:
    """Every item of the plan per staff member per day (an item over midnight in each day it touches)."""
    out: dict[str, dict[date, list[Block]]] = defaultdict(lambda: defaultdict(list))
    shown = set(days)

    def put(b: Block) -> None:
        d = b.start.date()
        while datetime.combine(d, time()) < b.end:
            if d in shown:
                lo, hi = datetime.combine(d, time()), datetime.combine(d, time()) + DAY
                part = Block(**{**b.__dict__, "findings": []})
                part.cut_before, part.cut_after = b.start < lo, b.end > hi
                out[b.staff_id][d].append(part)
            d += DAY

    occ = {(o.session.id, o.date): o for o in session_occurrences(bundle, days)}
    for i, s in enumerate(plan.sessions):
        o = occ.get((s.session_id, s.date))
        if o is None or s.cancelled:
            continue
        group = bundle.groups.get(o.session.group_id)
        label = group.name if group else o.session.group_id
        if group and group.product_code not in label:
            label += f" {group.product_code}"
        for sid in dict.fromkeys(s.staff_ids):
            put(Block("sessie", sid, o.start, o.end, label, i, s.pinned, (("groepssessie", s.session_id.lower(),
                                                                            s.date.isoformat(), None),)))
    for i, c in enumerate(plan.contacts):
        key = ("contact", c.toewijzing_id.lower(), f"{c.start:%Y-%m-%d}", f"{c.start:%H:%M}")
        label = initials_product(bundle, c.toewijzing_id) + ("" if c.kind == "contact" else f" ({c.kind})")
        put(Block("contact", c.staff_id, c.start, c.end, label, i, c.pinned, (key,)))
    for i, b in enumerate(plan.oncall):
        key = ("bereikbaarheidsdienst", b.team_id.lower(), f"{b.start:%Y-%m-%d}", f"{b.start:%H:%M}")
        put(Block("bereikbaarheid", b.staff_id, b.start, b.end, b.team_id, i, b.pinned, (key,)))
    for s in plan.shifts:
        key = ("dienst", s.group_id.lower(), f"{s.start:%Y-%m-%d}", f"{s.start:%H:%M}")
        group = bundle.groups.get(s.group_id)
        put(Block("dienst", s.staff_id, s.start, s.end, f"{group.name if group else s.group_id} {s.kind}", None,
                  s.pinned, (key,)))
    return out


def attach_findings(cells: dict[str, dict[date, list[Block]]], violations: list[dict],
                    overruled: set[tuple[str, str]]) -> tuple[dict, dict]:
    """Mark the blocks each finding names (by the item labels of the checker's messages); a finding that
    names a medewerker but no block marks that person's day (a date in the message) or row.

    Returns (per (staff, day) finding indices, per staff finding indices) for the unplaced ones."""
    by_key: dict[tuple, list[Block]] = defaultdict(list)
    for per_day in cells.values():
        for blocks in per_day.values():
            for b in blocks:
                for k in b.keys:
                    by_key[k].append(b)
    day_marks: dict[tuple[str, date], list[int]] = defaultdict(list)
    row_marks: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(violations):
        staff = {e[1] for e in v.get("entities", []) if e[0] == "medewerker"}
        text = v.get("message", "").lower()
        hit: list[Block] = []
        for what, ident, day, hhmm in LABEL.findall(text):
            key = (what, ident, day, None if what == "groepssessie" else (hhmm or None))
            hit += [b for b in by_key.get(key, []) if not staff or b.staff_id in staff]
        for b in {id(b): b for b in hit}.values():
            if i not in b.findings:
                b.findings.append(i)
            if v["severity"] == "hard":
                b.severity = "hard"
                b.overruled = b.overruled or (v["rule_id"], v["message"]) in overruled
            elif not b.severity:
                b.severity = "soft"
        if hit or not staff:
            continue
        dates = [date.fromisoformat(m[0]) if m[0] else date(int(m[3]), int(m[2]), int(m[1]))
                 for m in DATES.findall(v.get("message", ""))]
        for sid in staff:
            if dates:
                for d in dict.fromkeys(dates):
                    day_marks[(sid, d)].append(i)
            else:
                row_marks[sid].append(i)
    return day_marks, row_marks


def _lanes(blocks: list[Block]) -> None:
    """Side-by-side lanes for overlapping blocks of one cell (at most 3)."""
    cluster: list[Block] = []
    cluster_end = None
    for b in sorted(blocks, key=lambda b: (b.start, b.end)):
        if cluster and b.start >= cluster_end:
            _close(cluster)
            cluster = []
        if not cluster:
            cluster_end = b.end
        used = {x.lane for x in cluster if x.end > b.start}
        b.lane = next(n for n in range(len(cluster) + 1) if n not in used)
        cluster.append(b)
        cluster_end = max(cluster_end, b.end)
    if cluster:
        _close(cluster)


def _close(cluster: list[Block]) -> None:
    n = min(3, max(b.lane for b in cluster) + 1)
    for b in cluster:
        b.lanes, b.lane = n, min(b.lane, n - 1)


def week_days(plan: Plan, week: int) -> list[date]:
    days = period_days(plan.period_start, plan.weeks)
    week = min(max(week, 0), plan.weeks - 1)
    return days[7 * week:7 * week + 7]


def window(blocks: list[Block]) -> tuple[int, int]:
    """The hours the timelines show: from the earliest start to the latest end of the work shown (on-call
    excluded: it runs all day), at least 08:00-18:00."""
    lo, hi = 8, 18
    for b in blocks:
        if b.kind == "bereikbaarheid":
            continue
        lo = min(lo, 0 if b.cut_before else b.start.hour)
        hi = max(hi, 24 if b.cut_after else b.end.hour + (1 if b.end.minute else 0))
    return lo, hi


def _place(b: Block, day: date, lo: int, hi: int) -> None:
    w0 = datetime.combine(day, time(lo)) if lo < 24 else datetime.combine(day, time()) + DAY
    w1 = datetime.combine(day, time()) + timedelta(hours=hi)
    s, e = max(b.start, w0), min(b.end, w1)
    b.cut_before = b.cut_before or b.start < w0
    b.cut_after = b.cut_after or b.end > w1
    b.top = max(0, int((s - w0).total_seconds() // 60) // UNIT)
    b.height = max(1, round((e - s).total_seconds() / 60 / UNIT))


def board(bundle: Bundle, pack: RulePack, plan: Plan, report: dict | None, *, team: str | None = None,
          week: int = 0, overruled: set[tuple[str, str]] = frozenset(), today: date | None = None,
          staff_ids: list[str] | None = None) -> dict:
    """The board of one week of ``plan``: rows, days, the time window, hours against contract and the
    report's findings that the board marks (with their index into the report)."""
    days = week_days(plan, week)
    cells = blocks_of(bundle, plan, days)
    violations = (report or {}).get("violations", [])
    day_marks, row_marks = attach_findings(cells, violations, set(overruled))
    work = worked(CheckContext(bundle, pack, plan))  # the checker's worked time: union of busy stretches
    members = sorted(bundle.staff.values(), key=lambda m: (m.name, m.id))
    if staff_ids is not None:
        members = [m for m in members if m.id in staff_ids]
    elif team:
        members = [m for m in members if team in m.teams]
    else:
        members = [m for m in members if any(cells[m.id].get(d) for d in days)]
    shown = [b for m in members for d in days for b in cells[m.id].get(d, [])]
    lo, hi = window(shown)
    rows, marked = [], set()
    for m in members:
        own = work.get(m.id)
        per_day = []
        for d in days:
            d0 = datetime.combine(d, time())
            blocks = sorted(cells[m.id].get(d, []), key=lambda b: (b.start, b.kind))
            for b in blocks:
                _place(b, d, lo, hi)
                marked.update(b.findings)
            _lanes([b for b in blocks if b.kind != "bereikbaarheid"])
            h = sum(hours(min(e, d0 + DAY) - max(s, d0)) for s, e in (own.own if own else []) if s < d0 + DAY and e > d0)
            marks = day_marks.get((m.id, d), [])
            marked.update(marks)
            per_day.append({"date": d, "blocks": blocks, "hours": h, "findings": marks,
                            "oncall": [b for b in blocks if b.kind == "bereikbaarheid"],
                            "work": [b for b in blocks if b.kind != "bereikbaarheid"]})
        week_hours = sum(c["hours"] for c in per_day)
        marked.update(row_marks.get(m.id, []))
        rows.append({"staff": m, "days": per_day, "hours": week_hours, "contract": m.contract_hours,
                     "over": week_hours > m.contract_hours + 1e-9, "findings": row_marks.get(m.id, [])})
    today = today or date.today()
    return {"days": days, "rows": rows, "lo": lo, "hi": hi, "units": (hi - lo) * 60 // UNIT,
            "hours": list(range(lo, hi)), "today": today if today in days else None,
            "week": min(max(week, 0), plan.weeks - 1), "weeks": plan.weeks,
            "findings": [(i, violations[i]) for i in sorted(marked)], "unplaced": len(violations) - len(marked),
            "violations": violations}


# --- a small cache of boards by plan version ----------------------------------
_CACHE: OrderedDict = OrderedDict()
_LOCK = threading.Lock()


def cached_board(key: tuple, build) -> dict:
    """``build()`` once per key (plan id, version, bundle, filters, day); the 32 most recent are kept."""
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    value = build()
    with _LOCK:
        _CACHE[key] = value
        while len(_CACHE) > 32:
            _CACHE.popitem(last=False)
    return value
