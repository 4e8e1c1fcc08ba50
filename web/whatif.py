"""What-if in the web app: scenarios from forms (stored as YAML), background runs, results for the comparison.

A scenario row holds the YAML of ``planner.scenario`` (``naam``, ``omschrijving``,
``wijzigingen``) and optionally the id of the scenario it builds on. A run applies one to four
scenarios, each a job on the task queue (``solver.capacity.run.run_one`` in a worker, never in the web
process), and stores ``ScenarioResult.to_json()`` of all of them in ``scenario_runs``.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import yaml

from planner.scenario import Scenario, ScenarioError, scenario_from_dict
from web.featuretables import ScenarioRow

log = logging.getLogger("jeugdhulp.web.whatif")
KINDS = {"toewijzingen_erbij": "toewijzingen erbij", "medewerker_weg": "medewerker vertrekt",
         "contracturen": "contracturen wijzigen (ook minder uren)", "medewerker_erbij": "medewerker erbij (profiel)",
         "groep_openen": "groep openen", "groep_sluiten": "groep sluiten", "regel": "regelparameter wijzigen"}
MAX_SCENARIOS = 4


class FormProblem(ValueError):
    """A field of the change form is wrong; ``field`` names it, the message is Dutch."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.field = name


def _text(form, name: str, required: bool = True) -> str:
    value = str(form.get(name) or "").strip()
    if required and not value:
        raise FormProblem(name, "Vul dit veld in.")
    return value


def _number(form, name: str, kind=float, required: bool = True):
    raw = _text(form, name, required).replace(",", ".")
    if not raw:
        return None
    try:
        value = kind(raw)
    except ValueError:
        raise FormProblem(name, "Geen geldig getal.") from None
    if value < 0:
        raise FormProblem(name, "Een getal van 0 of meer.")
    return value


def _date(form, name: str) -> str:
    raw = _text(form, name)
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise FormProblem(name, "Geen geldige datum (JJJJ-MM-DD).") from None


def _list(form, name: str) -> list[str]:
    return [x.strip() for x in _text(form, name, False).replace(",", ";").split(";") if x.strip()]


def _sessions(form) -> list[dict[str, str]]:
    """'di 15:00-17:00; do 15:00-17:00' -> [{weekdag, van, tot}, ...]."""
    out = []
    for part in _list(form, "sessies"):
        try:
            day, span = part.split()
            start, end = span.split("-")
        except ValueError:
            raise FormProblem("sessies", f"'{part}' is geen 'dag van-tot' (bijv. 'di 15:00-17:00').") from None
        out.append({"weekdag": day.lower(), "van": start, "tot": end})
    if not out:
        raise FormProblem("sessies", "Geef minstens één sessie op.")
    return out


def _params(form) -> dict[str, Any]:
    """'jeugdigen_per_staff=5; max=3' -> {...} with YAML scalars (numbers stay numbers)."""
    out = {}
    for part in _list(form, "params"):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise FormProblem("params", f"'{part}' is geen 'naam=waarde'.")
        out[key.strip()] = yaml.safe_load(value.strip())
    return out


def _toewijzingen(form) -> dict[str, Any]:
    c: dict[str, Any] = {"soort": "toewijzingen_erbij", "product": _text(form, "product"),
                         "omvang": {"volume": _number(form, "volume"), "eenheid": _text(form, "eenheid"),
                                    "frequentie": _text(form, "frequentie")},
                         "duur_maanden": _number(form, "duur_maanden", int)}
    if _text(form, "per_week", False):
        c.update(per_week=_number(form, "per_week"), van=_date(form, "van"), tot=_date(form, "tot"))
    else:
        c.update(aantal=_number(form, "aantal", int), begindatum=_date(form, "begindatum"))
    for name in ("interventie", "team", "gemeente"):
        if _text(form, name, False):
            c[name] = _text(form, name)
    return c


