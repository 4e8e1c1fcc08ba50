"""Plan versions in the database: store a solve, load, check, save an edit with optimistic locking.

The web keeps to the solver boundary: it calls ``solver.solve.solve`` (in
:mod:`web.jobs`) and stores ``Plan.to_json()``; it never touches CP-SAT.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import load_only
from sqlalchemy.orm.exc import StaleDataError

from planner.checker import CheckReport, check_plan
from planner.domain import Bundle
from planner.plan import Plan
from planner.rules import RulePack
from web.db.models import PlanEditRow, PlanRow

# the lifecycle of a version: a solve lands as concept (a re-plan as voorstel, kept or discarded after its
# diff); one version at a time is gepubliceerd; a discarded one stays (verworpen) but is listed nowhere
CONCEPT, PUBLISHED, NO_PLAN, PROPOSAL, DISCARDED = "concept", "gepubliceerd", "geen plan", "voorstel", "verworpen"
LIVE = (CONCEPT, PUBLISHED)  # the versions the dashboard, teams and feeds may show
LISTED = (CONCEPT, PUBLISHED, NO_PLAN, PROPOSAL)
COMPLETE, INCOMPLETE = "compleet", "onvolledig"

STALE_MESSAGE = ("Iemand anders heeft dit intussen gewijzigd. Uw wijziging is niet opgeslagen; "
                 "laad de pagina opnieuw en voer de wijziging opnieuw in.")


class StaleEdit(Exception):
    """The record changed since the user loaded it: the save is refused."""

    def __init__(self, message: str = STALE_MESSAGE):
        super().__init__(message)


def load_plan_data(store, plan_id: int) -> Plan | None:
    with store.session() as s:
        row = s.get(PlanRow, plan_id)
        return Plan.from_json(row.data) if row is not None and row.data else None


def solve_meta(result) -> dict:
    """What the plan pages show of a solve: status, objective, bound, gap, seconds, explanation, stages."""
    return {"status": result.status, "objective": result.objective, "bound": result.bound,
            "gap": result.gap, "seconds": round(result.seconds, 2), "explanation": list(result.explanation),
            "stages": result.stages}


def summarize(bundle: Bundle, pack: RulePack, plan: Plan | None, report: dict | None,
              stopped: bool = False) -> tuple[str, dict]:
    """(completeness, summary) of one version, stored in its row so lists never read the plan's JSON.

    *onvolledig*: the solve was stopped, or the checker finds care not delivered (a shortfall, omvang not
    planned, a cancelled session). Hard violations are counted apart (``hard``): they are wrong decisions,
    not missing care.
    """
    from web.planviews import coverage

    if plan is None:
        return NO_PLAN, {}
    cov = coverage(plan, report, bundle, pack)
    report = report or {}
    planned = sum(int((c.end - c.start).total_seconds() // 60) for c in plan.contacts)
    summary = {"served": cov["served"], "total": cov["total"], "contacts": cov["contacts"],
               "sessions_held": cov["sessions_held"], "sessions": cov["sessions"],
               "planned_minutes": planned, "unmet_minutes": cov["unmet_minutes"],
               "unmet_toewijzingen": len(report.get("unmet", [])), "hard": cov["hard"],
               "not_delivered": cov["not_delivered"], "data": cov["data"], "soft": cov["soft"],
               "cancelled": len(report.get("cancelled_sessions", []))}
    incomplete = stopped or cov["not_delivered"] or cov["unmet_minutes"] > 0 or summary["cancelled"]
    return (INCOMPLETE if incomplete else COMPLETE), summary


# --- open items and overrides ----------------------------------------------------------------
def item_key(v: dict) -> str:
    """A finding's identity across versions: rule and message (as :func:`new_hard`); omvang by toewijzing."""
    if v.get("kind") == "omvang":
        return f"omvang|{v['toewijzing_id']}"
    return f"{v['rule_id']}|{v['message']}"


def field_name(key: str) -> str:
    """The form field of an open item's reason (a short hash: messages are no field names)."""
    return "reden_" + hashlib.sha1(key.encode()).hexdigest()[:12]


def open_items(report: dict | None) -> list[dict]:
    """What publishing overrules: hard violations (wrong decisions), care not delivered, omvang not planned."""
    from web.planviews import finding_category

    items = []
    for v in (report or {}).get("violations", []):
        cat = finding_category(v)
        if cat in ("fout", "niet_geleverd"):
            items.append({**v, "category": cat})
    for u in (report or {}).get("unmet", []):
        missing = max(0, u["required_minutes"] - u["planned_minutes"])
        if missing:
            items.append({"rule_id": "omvang", "kind": "omvang", "severity": "hard", "category": "niet_geleverd",
                          "citation": "", "toewijzing_id": u["toewijzing_id"], "entities": [["toewijzing", u["toewijzing_id"]]],
                          "message": f"Toewijzing {u['toewijzing_id']}: {missing} van {u['required_minutes']} minuten "
                                     "niet ingepland."})
    for it in items:
        it["key"] = item_key(it)
        it["field"] = field_name(it["key"])
    return items


