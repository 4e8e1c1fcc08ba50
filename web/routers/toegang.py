"""The access log (who viewed or changed which client record) and plan override log, for the teamleider."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select

from web.app import render
from web.db.models import AccessLogRow, PlanEditRow
from web.security import require

router = APIRouter()


@router.get("/toegangslog")
def toegangslog(request: Request, gebruiker: str = "", record: str = "", user=Depends(require("admin"))):
    q = select(AccessLogRow).order_by(AccessLogRow.id.desc()).limit(500)
    if gebruiker:
        q = q.where(AccessLogRow.username == gebruiker)
    if record:
        q = q.where(AccessLogRow.record_id == record)
    with request.app.state.store.session() as s:
        rows = s.scalars(q).all()
        edits = s.scalars(select(PlanEditRow).order_by(PlanEditRow.id.desc()).limit(200)).all()
    return render(request, "toegangslog.html", {"rows": rows, "edits": edits, "gebruiker": gebruiker,
                                                "record": record})
