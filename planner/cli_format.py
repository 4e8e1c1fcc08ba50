"""Plain-text tables and the demo summary for the command line (no colours, so output is testable)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from planner.demand import CONTACT_SETTINGS, required_minutes
from planner.domain import Bundle
from planner.roles import derived_roles
from planner.rules import RulePack

MAX_CELL = 90


def _cell(value: Any) -> str:
    text = " ".join(str(value).split()) if value is not None else ""
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def table(header: list[str], rows: list[list[Any]] | list[tuple[Any, ...]]) -> str:
    """A left-aligned text table with a rule under the header."""
    cells = [[_cell(h) for h in header]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def demo_summary(b: Bundle, pack: RulePack) -> str:
    """Staff per discipline, toewijzingen per product, groups, teams and demand hours for the period."""
    first = b.manifest.period_start
    last = first + timedelta(weeks=b.manifest.weeks) - timedelta(days=1)
    out = [f"{b.manifest.name} - regelpakket {pack.name}",
           f"Periode {first.isoformat()} t/m {last.isoformat()} ({b.manifest.weeks} week/weken)", ""]
    by_prof = Counter(m.profession for m in b.staff.values())
    fte = Counter()
    roles = Counter()
    for m in b.staff.values():
        fte[m.profession] += m.contract_hours / 36
        roles.update(derived_roles(m))
    out += ["Medewerkers per discipline:",
            table(["beroep", "aantal", "fte (36 u)"], [[p, n, f"{fte[p]:.1f}"] for p, n in by_prof.most_common()]),
            "Afgeleide rollen: " + ", ".join(f"{r} {n}" for r, n in sorted(roles.items())), ""]
    rows = []
    for product in pack.products:
        ts = [t for t in b.toewijzingen.values() if t.product_code == product.code]
        if not ts:
            continue
        active = [t for t in ts if t.start <= last and t.end >= first]
        minutes = sum(required_minutes(t, first, last) or 0 for t in active) \
            if product.setting in CONTACT_SETTINGS else 0
        rows.append([product.code, product.name, len(ts), len(active), f"{minutes / 60:.1f}" if minutes else "-"])
    out += ["Toewijzingen per product:",
            table(["product", "naam", "totaal", "actief", "vraag (uur)"], rows), ""]
    enrolled = Counter(e.group_id for e in b.enrolments if e.active_on(first))
    sessions = Counter(s.group_id for s in b.sessions.values())
    out += ["Groepen:", table(["groep", "product", "ingeschreven", "sessies/week"],
                               [[g.id, g.product_code, enrolled[g.id], sessions[g.id]] for g in b.groups.values()]), ""]
    out += ["Teams:", table(["team", "naam", "24/7", "interventie", "leden"],
                            [[t.id, t.name, "ja" if t.oncall_24_7 else "nee", t.intervention or "-",
                              sum(1 for m in b.staff.values() if t.id in m.teams)] for t in b.teams.values()])]
    total = sum(required_minutes(t, first, last) or 0 for t in b.toewijzingen.values()
                if (p := pack.product(t.product_code)) and p.setting in CONTACT_SETTINGS)
    out += ["", f"Vraag in de periode: {total / 60:.1f} uur contact; contracturen: "
                f"{sum(m.contract_hours for m in b.staff.values()) * b.manifest.weeks:.0f} uur.",
            "(De solver volgt; dit is een samenvatting van de bundel.)"]
    return "\n".join(out)


def _place(v) -> str:
    return ", ".join(f"{kind} {ident}" for kind, ident in v.entities) or "-"


def findings_sections(report) -> list[str]:
    """The status word and the tables "Niet geleverde zorg" (rule, source, place, reason) and "Problemen in
    de gegevens" of a check report; shared by ``planner plan`` and ``planner check``."""
    lines = [f"Status: {report.status}"]
    care = report.unmet_care
    if care:
        lines += ["", "Niet geleverde zorg:",
                  table(["regel", "bron", "plaats", "reden"],
                        [[v.rule_id, v.citation, _place(v), v.reason or v.message] for v in care])]
    if report.data_problems:
        lines += ["", "Problemen in de gegevens (niet door planning op te lossen):",
                  table(["regel", "bron", "plaats", "melding"],
                        [[v.rule_id, v.citation, _place(v), v.message] for v in report.data_problems])]
    return lines
