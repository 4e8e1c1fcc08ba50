"""A plan as flat assignment rows (for CSV and the XLSX data sheet) and back again.

Every decision of a :class:`planner.plan.Plan` becomes one or more rows of
:data:`COLUMNS`; :func:`plan_from_rows` rebuilds the same plan from them, which is what the
round-trip tests check. Clients appear by pseudonymous id and initials only.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from planner.domain import Bundle
from planner.plan import CaseAssignment, Casusregie, Contact, OnCallBlock, Plan, SessionStaffing, Shift, Unserved

COLUMNS = ["soort", "medewerker_id", "medewerker", "datum", "van", "tot", "toewijzing_id", "jeugdige", "gezin_id",
           "groep_id", "sessie_id", "team_id", "rol", "volgorde", "een_op_een", "afgelast", "vast", "toelichting"]
Row = dict[str, str]


# A cell starting with one of these is run as a formula (or DDE) by Excel, LibreOffice or Sheets:
# '=', '+', '-', '@', and tab or carriage return before one of them (OWASP CSV injection).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV/formula injection): '=x' is written as "'=x"."""
    return "'" + text if isinstance(text, str) and text.startswith(_FORMULA) else text


def unsafe_cell(text: str) -> str:
    """The inverse of :func:`safe_cell`, for reading an export back."""
    return text[1:] if text.startswith("'") and text[1:2] in _FORMULA and text[1:2] else text


def ts(value: datetime) -> str:
    """ISO date-time to the minute (seconds only when there are any)."""
    return value.isoformat(timespec="minutes" if not value.second and not value.microsecond else "auto")


def yn(flag: bool) -> str:
    return "ja" if flag else "nee"


def _row(b: Bundle | None, kind: str, staff_id: str = "", **kw: Any) -> Row:
    row = dict.fromkeys(COLUMNS, "")
    row.update(soort=kind, medewerker_id=staff_id, een_op_een="nee", afgelast="nee", vast="nee")
    if b is not None and staff_id in b.staff:
        row["medewerker"] = b.staff[staff_id].name
    tid = kw.get("toewijzing_id")
    if b is not None and tid in b.toewijzingen:
        j = b.jeugdigen.get(b.toewijzingen[tid].jeugdige_id)
        if j is not None:
            row["jeugdige"], row["gezin_id"] = f"{j.id} ({j.initials})", j.gezin_id
    row.update({k: str(v) for k, v in kw.items() if v is not None})
    return row


def _caseload(b: Bundle | None, c: CaseAssignment) -> list[Row]:
    rows = [_row(b, "caseload", s, toewijzing_id=c.toewijzing_id, rol="uitvoerder", volgorde=i, vast=yn(c.pinned))
            for i, s in enumerate(c.executor_ids, start=1)]
    if c.responsible_id:
        rows.append(_row(b, "caseload", c.responsible_id, toewijzing_id=c.toewijzing_id, rol="verantwoordelijke",
                         vast=yn(c.pinned)))
    return rows or [_row(b, "caseload", toewijzing_id=c.toewijzing_id, vast=yn(c.pinned))]


def _session(b: Bundle | None, s: SessionStaffing) -> list[Row]:
    sess = b.sessions.get(s.session_id) if b is not None else None
    extra: dict[str, Any] = {"datum": s.date.isoformat(), "sessie_id": s.session_id, "afgelast": yn(s.cancelled),
                             "vast": yn(s.pinned)}
    if sess is not None:
        extra.update(groep_id=sess.group_id, van=ts(datetime.combine(s.date, sess.start)),
                     tot=ts(datetime.combine(s.date, sess.end)), toelichting=sess.location)
    rows = [_row(b, "sessie", sid, rol="begeleider", volgorde=i, **extra)
            for i, sid in enumerate(s.staff_ids, start=1)]
    return rows or [_row(b, "sessie", **extra)]


def _timed(b: Bundle | None, kind: str, x: OnCallBlock | Shift | Contact) -> Row:
    kw: dict[str, Any] = {"datum": x.start.date().isoformat(), "van": ts(x.start), "tot": ts(x.end),
                          "vast": yn(x.pinned)}
    if isinstance(x, OnCallBlock):
        kw["team_id"] = x.team_id
    elif isinstance(x, Shift):
        kw.update(groep_id=x.group_id, rol=x.kind)
    else:
        kw.update(toewijzing_id=x.toewijzing_id, rol=x.kind, een_op_een=yn(x.one_on_one))
    return _row(b, kind, x.staff_id, **kw)


