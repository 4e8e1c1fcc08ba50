"""Integrity rules (pack ``integrity``): the plan is about this bundle, and says each thing once.

These rules hold for every product (the pack has no products).  They catch what no normenkader
spells out because it goes without saying: a contact lies inside its toewijzing and the period, a
session entry names a date on which the session really occurs, a residential shift is worked by the
group's own team, a held session has staff, nothing is listed twice, and every id the plan names exists.
Every finding is a wrong decision (category ``fout``).  ``contact_by_executor`` lives in
:mod:`planner.checks.contacts`.

Unknown ids are reported here only (``plan_references``); the other checks ignore what they cannot find.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import timedelta

from planner.checker import CheckContext, Violation
from planner.plan import Contact
from planner.rules import Rule

WEEKDAY_NL = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


def _last_day(c: Contact):
    """The last calendar day a contact touches (one ending at 00:00 ends the day before)."""
    return (c.end - timedelta(microseconds=1)).date() if c.end > c.start else c.start.date()


def check_contact_within_toewijzing(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """A contact lies within its toewijzing's begindatum..einddatum (inclusive) and within the plan period."""
    for c in ctx.plan.contacts:
        t = ctx.toewijzing(c.toewijzing_id)
        if t is None or not ctx.rule_applies(rule, t):
            continue  # unknown toewijzing: plan_references
        when = f"{c.start:%Y-%m-%d %H:%M}"
        first, last = c.start.date(), _last_day(c)
        if first < t.start or last > t.end:
            yield ctx.violation(rule, f"Contact {t.id} op {when} door {c.staff_id} valt buiten de looptijd van de "
                                      f"toewijzing ({t.start.isoformat()} t/m {t.end.isoformat()}).",
                                ("toewijzing", t.id), ("medewerker", c.staff_id))
        elif c.start < ctx.period_start_dt or c.end > ctx.period_end_dt:
            yield ctx.violation(rule, f"Contact {t.id} op {when} door {c.staff_id} valt buiten de planperiode "
                                      f"({ctx.days[0].isoformat()} t/m {ctx.days[-1].isoformat()}).",
                                ("toewijzing", t.id), ("medewerker", c.staff_id))