def _override_entries(s, plan_id: int | None, pending: list[PlanEditRow] | tuple = ()) -> list[PlanEditRow]:
    """The override rows of a version, oldest first, plus ``pending`` ones not yet flushed (no autoflush:
    a save writes its row once, so its version moves by one)."""
    rows: list[PlanEditRow] = []
    if plan_id is not None:
        with s.no_autoflush:
            rows = list(s.scalars(select(PlanEditRow).where(PlanEditRow.plan_id == plan_id,
                                                            PlanEditRow.override.is_(True))
                                  .order_by(PlanEditRow.id)).all())
    return rows + [p for p in pending if p.override and p not in rows]


def _by_key(entries: list[PlanEditRow]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for e in entries:
        for v in e.violations or []:
            out[item_key(v)] = {"reason": e.reason, "username": e.username, "at": e.at, "action": e.action,
                                "rule_id": v.get("rule_id", ""), "message": v.get("message", "")}
    return out


def overrides(s, plan_id: int) -> dict[str, dict]:
    """Per overruled item (:func:`item_key`): reason, who, when, and how (edit, publish, carried forward)."""
    return _by_key(_override_entries(s, plan_id))


def mark_overruled(findings: list[dict], overruled: dict[str, dict]) -> list[dict]:
    """The findings with ``overruled`` (reason, who, when) where an override covers them."""
    return [{**v, "overruled": overruled.get(item_key(v))} for v in findings]


def _apply_overrides(row: PlanRow, entries: list[PlanEditRow]) -> None:
    """The overrides into ``plan.meta["overrides"]`` (so exports mark them without the database) and the
    count of overruled open items into the summary; in memory, written with the row's own save."""
    done = _by_key(entries)
    if row.data:
        listed = [{"regel": o["rule_id"], "melding": o["message"], "reden": o["reason"], "door": o["username"],
                   "wanneer": o["at"].strftime("%Y-%m-%d %H:%M")} for o in done.values()]
        meta = dict(row.data.get("meta") or {})
        if meta.get("overrides", []) != listed:
            meta["overrides"] = listed
            row.data = {**row.data, "meta": meta}
    row.summary = {**(row.summary or {}), "overruled": sum(1 for it in open_items(row.report) if it["key"] in done)}


def _copies(s, source_id: int) -> list[PlanEditRow]:
    """Copies of the override log of ``source_id`` for a new version (a re-plan or a new draft keeps its
    reasons); their ``plan_id`` is set once the new version has its id."""
    out = []
    for e in _override_entries(s, source_id):
        action = e.action if e.action.startswith("overgenomen uit") else f"overgenomen uit versie {source_id}: {e.action}"
        out.append(PlanEditRow(at=e.at, username=e.username, action=action, override=True, reason=e.reason,
                               violations=list(e.violations or [])))
    return out


def fill_summary(row: PlanRow, bundle: Bundle, pack: RulePack) -> PlanRow:
    """A version stored without summary columns (inserted directly, by an older release) gets them in
    memory, so its page shows a status word; nothing is written."""
    if not row.completeness:
        plan = Plan.from_json(row.data) if row.data else None
        row.completeness, summary = summarize(bundle, pack, plan, row.report, row.stopped)
        row.summary = {**summary, **(row.summary or {})}
    return row


def save_solved(store, bundle: Bundle, pack: RulePack, result, job, on_saved=None) -> int:
    """Insert the solve's outcome as a new version (or a 'geen plan' row with the explanation).

    A first solve lands as ``concept``; a re-plan (``job.parent_id``) as ``voorstel``, kept or discarded after
    its diff, with the override log of the version it came from.  ``job.stopped``: the user stopped the solve
    (the version is *onvolledig*).  ``on_saved(session, plan_id)`` runs inside the same transaction (the job
    queue marks its job done there, so the plan row and the job's state commit together or not at all).
    """
    from web.freshness import data_fingerprint

    now = datetime.now()
    plan = result.plan
    stopped = bool(getattr(job, "stopped", False))
    if plan is not None and stopped:
        plan.meta["gestopt"] = True
    report = check_plan(bundle, pack, plan).to_json() if plan is not None else None
    completeness, summary = summarize(bundle, pack, plan, report, stopped)
    label = f"Plan {job.period_start:%d-%m-%Y}, {job.weeks} week" + ("" if job.weeks == 1 else "en")
    status = NO_PLAN if plan is None else (PROPOSAL if job.parent_id else CONCEPT)
    with store.session() as s:
        parent = s.get(PlanRow, job.parent_id) if job.parent_id else None
        row = PlanRow(parent_id=parent.id if parent else None, label=label, period_start=job.period_start,
                      weeks=job.weeks, status=status, data=plan.to_json() if plan is not None else None, report=report,
                      solve=solve_meta(result), created_by=job.username, created_at=now, updated_at=now,
                      completeness=completeness, stopped=stopped, summary=summary,
                      fingerprint=data_fingerprint(bundle))
        carried = _copies(s, parent.id) if parent is not None and plan is not None else []
        if carried:
            _apply_overrides(row, carried)
        s.add(row)
        s.flush()
        for e in carried:
            e.plan_id = row.id
            s.add(e)
        if on_saved is not None:
            on_saved(s, row.id)
        return row.id


def latest_plan(s) -> PlanRow | None:
    """The published plan if any, else the newest draft with data (never a proposal or a discarded one)."""
    plan_id = s.scalar(select(PlanRow.id).where(PlanRow.status == PUBLISHED).order_by(PlanRow.id.desc()).limit(1))
    if plan_id is None:
        plan_id = s.scalar(select(PlanRow.id).where(PlanRow.status == CONCEPT, PlanRow.data.is_not(None))
                           .order_by(PlanRow.id.desc()).limit(1))
    return s.get(PlanRow, plan_id) if plan_id is not None else None  # one row's JSON, whatever the number


SUMMARY_COLUMNS = (PlanRow.id, PlanRow.parent_id, PlanRow.label, PlanRow.period_start, PlanRow.weeks,
                   PlanRow.status, PlanRow.version, PlanRow.created_by, PlanRow.created_at, PlanRow.updated_at,
                   PlanRow.completeness, PlanRow.stopped, PlanRow.summary, PlanRow.fingerprint)


def list_versions(s, limit: int = 100) -> list[PlanRow]:
    """The versions for a list, newest first, with their summary columns only (no plan JSON, no report)."""
    return list(s.scalars(select(PlanRow).options(load_only(*SUMMARY_COLUMNS, raiseload=True))
                          .where(PlanRow.status.in_(LISTED)).order_by(PlanRow.id.desc()).limit(limit)).all())


def new_hard(before: CheckReport | dict | None, after: CheckReport) -> list:
    """Hard violations the edit introduces (not present before it)."""
    old = set()
    if isinstance(before, dict):
        old = {(v["rule_id"], v["message"]) for v in before.get("violations", []) if v["severity"] == "hard"}
    elif before is not None:
        old = {(v.rule_id, v.message) for v in before.hard}
    return [v for v in after.hard if (v.rule_id, v.message) not in old]


def save_edit(store, plan_id: int, expected_version: int, plan: Plan, report: CheckReport, username: str,
              action: str, reason: str = "", override: list | None = None) -> int:
    """Store an edited plan if nobody saved in between; log the edit (and any override with its reason).

    Returns the new version.  Raises :class:`StaleEdit` when ``expected_version`` is old.
    """
    try:
        with store.session() as s:
            row = s.get(PlanRow, plan_id)
            if row is None or row.version != expected_version:
                raise StaleEdit()
            if row.status == PUBLISHED:
                raise StaleEdit("Een gepubliceerd plan wijzigt u niet; maak eerst een nieuwe conceptversie.")
            if row.status == DISCARDED:
                raise StaleEdit("Deze versie is verworpen; kies een andere versie.")
            row.data, row.report, row.updated_at = plan.to_json(), report.to_json(), datetime.now()
            bundle, pack = store.bundle()
            row.completeness, summary = summarize(bundle, pack, plan, row.report, row.stopped)
            edit = PlanEditRow(plan_id=plan_id, at=datetime.now(), username=username, action=action,
                               override=bool(override), reason=reason,
                               violations=[v.to_json() for v in override or []])
            row.summary = summary
            _apply_overrides(row, _override_entries(s, plan_id, [edit]))
            s.add(edit)
            s.flush()  # the UPDATE carries "WHERE version = loaded": a concurrent save raises here
            return row.version
    except StaleDataError:
        raise StaleEdit() from None


def copy_as_draft(store, plan_id: int, username: str) -> int:
    """A new draft version with the same data and override log (to edit a published plan)."""
    now = datetime.now()
    with store.session() as s:
        src = s.get(PlanRow, plan_id)
        row = PlanRow(parent_id=src.id, label=src.label, period_start=src.period_start, weeks=src.weeks,
                      status=CONCEPT, data=src.data, report=src.report, solve=src.solve, created_by=username,
                      created_at=now, updated_at=now, completeness=src.completeness, stopped=src.stopped,
                      summary=src.summary, fingerprint=src.fingerprint)
        carried = _copies(s, src.id)
        s.add(row)
        s.flush()
        for e in carried:
            e.plan_id = row.id
            s.add(e)
        return row.id


class NeedsReasons(Exception):
    """Publishing would overrule open items without a reason (or was not confirmed)."""

    def __init__(self, missing: list[dict], confirmed: bool = True):
        super().__init__(f"{len(missing)} open punt(en) zonder reden")
        self.missing, self.confirmed = missing, confirmed


def publish(store, plan_id: int, expected_version: int, username: str = "", reasons: dict[str, str] | None = None,
            confirmed: bool = False, default_reason: str = "") -> int:
    """Publish one version after confirmation; the previously published one goes back to draft.

    Every open item (hard violation, care not delivered, omvang not planned) that no earlier override covers
    needs a reason in ``reasons`` (by :func:`field_name`; ``default_reason``, typed once by the user, serves the
    items without one); each is logged as an override of this version.
    Raises :class:`NeedsReasons` when unconfirmed or a reason is missing, :class:`StaleEdit` when the version
    moved.  Returns the number of items overruled now.
    """
    reasons = {k: (v or "").strip() for k, v in (reasons or {}).items()}
    default_reason = (default_reason or "").strip()
    try:
        with store.session() as s:
            row = s.get(PlanRow, plan_id)
            if row is None or row.version != expected_version or row.data is None:
                raise StaleEdit()
            if row.status not in (CONCEPT,):
                raise StaleEdit("Alleen een conceptversie kan worden gepubliceerd.")
            done = overrides(s, plan_id)
            todo = [it for it in open_items(row.report) if it["key"] not in done]
            for it in todo:
                reasons[it["field"]] = reasons.get(it["field"]) or default_reason
            missing = [it for it in todo if not reasons[it["field"]]]
            if missing or not confirmed:
                raise NeedsReasons(missing, confirmed)
            now = datetime.now()
            logged = []
            for it in todo:
                v = {k: it[k] for k in ("rule_id", "kind", "severity", "category", "citation", "message", "entities")
                     if k in it} | ({"toewijzing_id": it["toewijzing_id"]} if "toewijzing_id" in it else {})
                logged.append(PlanEditRow(plan_id=plan_id, at=now, username=username, override=True, violations=[v],
                                          action="gepubliceerd met open punt", reason=reasons[it["field"]]))
            logged.append(PlanEditRow(plan_id=plan_id, at=now, username=username, override=False, reason="",
                                      violations=[], action=f"gepubliceerd ({row.completeness}"
                                      + (f", {len(todo)} open punt(en) overruled" if todo else "") + ")"))
            with s.no_autoflush:
                for other in s.scalars(select(PlanRow).where(PlanRow.status == PUBLISHED, PlanRow.id != plan_id)):
                    other.status = CONCEPT
            row.status = PUBLISHED
            _apply_overrides(row, _override_entries(s, plan_id, logged))
            s.add_all(logged)
            s.flush()
            return len(todo)
    except StaleDataError:
        raise StaleEdit() from None


def _set_status(store, plan_id: int, expected_version: int, allowed: tuple[str, ...], status: str,
                username: str, action: str) -> None:
    try:
        with store.session() as s:
            row = s.get(PlanRow, plan_id)
            if row is None or row.version != expected_version:
                raise StaleEdit()
            if row.status not in allowed:
                raise StaleEdit(f"Een versie met status '{row.status}' kan niet worden {action}.")
            row.status, row.updated_at = status, datetime.now()
            s.add(PlanEditRow(plan_id=plan_id, at=datetime.now(), username=username, action=action, override=False,
                              reason="", violations=[]))
            s.flush()
    except StaleDataError:
        raise StaleEdit() from None


def discard(store, plan_id: int, expected_version: int, username: str) -> None:
    """Discard a draft or a proposal: it stays in the database (verworpen) but is listed nowhere."""
    _set_status(store, plan_id, expected_version, (CONCEPT, PROPOSAL, NO_PLAN), DISCARDED, username, "verworpen")


def keep(store, plan_id: int, expected_version: int, username: str) -> None:
    """Keep a re-plan's proposal after its diff: it becomes a draft like any other."""
    _set_status(store, plan_id, expected_version, (PROPOSAL,), CONCEPT, username, "bewaard")
