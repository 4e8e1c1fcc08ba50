"""Typed planning entities (PLANNING.md section 2).

Plain frozen dataclasses: the domain knows nothing of files, databases or the
solver.  Loading and validation live in :mod:`planner.bundle`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import Enum


class Education(str, Enum):
    """Education level, ordered mbo2 < mbo3 < mbo4 < hbo < hbo+ < wo < wo+.

    ``mbo2`` stands for anything below a care-related mbo3 diploma (an assistant, a student), so that
    "minimaal MBO-niveau 3" (A:2229) can be broken and checked.

    All four comparisons are defined by rank: as a ``str`` enum it would
    otherwise inherit string ordering ("mbo4" >= "hbo").
    """

    MBO2 = "mbo2"
    MBO3 = "mbo3"
    MBO4 = "mbo4"
    HBO = "hbo"
    HBO_PLUS = "hbo+"
    WO = "wo"
    WO_PLUS = "wo+"

    @property
    def rank(self) -> int:
        return _EDUCATION_RANK[self]

    def _cmp(self, other: object) -> int:
        if not isinstance(other, Education):
            raise TypeError(f"cannot compare Education with {type(other).__name__}")
        return _EDUCATION_RANK[self] - _EDUCATION_RANK[other]

    def __lt__(self, other: object) -> bool:
        return self._cmp(other) < 0

    def __le__(self, other: object) -> bool:
        return self._cmp(other) <= 0

    def __gt__(self, other: object) -> bool:
        return self._cmp(other) > 0

    def __ge__(self, other: object) -> bool:
        return self._cmp(other) >= 0

    __hash__ = str.__hash__


_EDUCATION_RANK = {e: i for i, e in enumerate(Education)}


class Registration(str, Enum):
    SKJ = "SKJ"
    BIG = "BIG"
    NIP = "NIP"
    NVO = "NVO"
    RVT = "RVT"  # Register Vaktherapie
    KNMG = "KNMG"  # profielregister, e.g. verslavingsarts


class OmvangUnit(str, Enum):
    """iJw Eenheid codes (JW301): 01 minuut, 04 uur, 14 etmaal, 16 dagdeel, 82/84 stuks, 83 euro."""

    MINUUT = "minuut"
    UUR = "uur"
    DAGDEEL = "dagdeel"
    ETMAAL = "etmaal"
    STUKS = "stuks"
    EURO = "euro"


class OmvangFrequency(str, Enum):
    """iJw Frequentie codes: 1 per dag, 2 per week, 4 per maand, 6 totaal binnen geldigheidsduur."""

    PER_DAG = "per_dag"
    PER_WEEK = "per_week"
    PER_MAAND = "per_maand"
    TOTAAL = "totaal"


class AbsenceKind(str, Enum):
    VERLOF = "verlof"
    ZIEKTE = "ziekte"
    TRAINING = "training"
    OVERIG = "overig"


class WishKind(str, Enum):
    """A staff member's shift wish: work it (wel) or not (niet)."""

    WEL = "wel"
    NIET = "niet"


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A weekly recurring window: weekday 0=Monday .. 6=Sunday."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class Absence:
    staff_id: str
    start: datetime
    end: datetime
    kind: AbsenceKind = AbsenceKind.VERLOF


@dataclass(frozen=True, slots=True)
class ShiftWish:
    """A wish for a residential shift on a date: D (dag), A (avond), N (the night from that date) or ``*``
    (the whole day, only with ``niet``). Unmet, it costs ``weight`` (1-100) in the roster."""

    staff_id: str
    date: date
    shift: str
    kind: WishKind
    weight: int = 10


@dataclass(frozen=True, slots=True)
class Medewerker:
    id: str
    name: str
    education: Education
    profession: str
    registrations: frozenset[Registration] = frozenset()
    certifications: frozenset[str] = frozenset()
    contract_hours: float = 36.0
    teams: frozenset[str] = frozenset()
    gemeenten: frozenset[str] = frozenset()  # working area; empty = everywhere
    caseload_max: int | None = None
    oncall_consent_required: bool = False  # CAO: near pension, pregnant, breastfeeding
    oncall_consent: bool = True
    availability: tuple[TimeWindow, ...] = ()
    vog_date: date | None = None  # date of the latest Verklaring Omtrent het Gedrag on file (A:1213, A:4183)


@dataclass(frozen=True, slots=True)
class Gezin:
    id: str
    gemeente: str


INITIALS_MAX = 6  # "Initials only": letters and dots, e.g. "Y.K." or "IJ.B."


def initials_problem(text: str) -> str | None:
    """A Dutch reason when ``text`` is not initials only (letters and dots, at most 6 characters), else None."""
    if not text:
        return "initialen ontbreken"
    if len(text) > INITIALS_MAX or not all(ch.isalpha() or ch == "." for ch in text) or not any(
            ch.isalpha() for ch in text):
        return (f"alleen initialen: letters en punten, hoogstens {INITIALS_MAX} tekens (bv. 'Y.K.'); "
                "geen naam")
    return None


