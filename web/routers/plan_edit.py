"""Manual edits with a live check: violations inline with citations; a new hard violation needs an override.

``POST .../bewerken/controleer`` checks without saving (htmx, on every change);
``POST .../bewerken`` saves when the plan version is still the one loaded.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.responses import RedirectResponse

from planner.checker import check_plan
from web.app import render
from web.edits import apply_edit, item
from web.plans import STALE_MESSAGE, StaleEdit, new_hard, save_edit
from web.routers.plannen import plan_row
from web.security import DbId, can, require, form_data

router = APIRouter(prefix="/plannen")


def _selection(request: Request) -> tuple[str, int] | None:
    for kind in ("contact", "sessie", "dienst"):
        raw = request.query_params.get(kind)
        if raw is not None and raw.isdigit():
            return kind, int(raw)
    return None


def _back(source) -> dict:
    """Where a save returns to: the board (``terug=bord``, with its team and week) or this edit page."""
    if (source.get("terug") or "") != "bord":
        return {}
    week = source.get("week") or "0"
    return {"terug": "bord", "team": (source.get("team") or "")[:40], "week": week if week.isdigit() else "0"}


def _ctx(request: Request, row, plan, kind: str | None, index: int | None, **extra) -> dict:
    bundle, _ = request.app.state.store.bundle()
    editable = can(getattr(request.state, "user", None), "plan") and row.status != "gepubliceerd"
    return {"row": row, "plan": plan, "tab": "bewerken", "kind": kind, "index": index,
            "item": item(plan, kind, index) if kind else None,
            "staff": sorted(bundle.staff.values(), key=lambda m: (m.name, m.id)), "names": {
                m.id: m.name for m in bundle.staff.values()}, "editable": editable,
            "version": row.version, "errors": {}, "values": {}, "violations": None, "introduced": [], "added": [],
            "resolved": [], "back": {}, **extra}


def _diff(before: dict | None, report) -> tuple[list, list]:
    """Findings (hard and soft) the edit adds, and stored findings it resolves."""
    old = {(v["rule_id"], v["message"]): v for v in (before or {}).get("violations", [])}
    new = {(v.rule_id, v.message) for v in report.violations}
    added = sorted((v for v in report.violations if (v.rule_id, v.message) not in old),
                   key=lambda v: (v.severity != "hard", v.rule_id))
    return added, [v for k, v in old.items() if k not in new]


@router.get("/{plan_id}/bewerken")
def edit_page(request: Request, plan_id: DbId, user=Depends(require("view"))):
    row, plan = plan_row(request, plan_id)
    if plan is None:
        raise HTTPException(404)
    kind, index = _selection(request) or (None, None)
    if kind and item(plan, kind, index) is None:
        raise HTTPException(404)
    extra = {}
    if kind:
        from web.routers.board import picker_context

        extra["picker"] = picker_context(request, plan, kind, index, None, None)
    return render(request, "plan_edit.html", _ctx(request, row, plan, kind, index, back=_back(request.query_params),
                                                  **extra))


def _evaluate(request: Request, plan_id: int, form):
    """Load, apply the edit, check: (form, row, plan, edited plan, description, errors, report, new hard)."""
    row, plan = plan_row(request, plan_id)
    if plan is None:
        raise HTTPException(404)
    bundle, pack = request.app.state.store.bundle()
    edited, what, errors = apply_edit(bundle, plan, form)
    report = check_plan(bundle, pack, edited) if edited is not None else None
    introduced = new_hard(row.report, report) if report is not None else []
    return form, row, plan, edited, what, errors, report, introduced


def _kind_index(form) -> tuple[str, int | None]:
    raw = form.get("index") or ""
    return form.get("soort") or "", int(raw) if raw.isdigit() else None


@router.post("/{plan_id}/bewerken/controleer")
def live_check(request: Request, plan_id: DbId, user=Depends(require("plan")), form=Depends(form_data)):
    form, row, plan, edited, _what, errors, report, introduced = _evaluate(request, plan_id, form)
    kind, index = _kind_index(form)
    added, resolved = _diff(row.report, report) if report is not None else ([], [])
    ctx = _ctx(request, row, plan, kind, index, errors=errors, values=dict(form),
               violations=report.violations if report else None, introduced=introduced, checked=True,
               added=added, resolved=resolved)
    return render(request, "plan_edit.html", ctx, block="uitkomst")


@router.post("/{plan_id}/bewerken")
def save(request: Request, plan_id: DbId, user=Depends(require("plan")), form=Depends(form_data)):
    form, row, plan, edited, what, errors, report, introduced = _evaluate(request, plan_id, form)
    kind, index = _kind_index(form)
    version = int(form.get("version")) if (form.get("version") or "").isdigit() else -1
    reason = (form.get("reden") or "").strip()
    if not errors and version != row.version:
        errors["algemeen"] = STALE_MESSAGE
    if not errors and introduced and not (form.get("overrule") == "ja" and reason):
        errors["reden"] = ("Deze wijziging schendt een harde regel. Vink 'overrulen' aan en geef een reden, "
                           "of kies een andere wijziging.")
    if errors:
        status = 409 if errors.get("algemeen") == STALE_MESSAGE else 422
        added, resolved = _diff(row.report, report) if report is not None else ([], [])
        ctx = _ctx(request, row, plan, kind, index, errors=errors, values=dict(form),
                   violations=report.violations if report else None, introduced=introduced, checked=True,
                   added=added, resolved=resolved, back=_back(form))
        return render(request, "plan_edit.html", ctx, status_code=status)
    try:
        save_edit(request.app.state.store, plan_id, version, edited, report, user.username, what, reason,
                  override=introduced or None)
    except StaleEdit as e:
        ctx = _ctx(request, row, plan, kind, index, errors={"algemeen": str(e)}, values=dict(form))
        return render(request, "plan_edit.html", ctx, status_code=409)
    param = {"contact": "contact", "sessie": "sessie", "dienst": "dienst"}[kind]
    back = _back(form)
    if back:
        query = urlencode({"team": back["team"], "week": back["week"], "opgeslagen": "1"})
        return RedirectResponse(f"/plannen/{plan_id}/week?{query}", status_code=303)
    return RedirectResponse(f"/plannen/{plan_id}/bewerken?{param}={index}&opgeslagen=1", status_code=303)


@router.post("/{plan_id}/vastzetten")
def pin_caseload(request: Request, plan_id: DbId, user=Depends(require("plan")), form=Depends(form_data)):
    """Pin or unpin who executes a toewijzing; a re-plan keeps pinned caseload assignments."""
    from dataclasses import replace

    row, plan = plan_row(request, plan_id)
    if plan is None:
        raise HTTPException(404)
    tid, pinned = form.get("toewijzing") or "", form.get("vast") == "ja"
    index = next((i for i, a in enumerate(plan.caseload) if a.toewijzing_id == tid), None)
    if index is None:
        raise HTTPException(404)
    plan.caseload[index] = replace(plan.caseload[index], pinned=pinned)
    bundle, pack = request.app.state.store.bundle()
    version = int(form.get("version")) if (form.get("version") or "").isdigit() else -1
    try:
        save_edit(request.app.state.store, plan_id, version, plan, check_plan(bundle, pack, plan), user.username,
                  f"toewijzing {tid} {'vastgezet' if pinned else 'losgemaakt'}")
    except StaleEdit as e:
        raise HTTPException(409, str(e)) from None
    return RedirectResponse(f"/plannen/{plan_id}/caseload?opgeslagen=1", status_code=303)
