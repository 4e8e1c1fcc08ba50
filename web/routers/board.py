"""Het planbord: the week board per medewerker, the phone day view and the "beschikbaar en bevoegd" picker.

The board reads the checker report stored with the plan version (never runs the checker per request) and
keeps the built view model per plan version (:func:`web.board.cached_board`).
"""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy import select
from sqlalchemy.orm import defer

from planner.plan import Plan
from web.app import render
from web.board import board, cached_board
from web.db.models import PlanEditRow, PlanRow
from web.edits import item
from web.forms import parse_local_datetime
from web.picker import candidates
from web.security import DbId, can, require

router = APIRouter(prefix="/plannen")


def _row(request: Request, plan_id: int) -> PlanRow:
    """The plan's row without its (large) data and report: enough for the page head and the cache key."""
    with request.app.state.store.session() as s:
        row = s.get(PlanRow, plan_id, options=[defer(PlanRow.data), defer(PlanRow.report)])
        if row is None or row.status == "geen plan":
            raise HTTPException(404)
        s.expunge(row)
    return row


def _board(request: Request, row: PlanRow, team: str, week: int, staff_ids: tuple[str, ...] | None = None):
    bundle, pack = request.app.state.store.bundle()
    today = date.today()

    def build() -> tuple[Plan, dict]:
        with request.app.state.store.session() as s:
            data, report = s.execute(select(PlanRow.data, PlanRow.report).where(PlanRow.id == row.id)).one()
            overruled = {(v["rule_id"], v["message"])
                         for e in s.scalars(select(PlanEditRow).where(PlanEditRow.plan_id == row.id,
                                                                      PlanEditRow.override.is_(True)))
                         for v in e.violations or []}
        if not data:
            raise HTTPException(404)
        plan = Plan.from_json(data)
        return plan, board(bundle, pack, plan, report, team=team or None, week=week, overruled=overruled,
                           today=today, staff_ids=list(staff_ids) if staff_ids is not None else None)

    key = (row.id, row.version, id(bundle), team, week, today, staff_ids)
    return cached_board(key, build)


def _editable(request: Request, row: PlanRow) -> bool:
    return can(getattr(request.state, "user", None), "plan") and row.status == "concept"


@router.get("/{plan_id}/week")
def week_grid(request: Request, plan_id: DbId, team: str = "", week: int = 0, user=Depends(require("view"))):
    row = _row(request, plan_id)
    bundle, _ = request.app.state.store.bundle()
    plan, bd = _board(request, row, team, week)
    editable = _editable(request, row)

    def table() -> str:  # the table is most of the page: rendered once per plan version, filter and role
        from web.app import templates

        return templates.env.get_template("partials/bord_tabel.html").render(
            row=row, board=bd, team=team, editable=editable)

    html = cached_board((row.id, row.version, id(bundle), team, week, date.today(), editable, "html"), table)
    return render(request, "plan_week.html", {
        "row": row, "plan": plan, "tab": "week", "board": bd, "team": team, "editable": editable,
        "board_html": html, "teams": sorted(bundle.teams.values(), key=lambda t: t.id)})


@router.get("/{plan_id}/dag")
def day_view(request: Request, plan_id: DbId, medewerker: str = "", datum: str = "",
             user=Depends(require("view"))):
    """One medewerker's day, readable on a phone (390 px)."""
    row = _row(request, plan_id)
    bundle, _ = request.app.state.store.bundle()
    staff = sorted(bundle.staff.values(), key=lambda m: (m.name, m.id))
    m = bundle.staff.get(medewerker) or (staff[0] if staff else None)
    if m is None:
        raise HTTPException(404)
    try:
        day = date.fromisoformat(datum) if datum else row.period_start
    except ValueError:
        day = row.period_start
    first = row.period_start
    offset = min(max((day - first).days, 0), 7 * row.weeks - 1)
    day = date.fromordinal(first.toordinal() + offset)
    plan, bd = _board(request, row, "", offset // 7, (m.id,))
    cell = next(c for c in bd["rows"][0]["days"] if c["date"] == day)
    days = [date.fromordinal(first.toordinal() + i) for i in range(7 * row.weeks)]
    i = days.index(day)
    return render(request, "plan_dag.html", {
        "row": row, "plan": plan, "tab": "week", "board": bd, "r": bd["rows"][0], "cell": cell, "day": day,
        "staff": staff, "m": m, "prev": days[i - 1] if i else None, "next": days[i + 1] if i + 1 < len(days) else None,
        "editable": _editable(request, row)})


@router.get("/{plan_id}/kiezer")
def picker(request: Request, plan_id: DbId, user=Depends(require("view"))):
    """Who is available and qualified for one item, and why the others are not (the checker's own rules)."""
    row = _row(request, plan_id)
    with request.app.state.store.session() as s:
        data = s.scalar(select(PlanRow.data).where(PlanRow.id == plan_id))
    plan = Plan.from_json(data)
    q = request.query_params
    kind = q.get("soort", "")
    index = int(q["index"]) if (q.get("index") or "").isdigit() else -1
    current = item(plan, kind, index)
    if current is None:
        raise HTTPException(404)
    ctx = picker_context(request, plan, kind, index, q.get("begin"), q.get("vervang"))
    editable = _editable(request, row)
    choose = q.get("kies") if editable and q.get("kies") in ("medewerker", "door") else ""
    ctx.update({"row": row, "plan": plan, "tab": "week", "editable": editable, "choose": choose})
    block = "kiezer" if request.headers.get("HX-Request") else None
    return render(request, "plan_kiezer.html", ctx, block=block)


def picker_context(request: Request, plan: Plan, kind: str, index: int, begin: str | None,
                   vervang: str | None) -> dict:
    """The picker's candidates for ``item(plan, kind, index)`` moved to ``begin`` (contact, on-call block)."""
    bundle, pack = request.app.state.store.bundle()
    current = item(plan, kind, index)
    start = parse_local_datetime(begin) if begin else None
    if start is not None and kind == "sessie":
        start = None
    out = vervang if kind == "sessie" and vervang in getattr(current, "staff_ids", ()) else None
    when: datetime | date = start or (current.date if kind == "sessie" else current.start)
    return {"kind": kind, "index": index, "item": current, "when": when, "vervang": out,
            "candidates": candidates(bundle, pack, plan, kind, index, start, out)}