def change_from_form(form) -> dict[str, Any]:
    """One scenario change (the YAML format of ``sample_data/scenarios``) from the web form."""
    kind = str(form.get("soort") or "")
    if kind == "toewijzingen_erbij":
        return _toewijzingen(form)
    if kind == "medewerker_weg":
        return {"soort": kind, "medewerker": _text(form, "medewerker"), "vanaf": _date(form, "vanaf")}
    if kind == "contracturen":
        return {"soort": kind, "medewerker": _text(form, "medewerker"), "uren": _number(form, "uren"),
                "vanaf": _date(form, "vanaf")}
    if kind == "medewerker_erbij":
        profile = {"opleiding": _text(form, "opleiding"), "beroep": _text(form, "beroep"),
                   "registraties": _list(form, "registraties"), "certificeringen": _list(form, "certificeringen"),
                   "contracturen": _number(form, "uren"), "teams": _list(form, "teams")}
        return {"soort": kind, "profiel": profile, "aantal": _number(form, "aantal", int),
                "vanaf": _date(form, "vanaf")}
    if kind == "groep_openen":
        return {"soort": kind, "groep": _text(form, "groep"), "product": _text(form, "product"),
                "vanaf": _date(form, "vanaf"), "jeugdigen": _number(form, "jeugdigen", int),
                "sessies": _sessions(form), **({"gemeente": _text(form, "gemeente")}
                                               if _text(form, "gemeente", False) else {})}
    if kind == "groep_sluiten":
        return {"soort": kind, "groep": _text(form, "groep"), "vanaf": _date(form, "vanaf")}
    if kind == "regel":
        c: dict[str, Any] = {"soort": kind, "regel": _text(form, "regel")}
        if _text(form, "ernst", False):
            c["ernst"] = _text(form, "ernst")
        if _params(form):
            c["params"] = _params(form)
        return c
    raise FormProblem("soort", "Kies een soort wijziging.")


# --- stored scenarios -----------------------------------------------------
def scenario_yaml(name: str, description: str, changes: list[dict]) -> str:
    return yaml.safe_dump({"naam": name, "omschrijving": description, "wijzigingen": changes}, sort_keys=False,
                          allow_unicode=True)


def parse_yaml(text: str) -> dict[str, Any]:
    """The scenario fields of a YAML text (Dutch ScenarioError when it is no scenario)."""
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        raise ScenarioError([f"geen geldige YAML ({e.__class__.__name__})"]) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("wijzigingen") or [], list):
        raise ScenarioError(["verwacht velden 'naam', 'omschrijving' en een lijst 'wijzigingen'"])
    return raw


def load_scenario_row(s, scenario_id: int, seen: tuple[int, ...] = ()) -> Scenario:
    """A stored scenario with its basis chain (a loop is a Dutch ScenarioError)."""
    if scenario_id in seen:
        raise ScenarioError(["scenario bouwt (via 'basis') op zichzelf voort"])
    row = s.get(ScenarioRow, scenario_id)
    if row is None:
        raise ScenarioError([f"scenario {scenario_id} bestaat niet (meer)"])
    base = load_scenario_row(s, row.base_id, (*seen, scenario_id)) if row.base_id else None
    raw = parse_yaml(row.yaml_text)
    raw["naam"] = row.name
    return scenario_from_dict(raw, base)


# --- background runs ------------------------------------------------------
class WhatifJobs:
    """What-if runs as jobs on the task queue (:mod:`web.jobs`): one job per scenario, spread over the workers.

    The run's state, progress and results live in the database (``taken``, then ``scenario_runs``).
    """

    def __init__(self, jobs):
        self.jobs = jobs

    def start(self, scenarios: list[Scenario | None], weeks: int, time_limit: float, username: str):
        return self.jobs.start_sweep(scenarios, weeks, time_limit, username)

    def get(self, job_id: str):
        from web.jobs import WHATIF

        job = self.jobs.get(job_id)
        return job if job is not None and job.kind == WHATIF else None

    def stop(self, job_id: str):
        if self.get(job_id) is None:
            return None
        return self.jobs.stop(job_id)


def whatif_jobs(app) -> WhatifJobs:
    if not hasattr(app.state, "whatif_jobs"):
        app.state.whatif_jobs = WhatifJobs(app.state.jobs)
    return app.state.whatif_jobs


def result_from_json(data: dict[str, Any]):
    """A :class:`solver.capacity.result.ScenarioResult` back from ``to_json()`` (for the comparison)."""
    from solver.capacity.result import Hire, ScenarioResult, UnmetRow, WaitingClient

    def day(v):
        return date.fromisoformat(v) if v else None

    clients = [WaitingClient(**{**c, "referral_date": day(c["referral_date"]), "earliest_start": day(c["earliest_start"]),
                                "projected_start": day(c["projected_start"])}) for c in data.get("clients", [])]
    hires = [Hire(**{**h, "start": day(h["start"])}) for h in data.get("hires", [])]
    plain = {k: v for k, v in data.items() if k not in ("summary", "clients", "hires", "unmet", "period_start")}
    return ScenarioResult(**{**plain, "period_start": day(data["period_start"]), "clients": clients, "hires": hires,
                             "unmet": [UnmetRow(**u) for u in data.get("unmet", [])]})
