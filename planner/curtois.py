"""Curtois shift-scheduling benchmark: instance reader, roster reader/writer and the independent evaluator.

The rules are those of ``../shared/benchmarks/curtois/FORMAT.md``. This module deliberately imports
nothing from ``solver``: the evaluator is the oracle that judges the solver's rosters, so it is written
straight from the format description (window/run checks on the grid, no model code reused).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SECTIONS = ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF", "SECTION_DAYS_OFF",
            "SECTION_SHIFT_ON_REQUESTS", "SECTION_SHIFT_OFF_REQUESTS", "SECTION_COVER")

# A roster: per employee id, one cell per day holding a shift id or None (day off).
Roster = dict[str, list[str | None]]


class CurtoisFormatError(ValueError):
    """An instance or roster file that does not follow the format; the message is Dutch and names the line."""


@dataclass(frozen=True)
class Shift:
    """A shift type: length in minutes and the shifts that may not follow it the next day."""
    id: str
    minutes: int
    forbidden_next: tuple[str, ...]


@dataclass(frozen=True)
class Staff:
    """One employee's hard limits (SECTION_STAFF) and fixed days off (SECTION_DAYS_OFF)."""
    id: str
    max_shifts: dict[str, int]
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    max_weekends: int
    days_off: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Request:
    """A shift-on or shift-off request with its weight."""
    staff: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class Cover:
    """Required number of staff on a shift on a day, with the under- and over-cover weights."""
    day: int
    shift: str
    requirement: int
    weight_under: int
    weight_over: int


@dataclass
class CurtoisInstance:
    """A parsed instance file."""
    name: str
    horizon: int
    shifts: dict[str, Shift]
    staff: dict[str, Staff]
    on_requests: list[Request] = field(default_factory=list)
    off_requests: list[Request] = field(default_factory=list)
    cover: list[Cover] = field(default_factory=list)


@dataclass
class Evaluation:
    """The benchmark's verdict on a roster: penalty split into its parts, and every hard violation (Dutch)."""
    cover_penalty: int
    on_penalty: int
    off_penalty: int
    violations: list[str]

    @property
    def penalty(self) -> int:
        return self.cover_penalty + self.on_penalty + self.off_penalty

    @property
    def feasible(self) -> bool:
        return not self.violations


# ---------------------------------------------------------------- reading instances

