"""Why a residential roster leaves a shift short: per day/night and rule, who could have worked it and why not."""

from __future__ import annotations

from solver.causes import SHORTFALL, SOFT, Cause, day_label

SHIFT_NAMES = {"D": "dagdienst 07-15", "A": "avonddienst 15-23", "N": "nacht 23-07"}


def _why_not(data, g, rb, roster, m, d: int, shift: str) -> str:
    """Why team member ``m`` does not work ``shift`` on day ``d`` (qualification, availability, absence, rest,
    hours), in Dutch with the rule id where a rule decides it."""
    from planner.timeutil import within_availability
    from solver.residential import _span  # the shift's times

    def rid(kind: str, default: str) -> str:
        return next((r.id for r in data.pack.rules_of(kind) if not r.products or g.product_code in r.products), default)

    if rb.min_education is not None and m.education < rb.min_education:
        return f"{m.id} ({m.education.value}; {rid('shift_min_education_all', 'opleiding')}: minstens {rb.min_education.value})"
    if shift == "N" and rb.night_education is not None and m.education < rb.night_education:
        return f"{m.id} ({m.education.value}; {rid('night_shift_required', 'nacht')}: minstens {rb.night_education.value})"
    start, end = _span(data.days[d], shift)
    if data.absent(m.id, start, end):
        return f"{m.id} (afwezig; {rid('absence', 'afwezigheid')})"
    if not within_availability(m, start, end):
        return f"{m.id} (niet beschikbaar; {rid('availability', 'beschikbaarheid')})"
    cells = roster.get(m.id)
    if cells is None:
        return f"{m.id} (niet ingeroosterd)"
    if cells[d] is not None:
        return f"{m.id} (werkt die dag de {SHIFT_NAMES[cells[d]]})"
    before = cells[d - 1] if d > 0 else None
    if before and (before == "N" or (before == "A" and shift == "D")):
        return f"{m.id} (rust na de {SHIFT_NAMES[before]} van de dag ervoor; {rid('daily_rest', 'dagelijkse rust')})"
    worked = sum(1 for c in cells if c is not None)
    return (f"{m.id} (uren of rust: al {worked} dienst(en), contract {m.contract_hours:g} uur per week, "
            f"hoogstens 5 dagen achter elkaar en 2 vrije dagen per week)")


def uncovered_causes(data, g, rb, roster) -> list[Cause]:
    """One cause per (day, shift) with fewer staff than a rule asks: rule id, group, day or night, how many
    short, and every team member with why not."""
    out = []
    team = [m for m in data.staff if g.team_id and g.team_id in m.teams]
    for (d, shift), asked in sorted(rb.asked.items()):
        on = [sid for sid, cells in roster.items() if cells[d] == shift]
        if shift == "N" and rb.night_education is not None:
            on = [sid for sid in on if data.bundle.staff[sid].education >= rb.night_education]
        rule, need = max(asked, key=lambda a: (a[0].severity == "hard", a[1]))
        if len(on) >= need:
            continue
        night = " (minstens " + rb.night_education.value + ")" if shift == "N" and rb.night_education else ""
        who = "; ".join(_why_not(data, g, rb, roster, m, d, shift) for m in team if m.id not in on)
        level = SHORTFALL if rule.severity == "hard" else SOFT
        out.append(Cause(level, f"{rule.id} — verblijfsgroep {g.id}, {SHIFT_NAMES[shift]} van {day_label(data.days[d])}: "
                                f"{need} medewerker(s){night} nodig, {len(on)} ingeroosterd, {need - len(on)} te weinig; "
                                f"team {g.team_id or '-'}: {who or 'geen leden'}."))
    return out

