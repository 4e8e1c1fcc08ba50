"""Rule packs: each municipality's normenkader as data.

A pack is a YAML file in ``planner/packs/`` (or any path).  It lists the
products (forms) it governs and its rules; it may include other packs (the
shared working-time section).  Every rule carries its citation
``<seed file>:<line>[-<line>]`` (or ``extern:<law> <article>`` for laws that
are not among the seed documents) and a verbatim ``quote`` that must appear
in the cited lines.  A provider tunes a pack with overrides (parameters,
severity, interpretation choices) from the bundle manifest.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CITATION_RE = re.compile(r"^(?P<file>[\w.-]+\.txt):(?P<first>\d+)(?:-(?P<last>\d+))?$")
EXTERN_RE = re.compile(r"^extern:(?P<source>.+)$")


class Interpretation(BaseModel):
    """A documented reading of ambiguous wording, with a sensible default."""

    model_config = ConfigDict(extra="forbid")
    question: str
    options: dict[str, str]  # option -> Dutch explanation
    default: str
    value: str | None = None  # chosen by provider override; default otherwise

    @model_validator(mode="after")
    def _known_choice(self) -> "Interpretation":
        for choice in (self.default, self.value):
            if choice is not None and choice not in self.options:
                raise ValueError(f"keuze {choice!r} is geen optie ({', '.join(self.options)})")
        return self

    @property
    def chosen(self) -> str:
        return self.value or self.default


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    kind: str  # the check family: check_<kind> in planner.checks, add_<kind> in solver
    products: list[str] = Field(default_factory=list)  # empty = all products
    interventions: list[str] = Field(default_factory=list)  # empty = any
    severity: Literal["hard", "soft"]
    wording: str  # the word(s) in the source that make it hard or soft
    params: dict[str, Any] = Field(default_factory=dict)
    penalty: int = 0  # per unit of violation, soft rules only
    text: str  # Dutch sentence shown to the user
    citation: str
    quote: str  # verbatim fragment of the cited lines
    interpretations: dict[str, Interpretation] = Field(default_factory=dict)
    # validity (inclusive dates; None = open): "In 2025 en 2026 ... maximaal 8. Vanaf 2027 ... 6" (A:3309)
    geldig_vanaf: date | None = None
    geldig_tot: date | None = None

    @field_validator("citation")
    @classmethod
    def _citation_format(cls, v: str) -> str:
        if not (CITATION_RE.match(v) or EXTERN_RE.match(v)):
            raise ValueError(f"citatie {v!r} is niet '<bestand>:<regel>[-<regel>]' of 'extern:<bron>'")
        return v

    @model_validator(mode="after")
    def _soft_has_penalty(self) -> "Rule":
        if self.severity == "soft" and self.penalty <= 0:
            raise ValueError(f"zachte regel {self.id} heeft een penalty > 0 nodig")
        return self

    @model_validator(mode="after")
    def _validity_order(self) -> "Rule":
        if self.geldig_vanaf and self.geldig_tot and self.geldig_tot < self.geldig_vanaf:
            raise ValueError(f"regel {self.id}: geldig_tot {self.geldig_tot} ligt voor geldig_vanaf {self.geldig_vanaf}")
        return self

    def interpretation(self, name: str) -> str:
        return self.interpretations[name].chosen

    def valid_on(self, day: date) -> bool:
        """The rule holds on ``day`` (``geldig_vanaf``..``geldig_tot``, inclusive)."""
        return (self.geldig_vanaf is None or self.geldig_vanaf <= day) and (self.geldig_tot is None or day <= self.geldig_tot)

    def valid_between(self, first: date, last: date) -> bool:
        """The rule holds on some day of ``first``..``last``."""
        return (self.geldig_vanaf is None or self.geldig_vanaf <= last) and (self.geldig_tot is None or first <= self.geldig_tot)

    @property
    def validity_nl(self) -> str:
        """Dutch validity for listings: "altijd", "vanaf 2027-01-01", "t/m 2026-12-31", "2025-01-01 t/m ..."."""
        if self.geldig_vanaf and self.geldig_tot:
            return f"{self.geldig_vanaf.isoformat()} t/m {self.geldig_tot.isoformat()}"
        if self.geldig_vanaf:
            return f"vanaf {self.geldig_vanaf.isoformat()}"
        return f"t/m {self.geldig_tot.isoformat()}" if self.geldig_tot else "altijd"

    def applies_to(self, product_code: str, intervention: str | None = None) -> bool:
        if self.products and product_code not in self.products:
            return False
        return not self.interventions or intervention in self.interventions

    @property
    def seed_lines(self) -> tuple[str, int, int] | None:
        m = CITATION_RE.match(self.citation)
        if not m:
            return None
        first = int(m["first"])
        return m["file"], first, int(m["last"] or first)


class Product(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    name: str
    kind: Literal["diagnostiek", "behandeling", "begeleiding", "verblijf", "crisis", "pleegzorg", "overig"]
    setting: Literal["individueel", "gezin", "groep", "verblijf", "crisis", "ambulant"]
    per_gezin: bool = False
    domain: str | None = None  # e.g. verslavingszorg, for restricted regiebehandelaar professions
    interventions: list[str] = Field(default_factory=list)
    citation: str

    @field_validator("citation")
    @classmethod
    def _citation_format(cls, v: str) -> str:
        return Rule._citation_format(v)


class RulePack(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    source: str | None = None
    includes: list[str] = Field(default_factory=list)
    products: list[Product] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> "RulePack":
        seen: set[str] = set()
        for r in self.rules:
            if r.id in seen:
                raise ValueError(f"regel-id {r.id} komt dubbel voor")
            seen.add(r.id)
        return self

    @property
    def product_codes(self) -> set[str]:
        return {p.code for p in self.products}

    def product(self, code: str) -> Product | None:
        return next((p for p in self.products if p.code == code), None)

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    def rules_of(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]

    def for_period(self, first: date, last: date) -> "RulePack":
        """A copy with only the rules that hold on some day of ``first``..``last`` (checker and solver both use
        it, so a plan for 2027 gets A.DM's 6 without an override)."""
        rules = [r for r in self.rules if r.valid_between(first, last)]
        return self if len(rules) == len(self.rules) else self.model_copy(update={"rules": rules})

    def with_overrides(self, overrides: dict[str, dict[str, Any]]) -> "RulePack":
        """A copy with per-rule overrides: ``{rule_id: {params: {...}, severity, penalty, interpretations: {name: value}}}``."""
        unknown = set(overrides) - {r.id for r in self.rules}
        if unknown:
            raise ValueError(f"onbekende regel(s) in overrides: {', '.join(sorted(unknown))}")
        rules = []
        for r in self.rules:
            o = overrides.get(r.id)
            if not o:
                rules.append(r)
                continue
            data = r.model_dump()
            data["params"] = {**data["params"], **o.get("params", {})}
            for key in ("severity", "penalty"):
                if key in o:
                    data[key] = o[key]
            for name, value in o.get("interpretations", {}).items():
                if name not in data["interpretations"]:
                    raise ValueError(f"regel {r.id} kent geen interpretatie {name!r}")
                data["interpretations"][name]["value"] = value
            if data["severity"] == "soft" and data["penalty"] <= 0:
                data["penalty"] = 100
            rules.append(Rule.model_validate(data))
        return self.model_copy(update={"rules": rules})


PACK_DIR = resources.files("planner.packs")


def _read_pack_yaml(name_or_path: str) -> dict[str, Any]:
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return yaml.safe_load(path.read_text("utf-8"))
    res = PACK_DIR.joinpath(f"{name_or_path}.yaml")
    if not res.is_file():
        raise FileNotFoundError(f"regelpakket {name_or_path!r} niet gevonden (kies uit: {', '.join(available_packs())})")
    return yaml.safe_load(res.read_text("utf-8"))


def load_pack(name_or_path: str, overrides: dict[str, dict[str, Any]] | None = None) -> RulePack:
    """Load a pack with its includes merged in (products and rules appended)."""
    pack = _load_merged(name_or_path)
    return pack.with_overrides(overrides) if overrides else pack


@cache
def _load_merged(name_or_path: str) -> RulePack:
    raw = _read_pack_yaml(name_or_path)
    for inc in raw.get("includes", []):
        sub = _load_merged(inc)
        raw.setdefault("products", []).extend(p.model_dump() for p in sub.products)
        raw.setdefault("rules", []).extend(r.model_dump() for r in sub.rules)
    return RulePack.model_validate(raw)


def available_packs() -> list[str]:
    """Packs with products: the ones a bundle can name (included sections are not listed)."""
    names = []
    for f in PACK_DIR.iterdir():
        if f.name.endswith(".yaml") and f.name != "roles.yaml":
            raw = yaml.safe_load(f.read_text("utf-8"))
            if raw.get("products"):
                names.append(f.name[:-5])
    return sorted(names)