def _int(text: str, where: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CurtoisFormatError(f"{where}: {text!r} is geen geheel getal") from None


def _section_lines(text: str) -> dict[str, list[tuple[int, str]]]:
    """Group the data lines (numbered from 1) under their SECTION_ header; comments and blanks dropped."""
    out: dict[str, list[tuple[int, str]]] = {}
    current = None
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                raise CurtoisFormatError(f"regel {no}: onbekende sectie {line!r}")
            current = line
            out.setdefault(current, [])
            continue
        if current is None:
            raise CurtoisFormatError(f"regel {no}: gegevens voor de eerste SECTION_-regel")
        out[current].append((no, line))
    return out


def _parse_shift(no: int, line: str) -> Shift:
    parts = line.split(",")
    if len(parts) != 3:
        raise CurtoisFormatError(f"regel {no}: dienst heeft 3 velden nodig (ID,minuten,verboden opvolgers)")
    nxt = tuple(p for p in parts[2].split("|") if p)
    return Shift(parts[0], _int(parts[1], f"regel {no}"), nxt)


def _parse_staff(no: int, line: str, shift_ids: list[str], horizon: int) -> Staff:
    parts = line.split(",")
    if len(parts) != 8:
        raise CurtoisFormatError(f"regel {no}: medewerker heeft 8 velden nodig, gevonden {len(parts)}")
    max_shifts = {s: horizon for s in shift_ids}  # a missing shift is unlimited (FORMAT.md)
    for pair in filter(None, parts[1].split("|")):
        sid, _, count = pair.partition("=")
        if sid not in max_shifts:
            raise CurtoisFormatError(f"regel {no}: onbekende dienst {sid!r} in MaxShifts")
        max_shifts[sid] = _int(count, f"regel {no}")
    nums = [_int(p, f"regel {no}") for p in parts[2:]]
    return Staff(parts[0], max_shifts, nums[0], nums[1], nums[2], nums[3], nums[4], nums[5])


def _parse_request(no: int, line: str, inst: CurtoisInstance) -> Request:
    parts = line.split(",")
    if len(parts) != 4:
        raise CurtoisFormatError(f"regel {no}: verzoek heeft 4 velden nodig (medewerker,dag,dienst,gewicht)")
    req = Request(parts[0], _int(parts[1], f"regel {no}"), parts[2], _int(parts[3], f"regel {no}"))
    _check_refs(no, inst, staff=req.staff, day=req.day, shift=req.shift)
    return req


def _parse_cover(no: int, line: str, inst: CurtoisInstance) -> Cover:
    parts = line.split(",")
    if len(parts) != 5:
        raise CurtoisFormatError(f"regel {no}: bezetting heeft 5 velden nodig (dag,dienst,eis,onder,boven)")
    nums = [_int(p, f"regel {no}") for p in (parts[0], *parts[2:])]
    cov = Cover(nums[0], parts[1], nums[1], nums[2], nums[3])
    _check_refs(no, inst, day=cov.day, shift=cov.shift)
    return cov


def _check_refs(no: int, inst: CurtoisInstance, staff: str | None = None, day: int | None = None,
                shift: str | None = None) -> None:
    """Every reference must name a known employee, a day inside the horizon and a known shift."""
    if staff is not None and staff not in inst.staff:
        raise CurtoisFormatError(f"regel {no}: onbekende medewerker {staff!r}")
    if day is not None and not 0 <= day < inst.horizon:
        raise CurtoisFormatError(f"regel {no}: dag {day} valt buiten de horizon 0..{inst.horizon - 1}")
    if shift is not None and shift not in inst.shifts:
        raise CurtoisFormatError(f"regel {no}: onbekende dienst {shift!r}")


def parse_instance(text: str, name: str = "instance") -> CurtoisInstance:
    """Parse the text of an instance file; raises CurtoisFormatError with a Dutch message."""
    sec = _section_lines(text)
    missing = [s for s in SECTIONS[:3] if not sec.get(s)]
    if missing:
        raise CurtoisFormatError(f"sectie(s) ontbreken of zijn leeg: {', '.join(missing)}")
    no, line = sec["SECTION_HORIZON"][0]
    horizon = _int(line, f"regel {no}")
    if horizon <= 0 or horizon % 7:
        raise CurtoisFormatError(f"regel {no}: horizon {horizon} is geen positief aantal hele weken")
    shifts = {s.id: s for s in (_parse_shift(n, ln) for n, ln in sec["SECTION_SHIFTS"])}
    staff = {p.id: p for p in (_parse_staff(n, ln, list(shifts), horizon) for n, ln in sec["SECTION_STAFF"])}
    inst = CurtoisInstance(name, horizon, shifts, staff)
    for n, ln in sec.get("SECTION_DAYS_OFF", []):
        sid, *days = ln.split(",")
        _check_refs(n, inst, staff=sid)
        offs = {_int(d, f"regel {n}") for d in days if d}
        for d in offs:
            _check_refs(n, inst, day=d)
        old = inst.staff[sid]
        inst.staff[sid] = Staff(**{**old.__dict__, "days_off": old.days_off | offs})
    inst.on_requests = [_parse_request(n, ln, inst) for n, ln in sec.get("SECTION_SHIFT_ON_REQUESTS", [])]
    inst.off_requests = [_parse_request(n, ln, inst) for n, ln in sec.get("SECTION_SHIFT_OFF_REQUESTS", [])]
    inst.cover = [_parse_cover(n, ln, inst) for n, ln in sec.get("SECTION_COVER", [])]
    return inst


def load_instance(path: Path | str) -> CurtoisInstance:
    """Read an instance file; a missing/unreadable file becomes a CurtoisFormatError too."""
    path = Path(path)
    try:
        text = path.read_text("ascii", errors="replace")
    except OSError as e:
        raise CurtoisFormatError(f"{path} niet te lezen: {e.strerror or e}") from None
    return parse_instance(text, path.stem)


# ---------------------------------------------------------------- rosters

def empty_roster(inst: CurtoisInstance) -> Roster:
    """Everybody off every day."""
    return {e: [None] * inst.horizon for e in inst.staff}


def roster_to_text(inst: CurtoisInstance, roster: Roster) -> str:
    """The RosterViewer grid: one tab-separated line per employee (SECTION_STAFF order), empty cell = off."""
    return "".join("\t".join(c or "" for c in roster[e]) + "\n" for e in inst.staff)


def roster_from_text(inst: CurtoisInstance, text: str) -> Roster:
    """Read the tab-separated grid written by roster_to_text."""
    lines = [ln.rstrip("\r") for ln in text.splitlines()]
    lines = [ln for ln in lines if ln.strip("\t ")] if len(lines) > len(inst.staff) else lines
    if len(lines) != len(inst.staff):
        raise CurtoisFormatError(f"rooster heeft {len(lines)} regels, verwacht {len(inst.staff)} (één per medewerker)")
    roster: Roster = {}
    for no, (e, line) in enumerate(zip(inst.staff, lines), start=1):
        cells = (line.split("\t") + [""] * inst.horizon)[: inst.horizon]
        if len(line.split("\t")) > inst.horizon:
            raise CurtoisFormatError(f"rooster regel {no}: meer dan {inst.horizon} dagen")
        for c in cells:
            if c and c not in inst.shifts:
                raise CurtoisFormatError(f"rooster regel {no}: onbekende dienst {c!r}")
        roster[e] = [c or None for c in cells]
    return roster


# ---------------------------------------------------------------- evaluation

def _runs(works: list[bool], value: bool) -> list[tuple[int, int]]:
    """Maximal runs (start, length) of days whose flag equals ``value``."""
    out, start = [], None
    for d, w in enumerate(works + [not value]):
        if w == value and start is None:
            start = d
        elif w != value and start is not None:
            out.append((start, d - start))
            start = None
    return out


def _staff_violations(inst: CurtoisInstance, p: Staff, row: list[str | None]) -> list[str]:
    """The hard rules 2-9 of FORMAT.md section 3 for one employee, as Dutch messages."""
    h, out = inst.horizon, []
    works = [c is not None for c in row]
    for d in range(h - 1):
        if row[d] and row[d + 1] and row[d + 1] in inst.shifts[row[d]].forbidden_next:
            out.append(f"{p.id}: dienst {row[d + 1]} op dag {d + 1} mag niet volgen op {row[d]} (dag {d})")
    for s in inst.shifts:
        n = sum(1 for c in row if c == s)
        if n > p.max_shifts.get(s, h):
            out.append(f"{p.id}: {n}x dienst {s}, maximaal {p.max_shifts[s]}")
    minutes = sum(inst.shifts[c].minutes for c in row if c)
    if not p.min_minutes <= minutes <= p.max_minutes:
        out.append(f"{p.id}: {minutes} minuten gewerkt, toegestaan {p.min_minutes}..{p.max_minutes}")
    for start, n in _runs(works, True):
        if n > p.max_consecutive:
            out.append(f"{p.id}: {n} werkdagen op rij vanaf dag {start}, maximaal {p.max_consecutive}")
        if 0 < start and start + n < h and n < p.min_consecutive:  # runs touching an edge are exempt
            out.append(f"{p.id}: {n} werkdagen op rij vanaf dag {start}, minimaal {p.min_consecutive}")
    for start, n in _runs(works, False):
        if 0 < start and start + n < h and n < p.min_days_off:
            out.append(f"{p.id}: {n} vrije dagen op rij vanaf dag {start}, minimaal {p.min_days_off}")
    weekends = sum(1 for w in range(h // 7) if works[7 * w + 5] or works[7 * w + 6])
    if weekends > p.max_weekends:
        out.append(f"{p.id}: {weekends} weekenden gewerkt, maximaal {p.max_weekends}")
    out += [f"{p.id}: werkt op vrije dag {d}" for d in sorted(p.days_off) if works[d]]
    return out


def evaluate(inst: CurtoisInstance, roster: Roster) -> Evaluation:
    """Penalty (FORMAT.md section 4) and hard violations (section 3) of a roster."""
    violations = []
    for e, p in inst.staff.items():
        row = roster.get(e)
        if row is None or len(row) != inst.horizon:
            violations.append(f"{e}: rooster ontbreekt of heeft niet {inst.horizon} dagen")
            continue
        violations += _staff_violations(inst, p, list(row))
    def cell(e: str, d: int) -> str | None:
        row = roster.get(e) or []
        return row[d] if d < len(row) else None

    on = sum(r.weight for r in inst.on_requests if cell(r.staff, r.day) != r.shift)
    off = sum(r.weight for r in inst.off_requests if cell(r.staff, r.day) == r.shift)
    counts: dict[tuple[int, str], int] = {}
    for e in inst.staff:
        for d in range(inst.horizon):
            if cell(e, d):
                counts[d, cell(e, d)] = counts.get((d, cell(e, d)), 0) + 1
    cover = 0
    for c in inst.cover:
        n = counts.get((c.day, c.shift), 0)
        cover += (c.requirement - n) * c.weight_under if n < c.requirement else (n - c.requirement) * c.weight_over
    return Evaluation(cover, on, off, violations)
