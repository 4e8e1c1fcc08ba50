"""Dienstroosters of residential groups (verblijf) per plan: grid, coverage, violations, XLSX and PDF."""

from __future__ import annotations

from typing import Any, NamedTuple

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.responses import Response

from web.app import render
from web.exports import download
from web.residential import (CODE_LABELS, fairness, residential_groups, roster, roster_pdf, roster_violations,
                             roster_xlsx)
from web.routers.plannen import _with_plan
from web.security import EXPORT_ACTION, DbId, log_access, require

router = APIRouter(prefix="/plannen")


@router.get("/{plan_id}/diensten")
def groups(request: Request, plan_id: DbId, user=Depends(require("view"))):
    row, plan = _with_plan(request, plan_id)
    bundle, pack = request.app.state.store.bundle()
    groups = residential_groups(bundle, pack)
    return render(request, "plan_diensten.html", {"row": row, "plan": plan, "tab": "diensten", "groups": groups,
                                                  "group": None})


class _GroupRoster(NamedTuple):
    """What the roster page and its exports need; the bundle and rule pack are fetched once."""
    row: Any
    plan: Any
    bundle: Any
    pack: Any
    groups: list
    group: Any
    grid: dict
    violations: list


def _group_roster(request: Request, plan_id: int, group_id: str) -> _GroupRoster:
    row, plan = _with_plan(request, plan_id)
    bundle, pack = request.app.state.store.bundle()
    all_groups = residential_groups(bundle, pack)
    group = next((g for g in all_groups if g.id == group_id), None)
    if group is None:
        raise HTTPException(404)
    grid = roster(bundle, plan, group.id)
    violations = roster_violations(row.report, group.id, {r["staff_id"] for r in grid["rows"]})
    return _GroupRoster(row, plan, bundle, pack, all_groups, group, grid, violations)


@router.get("/{plan_id}/diensten/{group_id}")
def group_roster(request: Request, plan_id: DbId, group_id: str, user=Depends(require("view"))):
    g = _group_roster(request, plan_id, group_id)
    return render(request, "plan_diensten.html", {
        "row": g.row, "plan": g.plan, "tab": "diensten", "group": g.group, "grid": g.grid, "violations": g.violations,
        "labels": CODE_LABELS, "groups": g.groups, "fair": fairness(g.grid, g.group, g.bundle, g.pack)})


@router.get("/{plan_id}/diensten/{group_id}/xlsx")
def group_roster_xlsx(request: Request, plan_id: DbId, group_id: str, user=Depends(require("view"))) -> Response:
    g = _group_roster(request, plan_id, group_id)
    with request.app.state.store.session() as s:
        log_access(s, user, EXPORT_ACTION, "dienstrooster", f"{g.row.id} {g.group.id} xlsx")
    return download(roster_xlsx(g.bundle, g.plan, g.group, g.grid, g.violations), "xlsx",
                    f"dienstrooster-{g.row.id}-{g.group.id}")


@router.get("/{plan_id}/diensten/{group_id}/pdf")
def group_roster_pdf(request: Request, plan_id: DbId, group_id: str, user=Depends(require("view"))) -> Response:
    g = _group_roster(request, plan_id, group_id)
    with request.app.state.store.session() as s:
        log_access(s, user, EXPORT_ACTION, "dienstrooster", f"{g.row.id} {g.group.id} pdf")
    return download(roster_pdf(g.bundle, g.plan, g.group, g.grid, g.violations), "pdf",
                    f"dienstrooster-{g.row.id}-{g.group.id}")
