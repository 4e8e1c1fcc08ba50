"""Plan exports for the browser: file responses around :mod:`planner.export` (XLSX, CSV, iCal, PDF, JSON).

File names hold the plan number and at most a medewerker id or group id: never client data.
"""

from __future__ import annotations

import json

from starlette.responses import Response

from planner.domain import Bundle
from planner.plan import Plan

MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "csv": "text/csv; charset=utf-8", "ics": "text/calendar; charset=utf-8", "pdf": "application/pdf",
         "json": "application/json"}
PER_PERSON = {"ics", "pdf-persoon", "xlsx-persoon"}
FORMATS = {"xlsx", "csv", "pdf", "json", *PER_PERSON}


def download(data: bytes | str, ext: str, stem: str, inline: bool = False) -> Response:
    """A file response; ``stem`` must hold ids only (it becomes the file name)."""
    body = data.encode("utf-8") if isinstance(data, str) else data
    disposition = "inline" if inline else "attachment"
    return Response(body, media_type=MEDIA[ext], headers={
        "Content-Disposition": f'{disposition}; filename="{stem}.{ext}"', "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff"})


def export_file(bundle: Bundle, plan: Plan, plan_id: int, fmt: str, staff_id: str | None = None) -> Response:
    """One export of a plan; ``staff_id`` is required for the per-person formats (checked by the caller)."""
    stem = f"plan-{plan_id}" + (f"-{staff_id}" if staff_id else "")
    if fmt == "xlsx" or fmt == "xlsx-persoon":
        from planner.export.xlsx import xlsx_bytes

        return download(xlsx_bytes(bundle, plan, staff_id if fmt == "xlsx-persoon" else None), "xlsx", stem)
    if fmt == "csv":
        from planner.export.csv_export import assignments_csv

        # with BOM and ';' so Dutch Excel opens it directly (as planner export --format csv)
        return download("\ufeff" + assignments_csv(plan, bundle, staff_id), "csv", stem)
    if fmt == "pdf":
        from planner.export.pdf import roster_pdf

        return download(roster_pdf(bundle, plan), "pdf", stem)
    if fmt == "pdf-persoon":
        from planner.export.pdf import person_pdf

        return download(person_pdf(bundle, plan, staff_id), "pdf", stem)
    if fmt == "ics":
        from planner.export.ical import ics_bytes

        return download(ics_bytes(bundle, plan, staff_id), "ics", stem)
    return download(json.dumps(plan.to_json(), ensure_ascii=False, indent=1), "json", stem)
