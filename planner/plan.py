"""A plan: the decisions of PLANNING.md section 3, and its JSON format (docs/data-format.md)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

PLAN_FORMAT_VERSION = 1

ContactKind = Literal["contact", "intake", "regie"]
ShiftKind = Literal["dag", "avond", "slaapnacht", "waaknacht", "aanwezig"]  # aanwezig: regiebehandelaar on location (A:3095)


@dataclass(frozen=True, slots=True)
class CaseAssignment:
    """Who executes a toewijzing and who is responsible for it."""

    toewijzing_id: str
    executor_ids: tuple[str, ...]
    responsible_id: str | None = None
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class Unserved:
    """A toewijzing the plan could not serve this period: unmet demand with its reason (Dutch)."""

    toewijzing_id: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Casusregie:
    """The one casusregisseur of a gezin with several trajectories (F:21)."""

    gezin_id: str
    staff_id: str


@dataclass(frozen=True, slots=True)
class SessionStaffing:
    """The staff present at one occurrence (date) of a recurring group session."""

    session_id: str
    date: date
    staff_ids: tuple[str, ...]
    pinned: bool = False
    cancelled: bool = False  # not held: unmet demand, not a staffing violation


@dataclass(frozen=True, slots=True)
class OnCallBlock:
    team_id: str
    staff_id: str
    start: datetime
    end: datetime
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class Contact:
    """A contact moment: a home visit, session or one-on-one regie contact."""

    toewijzing_id: str
    staff_id: str
    start: datetime
    end: datetime
    kind: ContactKind = "contact"
    one_on_one: bool = False
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class Shift:
    """A residential shift worked by one staff member (night shifts drive on-call rules)."""

    group_id: str
    staff_id: str
    start: datetime
    end: datetime
    kind: ShiftKind = "dag"
    pinned: bool = False


@dataclass(slots=True)
class Plan:
    period_start: date
    weeks: int
    caseload: list[CaseAssignment] = field(default_factory=list)
    unserved: list[Unserved] = field(default_factory=list)
    casusregie: list[Casusregie] = field(default_factory=list)
    sessions: list[SessionStaffing] = field(default_factory=list)
    oncall: list[OnCallBlock] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)
    # the previous period's tail, so rolling windows (28-day on-call limits) cross the edge
    history_oncall: list[OnCallBlock] = field(default_factory=list)
    history_shifts: list[Shift] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def period_end(self) -> date:
        """First day after the period."""
        from datetime import timedelta

        return self.period_start + timedelta(weeks=self.weeks)

    # --- JSON -------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        def enc(obj: Any) -> Any:
            d = asdict(obj)
            for k, v in d.items():
                if isinstance(v, (date, datetime)):
                    d[k] = v.isoformat()
                elif isinstance(v, tuple):
                    d[k] = list(v)
            return d

        return {
            "format": "jeugdhulp-planner/plan",
            "version": PLAN_FORMAT_VERSION,
            "period_start": self.period_start.isoformat(),
            "weeks": self.weeks,
            **{name: [enc(x) for x in getattr(self, name)] for name in _LISTS},
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Plan":
        if data.get("format") != "jeugdhulp-planner/plan":
            raise ValueError("geen planbestand (veld 'format' ontbreekt of is onjuist)")
        if data.get("version") != PLAN_FORMAT_VERSION:
            raise ValueError(f"planversie {data.get('version')} wordt niet ondersteund")
        plan = cls(period_start=date.fromisoformat(data["period_start"]), weeks=int(data["weeks"]),
                   meta=data.get("meta", {}))
        for name, typ in _LISTS.items():
            setattr(plan, name, [_dec(typ, row) for row in data.get(name, [])])
        return plan

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=1, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "Plan":
        return cls.from_json(json.loads(Path(path).read_text("utf-8")))


_LISTS: dict[str, type] = {
    "caseload": CaseAssignment,
    "unserved": Unserved,
    "casusregie": Casusregie,
    "sessions": SessionStaffing,
    "oncall": OnCallBlock,
    "contacts": Contact,
    "shifts": Shift,
    "history_oncall": OnCallBlock,
    "history_shifts": Shift,
}

_DATETIME_FIELDS = {"start", "end"}


def _dec(typ: type, row: dict[str, Any]) -> Any:
    kw = dict(row)
    for k, v in kw.items():
        if k in _DATETIME_FIELDS and isinstance(v, str):
            kw[k] = datetime.fromisoformat(v)
        elif k == "date":
            kw[k] = date.fromisoformat(v)
        elif isinstance(v, list):
            kw[k] = tuple(v)
    return typ(**kw)
