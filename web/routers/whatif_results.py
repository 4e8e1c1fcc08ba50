"""Wat als: hiring advice from a form, and the waiting list per client of a run.

Hiring advice stores the target and the candidate profiles as the scenario's ``werving`` section (the
format of ``sample_data/scenarios``) and runs it twice on the task queue: without hires and with the
advice of ``solver.capacity.hiring.recommend_hires`` (through ``solver.capacity.run.run_one``: the same
model as ``planner whatif``). The comparison page then shows which hires, when, what they cost and the
waiting list with and without them.

The waiting list per client shows pseudonymous ids and initials only; the URL carries the run id, the
scenario's position in the run and filter values (product, discipline), never a client's id or name.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy.orm.exc import StaleDataError
from starlette.responses import RedirectResponse

from planner.scenario import ScenarioError
from web.app import render
from web.plans import STALE_MESSAGE
from web.security import DbId, form_data, log_access, require
from web.whatif import load_scenario_row, whatif_jobs, with_inflow, without_hires
from web.whatif_forms import choices, form_dict
from web.whatif_hiring_form import hiring_from

router = APIRouter()
SORTS = {"wachttijd": "wachttijd", "verwijsdatum": "verwijsdatum", "start": "verwachte start", "product": "product"}
STATES = {"": "iedereen", "wacht": "nog niet gestart binnen de horizon", "gestart": "start binnen de horizon"}


@router.post("/scenarios/{scenario_id}/werving")
def hiring(request: Request, scenario_id: DbId, user=Depends(require("plan")), form=Depends(form_data)):
    """Save the hiring target and candidates; with ``actie=doorrekenen`` also run with and without hires."""
    from web.routers.whatif import StaleScenario, _save_changes, _scenario_page, _version

    bundle, pack = request.app.state.store.bundle()
    data = form_dict(form)
    if form.get("actie") == "verwijderen":
        werving = None
    else:
        werving, errors = hiring_from(data, choices(bundle, pack))
        if errors:
            return _scenario_page(request, scenario_id, errors={"soort": "werving", **errors}, values=data,
                                  status_code=422)
    try:
        problems = _save_changes(request, scenario_id, lambda raw: {**raw, "werving": werving}, _version(form))
    except (StaleScenario, StaleDataError):
        return _scenario_page(request, scenario_id, stale=STALE_MESSAGE, status_code=409)
    if problems:
        return _scenario_page(request, scenario_id, problems=problems, status_code=422)
    if form.get("actie") != "doorrekenen" or werving is None:
        return RedirectResponse(f"/wat-als/scenarios/{scenario_id}#werving", status_code=303)
    try:
        weeks = int(form.get("weken") or 52)
        limit = float(str(form.get("tijdslimiet") or "30").replace(",", "."))
        if not (1 <= weeks <= 104 and 1 <= limit <= 300):
            raise ValueError
    except ValueError:
        return _scenario_page(request, scenario_id, errors={"soort": "werving", "weken": "Kies 1 tot 104 weken en "
                                                            "een tijdslimiet van 1 tot 300 seconden."},
                              values=data, status_code=422)
    with request.app.state.store.session() as s:
        try:
            scenario = load_scenario_row(s, scenario_id)
        except ScenarioError as e:
            return _scenario_page(request, scenario_id, problems=e.problems, status_code=422)
    todo = [without_hires(scenario), scenario]
    if form.get("instroom") == "ja":
        goal = werving.get("doel") or {}
        todo, _streams = with_inflow(bundle, pack, todo, weeks, 0, percentile=goal.get("percentiel"))
    job = whatif_jobs(request.app).start(todo, weeks, limit, user.username)
    return RedirectResponse(f"/wat-als/taken/{job.id}", status_code=303)


def _discipline(pack, product: str, intervention: str | None) -> str:
    from solver.capacity.result import discipline_of

    return discipline_of(pack, SimpleNamespace(product_code=product, intervention=intervention))


@router.get("/vergelijking/{run_id}/wachtenden")
def waiting_clients(request: Request, run_id: DbId, scenario: int = 0, sorteer: str = "wachttijd",
                    richting: str = "af", product: str = "", discipline: str = "", status: str = "",
                    user=Depends(require("view"))):
    """Who waits in one scenario of a run: sortable and filterable with query parameters."""
    from web.routers.whatif import _results

    row, results, _bands = _results(request, run_id)
    if not 0 <= scenario < len(results):
        raise HTTPException(404)
    r = results[scenario]
    bundle, pack = request.app.state.store.bundle()
    horizon_end = r.period_start + timedelta(weeks=r.weeks)
    rows = []
    for c in r.clients:
        j = bundle.jeugdigen.get(c.jeugdige_id)
        started = c.projected_start is not None
        ref = c.referral_date or c.earliest_start
        waited = c.wait_weeks if started else max(0, (horizon_end - ref).days // 7)
        rows.append({"id": c.jeugdige_id, "initials": j.initials if j else "", "new": j is None,
                     "product": c.product + (f" {c.intervention}" if c.intervention else ""),
                     "referral": c.referral_date, "earliest": c.earliest_start, "start": c.projected_start,
                     "weeks": waited, "started": started, "discipline": _discipline(pack, c.product, c.intervention),
                     "priority": c.priority})
    products = sorted({x["product"] for x in rows})
    disciplines = sorted({x["discipline"] for x in rows})
    shown = [x for x in rows if (not product or x["product"] == product) and (not discipline or x["discipline"] == discipline)
             and (status != "wacht" or not x["started"]) and (status != "gestart" or x["started"])]
    sorteer = sorteer if sorteer in SORTS else "wachttijd"
    key = {"wachttijd": lambda x: (x["weeks"] or 0, not x["started"]),
           "verwijsdatum": lambda x: (x["referral"] or x["earliest"]),
           "start": lambda x: (x["start"] is None, x["start"] or x["earliest"]),
           "product": lambda x: (x["product"], x["referral"] or x["earliest"])}[sorteer]
    shown.sort(key=key, reverse=richting == "af")
    with request.app.state.store.session() as s:
        log_access(s, user, "bekeken", "wachtlijst", f"{run_id}/{scenario}")
    return render(request, "whatif_clients.html", {
        "row": row, "results": results, "r": r, "index": scenario, "rows": shown, "total": len(rows),
        "products": products, "disciplines": disciplines, "sorts": SORTS, "states": STATES,
        "q": {"sorteer": sorteer, "richting": "op" if richting == "op" else "af", "product": product,
              "discipline": discipline, "status": status}, "horizon_end": horizon_end})
