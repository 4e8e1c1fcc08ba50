"""Importeren: upload CSV/XLSX/JW301 -> preview (created/updated/rejected with row, field, reason) -> commit.

Teamleider and planner only. Nothing is written before "Doorvoeren"; the commit is one database
transaction (see :mod:`web.importer`). No file contents or client data go to the log. The routes are
plain ``def``: FastAPI runs them in its thread pool, so a long import never blocks other requests.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.datastructures import UploadFile

from planner.importing import ImportRefused
from web.app import render
from web.importer import (
    MAX_UPLOAD,
    PendingUpload,
    commit_upload,
    pending_uploads,
    preview_upload,
    upload_problem,
)
from web.security import form_data, require

router = APIRouter(prefix="/importeren")
log = logging.getLogger("jeugdhulp.web.import")


@router.get("")
def import_page(request: Request, user=Depends(require("edit"))):
    return render(request, "importeren.html", {"error": None, "preview": None})


@router.post("/voorvertoning")
def preview(request: Request, user=Depends(require("edit")), form=Depends(form_data)):
    upload = form.get("bestand")
    if not isinstance(upload, UploadFile):
        return render(request, "importeren.html", {"error": "Kies een bestand om in te lezen.", "preview": None},
                      status_code=422)
    upload.file.seek(0)
    data, filename = upload.file.read(MAX_UPLOAD + 1), upload.filename or ""  # the body is capped already
    problem = upload_problem(data, filename)
    if problem:
        return render(request, "importeren.html", {"error": problem, "preview": None}, status_code=422)
    store = request.app.state.store
    store.bundle()  # no data yet: the app's Dutch LookupError page
    result, revision = preview_upload(store, data, filename)
    token = pending_uploads(request.app).put(PendingUpload(user.id, data, filename, revision)) if result["ok"] else ""
    return render(request, "importeren.html", {"error": None, "preview": result, "token": token,
                                               "groups": _grouped(result)})


def _grouped(result: dict) -> dict[str, list[dict]]:
    """Changes per action label, in the order the page shows them."""
    out: dict[str, list[dict]] = {"afgewezen": [], "nieuw": [], "gewijzigd": [], "ongewijzigd": []}
    for c in result["changes"]:
        out.setdefault(c["label"], []).append(c)
    return out


@router.post("/doorvoeren")
def commit(request: Request, user=Depends(require("edit")), form=Depends(form_data)):
    upload = pending_uploads(request.app).take(str(form.get("token") or ""), user.id)
    if upload is None:
        raise HTTPException(409, "Deze voorvertoning is verlopen of al doorgevoerd; lees het bestand opnieuw in.")
    try:
        outcome = commit_upload(request.app.state.store, upload, user)
    except ImportRefused as e:
        return render(request, "importeren.html", {"error": str(e), "preview": None}, status_code=409)
    log.info("import door %s: %s", user.username, outcome.changed)  # table counts only
    return render(request, "importeren.html", {"error": None, "preview": None, "done": outcome})