def check_session_on_schedule(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Each session entry names a date on which the session really occurs: its weekday, inside the period.

    An unknown session id is reported by ``plan_references``.  Staff on an entry off the schedule still
    count as busy at the session's times on that date (``CheckContext.busy``).
    """
    first, last = ctx.days[0], ctx.days[-1]
    for entry in ctx.plan.sessions:
        s = ctx.bundle.sessions.get(entry.session_id)
        if s is None or not rule.applies_to(ctx.bundle.groups[s.group_id].product_code
                                            if s.group_id in ctx.bundle.groups else ""):
            continue
        why = []
        if entry.date.weekday() != s.weekday:
            why.append(f"de sessie is op {WEEKDAY_NL[s.weekday]}, niet op {WEEKDAY_NL[entry.date.weekday()]}")
        if not first <= entry.date <= last:
            why.append(f"de datum ligt buiten de planperiode ({first.isoformat()} t/m {last.isoformat()})")
        if why:
            yield ctx.violation(rule, f"Groepssessie {s.id} op {entry.date.isoformat()} bestaat niet: {' en '.join(why)}.",
                                ("groep", s.group_id), ("sessie", s.id), *(("medewerker", sid) for sid in entry.staff_ids))


def check_shift_by_team_member(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """A residential shift is worked by a member of the group's fixed team (``Groep.team_id`` in the
    staff member's ``teams``; A:3057 'Er is een vast team van begeleiders verbonden aan de groep').

    A group without a team_id names no fixed team: any known staff member may work its shifts (the
    qualification rules still apply).  Unknown groups and staff are left to ``plan_references``.
    """
    for s in ctx.plan.shifts:
        g = ctx.bundle.groups.get(s.group_id)
        m = ctx.staff(s.staff_id)
        if g is None or m is None or g.team_id is None or not rule.applies_to(g.product_code):
            continue
        if g.team_id not in m.teams:
            yield ctx.violation(rule, f"Verblijfsgroep {g.id}, dienst {s.start:%Y-%m-%d %H:%M}: {m.id} is geen lid van "
                                      f"het vaste team {g.team_id} van de groep.", ("groep", g.id), ("medewerker", m.id))


def check_held_session_staffed(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """A session occurrence with enrolled jeugdigen is held with at least one staff member present.

    Held without anyone is a wrong decision.  Cancelled, or not in the plan at all, is care not delivered
    (a shortfall: the plan is onvolledig), so the session is never silently dropped.
    """
    listed = {(s.session_id, s.date) for s in ctx.plan.sessions}
    for occ in ctx.occurrences:
        n = ctx.enrolled(occ)
        if n == 0 or not rule.applies_to(ctx.group_product(occ)):
            continue
        where = ("groep", occ.session.group_id), ("sessie", occ.session.id)
        key = (occ.session.id, occ.date)
        if key not in listed:
            yield ctx.violation(rule, f"Groepssessie {occ.label}: {n} jeugdige(n) ingeschreven en de sessie staat niet "
                                      "in het plan (niet ingepland).", *where, shortfall=True)
        elif key in ctx.cancelled:
            yield ctx.violation(rule, f"Groepssessie {occ.label}: {n} jeugdige(n) ingeschreven en de sessie is "
                                      "geannuleerd.", *where, shortfall=True)
        elif not ctx.staff_at(occ):
            yield ctx.violation(rule, f"Groepssessie {occ.label}: {n} jeugdige(n) ingeschreven en niemand aanwezig "
                                      "(de sessie is niet geannuleerd).", *where)


def _twice(items: Iterable) -> list:
    """Items that occur more than once, each once, in first-seen order."""
    counts = Counter(items)
    return [x for x in dict.fromkeys(counts) if counts[x] > 1]


def check_no_duplicates(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Nothing is listed twice: a person twice in one session entry or as executor of one toewijzing, a
    session date or toewijzing twice, an identical contact, shift, on-call block or casusregie twice.

    A second listing would otherwise count twice (towards a ratio, "drie behandelaars", a caseload).
    """
    p = ctx.plan
    for e in p.sessions:
        for sid in _twice(e.staff_ids):
            yield ctx.violation(rule, f"Groepssessie {e.session_id} op {e.date.isoformat()}: {sid} staat er dubbel in.",
                                ("sessie", e.session_id), ("medewerker", sid))
    for sid, d in _twice((e.session_id, e.date) for e in p.sessions):
        yield ctx.violation(rule, f"Groepssessie {sid} op {d.isoformat()} staat meer dan eens in het plan.",
                            ("sessie", sid))
    for a in p.caseload:
        for sid in _twice(a.executor_ids):
            yield ctx.violation(rule, f"Toewijzing {a.toewijzing_id}: uitvoerder {sid} staat er dubbel in.",
                                ("toewijzing", a.toewijzing_id), ("medewerker", sid))
    for tid in _twice(a.toewijzing_id for a in p.caseload):
        yield ctx.violation(rule, f"Toewijzing {tid} staat meer dan eens in de caseload.", ("toewijzing", tid))
    for c in _twice((c.toewijzing_id, c.staff_id, c.start, c.end, c.kind, c.one_on_one) for c in p.contacts):
        yield ctx.violation(rule, f"Contact {c[0]} op {c[2]:%Y-%m-%d %H:%M} door {c[1]} staat dubbel in het plan.",
                            ("toewijzing", c[0]), ("medewerker", c[1]))
    for s in _twice((s.group_id, s.staff_id, s.start, s.end, s.kind) for s in p.shifts):
        yield ctx.violation(rule, f"Dienst {s[0]} op {s[2]:%Y-%m-%d %H:%M} van {s[1]} staat dubbel in het plan.",
                            ("groep", s[0]), ("medewerker", s[1]))
    for o in _twice((o.team_id, o.staff_id, o.start, o.end) for o in p.oncall):
        yield ctx.violation(rule, f"Bereikbaarheidsdienst {o[0]} van {o[1]} vanaf {o[2]:%Y-%m-%d %H:%M} staat dubbel "
                                  "in het plan.", ("team", o[0]), ("medewerker", o[1]))
    for g, sid in _twice((c.gezin_id, c.staff_id) for c in p.casusregie):
        yield ctx.violation(rule, f"Gezin {g}: casusregie van {sid} staat dubbel in het plan.",
                            ("gezin", g), ("medewerker", sid))


def _named(ctx: CheckContext) -> dict[str, list[tuple[str, str]]]:
    """Per entity type, (id, where) for every id the plan's own decisions name (history lists excluded:
    they are the previous plan's and may name staff who have left)."""
    p, out = ctx.plan, defaultdict(list)
    for a in p.caseload:
        out["toewijzing"].append((a.toewijzing_id, "caseload"))
        out["medewerker"] += [(sid, f"caseload {a.toewijzing_id}") for sid in a.executor_ids]
        if a.responsible_id:
            out["medewerker"].append((a.responsible_id, f"caseload {a.toewijzing_id}"))
    for u in p.unserved:
        out["toewijzing"].append((u.toewijzing_id, "niet bemenst"))
    for c in p.casusregie:
        out["gezin"].append((c.gezin_id, "casusregie"))
        out["medewerker"].append((c.staff_id, f"casusregie {c.gezin_id}"))
    for e in p.sessions:
        out["sessie"].append((e.session_id, f"groepssessie {e.date.isoformat()}"))
        out["medewerker"] += [(sid, f"groepssessie {e.session_id} {e.date.isoformat()}") for sid in e.staff_ids]
    for o in p.oncall:
        out["team"].append((o.team_id, "bereikbaarheid"))
        out["medewerker"].append((o.staff_id, f"bereikbaarheid {o.team_id}"))
    for c in p.contacts:
        out["toewijzing"].append((c.toewijzing_id, "contact"))
        out["medewerker"].append((c.staff_id, f"contact {c.toewijzing_id}"))
    for s in p.shifts:
        out["groep"].append((s.group_id, "dienst"))
        out["medewerker"].append((s.staff_id, f"dienst {s.group_id}"))
    return out


ENTITY_NL = {"medewerker": "medewerker", "toewijzing": "toewijzing", "sessie": "groepssessie", "groep": "groep",
             "team": "team", "gezin": "gezin"}


def check_plan_references(ctx: CheckContext, rule: Rule) -> Iterator[Violation]:
    """Every id the plan names exists in the bundle (medewerker, toewijzing, session, group, team, gezin).

    One violation per unknown id, naming where it is used; the other checks ignore unknown ids.
    """
    b = ctx.bundle
    known = {"medewerker": b.staff, "toewijzing": b.toewijzingen, "sessie": b.sessions, "groep": b.groups,
             "team": b.teams, "gezin": b.gezinnen}
    for kind, refs in _named(ctx).items():
        where: dict[str, list[str]] = defaultdict(list)
        for ref, place in refs:
            if ref not in known[kind]:
                where[ref].append(place)
        for ref, places in sorted(where.items()):
            shown = ", ".join(list(dict.fromkeys(places))[:3]) + (" ..." if len(set(places)) > 3 else "")
            yield ctx.violation(rule, f"Het plan noemt {ENTITY_NL[kind]} {ref}, die niet in de gegevens staat ({shown}).",
                                (kind, ref), amount=len(places))
