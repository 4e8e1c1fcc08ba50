"""Wat als: the structured scenario forms, declared as Pydantic models, with the choices they offer.

Every change kind of ``planner.scenario`` has a form model: products, medewerkers (by name, id shown),
units, frequencies, education levels, registrations, teams and groups are choices taken from the current
bundle and rule pack (:func:`choices`), dates are ``<input type="date">``. A model is validated with
the choices as its context (``Model.model_validate(form, context={"keuzes": ...})``), so a product that
is not in the pack or an unknown medewerker id is a Dutch message next to its field, never a 500. The
route gets ``{field: message}`` from :func:`validate` and shows the form again.

The hiring advice form (the ``werving`` section) is in :mod:`web.whatif_hiring_form`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, ValidationInfo, field_validator, \
    model_validator

from planner.domain import Education, OmvangFrequency, OmvangUnit, Registration
from planner.scenario import DAYS_NL, FREQ_NL, UNITS_NL
from web.forms import dutch_errors, nl_error


def _blank(v):
    if isinstance(v, str):
        v = v.strip()
        return None if v == "" else v
    return v


def _comma(v):
    v = _blank(v)
    return v.replace(",", ".") if isinstance(v, str) else v


Opt = Annotated[str | None, BeforeValidator(_blank)]
Num = Annotated[float, BeforeValidator(_comma)]
OptNum = Annotated[float | None, BeforeValidator(_comma)]
Int = Annotated[int, BeforeValidator(_blank)]
OptInt = Annotated[int | None, BeforeValidator(_blank)]
Day = Annotated[date, BeforeValidator(_blank)]
OptDay = Annotated[date | None, BeforeValidator(_blank)]


def validate(model: type[BaseModel], data: dict[str, Any], keuzes: "Choices"):
    """``(model instance, {})`` or ``(None, {field: Dutch message})``."""
    try:
        return model.model_validate(data, context={"keuzes": keuzes}), {}
    except ValidationError as e:
        return None, dutch_errors(e.errors(), rows=True)


def form_dict(form) -> dict[str, Any]:
    """A Starlette FormData as a dict: lists for repeated names (checkboxes, rows), else the value."""
    out: dict[str, Any] = {}
    for key in form.keys():
        values = form.getlist(key)
        out[key] = values if len(values) > 1 or key in LIST_FIELDS else values[0]
    return out


LIST_FIELDS = {"registraties", "certificeringen", "teams", "sessie_dag", "sessie_van", "sessie_tot",
               "k_naam", "k_opleiding", "k_beroep", "k_registratie", "k_certificering", "k_team", "k_fte", "k_kosten",
               "k_vanaf", "k_max"}


# --- the choices ---------------------------------------------------------------------------------
@dataclass
class Choices:
    """What the forms offer, from the bundle and the pack: (value, label) pairs."""

    products: list[tuple[str, str]] = field(default_factory=list)  # contact products, "45F34 MST"
    group_products: list[tuple[str, str]] = field(default_factory=list)
    staff: list[tuple[str, str]] = field(default_factory=list)
    staff_names: dict[str, str] = field(default_factory=dict)
    teams: list[tuple[str, str]] = field(default_factory=list)
    groups: list[tuple[str, str]] = field(default_factory=list)
    gemeenten: list[str] = field(default_factory=list)
    professions: list[str] = field(default_factory=list)
    certifications: list[str] = field(default_factory=list)
    rules: list[tuple[str, str]] = field(default_factory=list)
    period_start: date | None = None
    educations: list[str] = field(default_factory=lambda: [e.value for e in Education])
    registrations: list[str] = field(default_factory=lambda: [r.value for r in Registration])
    units: list[tuple[str, str]] = field(default_factory=lambda: [(u.value, UNITS_NL[u.value][1]) for u in OmvangUnit])
    frequencies: list[tuple[str, str]] = field(default_factory=lambda: [(f.value, FREQ_NL[f.value]) for f in OmvangFrequency])
    weekdays: list[tuple[str, str]] = field(default_factory=lambda: list(DAYS_NL.items()))

    def has(self, name: str, value: str) -> bool:
        options = getattr(self, name)
        return any((o[0] if isinstance(o, tuple) else o) == value for o in options)


def choices(bundle, pack) -> Choices:
    ch = Choices(period_start=bundle.manifest.period_start)
    for p in sorted(pack.products, key=lambda p: p.code):
        if p.setting == "groep":
            ch.group_products.append((p.code, f"{p.code} {p.name}"))
        elif p.setting != "verblijf":
            ch.products.append((p.code, f"{p.code} {p.name}"))
            ch.products += [(f"{p.code} {iv}", f"{p.code} {iv} ({p.name})") for iv in p.interventions]
    for m in sorted(bundle.staff.values(), key=lambda m: (m.name, m.id)):
        ch.staff.append((m.id, f"{m.name} ({m.id}, {m.profession}, {m.contract_hours:g} uur)"))
        ch.staff_names[m.id] = m.name
    ch.teams = sorted((t, f"{t} {getattr(bundle.teams[t], 'name', '')}".strip()) for t in bundle.teams)
    ch.groups = sorted((g.id, f"{g.id} {g.name} ({g.product_code})") for g in bundle.groups.values())
    ch.gemeenten = sorted({x.gemeente for x in bundle.gezinnen.values() if x.gemeente}
                          | {g for m in bundle.staff.values() for g in m.gemeenten})
    ch.professions = sorted({m.profession for m in bundle.staff.values()})
    ch.certifications = sorted({c for m in bundle.staff.values() for c in m.certifications}
                               | {iv for p in pack.products for iv in p.interventions})
    ch.rules = [(r.id, f"{r.id} ({'hard' if r.severity == 'hard' else 'richtlijn'}): {r.text[:90]}") for r in pack.rules]
    return ch


def keuzes_of(info: ValidationInfo) -> Choices:
    return (info.context or {}).get("keuzes") or Choices()


def _one_of(info: ValidationInfo, name: str, value, message: str):
    if value is not None and not keuzes_of(info).has(name, value):
        raise nl_error(message)
    return value


# --- the change forms ------------------------------------------------------------------------------
class ChangeForm(BaseModel):
    model_config = ConfigDict(extra="ignore")

    def to_change(self) -> dict[str, Any]:  # pragma: no cover - every form overrides it
        raise NotImplementedError


class ReferralsForm(ChangeForm):
    """Extra verwijzingen: once (aantal on a date) or per week between two dates."""

    product: str
    wijze: Literal["eenmalig", "per_week"] = "eenmalig"
    aantal: OptInt = None
    begindatum: OptDay = None
    per_week: OptNum = None
    van: OptDay = None
    tot: OptDay = None
    volume: Num
    eenheid: OmvangUnit = OmvangUnit.UUR
    frequentie: OmvangFrequency = OmvangFrequency.PER_WEEK
    duur_maanden: Int = 6
    team: Opt = None
    gemeente: Opt = None

    @field_validator("product")
    @classmethod
    def _product(cls, v, info):
        return _one_of(info, "products", v, "Kies een product uit de lijst.")

    @field_validator("team")
    @classmethod
    def _team(cls, v, info):
        return _one_of(info, "teams", v, "Kies een team uit de lijst.")

    @field_validator("volume")
    @classmethod
    def _volume(cls, v):
        if not 0 < v <= 100:
            raise nl_error("Vul een omvang groter dan 0 (en hoogstens 100) in.")
        return v

    @field_validator("duur_maanden")
    @classmethod
    def _months(cls, v):
        if not 1 <= v <= 36:
            raise nl_error("Een duur van 1 tot 36 maanden.")
        return v

    @model_validator(mode="after")
    def _when(self):
        errors = {}
        if self.wijze == "eenmalig":
            if self.aantal is None or not 1 <= self.aantal <= 500:
                errors["aantal"] = "Vul een aantal van 1 tot 500 in."
            if self.begindatum is None:
                errors["begindatum"] = "Kies een begindatum."
        else:
            if self.per_week is None or not 0 < self.per_week <= 50:
                errors["per_week"] = "Vul een aantal per week groter dan 0 in (bijv. 0,5)."
            if self.van is None:
                errors["van"] = "Kies de eerste week."
            if self.tot is None:
                errors["tot"] = "Kies de laatste week."
            elif self.van is not None and self.tot < self.van:
                errors["tot"] = "De laatste week ligt voor de eerste."
        if errors:
            name, message = next(iter(errors.items()))
            raise ValueError(f"{name}::{message}")
        return self

    def to_change(self) -> dict[str, Any]:
        code, _, iv = self.product.partition(" ")
        c: dict[str, Any] = {"soort": "toewijzingen_erbij", "product": code}
        if iv:
            c["interventie"] = iv
        if self.wijze == "per_week":
            c.update(per_week=self.per_week, van=self.van, tot=self.tot)
        else:
            c.update(aantal=self.aantal, begindatum=self.begindatum)
        c.update(duur_maanden=self.duur_maanden,
                 omvang={"volume": self.volume, "eenheid": self.eenheid.value, "frequentie": self.frequentie.value})
        if self.team:
            c["team"] = self.team
        if self.gemeente:
            c["gemeente"] = self.gemeente
        return c


class StaffForm(ChangeForm):
    medewerker: str

    @field_validator("medewerker")
    @classmethod
    def _staff(cls, v, info):
        return _one_of(info, "staff", v, "Kies een medewerker uit de lijst.")


class LeaveForm(StaffForm):
    vanaf: Day

    def to_change(self):
        return {"soort": "medewerker_weg", "medewerker": self.medewerker, "vanaf": self.vanaf}


class HoursForm(StaffForm):
    uren: Num
    vanaf: Day

    @field_validator("uren")
    @classmethod
    def _hours(cls, v):
        if not 0 <= v <= 60:
            raise nl_error("Contracturen liggen tussen 0 en 60.")
        return v

    def to_change(self):
        return {"soort": "contracturen", "medewerker": self.medewerker, "uren": self.uren, "vanaf": self.vanaf}


class ProfileFields(ChangeForm):
    opleiding: Education
    beroep: str
    registraties: list[Registration] = []
    certificeringen: list[str] = []
    teams: list[str] = []

    @field_validator("beroep")
    @classmethod
    def _beroep(cls, v):
        v = v.strip()
        if not v:
            raise nl_error("Kies een beroep.")
        return v

    @field_validator("certificeringen")
    @classmethod
    def _certs(cls, v, info):
        for c in v:
            _one_of(info, "certifications", c, "Kies certificeringen uit de lijst.")
        return v

    @field_validator("teams")
    @classmethod
    def _teams(cls, v, info):
        for t in v:
            _one_of(info, "teams", t, "Kies teams uit de lijst.")
        return v

    def profile(self) -> dict[str, Any]:
        p: dict[str, Any] = {"opleiding": self.opleiding.value, "beroep": self.beroep,
                             "registraties": [r.value for r in self.registraties]}
        if self.certificeringen:
            p["certificeringen"] = list(self.certificeringen)
        if self.teams:
            p["teams"] = list(self.teams)
        return p


class JoinForm(ProfileFields):
    uren: Num = 32
    aantal: Int = 1
    vanaf: Day

    @field_validator("uren")
    @classmethod
    def _hours(cls, v):
        if not 0 < v <= 60:
            raise nl_error("Contracturen liggen tussen 0 en 60.")
        return v

    @field_validator("aantal")
    @classmethod
    def _count(cls, v):
        if not 1 <= v <= 20:
            raise nl_error("Vul een aantal van 1 tot 20 in.")
        return v

    def to_change(self):
        return {"soort": "medewerker_erbij", "profiel": {**self.profile(), "contracturen": self.uren},
                "aantal": self.aantal, "vanaf": self.vanaf}


class OpenGroupForm(ChangeForm):
    groep: str
    product: str
    vanaf: Day
    jeugdigen: Int
    gemeente: Opt = None
    sessie_dag: list[str] = []
    sessie_van: list[str] = []
    sessie_tot: list[str] = []

    @field_validator("groep")
    @classmethod
    def _group(cls, v, info):
        v = v.strip()
        if not v or len(v) > 40 or not all(ch.isalnum() or ch in "-_" for ch in v):
            raise nl_error("Geef de nieuwe groep een code van letters, cijfers en streepjes (bijv. GR-NIEUW).")
        if keuzes_of(info).has("groups", v):
            raise nl_error("Deze groep bestaat al; kies een nieuwe code.")
        return v

    @field_validator("product")
    @classmethod
    def _product(cls, v, info):
        return _one_of(info, "group_products", v, "Kies een groepsproduct uit de lijst.")

    @field_validator("jeugdigen")
    @classmethod
    def _kids(cls, v):
        if not 0 <= v <= 30:
            raise nl_error("Vul 0 tot 30 jeugdigen in.")
        return v

    @model_validator(mode="after")
    def _sessions(self):
        if not self.sessions():
            raise ValueError("sessie_dag::Geef minstens één sessie op: een dag met begin- en eindtijd.")
        return self

    def sessions(self) -> list[dict[str, str]]:
        out = []
        for day, start, end in zip(self.sessie_dag, self.sessie_van, self.sessie_tot):
            if not (day and start and end):
                continue
            try:
                a, b = time.fromisoformat(start), time.fromisoformat(end)
            except ValueError:
                raise ValueError("sessie_dag::Vul tijden in als 15:00.") from None
            if b <= a or day not in DAYS_NL:
                raise ValueError("sessie_dag::Kies een dag en een eindtijd na de begintijd.")
            out.append({"weekdag": day, "van": start[:5], "tot": end[:5]})
        return out

    def to_change(self):
        c = {"soort": "groep_openen", "groep": self.groep, "product": self.product, "vanaf": self.vanaf,
             "jeugdigen": self.jeugdigen, "sessies": self.sessions()}
        if self.gemeente:
            c["gemeente"] = self.gemeente
        return c


class CloseGroupForm(ChangeForm):
    groep: str
    vanaf: Day

    @field_validator("groep")
    @classmethod
    def _group(cls, v, info):
        return _one_of(info, "groups", v, "Kies een groep uit de lijst.")

    def to_change(self):
        return {"soort": "groep_sluiten", "groep": self.groep, "vanaf": self.vanaf}


class RuleForm(ChangeForm):
    regel: str
    ernst: Literal["", "hard", "zacht"] = ""
    params: str = ""

    @field_validator("regel")
    @classmethod
    def _rule(cls, v, info):
        return _one_of(info, "rules", v, "Kies een regel uit de lijst.")

    @field_validator("params")
    @classmethod
    def _params(cls, v):
        import yaml

        for part in [x.strip() for x in v.replace(",", ";").split(";") if x.strip()]:
            key, sep, value = part.partition("=")
            if not sep or not key.strip():
                raise nl_error(f"'{part}' is geen 'naam=waarde'.")
            try:
                yaml.safe_load(value.strip())
            except yaml.YAMLError:
                raise nl_error(f"'{value.strip()}' is geen waarde.") from None
        return v

    @model_validator(mode="after")
    def _something(self):
        if not self.ernst and not self.params.strip():
            raise ValueError("ernst::Kies een nieuwe ernst of geef parameters op.")
        return self

    def to_change(self):
        import yaml

        c: dict[str, Any] = {"soort": "regel", "regel": self.regel}
        if self.ernst:
            c["ernst"] = self.ernst
        params = {}
        for part in [x.strip() for x in self.params.replace(",", ";").split(";") if x.strip()]:
            key, _, value = part.partition("=")
            params[key.strip()] = yaml.safe_load(value.strip())
        if params:
            c["params"] = params
        return c


FORMS: dict[str, tuple[str, type[ChangeForm]]] = {
    "toewijzingen_erbij": ("extra verwijzingen", ReferralsForm),
    "medewerker_weg": ("een medewerker vertrekt", LeaveForm),
    "contracturen": ("contracturen wijzigen (ook minder uren)", HoursForm),
    "medewerker_erbij": ("medewerker erbij (profiel)", JoinForm),
    "groep_openen": ("groep openen", OpenGroupForm),
    "groep_sluiten": ("groep sluiten", CloseGroupForm),
    "regel": ("regel strenger of soepeler", RuleForm),
}


def change_from(kind: str, data: dict[str, Any], keuzes: Choices) -> tuple[dict | None, dict[str, str]]:
    """A change dict (the YAML format) from a form, or Dutch errors per field."""
    if kind not in FORMS:
        return None, {"soort": "Kies een soort wijziging."}
    model, errors = validate(FORMS[kind][1], data, keuzes)
    return (model.to_change() if model else None), field_errors(errors)


def field_errors(errors: dict[str, str]) -> dict[str, str]:
    """A model check names its field as 'field::message'."""
    out = {}
    for name, message in errors.items():
        if "::" in message:
            name, message = message.split("::", 1)
        out.setdefault(name, message)
    return out
