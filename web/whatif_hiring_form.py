"""Wat als: the hiring advice form, declared as a Pydantic model: the target (maximum wait or waiting list,
from a date, optionally at a percentile of the sampled years) and the candidate profiles with their costs.
It becomes the scenario's ``werving`` section, which ``solver.capacity.hiring`` reads: the same model as
``planner whatif``.  The field helpers and the choices come from :mod:`web.whatif_forms`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationInfo, model_validator

from web.whatif_forms import Choices, OptDay, OptInt, keuzes_of, field_errors, validate


class HiringForm(BaseModel):
    """The target and the candidate profiles (rows ``k_*``; a row without naam is ignored)."""

    model_config = ConfigDict(extra="ignore")
    doelsoort: Literal["wachttijd", "wachtlijst"] = "wachttijd"
    binnen_weken: OptInt = None
    max_wachtenden: OptInt = None
    vanaf: OptDay = None
    percentiel: Literal["", "50", "80", "90"] = ""
    k_naam: list[str] = []
    k_opleiding: list[str] = []
    k_beroep: list[str] = []
    k_registratie: list[str] = []
    k_certificering: list[str] = []
    k_team: list[str] = []
    k_fte: list[str] = []
    k_kosten: list[str] = []
    k_vanaf: list[str] = []
    k_max: list[str] = []

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo):
        if self.doelsoort == "wachttijd" and (self.binnen_weken is None or not 0 <= self.binnen_weken <= 52):
            raise ValueError("binnen_weken::Vul een wachttijd van 0 tot 52 weken in.")
        if self.doelsoort == "wachtlijst" and (self.max_wachtenden is None or not 0 <= self.max_wachtenden <= 1000):
            raise ValueError("max_wachtenden::Vul een aantal wachtenden van 0 of meer in.")
        self.candidates(keuzes_of(info))
        return self

    def candidates(self, keuzes: Choices) -> list[dict[str, Any]]:
        out = []
        n = len(self.k_naam)
        col = lambda xs, i: (xs[i].strip() if i < len(xs) and xs[i] else "")  # noqa: E731
        for i in range(n):
            name = col(self.k_naam, i)
            if not name:
                continue
            level, beroep = col(self.k_opleiding, i), col(self.k_beroep, i)
            if level not in keuzes.educations:
                raise ValueError(f"k_opleiding-{i}::Kies een opleiding.")
            if not beroep:
                raise ValueError(f"k_beroep-{i}::Kies een beroep.")
            try:
                fte = float(col(self.k_fte, i).replace(",", ".") or 1)
                cost = _euro(col(self.k_kosten, i))
                most = int(col(self.k_max, i) or 2)
            except ValueError:
                raise ValueError(f"k_kosten-{i}::Vul fte, kosten per fte (euro per jaar) en een aantal in als getallen.") from None
            if not (0 < fte <= 1.5 and 0 < cost < 1_000_000 and 1 <= most <= 10):
                raise ValueError(f"k_kosten-{i}::fte tussen 0 en 1,5, kosten per fte boven 0, hoogstens 1 tot 10.")
            try:
                start = date.fromisoformat(col(self.k_vanaf, i)) if col(self.k_vanaf, i) else keuzes.period_start
            except ValueError:
                raise ValueError(f"k_vanaf-{i}::Kies een datum.") from None
            c: dict[str, Any] = {"naam": name, "opleiding": level, "beroep": beroep}
            reg, cert, team = col(self.k_registratie, i), col(self.k_certificering, i), col(self.k_team, i)
            if reg:
                c["registraties"] = [reg]
            if cert:
                c["certificeringen"] = [cert]
            if team:
                c["teams"] = [team]
            c.update(fte=fte, kosten_per_fte=cost, vanaf=start, max_aantal=most)
            out.append(c)
        if not out:
            raise ValueError("k_naam-0::Geef minstens één profiel dat aangenomen mag worden (met een naam).")
        return out

    def werving(self, keuzes: Choices) -> dict[str, Any]:
        goal: dict[str, Any] = ({"binnen_weken": self.binnen_weken} if self.doelsoort == "wachttijd"
                                else {"max_wachtenden": self.max_wachtenden})
        if self.vanaf:
            goal["vanaf"] = self.vanaf
        if self.percentiel:
            goal["percentiel"] = int(self.percentiel)
        return {"doel": goal, "kandidaten": self.candidates(keuzes)}


def _euro(text: str) -> float:
    """'68000', '68.000', '68.000,50', '€ 68000' -> a number (ValueError when it is none)."""
    import re

    t = text.replace("€", "").replace(" ", "")
    if "," in t:
        t = t.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", t):
        t = t.replace(".", "")
    return float(t)


def hiring_from(data: dict[str, Any], keuzes: Choices) -> tuple[dict | None, dict[str, str]]:
    model, errors = validate(HiringForm, data, keuzes)
    return (model.werving(keuzes) if model else None), field_errors(errors)


def candidate_rows(werving: dict | None, keuzes: Choices, extra: int = 2) -> list[dict[str, Any]]:
    """The candidate rows the hiring form shows: the stored ones plus ``extra`` empty ones (the first
    one prefilled when there are none)."""
    rows = []
    for k in (werving or {}).get("kandidaten") or []:
        rows.append({"naam": k.get("naam", ""), "opleiding": k.get("opleiding", ""), "beroep": k.get("beroep", ""),
                     "registratie": (k.get("registraties") or [""])[0], "certificering": (k.get("certificeringen") or [""])[0],
                     "team": (k.get("teams") or [""])[0], "fte": k.get("fte", 1), "kosten": k.get("kosten_per_fte", ""),
                     "vanaf": k.get("vanaf", ""), "max": k.get("max_aantal", 2)})
    if not rows:
        rows.append({"naam": "Systeemtherapeut", "opleiding": "hbo+", "beroep": "systeemtherapeut" if
                     "systeemtherapeut" in keuzes.professions else (keuzes.professions or [""])[0],
                     "registratie": "SKJ", "certificering": "", "team": "", "fte": 0.89, "kosten": 68000,
                     "vanaf": keuzes.period_start or "", "max": 2})
    rows += [{"naam": "", "opleiding": "hbo", "beroep": "", "registratie": "", "certificering": "", "team": "",
              "fte": 1, "kosten": "", "vanaf": "", "max": 2} for _ in range(extra)]
    return rows
