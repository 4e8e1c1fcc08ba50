"""Dienstroosters of residential groups (verblijf) per plan: grid, coverage, violations, XLSX and PDF."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.responses import Response

from web.app import render
from web.exports import download
from web.residential import (CODE_LABELS, fairness, residential_groups, roster, roster_pdf, roster_violations,
                             roster_xlsx)
from web.routers.plannen import _with_plan
from web.security import require

router = APIRouter(prefix="/plannen")


@router.get("/{plan_id}/diensten")
def groups(request: Request, plan_id: int, user=Depends(require("view"))):
    row, plan = _with_plan(request, plan_id)
    bundle, pack = request.app.state.store.bundle()
    groups = residential_groups(bundle, pack)
    return render(request, "plan_diensten.html", {"row": row, "plan": plan, "tab": "diensten", "groups": groups,
                                                  "group": None})


def _group_roster(request: Request, plan_id: int, group_id: str):
    row, plan = _with_plan(request, plan_id)
    bundle, pack = request.app.state.store.bundle()
    group = next((g for g in residential_groups(bundle, pack) if g.id == group_id), None)
    if group is None:
        raise HTTPException(404)
    grid = roster(bundle, plan, group.id)
    violations = roster_violations(row.report, group.id, {r["staff_id"] for r in grid["rows"]})
    return row, plan, bundle, group, grid, violations


@router.get("/{plan_id}/diensten/{group_id}")
def group_roster(request: Request, plan_id: int, group_id: str, user=Depends(require("view"))):
    row, plan, bundle, group, grid, violations = _group_roster(request, plan_id, group_id)
    pack = request.app.state.store.bundle()[1]
    return render(request, "plan_diensten.html", {
        "row": row, "plan": plan, "tab": "diensten", "group": group, "grid": grid, "violations": violations,
        "labels": CODE_LABELS, "groups": residential_groups(bundle, pack), "fair": fairness(grid, group, bundle, pack)})


@router.get("/{plan_id}/diensten/{group_id}/xlsx")
def group_roster_xlsx(request: Request, plan_id: int, group_id: str, user=Depends(require("view"))) -> Response:
    row, plan, bundle, group, grid, violations = _group_roster(request, plan_id, group_id)
    return download(roster_xlsx(bundle, plan, group, grid, violations), "xlsx", f"dienstrooster-{row.id}-{group.id}")


@router.get("/{plan_id}/diensten/{group_id}/pdf")
def group_roster_pdf(request: Request, plan_id: int, group_id: str, user=Depends(require("view"))) -> Response:
    row, plan, bundle, group, grid, violations = _group_roster(request, plan_id, group_id)
    return download(roster_pdf(bundle, plan, group, grid, violations), "pdf", f"dienstrooster-{row.id}-{group.id}")
