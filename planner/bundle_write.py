"""Write a :class:`planner.domain.Bundle` as a bundle folder (the inverse of :mod:`planner.bundle`).

Output is deterministic (rows in id order, UTF-8 without BOM, ``\\n`` line
ends) so generated sample data can be committed and compared byte for byte.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from planner.bundle import SCHEMA
from planner.bundle_history import realisatie_rows
from planner.domain import Bundle, HolidaySettings, Manifest, Omvang
from planner.timeutil import WEEKDAYS_NL


def _s(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (set, frozenset, list, tuple)):
        return ";".join(sorted(_s(v) for v in value))
    if hasattr(value, "value"):  # enums
        return str(value.value)
    if hasattr(value, "isoformat"):
        return value.isoformat(timespec="minutes") if hasattr(value, "hour") and hasattr(value, "day") else (
            value.strftime("%H:%M") if hasattr(value, "hour") else value.isoformat())
    return str(value)


def _omvang(o: Omvang | None) -> list[Any]:
    return [None, None, None] if o is None else [o.volume, o.unit, o.frequency]


def _rows(b: Bundle) -> dict[str, list[list[Any]]]:
    windows = [[m.id, WEEKDAYS_NL[w.weekday], w.start, w.end] for m in b.staff.values() for w in m.availability]
    return {
        "teams.csv": [[t.id, t.name, t.oncall_24_7, t.intervention, t.offers] for t in b.teams.values()],
        "medewerkers.csv": [[m.id, m.name, m.education, m.profession, m.registrations, m.certifications,
                             m.contract_hours, m.teams, m.gemeenten, m.caseload_max, m.oncall_consent_required,
                             m.oncall_consent, m.vog_date] for m in b.staff.values()],
        "beschikbaarheid.csv": windows,
        "afwezigheid.csv": [[a.staff_id, a.start, a.end, a.kind] for a in b.absences],
        "wensen.csv": [[w.staff_id, w.date, w.shift, w.kind, w.weight] for w in b.wishes],
        "gezinnen.csv": [[g.id, g.gemeente] for g in b.gezinnen.values()],
        "jeugdigen.csv": [[j.id, j.gezin_id, j.initials, j.birth_year, j.gemeente] for j in b.jeugdigen.values()],
        "toewijzingen.csv": [[t.id, t.jeugdige_id, t.product_code, t.intervention, t.start, t.end, *_omvang(t.omvang),
                              t.team_id, t.referral_date, t.current_executor_id, t.current_responsible_id,
                              t.last_regie_contact] for t in b.toewijzingen.values()],
        "groepen.csv": [[g.id, g.name, g.product_code, g.location, g.team_id or ""] for g in b.groups.values()],
        "sessies.csv": [[s.id, s.group_id, WEEKDAYS_NL[s.weekday], s.start, s.end, s.location]
                        for s in b.sessions.values()],
        "inschrijvingen.csv": [[e.group_id, e.jeugdige_id, e.start, e.end] for e in b.enrolments],
        "realisatie.csv": realisatie_rows(b),
    }


def manifest_extras(m: Manifest) -> dict[str, Any]:
    """The manifest's optional sections as manifest.yaml has them (``instroom``, ``feestdagen``); the web
    keeps the same dict (``dataset.settings``) and reads it back with ``bundle_manifest.with_extras``."""
    out: dict[str, Any] = {}
    if m.inflow:
        out["instroom"] = [dict(e) for e in m.inflow]
    if m.holidays != HolidaySettings():
        h = m.holidays
        out["feestdagen"] = {"niet": list(h.skip), "extra": [d.isoformat() for d in h.extra],
                             "contacten": h.contacts_allowed}
    return out


def write_bundle(b: Bundle, out: str | Path, rule_overrides: dict[str, Any] | None = None) -> Path:
    """Write manifest.yaml and every CSV of the bundle format into ``out`` (created if needed)."""
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"name": b.manifest.name, "rule_pack": b.manifest.rule_pack,
                                "period_start": b.manifest.period_start.isoformat(), "weeks": b.manifest.weeks}
    if rule_overrides:
        manifest["rule_overrides"] = rule_overrides
    manifest.update(manifest_extras(b.manifest))
    (root / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True), "utf-8")
    for fname, rows in _rows(b).items():
        if fname == "realisatie.csv" and not rows:
            continue  # optional: written only when the bundle has care history
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([c.name for c in SCHEMA[fname]])
        for row in rows:
            w.writerow([_s(v) for v in row])
        (root / fname).write_text(buf.getvalue(), "utf-8", newline="")
    return root
