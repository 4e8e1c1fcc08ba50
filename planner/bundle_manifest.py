"""The bundle manifest (``manifest.yaml``): name, rule pack, period and rule overrides.

``rule_overrides`` are not part of :class:`planner.domain.Manifest`; they are
applied to the pack here (``RulePack.with_overrides``) and the loader hands
the tuned pack out next to the bundle.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from planner.bundle_csv import FieldError, Issue, norm_key, parse_bool, parse_date, parse_int, read_text
from planner.domain import HolidaySettings, Manifest
from planner.rules import RulePack, available_packs, load_pack

MANIFEST = "manifest.yaml"
_ALIASES = {"name": ("naam", "name"), "rule_pack": ("rule_pack", "regelpakket", "pack"),
            "period_start": ("period_start", "periode_start", "start", "begindatum"),
            "weeks": ("weeks", "weken"), "rule_overrides": ("rule_overrides", "overrides", "regel_aanpassingen"),
            "inflow": ("instroom", "inflow"), "holidays": ("feestdagen", "holidays")}


def _field(raw: dict[str, Any], name: str) -> Any:
    keys = {norm_key(str(k)): v for k, v in raw.items()}
    for alias in _ALIASES[name]:
        if norm_key(alias) in keys:
            return keys[norm_key(alias)]
    return None


def read_manifest(root: Path, issues: list[Issue]) -> tuple[Manifest | None, RulePack | None]:
    """Parse and check the manifest; problems go to ``issues`` (file ``manifest.yaml``, row 0)."""
    path = root / MANIFEST
    if not path.is_file():
        issues.append(Issue(MANIFEST, 0, "", "manifest.yaml ontbreekt"))
        return None, None
    try:
        raw = yaml.safe_load(read_text(path))
    except yaml.YAMLError as e:
        line = getattr(getattr(e, "problem_mark", None), "line", -1) + 1
        issues.append(Issue(MANIFEST, line, "", f"geen geldige YAML: {getattr(e, 'problem', e)}"))
        return None, None
    if not isinstance(raw, dict):
        issues.append(Issue(MANIFEST, 0, "", "manifest moet velden bevatten (name, rule_pack, period_start, weeks)"))
        return None, None
    before = len(issues)

    def bad(field: str, reason: str) -> None:
        issues.append(Issue(MANIFEST, 0, field, reason))

    name = _field(raw, "name")
    if not name:
        bad("name", "verplicht veld is leeg")
    pack = _pack(_field(raw, "rule_pack"), _field(raw, "rule_overrides"), bad)
    start = _period_start(_field(raw, "period_start"), bad)
    weeks = _weeks(_field(raw, "weeks"), bad)
    inflow = _inflow(_field(raw, "inflow"), pack, bad)
    holidays = read_holidays(_field(raw, "holidays"), bad)
    if len(issues) > before or pack is None or start is None:
        return None, pack
    return Manifest(str(name), str(_field(raw, "rule_pack")), start, weeks, inflow, holidays), pack


def read_holidays(value: Any, bad) -> HolidaySettings:
    """``feestdagen``: {niet: [naam, ...], extra: [datum, ...], contacten: ja/nee} (all optional)."""
    if value in (None, ""):
        return HolidaySettings()
    if not isinstance(value, dict):
        bad("feestdagen", "moet velden hebben: niet (namen), extra (datums), contacten (ja/nee)")
        return HolidaySettings()
    keys = {norm_key(str(k)): v for k, v in value.items()}
    unknown = set(keys) - {"niet", "extra", "contacten"}
    if unknown:
        bad("feestdagen", f"onbekend veld {', '.join(sorted(unknown))} (niet, extra, contacten)")
    skip, extra, allowed = keys.get("niet"), keys.get("extra") or [], keys.get("contacten", False)
    try:
        days = tuple(d if isinstance(d, date) else parse_date(str(d)) for d in extra)
        allowed = allowed if isinstance(allowed, bool) else parse_bool(str(allowed))
    except FieldError as e:
        bad("feestdagen", str(e))
        return HolidaySettings()
    if skip is not None and not isinstance(skip, list):
        bad("feestdagen", "niet: een lijst van namen van feestdagen (bijv. [Goede vrijdag])")
        skip = None
    names = HolidaySettings().skip if skip is None else tuple(str(n) for n in skip)
    return HolidaySettings(names, days, allowed)


def _inflow(value: Any, pack: RulePack | None, bad) -> tuple[dict, ...]:
    """``instroom``: a list of {product, per_week, interventie?, team?, duur_weken?, omvang?}."""
    if value in (None, ""):
        return ()
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        bad("instroom", "moet een lijst zijn van {product, per_week, ...}")
        return ()
    out = []
    for n, entry in enumerate(value, 1):
        code = str(entry.get("product") or "")
        if pack is not None and pack.product(code) is None:
            bad("instroom", f"regel {n}: onbekend product {code!r} in regelpakket {pack.id}")
            continue
        try:
            rate = float(entry.get("per_week"))
            weeks = int(entry["duur_weken"]) if "duur_weken" in entry else None
        except (TypeError, ValueError):
            bad("instroom", f"regel {n}: per_week en duur_weken moeten getallen zijn")
            continue
        if rate < 0 or (weeks is not None and weeks < 1):
            bad("instroom", f"regel {n}: per_week >= 0 en duur_weken >= 1")
            continue
        out.append({k: v for k, v in entry.items()})
    return tuple(out)


def _pack(name: Any, overrides: Any, bad) -> RulePack | None:
    if not name:
        bad("rule_pack", "verplicht veld is leeg")
        return None
    try:
        if not load_pack(str(name)).products:
            bad("rule_pack", f"regelpakket {name!r} heeft geen producten (kies uit {', '.join(available_packs())})")
            return None
    except FileNotFoundError:
        bad("rule_pack", f"onbekend regelpakket {name!r} (kies uit {', '.join(available_packs())})")
        return None
    except Exception as e:  # noqa: BLE001 - a broken pack file is reported, not raised
        bad("rule_pack", f"regelpakket {name!r} niet te laden: {e}".splitlines()[0])
        return None
    if overrides is not None and not isinstance(overrides, dict):
        bad("rule_overrides", "moet per regel-id een lijst van aanpassingen zijn")
        overrides = None
    try:
        return load_pack(str(name), overrides or None)
    except Exception as e:  # noqa: BLE001 - pydantic/ValueError from a bad override
        bad("rule_overrides" if overrides else "rule_pack", f"regelpakket niet te laden: {e}".splitlines()[0])
        return None


def _period_start(value: Any, bad) -> date | None:
    if value is None or value == "":
        bad("period_start", "verplicht veld is leeg")
        return None
    try:
        start = value if isinstance(value, date) else parse_date(str(value))
    except FieldError as e:
        bad("period_start", str(e))
        return None
    if start.weekday() != 0:
        bad("period_start", f"{start.isoformat()} is geen maandag")
        return None
    return start


def _weeks(value: Any, bad) -> int:
    if value is None or value == "":
        return 1
    try:
        weeks = parse_int(str(value))
    except FieldError as e:
        bad("weeks", str(e))
        return 1
    if not 1 <= weeks <= 52:
        bad("weeks", f"aantal weken {weeks} buiten bereik 1-52")
    return weeks


def with_extras(m: Manifest, extras: dict[str, Any] | None, pack: RulePack | None) -> Manifest:
    """``m`` with the optional sections of a stored manifest (``bundle_write.manifest_extras``); a section that
    no longer validates (e.g. a product removed from the pack) is left out rather than failing the load."""
    if not extras:
        return m
    issues: list[Issue] = []

    def bad(field: str, reason: str) -> None:
        issues.append(Issue(MANIFEST, 0, field, reason))

    return replace(m, inflow=_inflow(extras.get("instroom"), pack, bad), holidays=read_holidays(extras.get("feestdagen"), bad))