def plan_rows(plan: Plan, b: Bundle | None = None, staff_id: str | None = None) -> list[Row]:
    """All assignments of ``plan`` as rows (only those of ``staff_id`` when given)."""
    rows: list[Row] = []
    for c in plan.caseload:
        rows += _caseload(b, c)
    rows += [_row(b, "niet_bemenst", toewijzing_id=u.toewijzing_id, toelichting=u.reason) for u in plan.unserved]
    rows += [_row(b, "casusregie", c.staff_id, gezin_id=c.gezin_id, rol="casusregisseur") for c in plan.casusregie]
    for s in plan.sessions:
        rows += _session(b, s)
    rows += [_timed(b, "bereikbaarheid", x) for x in plan.oncall]
    rows += [_timed(b, "contact", x) for x in plan.contacts]
    rows += [_timed(b, "dienst", x) for x in plan.shifts]
    rows += [_timed(b, "bereikbaarheid_historie", x) for x in plan.history_oncall]
    rows += [_timed(b, "dienst_historie", x) for x in plan.history_shifts]
    if staff_id is not None:
        rows = [r for r in rows if r["medewerker_id"] == staff_id]
    return rows


# --- reading back -------------------------------------------------------------------------
def _flag(row: Row, name: str) -> bool:
    return row.get(name, "").strip().lower() in ("ja", "true", "1", "yes")


def _dt(row: Row, name: str) -> datetime:
    return datetime.fromisoformat(row[name].strip().replace(" ", "T", 1))


def _grouped(rows: list[Row], kind: str, *keys: str) -> dict[tuple[str, ...], list[Row]]:
    out: dict[tuple[str, ...], list[Row]] = defaultdict(list)
    for r in rows:
        if r.get("soort") == kind:
            out[tuple(r.get(k, "") for k in keys)].append(r)
    return out


def _staff_in_order(rows: list[Row], role: str) -> tuple[str, ...]:
    picked = [r for r in rows if r.get("rol") == role and r.get("medewerker_id")]
    return tuple(r["medewerker_id"] for r in sorted(picked, key=lambda r: int(r.get("volgorde") or 0)))


def _timed_back(rows: list[Row], kind: str, typ: type) -> list[Any]:
    out = []
    for r in rows:
        if r.get("soort") != kind:
            continue
        start, end, pinned = _dt(r, "van"), _dt(r, "tot"), _flag(r, "vast")
        if typ is OnCallBlock:
            out.append(OnCallBlock(r["team_id"], r["medewerker_id"], start, end, pinned))
        elif typ is Shift:
            out.append(Shift(r["groep_id"], r["medewerker_id"], start, end, r["rol"], pinned))
        else:
            out.append(Contact(r["toewijzing_id"], r["medewerker_id"], start, end, r["rol"], _flag(r, "een_op_een"),
                               pinned))
    return out


def plan_from_rows(rows: list[Row], period_start: date, weeks: int) -> Plan:
    """The plan the rows of :func:`plan_rows` describe (order of first appearance is kept)."""
    plan = Plan(period_start, weeks)
    for (tid,), group in _grouped(rows, "caseload", "toewijzing_id").items():
        resp = _staff_in_order(group, "verantwoordelijke")
        plan.caseload.append(CaseAssignment(tid, _staff_in_order(group, "uitvoerder"), resp[0] if resp else None,
                                            _flag(group[0], "vast")))
    plan.unserved = [Unserved(r["toewijzing_id"], r.get("toelichting", "")) for r in rows
                     if r.get("soort") == "niet_bemenst"]
    plan.casusregie = [Casusregie(r["gezin_id"], r["medewerker_id"]) for r in rows if r.get("soort") == "casusregie"]
    for (sid, day), group in _grouped(rows, "sessie", "sessie_id", "datum").items():
        plan.sessions.append(SessionStaffing(sid, date.fromisoformat(day), _staff_in_order(group, "begeleider"),
                                             _flag(group[0], "vast"), _flag(group[0], "afgelast")))
    plan.oncall = _timed_back(rows, "bereikbaarheid", OnCallBlock)
    plan.contacts = _timed_back(rows, "contact", Contact)
    plan.shifts = _timed_back(rows, "dienst", Shift)
    plan.history_oncall = _timed_back(rows, "bereikbaarheid_historie", OnCallBlock)
    plan.history_shifts = _timed_back(rows, "dienst_historie", Shift)
    return plan


def override_rows(plan: Plan) -> list[Row]:
    """One ``overrule`` row per overruled finding (``plan.meta["overrides"]``, written by the web app when a
    hard rule is overruled or a plan is published with open items): rule, finding, reason, who, when.
    :func:`plan_from_rows` skips them (they are no decisions of the plan)."""
    out = []
    for o in plan.meta.get("overrides") or []:
        row = dict.fromkeys(COLUMNS, "")
        row.update(soort="overrule", medewerker_id=str(o.get("door", "")), datum=str(o.get("wanneer", ""))[:10],
                   een_op_een="nee", afgelast="nee", vast="nee",
                   toelichting=f"{o.get('regel', '')}: {o.get('melding', '')} | reden: {o.get('reden', '')}")
        out.append(row)
    return out

