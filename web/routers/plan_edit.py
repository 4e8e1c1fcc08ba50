"""Manual edits with a live check: violations inline with citations; a new hard violation needs an override.

``POST .../bewerken/controleer`` checks without saving (htmx, on every change);
``POST .../bewerken`` saves when the plan version is still the one loaded.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.responses import RedirectResponse

from planner.checker import check_plan
from web.app import render
from web.edits import apply_edit, item
from web.plans import STALE_MESSAGE, StaleEdit, new_hard, save_edit
from web.routers.plannen import plan_row
from web.security import DbId, require, form_data

router = APIRouter(prefix="/plannen")


def _selection(request: Request) -> tuple[str, int] | None:
    for kind in ("contact", "sessie", "dienst"):
        raw = request.query_params.get(kind)
        if raw is not None and raw.isdigit():
            return kind, int(raw)
    return None


def _ctx(request: Request, row, plan, kind: str | None, index: int | None, **extra) -> dict:
    bundle, _ = request.app.state.store.bundle()
    return {"row": row, "plan": plan, "tab": "bewerken", "kind": kind, "index": index,
            "item": item(plan, kind, index) if kind else None, "staff": sorted(bundle.staff.values(), key=lambda m: m.id),
            "version": row.version, "errors": {}, "values": {}, "violations": None, "introduced": [], **extra}


@router.get("/{plan_id}/bewerken")
def edit_page(request: Request, plan_id: DbId, user=Depends(require("view"))):
    row, plan = plan_row(request, plan_id)
    if plan is None:
        raise HTTPException(404)
    kind, index = _selection(request) or (None, None)
    if kind and item(plan, kind, index) is None:
        raise HTTPException(404)
    return render(request, "plan_edit.html", _ctx(request, row, plan, kind, index))


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
    ctx = _ctx(request, row, plan, kind, index, errors=errors, values=dict(form),
               violations=report.violations if report else None, introduced=introduced, checked=True)
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
        ctx = _ctx(request, row, plan, kind, index, errors=errors, values=dict(form),
                   violations=report.violations if report else None, introduced=introduced, checked=True)
        return render(request, "plan_edit.html", ctx, status_code=status)
    try:
        save_edit(request.app.state.store, plan_id, version, edited, report, user.username, what, reason,
                  override=introduced or None)
    except StaleEdit as e:
        ctx = _ctx(request, row, plan, kind, index, errors={"algemeen": str(e)}, values=dict(form))
        return render(request, "plan_edit.html", ctx, status_code=409)
    param = {"contact": "contact", "sessie": "sessie", "dienst": "dienst"}[kind]
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
