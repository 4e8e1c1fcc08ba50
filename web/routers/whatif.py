"""Wat als: build named scenarios from forms, run one to four in the background, compare and export.

Planner and teamleider build and run scenarios; everyone may look at the comparisons. The forms are
Pydantic models (:mod:`web.whatif_forms`); the comparison is ``planner.capacity_report`` (tables, XLSX
and PDF) with Vega-Lite charts (``planner.capacity_charts``). Hiring advice and the waiting list per
client live in :mod:`web.routers.whatif_results` (included below).
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from starlette.responses import RedirectResponse

from planner.scenario import ScenarioError, apply_scenario
from planner.scenario import money_nl
from web.app import render, templates
from web.exports import download
from web.routers import whatif_results
from web.featuretables import ScenarioRow, ScenarioRunRow
from web.whatif import (MAX_SAMPLES, MAX_SCENARIOS, run_label, check_hiring, hiring_advice, load_scenario_row, parse_yaml,
                        result_from_json, scenario_yaml, split_samples, whatif_jobs, with_inflow)
from web.whatif_forms import FORMS, change_from, choices, form_dict
from web.whatif_hiring_form import candidate_rows
from web.plans import STALE_MESSAGE
from web.security import EXPORT_ACTION, DbId, form_data, log_access, require

router = APIRouter(prefix="/wat-als")
router.include_router(whatif_results.router)  # first: /vergelijking/{id}/wachtenden before /vergelijking/{id}/{fmt}
templates.env.filters.setdefault("euro", money_nl)  # € 72.000 on the what-if pages
templates.env.filters.setdefault("runlabel", run_label)  # a run's label without its inflow samples


def _overview(request: Request, errors: dict | None = None, status_code: int = 200):
    with request.app.state.store.session() as s:
        scenarios = s.scalars(select(ScenarioRow).order_by(ScenarioRow.id)).all()
        runs = s.scalars(select(ScenarioRunRow).order_by(ScenarioRunRow.id.desc()).limit(30)).all()
    names = {x.id: x.name for x in scenarios}
    return render(request, "whatif.html", {"scenarios": scenarios, "runs": runs, "names": names,
                                           "errors": errors or {}, "max": MAX_SCENARIOS}, status_code=status_code)


@router.get("")
def overview(request: Request, user=Depends(require("view"))):
    return _overview(request)


def _check(request: Request, s, scenario_id: int) -> list[str]:
    """Dutch problems of a stored scenario applied to the current data (empty when it is usable)."""
    bundle, pack = request.app.state.store.bundle()
    try:
        scenario = load_scenario_row(s, scenario_id)
        apply_scenario(bundle, pack, scenario)
    except ScenarioError as e:
        return e.problems
    return check_hiring(scenario, bundle.manifest.period_start)


@router.post("/scenarios")
def create(request: Request, user=Depends(require("plan")), form=Depends(form_data)):
    name = str(form.get("naam") or "").strip()[:200]
    if not name:
        return _overview(request, {"naam": "Geef het scenario een naam."}, 422)
    base = str(form.get("basis") or "")
    with request.app.state.store.session() as s:
        base_id = int(base) if base.isdigit() and s.get(ScenarioRow, int(base)) else None
        row = ScenarioRow(name=name, base_id=base_id, created_by=user.username, created_at=datetime.now(),
                          yaml_text=scenario_yaml({"naam": name, "omschrijving": str(form.get("omschrijving") or "")
                                                   .strip(), "wijzigingen": []}))
        s.add(row)
        s.flush()
        new_id = row.id
    return RedirectResponse(f"/wat-als/scenarios/{new_id}", status_code=303)


def _scenario_page(request: Request, scenario_id: int, errors: dict | None = None, problems=None,
                   yaml_text: str | None = None, status_code: int = 200, stale: str = "", values=None):
    from planner.scenario import describe_change, describe_hiring

    bundle, pack = request.app.state.store.bundle()
    keuzes = choices(bundle, pack)
    with request.app.state.store.session() as s:
        row = s.get(ScenarioRow, scenario_id)
        if row is None:
            raise HTTPException(404)
        base = s.get(ScenarioRow, row.base_id) if row.base_id else None
        try:
            raw = parse_yaml(row.yaml_text)
        except ScenarioError:
            raw = {}
        try:
            inherited = load_scenario_row(s, row.base_id).all_changes() if row.base_id else []
        except ScenarioError:
            inherited = []
    changes = raw.get("wijzigingen") or []
    return render(request, "whatif_scenario.html", {
        "row": row, "base": base, "changes": [describe_change(c, keuzes.staff_names) for c in changes],
        "inherited": [describe_change(c, keuzes.staff_names) for c in inherited],
        "hiring": describe_hiring(raw.get("werving")), "werving": raw.get("werving") or {},
        "candidates": candidate_rows(raw.get("werving"), keuzes), "forms": FORMS, "keuzes": keuzes,
        "errors": errors or {}, "values": values or {}, "problems": problems or [],
        "yaml_text": row.yaml_text if yaml_text is None else yaml_text, "stale": stale}, status_code=status_code)


@router.get("/scenarios/{scenario_id}")
def scenario(request: Request, scenario_id: DbId, user=Depends(require("view"))):
    return _scenario_page(request, scenario_id)


class StaleScenario(Exception):
    """The form was loaded on an older version of the scenario (optimistic locking)."""


def _version(form) -> int:
    raw = str(form.get("version") or "")
    return int(raw) if raw.isdigit() else -1


def _save_changes(request: Request, scenario_id: int, edit, version: int) -> list[str]:
    """Apply ``edit(raw)`` to the stored YAML, keep it only if the scenario stays usable.

    Raises :class:`StaleScenario` when ``version`` (the form's) is not the stored one: someone else
    saved in between, and a silent overwrite would lose their change. The UPDATE itself is guarded by
    the version column too (``StaleDataError`` on a concurrent save).
    """
    try:
        with request.app.state.store.session() as s:
            row = s.get(ScenarioRow, scenario_id)
            if row is None:
                raise HTTPException(404)
            if row.version != version:
                raise StaleScenario()
            raw = edit(parse_yaml(row.yaml_text))
            if str(raw.get("naam") or "").strip():
                row.name = str(raw["naam"]).strip()[:200]  # renamed in the YAML editor
            row.yaml_text = scenario_yaml({**raw, "naam": row.name})
            s.flush()
            problems = _check(request, s, scenario_id)
            if problems:
                raise _Refused(problems)  # rolled back: the stored scenario (and its version) stay as they were
    except _Refused as e:
        return e.problems
    return []


class _Refused(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("scenario geweigerd")
        self.problems = problems


@router.post("/scenarios/{scenario_id}/wijziging")
def add_change(request: Request, scenario_id: DbId, user=Depends(require("plan")), form=Depends(form_data)):
    kind = str(form.get("soort") or "")
    bundle, pack = request.app.state.store.bundle()
    change, errors = change_from(kind, form_dict(form), choices(bundle, pack))
    if errors:
        return _scenario_page(request, scenario_id, errors={"soort": kind, **errors}, values=form_dict(form),
                              status_code=422)
    try:
        problems = _save_changes(request, scenario_id,
                                 lambda raw: {**raw, "wijzigingen": [*(raw.get("wijzigingen") or []), change]},
                                 _version(form))
    except (StaleScenario, StaleDataError):
        return _scenario_page(request, scenario_id, stale=STALE_MESSAGE, status_code=409)
    if problems:
        return _scenario_page(request, scenario_id, problems=problems, status_code=422)
    return RedirectResponse(f"/wat-als/scenarios/{scenario_id}", status_code=303)


@router.post("/scenarios/{scenario_id}/wijziging/{index}/verwijderen")
def remove_change(request: Request, scenario_id: DbId, index: DbId, user=Depends(require("plan")),
                  form=Depends(form_data)):
    def drop(raw: dict) -> dict:
        changes = list(raw.get("wijzigingen") or [])
        if 0 <= index < len(changes):
            changes.pop(index)
        return {**raw, "wijzigingen": changes}

    try:
        problems = _save_changes(request, scenario_id, drop, _version(form))
    except (StaleScenario, StaleDataError):
        return _scenario_page(request, scenario_id, stale=STALE_MESSAGE, status_code=409)
    if problems:
        return _scenario_page(request, scenario_id, problems=problems, status_code=422)
    return RedirectResponse(f"/wat-als/scenarios/{scenario_id}", status_code=303)


@router.post("/scenarios/{scenario_id}/yaml")
def replace_yaml(request: Request, scenario_id: DbId, user=Depends(require("plan")), form=Depends(form_data)):
    text = str(form.get("yaml") or "")
    try:
        new = parse_yaml(text)
    except ScenarioError as e:
        return _scenario_page(request, scenario_id, problems=e.problems, yaml_text=text, status_code=422)
    try:
        problems = _save_changes(request, scenario_id, lambda _raw: new, _version(form))
    except (StaleScenario, StaleDataError):
        return _scenario_page(request, scenario_id, yaml_text=text, stale=STALE_MESSAGE, status_code=409)
    if problems:
        return _scenario_page(request, scenario_id, problems=problems, yaml_text=text, status_code=422)
    return RedirectResponse(f"/wat-als/scenarios/{scenario_id}", status_code=303)


@router.post("/start")
def start(request: Request, user=Depends(require("plan")), form=Depends(form_data)):
    ids = [int(x) for x in form.getlist("scenario") if str(x).isdigit()]
    with_basis = form.get("basis") == "ja"
    errors = {}
    if not ids and not with_basis:
        errors["scenario"] = "Kies minstens één scenario (of de huidige situatie)."
    if len(ids) + with_basis > MAX_SCENARIOS:
        errors["scenario"] = f"Kies hoogstens {MAX_SCENARIOS} scenario's (de huidige situatie telt mee)."
    try:
        weeks = int(form.get("weken") or 52)
        limit = float(str(form.get("tijdslimiet") or "20").replace(",", "."))
        if not (1 <= weeks <= 104 and 1 <= limit <= 300):
            raise ValueError
    except ValueError:
        weeks, limit, errors["weken"] = 52, 20.0, "Kies 1 tot 104 weken en een tijdslimiet van 1 tot 300 seconden."
    inflow = form.get("instroom") == "ja"
    raw_samples = str(form.get("steekproeven") or "0")
    samples = int(raw_samples) if raw_samples.isdigit() else -1
    if not 0 <= samples <= MAX_SAMPLES:
        errors["steekproeven"] = f"Kies 0 tot {MAX_SAMPLES} steekproeven."
    scenarios, problems = [], []
    with request.app.state.store.session() as s:
        for sid in ids:
            try:
                scenarios.append(load_scenario_row(s, sid))
            except ScenarioError as e:
                problems += e.problems
    if problems:
        errors["scenario"] = "; ".join(problems)
    if errors:
        return _overview(request, errors, 422)
    todo = ([None] if with_basis else []) + scenarios
    if inflow:
        bundle, pack = request.app.state.store.bundle()
        todo, _streams = with_inflow(bundle, pack, todo, weeks, max(samples, 0))
    job = whatif_jobs(request.app).start(todo, weeks, limit, user.username)
    return RedirectResponse(f"/wat-als/taken/{job.id}", status_code=303)


def _job_response(request: Request, job):
    """The job page, or only its progress block for htmx polling; 404 for an unknown job."""
    if job is None:
        raise HTTPException(404)
    block = "progress" if request.headers.get("HX-Request") else None
    return render(request, "whatif_job.html", {"job": job}, block=block)


@router.get("/taken/{job_id}")
def job_page(request: Request, job_id: str, user=Depends(require("view"))):
    return _job_response(request, whatif_jobs(request.app).get(job_id))


@router.post("/taken/{job_id}/stop")
def stop_job(request: Request, job_id: str, user=Depends(require("plan"))):
    return _job_response(request, whatif_jobs(request.app).stop(job_id))


def _results(request: Request, run_id: int):
    """The run, the results a page shows (samples left out) and the p10-p90 bands of the sampled ones."""
    with request.app.state.store.session() as s:
        row = s.get(ScenarioRunRow, run_id)
    if row is None:
        raise HTTPException(404)
    results, bands = split_samples([result_from_json(r) for r in row.results])
    return row, results, bands


@router.get("/vergelijking/{run_id}")
def comparison(request: Request, run_id: DbId, user=Depends(require("view"))):
    import json

    from planner.capacity_charts import comparison_charts
    from planner.capacity_report import WAIT_DEFINITION, comparison_tables

    row, results, bands = _results(request, run_id)
    charts = comparison_charts(results, bands)
    return render(request, "whatif_compare.html", {
        "row": row, "results": results, "charts": charts, "bands": bands, "definition": WAIT_DEFINITION,
        "advice": hiring_advice(results),
        "specs": json.dumps({c.name: c.spec for c in charts if c.spec}, ensure_ascii=False).replace("</", "<\\/"),
        "tables": comparison_tables(results)})


@router.get("/vergelijking/{run_id}/{fmt}")
def comparison_export(request: Request, run_id: DbId, fmt: str, user=Depends(require("view"))):
    from planner.capacity_report import export_pdf, export_xlsx

    if fmt not in ("xlsx", "pdf"):
        raise HTTPException(404)
    _row, results, bands = _results(request, run_id)
    with request.app.state.store.session() as s:
        log_access(s, user, EXPORT_ACTION, "vergelijking", f"{run_id} {fmt}")
    with tempfile.TemporaryDirectory(prefix="jhp-whatif-") as tmp:
        path = Path(tmp) / f"vergelijking.{fmt}"
        (export_xlsx if fmt == "xlsx" else export_pdf)(results, path, bands)
        data = path.read_bytes()
    return download(data, fmt, f"vergelijking-{run_id}")

