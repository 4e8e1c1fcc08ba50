"""Manual plan edits as pure functions: plan + form -> edited copy, description, field errors.

Kinds: move a contact (other time and/or other medewerker), swap a staff member
in one group-session occurrence, change an on-call block (other medewerker
and/or times).  Each can also pin or unpin the item so a re-plan keeps it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from planner.domain import Bundle
from planner.plan import Plan
from web.forms import parse_local_datetime

KINDS = {"contact": "contacts", "sessie": "sessions", "dienst": "oncall"}


def copy_plan(plan: Plan) -> Plan:
    return Plan.from_json(plan.to_json())


def item(plan: Plan, kind: str, index: int):
    """The item an edit points at, or None."""
    lst = getattr(plan, KINDS.get(kind, ""), None)
    if lst is None or not 0 <= index < len(lst):
        return None
    return lst[index]


def apply_edit(bundle: Bundle, plan: Plan, form) -> tuple[Plan | None, str, dict[str, str]]:
    """The edited copy, a Dutch description for the edit log, and field errors (empty when valid)."""
    kind = form.get("soort") or ""
    try:
        index = int(form.get("index") or -1)
    except ValueError:
        index = -1
    current = item(plan, kind, index)
    if current is None:
        return None, "", {"algemeen": "Dit onderdeel bestaat niet (meer) in het plan; laad de pagina opnieuw."}
    new = copy_plan(plan)
    lst = getattr(new, KINDS[kind])
    pinned = form.get("vast") == "ja"
    edit = {"contact": _contact, "sessie": _session, "dienst": _oncall}[kind]
    updated, what, errors = edit(bundle, lst[index], form)
    if errors:
        return None, "", errors
    lst[index] = replace(updated, pinned=pinned)
    if pinned != current.pinned:
        what += "; vastgezet" if pinned else "; losgemaakt"
    return new, what, {}


def _staff(bundle: Bundle, raw: str | None, field: str, errors: dict) -> str | None:
    sid = (raw or "").strip()
    if sid and sid not in bundle.staff:
        errors[field] = f"Onbekende medewerker {sid}."
        return None
    return sid or None


def _times(form, start_field: str, end_field: str | None, errors: dict) -> tuple[datetime | None, datetime | None]:
    start = end = None
    if form.get(start_field):
        start = parse_local_datetime(form.get(start_field))
        if start is None:
            errors[start_field] = "Geen geldige datum en tijd."
    if end_field and form.get(end_field):
        end = parse_local_datetime(form.get(end_field))
        if end is None:
            errors[end_field] = "Geen geldige datum en tijd."
    return start, end


def _contact(bundle: Bundle, c, form):
    errors: dict[str, str] = {}
    staff = _staff(bundle, form.get("medewerker"), "medewerker", errors) or c.staff_id
    start, _ = _times(form, "begin", None, errors)
    if errors:
        return c, "", errors
    start = start or c.start
    moved = replace(c, staff_id=staff, start=start, end=start + (c.end - c.start))
    what = f"contact {c.toewijzing_id}: {c.staff_id} {c.start:%d-%m %H:%M} -> {staff} {start:%d-%m %H:%M}"
    return moved, what, {}


def _session(bundle: Bundle, s, form):
    errors: dict[str, str] = {}
    out = (form.get("vervang") or "").strip()
    into = _staff(bundle, form.get("door"), "door", errors)
    if out and out not in s.staff_ids:
        errors["vervang"] = f"{out} staat niet op deze sessie."
    if into and into in s.staff_ids and into != out:
        errors["door"] = f"{into} staat al op deze sessie."
    if errors:
        return s, "", errors
    staff = [x for x in s.staff_ids if x != out] + ([into] if into else [])
    what = f"sessie {s.session_id} {s.date:%d-%m}: {out or '-'} -> {into or '-'}"
    return replace(s, staff_ids=tuple(staff)), what, {}


def _oncall(bundle: Bundle, b, form):
    errors: dict[str, str] = {}
    staff = _staff(bundle, form.get("medewerker"), "medewerker", errors) or b.staff_id
    start, end = _times(form, "begin", "einde", errors)
    start, end = start or b.start, end or b.end
    if not errors and end <= start:
        errors["einde"] = "Het einde ligt niet na het begin."
    if errors:
        return b, "", errors
    what = (f"bereikbaarheid {b.team_id}: {b.staff_id} {b.start:%d-%m %H:%M}-{b.end:%d-%m %H:%M} -> "
            f"{staff} {start:%d-%m %H:%M}-{end:%d-%m %H:%M}")
    return replace(b, staff_id=staff, start=start, end=end), what, {}


def keep_pinned(previous: Plan, plan: Plan) -> int:
    """Put pinned on-call blocks and contacts of ``previous`` back into a re-planned ``plan``.

    The solver honours pinned caseload, session staffing and contacts, and pinned
    on-call per whole day; this puts a pinned block back with its exact times (the
    overlapping parts of other blocks of that team are cut away, the rest kept) and
    a pinned contact in place of the new contacts of its toewijzing that day.  The
    checker then judges the result.
    Returns the number of items put back.
    """
    count = 0
    for b in (b for b in previous.oncall if b.pinned):
        # the solver already keeps the pinned person on call for the whole day(s); cut the pinned block out
        # of the overlapping blocks so its exact times stay and the rest of the day stays covered
        plan.oncall = [piece for x in plan.oncall for piece in (_outside(x, b) if _covered(x, b) else [x])]
        plan.oncall.append(b)
        count += 1
    for c in (c for c in previous.contacts if c.pinned):
        plan.contacts = [x for x in plan.contacts
                         if not (x.toewijzing_id == c.toewijzing_id and x.start.date() == c.start.date())]
        plan.contacts.append(c)
        count += 1
    plan.oncall.sort(key=lambda b: (b.team_id, b.start))
    plan.contacts.sort(key=lambda c: (c.start, c.staff_id))
    return count


def _outside(block, pinned) -> list:
    """The parts of ``block`` before and after ``pinned``."""
    from dataclasses import replace

    parts = []
    if block.start < pinned.start:
        parts.append(replace(block, end=pinned.start))
    if pinned.end < block.end:
        parts.append(replace(block, start=pinned.end))
    return parts


def _covered(block, pinned) -> bool:
    """A block of the same team that overlaps the pinned one."""
    return block.team_id == pinned.team_id and block.start < pinned.end and pinned.start < block.end