@dataclass(frozen=True, slots=True)
class Jeugdige:
    """A client, known only by pseudonymous id, initials and birth year."""

    id: str
    gezin_id: str
    initials: str
    birth_year: int
    gemeente: str


@dataclass(frozen=True, slots=True)
class Omvang:
    volume: float
    unit: OmvangUnit
    frequency: OmvangFrequency

    def minutes_per_week(self, trajectory_days: int | None = None) -> float | None:
        """Weekly demand in minutes, or None when the unit is not time (stuks, euro)."""
        per_unit = {OmvangUnit.MINUUT: 1, OmvangUnit.UUR: 60, OmvangUnit.DAGDEEL: 240,
                    OmvangUnit.ETMAAL: 1440}.get(self.unit)
        if per_unit is None:
            return None
        minutes = self.volume * per_unit
        if self.frequency is OmvangFrequency.PER_DAG:
            return minutes * 5
        if self.frequency is OmvangFrequency.PER_WEEK:
            return minutes
        if self.frequency is OmvangFrequency.PER_MAAND:
            return minutes * 12 / 52
        if trajectory_days:
            return minutes / max(trajectory_days / 7, 1)
        return None


@dataclass(frozen=True, slots=True)
class Toewijzing:
    id: str
    jeugdige_id: str
    product_code: str
    start: date
    end: date
    omvang: Omvang | None = None
    intervention: str | None = None
    team_id: str | None = None
    referral_date: date | None = None
    current_executor_id: str | None = None
    current_responsible_id: str | None = None
    last_regie_contact: date | None = None


@dataclass(frozen=True, slots=True)
class GroupSession:
    """A weekly recurring session of a group."""

    id: str
    group_id: str
    weekday: int
    start: time
    end: time
    location: str = ""


@dataclass(frozen=True, slots=True)
class Enrolment:
    group_id: str
    jeugdige_id: str
    start: date
    end: date | None = None

    def active_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Groep:
    id: str
    name: str
    product_code: str
    location: str = ""
    team_id: str | None = None  # the fixed team that staffs a residential group's shifts


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    name: str
    oncall_24_7: bool = False
    intervention: str | None = None  # certification an on-call member needs
    offers: frozenset[str] = frozenset()  # product codes the team offers (``aanbod``): duties while offered


@dataclass(frozen=True, slots=True)
class Realisatie:
    """Care delivered before the period (``realisatie.csv``): one contact of a toewijzing on a date."""

    toewijzing_id: str
    date: date
    minutes: int
    kind: str = "contact"  # contact / regie / intake, as a plan's Contact.kind
    staff_id: str | None = None


@dataclass(frozen=True, slots=True)
class HolidaySettings:
    """Which feestdagen count and whether ambulant contacts and group sessions may fall on them (manifest
    ``feestdagen``; planner.semantics.holidays).  The days come from the ``holidays`` package (NL, Dutch names)."""

    skip: tuple[str, ...] = ("Goede vrijdag",)  # names that are no day off here (CAO Jeugdzorg: not Goede vrijdag)
    extra: tuple[date, ...] = ()  # extra closing days of the provider
    contacts_allowed: bool = False  # ambulant contacts and group sessions on a feestdag


@dataclass(frozen=True, slots=True)
class Manifest:
    name: str
    rule_pack: str
    period_start: date
    weeks: int = 1
    # instroom: expected new referrals per week that replace the estimate from history (planner.inflow), each
    # {product, per_week, interventie?, team?, duur_weken?, omvang?}
    inflow: tuple[dict, ...] = ()
    holidays: HolidaySettings = HolidaySettings()


@dataclass(slots=True)
class Bundle:
    """Everything a plan is made from: one provider's data for one period."""

    manifest: Manifest
    staff: dict[str, Medewerker] = field(default_factory=dict)
    gezinnen: dict[str, Gezin] = field(default_factory=dict)
    jeugdigen: dict[str, Jeugdige] = field(default_factory=dict)
    toewijzingen: dict[str, Toewijzing] = field(default_factory=dict)
    groups: dict[str, Groep] = field(default_factory=dict)
    sessions: dict[str, GroupSession] = field(default_factory=dict)
    enrolments: list[Enrolment] = field(default_factory=list)
    teams: dict[str, Team] = field(default_factory=dict)
    absences: list[Absence] = field(default_factory=list)
    wishes: list[ShiftWish] = field(default_factory=list)
    realisatie: list[Realisatie] = field(default_factory=list)  # care history before the period

    def gezin_of(self, toewijzing: Toewijzing) -> str:
        return self.jeugdigen[toewijzing.jeugdige_id].gezin_id
