"""Load and validate a data bundle (docs/data-format.md) into a :class:`planner.domain.Bundle`.

Every row of every file is validated and ALL problems are reported at once as
:class:`Issue` rows (file, row, field, Dutch reason) in a :class:`BundleError`;
bad input never ends in a traceback.  Column names are matched case- and
accent-insensitively with Dutch and English aliases (``SCHEMA``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from planner.bundle_csv import (Column, FieldError, Issue, match_columns, norm_key, parse_absence_kind, parse_bool,
                                parse_date, parse_datetime, parse_education, parse_float, parse_frequency, parse_int,
                                parse_registration, parse_time, parse_unit, parse_weekday, parse_wish_kind,
                                parse_wish_shift, read_rows, read_text, split_list, wish_problems)
from planner.bundle_history import COLUMNS as REALISATIE_COLUMNS, load_realisatie
from planner.bundle_manifest import read_manifest
from planner.domain import (Absence, Bundle, Enrolment, Gezin, Groep, GroupSession, Jeugdige, Manifest, Medewerker,
                            Omvang, ShiftWish, Team, TimeWindow, Toewijzing)
from planner.rules import RulePack

__all__ = ["BundleError", "Issue", "SCHEMA", "load_bundle", "load_bundle_with_pack", "validate_bundle"]

C = Column
SCHEMA: dict[str, list[Column]] = {
    "teams.csv": [C("id", ("team_id", "team"), True), C("naam", ("name",)),
                  C("bereikbaarheid_24_7", ("oncall_24_7", "24_7", "bereikbaarheid", "oncall")),
                  C("interventie", ("intervention",)), C("aanbod", ("biedt_aan", "offers", "producten"))],
    "medewerkers.csv": [
        C("id", ("medewerker_id", "staff_id"), True), C("naam", ("name",), True),
        C("opleiding", ("opleidingsniveau", "education"), True), C("beroep", ("profession", "functie"), True),
        C("registraties", ("registratie", "registrations")), C("certificeringen", ("certificering", "certifications")),
        C("contracturen", ("contract_uren", "uren", "contract_hours")), C("teams", ("team",)),
        C("gemeenten", ("werkgebied", "gemeente", "municipalities")), C("caseload_max", ("max_caseload", "caseload")),
        C("toestemming_vereist", ("oncall_consent_required", "consent_required")),
        C("toestemming_bereikbaarheid", ("toestemming", "oncall_consent", "consent")),
        C("vog_datum", ("vog", "vog_date"))],
    "beschikbaarheid.csv": [C("medewerker_id", ("medewerker", "staff_id"), True),
                            C("weekdag", ("dag", "weekday", "day"), True),
                            C("van", ("start", "from"), True), C("tot", ("eind", "end", "to", "until"), True)],
    "afwezigheid.csv": [C("medewerker_id", ("medewerker", "staff_id"), True), C("van", ("start", "from"), True),
                        C("tot", ("eind", "end", "to", "until"), True), C("soort", ("kind", "type"))],
    "wensen.csv": [C("medewerker_id", ("medewerker", "staff_id"), True), C("datum", ("date",), True),
                   C("dienst", ("shift",)), C("soort", ("wens", "kind", "type"), True), C("gewicht", ("weight",))],
    "gezinnen.csv": [C("id", ("gezin_id", "family_id"), True), C("gemeente", ("municipality",), True)],
    "jeugdigen.csv": [C("id", ("jeugdige_id", "client_id"), True), C("gezin_id", ("gezin", "family_id"), True),
                      C("initialen", ("initials",), True), C("geboortejaar", ("birth_year",), True),
                      C("gemeente", ("municipality",))],
    "toewijzingen.csv": [
        C("id", ("toewijzing_id", "allocation_id"), True), C("jeugdige_id", ("jeugdige", "client_id"), True),
        C("productcode", ("product", "product_code"), True), C("interventie", ("intervention",)),
        C("begindatum", ("start", "ingangsdatum", "start_date"), True),
        C("einddatum", ("eind", "end", "end_date"), True), C("volume", ("omvang",)), C("eenheid", ("unit",)),
        C("frequentie", ("frequency",)), C("team_id", ("team",)), C("verwijsdatum", ("referral_date",)),
        C("huidige_uitvoerder", ("uitvoerder", "current_executor_id", "current_executor")),
        C("huidige_verantwoordelijke", ("verantwoordelijke", "current_responsible_id", "current_responsible")),
        C("laatste_regiecontact", ("last_regie_contact",))],
    "groepen.csv": [C("id", ("groep_id", "group_id"), True), C("naam", ("name",)),
                    C("productcode", ("product", "product_code"), True), C("locatie", ("location",)),
                    C("team_id", ("team",))],
    "sessies.csv": [C("id", ("sessie_id", "session_id"), True), C("groep_id", ("groep", "group_id"), True),
                    C("weekdag", ("dag", "weekday", "day"), True), C("van", ("start", "from"), True),
                    C("tot", ("eind", "end", "to", "until"), True), C("locatie", ("location",))],
    "inschrijvingen.csv": [C("groep_id", ("groep", "group_id"), True),
                           C("jeugdige_id", ("jeugdige", "client_id"), True),
                           C("begindatum", ("start", "start_date"), True), C("einddatum", ("eind", "end", "end_date"))],
    "realisatie.csv": REALISATIE_COLUMNS,  # care history before the period (planner.bundle_history)
}
# Privacy: a bundle holds pseudonymous ids only (PLANNING.md section 2).
FORBIDDEN = {"jeugdigen.csv": {"bsn", "naam", "name", "voornaam", "achternaam", "burgerservicenummer"},
             "gezinnen.csv": {"bsn", "naam", "name", "achternaam", "adres", "burgerservicenummer"}}


class BundleError(Exception):
    """The bundle has problems; ``issues`` lists every one of them."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__(f"{len(issues)} probleem/problemen in de bundel:\n" + "\n".join(map(str, issues[:50])))


class Row:
    """One CSV row; parsed getters record an issue (and mark the row failed) instead of raising."""

    def __init__(self, loader: "_Loader", file: str, line: int, cells: list[str], index: dict[str, int]):
        self.loader, self.file, self.line, self.cells, self.index = loader, file, line, cells, index
        self.failed = False

    def raw(self, name: str) -> str:
        i = self.index.get(name)
        return self.cells[i].strip() if i is not None and i < len(self.cells) else ""

    def error(self, name: str, reason: str) -> None:
        self.failed = True
        self.loader.issues.append(Issue(self.file, self.line, name, reason))

    def get(self, name: str, parser: Callable[[str], Any] = str, required: bool = False, default: Any = None) -> Any:
        s = self.raw(name)
        if not s:
            if required:
                self.error(name, "verplicht veld is leeg")
            return default
        try:
            return parser(s)
        except FieldError as e:
            self.error(name, str(e))
            return default

    def ref(self, name: str, value: str | None, target: str, what: str) -> None:
        """A reference to an id of ``target`` (e.g. ``gezinnen.csv``) must exist."""
        if not value or target in self.loader.broken:
            return
        if value not in self.loader.ids[target]:
            self.error(name, f"{what} {value!r} (niet in {target})")

    def order(self, name: str, start: Any, end: Any, what: str = "eind ligt voor begin") -> None:
        if start is not None and end is not None and end < start:
            self.error(name, what)


class _Loader:
    def __init__(self, root: Path):
        self.root = root
        self.issues: list[Issue] = []
        self.broken: set[str] = set()  # files whose rows could not be read at all
        self.ids: dict[str, set[str]] = defaultdict(set)

    def rows(self, fname: str) -> Iterator[Row]:
        """Rows of an optional CSV (missing file = no rows); a missing required column is one issue."""
        path = self.root / fname
        if not path.is_file():
            return
        try:
            header, rows = read_rows(read_text(path))
        except (OSError, Exception) as e:  # noqa: BLE001 - csv.Error, decoding: report, never crash
            self.issues.append(Issue(fname, 0, "", f"bestand niet leesbaar: {e}"))
            self.broken.add(fname)
            return
        if not header:  # an empty file is an empty table
            return
        columns = SCHEMA[fname]
        index, missing = match_columns(header, columns)
        for col in missing:
            self.issues.append(Issue(fname, 1, col.name, "verplichte kolom ontbreekt"))
        for h in header:
            if norm_key(h) in FORBIDDEN.get(fname, set()):
                self.issues.append(Issue(fname, 1, h, "kolom hoort niet in de bundel: alleen pseudoniemen, geen namen of BSN"))
        if missing:
            self.broken.add(fname)
            return
        for line, cells in rows:
            yield Row(self, fname, line, cells, index)

    def unique_id(self, row: Row, name: str = "id", required: bool = True) -> str | None:
        value = row.get(name, required=required)
        if value is None:
            return None
        if value in self.ids[row.file]:
            row.error(name, f"dubbele id {value!r}")
            return None
        self.ids[row.file].add(value)
        return value


def _load_teams(ld: _Loader, b: Bundle) -> None:
    for r in ld.rows("teams.csv"):
        tid = ld.unique_id(r)
        team = Team(tid or "", r.get("naam", default=tid or ""), r.get("bereikbaarheid_24_7", parse_bool, default=False),
                    r.get("interventie"), frozenset(r.get("aanbod", split_list, default=[])))
        if not r.failed:
            b.teams[team.id] = team


def _load_staff(ld: _Loader, b: Bundle) -> None:
    pending: dict[str, dict[str, Any]] = {}
    for r in ld.rows("medewerkers.csv"):
        sid = ld.unique_id(r)
        kw = dict(id=sid, name=r.get("naam", required=True), education=r.get("opleiding", parse_education, True),
                  profession=r.get("beroep", required=True),
                  registrations=frozenset(_each(r, "registraties", parse_registration)),
                  certifications=frozenset(r.get("certificeringen", split_list, default=[])),
                  contract_hours=r.get("contracturen", parse_float, default=36.0),
                  teams=frozenset(r.get("teams", split_list, default=[])),
                  gemeenten=frozenset(r.get("gemeenten", split_list, default=[])),
                  caseload_max=r.get("caseload_max", parse_int),
                  oncall_consent_required=r.get("toestemming_vereist", parse_bool, default=False),
                  oncall_consent=r.get("toestemming_bereikbaarheid", parse_bool, default=True),
                  vog_date=r.get("vog_datum", parse_date))
        for t in sorted(kw["teams"]):
            r.ref("teams", t, "teams.csv", "onbekend team")
        if kw["contract_hours"] is not None and not 0 <= kw["contract_hours"] <= 60:
            r.error("contracturen", f"contracturen {kw['contract_hours']:g} buiten bereik 0-60")
        if not r.failed:
            pending[sid] = kw
    windows: dict[str, list[TimeWindow]] = defaultdict(list)
    for r in ld.rows("beschikbaarheid.csv"):
        sid = r.get("medewerker_id", required=True)
        r.ref("medewerker_id", sid, "medewerkers.csv", "onbekende medewerker")
        wd, start, end = (r.get("weekdag", parse_weekday, True), r.get("van", parse_time, True),
                          r.get("tot", parse_time, True))
        if start is not None and end is not None and end <= start:
            r.error("tot", "eindtijd ligt niet na begintijd")
        if not r.failed:
            windows[sid].append(TimeWindow(wd, start, end))
    for sid, kw in pending.items():
        b.staff[sid] = Medewerker(**kw, availability=tuple(sorted(windows.get(sid, []),
                                                                  key=lambda w: (w.weekday, w.start))))
    for r in ld.rows("afwezigheid.csv"):
        sid = r.get("medewerker_id", required=True)
        r.ref("medewerker_id", sid, "medewerkers.csv", "onbekende medewerker")
        start, end = r.get("van", parse_datetime, True), r.get("tot", parse_datetime, True)
        kind = r.get("soort", parse_absence_kind, default=parse_absence_kind(""))
        if start is not None and end is not None and end <= start:
            r.error("tot", "einde afwezigheid ligt niet na begin")
        if not r.failed:
            b.absences.append(Absence(sid, start, end, kind))


def _load_wishes(ld: _Loader, b: Bundle) -> None:
    """wensen.csv: a wish wel/niet for a residential shift (D, A, N; ``*`` = the whole day, only niet);
    one wish per medewerker, datum and dienst (the key an import and the database use)."""
    seen: dict[tuple, int] = {}
    for r in ld.rows("wensen.csv"):
        sid = r.get("medewerker_id", required=True)
        r.ref("medewerker_id", sid, "medewerkers.csv", "onbekende medewerker")
        day, shift = r.get("datum", parse_date, True), r.get("dienst", parse_wish_shift, default="*")
        kind, weight = r.get("soort", parse_wish_kind, True), r.get("gewicht", parse_int, default=10)
        for name, reason in wish_problems(shift, kind, weight).items():
            r.error(name, reason)
        if not r.failed and (sid, day, shift) in seen:
            r.error("dienst", f"dubbele wens voor medewerker, datum en dienst (ook op rij {seen[sid, day, shift]})")
        if not r.failed:
            seen[sid, day, shift] = r.line
            b.wishes.append(ShiftWish(sid, day, shift, kind, weight))


def _each(r: Row, name: str, parser: Callable[[str], Any]) -> list[Any]:
    """Parse every value of a multi-valued cell; each bad value is its own issue."""
    out = []
    for part in r.get(name, split_list, default=[]):
        try:
            out.append(parser(part))
        except FieldError as e:
            r.error(name, str(e))
    return out


def _load_clients(ld: _Loader, b: Bundle) -> None:
    for r in ld.rows("gezinnen.csv"):
        gid, gemeente = ld.unique_id(r), r.get("gemeente", required=True)
        if not r.failed:
            b.gezinnen[gid] = Gezin(gid, gemeente)
    for r in ld.rows("jeugdigen.csv"):
        jid, gezin = ld.unique_id(r), r.get("gezin_id", required=True)
        r.ref("gezin_id", gezin, "gezinnen.csv", "onbekend gezin")
        initials, year = r.get("initialen", required=True), r.get("geboortejaar", parse_int, True)
        if year is not None and not 1990 <= year <= b.manifest.period_start.year:
            r.error("geboortejaar", f"geboortejaar {year} niet aannemelijk voor een jeugdige")
        gemeente = r.get("gemeente") or (b.gezinnen[gezin].gemeente if gezin in b.gezinnen else "")
        if not r.failed:
            b.jeugdigen[jid] = Jeugdige(jid, gezin, initials, year, gemeente)


def _load_groups(ld: _Loader, b: Bundle, pack: RulePack | None) -> None:
    for r in ld.rows("groepen.csv"):
        gid, code = ld.unique_id(r), r.get("productcode", required=True)
        if code and pack is not None:
            product = pack.product(code)
            if product is None:
                r.error("productcode", f"onbekende productcode {code!r} voor regelpakket {pack.id}")
            elif product.setting not in ("groep", "verblijf"):
                r.error("productcode", f"product {code} is geen groeps- of verblijfsproduct")
        team = r.get("team_id") or None
        if team:
            r.ref("team_id", team, "teams.csv", "onbekend team")
        if not r.failed:
            b.groups[gid] = Groep(gid, r.get("naam", default=gid), code, r.get("locatie", default=""), team)
    for r in ld.rows("sessies.csv"):
        sid, gid = ld.unique_id(r), r.get("groep_id", required=True)
        r.ref("groep_id", gid, "groepen.csv", "onbekende groep")
        wd, start, end = (r.get("weekdag", parse_weekday, True), r.get("van", parse_time, True),
                          r.get("tot", parse_time, True))
        if start is not None and end is not None and end <= start:
            r.error("tot", "eindtijd ligt niet na begintijd")
        loc = r.get("locatie") or (b.groups[gid].location if gid in b.groups else "")
        if not r.failed:
            b.sessions[sid] = GroupSession(sid, gid, wd, start, end, loc)
    for r in ld.rows("inschrijvingen.csv"):
        gid, jid = r.get("groep_id", required=True), r.get("jeugdige_id", required=True)
        r.ref("groep_id", gid, "groepen.csv", "onbekende groep")
        r.ref("jeugdige_id", jid, "jeugdigen.csv", "onbekende jeugdige")
        start, end = r.get("begindatum", parse_date, True), r.get("einddatum", parse_date)
        r.order("einddatum", start, end, "einddatum ligt voor begindatum")
        if not r.failed:
            b.enrolments.append(Enrolment(gid, jid, start, end))


def _load_toewijzingen(ld: _Loader, b: Bundle, pack: RulePack | None) -> None:
    for r in ld.rows("toewijzingen.csv"):
        tid, jid = ld.unique_id(r), r.get("jeugdige_id", required=True)
        r.ref("jeugdige_id", jid, "jeugdigen.csv", "onbekende jeugdige")
        code, intervention = r.get("productcode", required=True), r.get("interventie")
        intervention = _check_product(r, pack, code, intervention)
        start, end = r.get("begindatum", parse_date, True), r.get("einddatum", parse_date, True)
        r.order("einddatum", start, end, "einddatum ligt voor begindatum")
        omvang = _omvang(r)
        team = r.get("team_id")
        r.ref("team_id", team, "teams.csv", "onbekend team")
        executor, responsible = r.get("huidige_uitvoerder"), r.get("huidige_verantwoordelijke")
        r.ref("huidige_uitvoerder", executor, "medewerkers.csv", "onbekende medewerker")
        r.ref("huidige_verantwoordelijke", responsible, "medewerkers.csv", "onbekende medewerker")
        referral, last_regie = r.get("verwijsdatum", parse_date), r.get("laatste_regiecontact", parse_date)
        if not r.failed:
            b.toewijzingen[tid] = Toewijzing(tid, jid, code, start, end, omvang, intervention, team, referral,
                                             executor, responsible, last_regie)


def _check_product(r: Row, pack: RulePack | None, code: str | None, intervention: str | None) -> str | None:
    """Product code known to the pack, intervention allowed for it (Product.interventions); canonical spelling."""
    if not code or pack is None:
        return intervention
    product = pack.product(code)
    if product is None:
        r.error("productcode", f"onbekende productcode {code!r} voor regelpakket {pack.id}")
        return intervention
    if intervention:
        canon = {norm_key(i): i for i in product.interventions}
        if norm_key(intervention) not in canon:
            allowed = ", ".join(product.interventions) or "geen"
            r.error("interventie", f"interventie {intervention!r} niet toegestaan bij {code} (toegestaan: {allowed})")
            return intervention
        return canon[norm_key(intervention)]
    return None


def _omvang(r: Row) -> Omvang | None:
    """volume + eenheid + frequentie: all three or none."""
    volume = r.get("volume", parse_float)
    unit, freq = r.get("eenheid", parse_unit), r.get("frequentie", parse_frequency)
    if not r.raw("volume") and not r.raw("eenheid") and not r.raw("frequentie"):
        return None
    for name, value in (("volume", r.raw("volume")), ("eenheid", r.raw("eenheid")), ("frequentie", r.raw("frequentie"))):
        if not value:
            r.error(name, "verplicht als de omvang (volume, eenheid, frequentie) is ingevuld")
    if volume is not None and volume < 0:
        r.error("volume", "volume is negatief")
    if r.failed or volume is None or unit is None or freq is None:
        return None
    return Omvang(volume, unit, freq)


def validate_bundle(path: str | Path) -> tuple[Bundle | None, RulePack | None, list[Issue]]:
    """Load a bundle; returns (bundle or None, pack with overrides or None, every issue found)."""
    root = Path(path)
    if not root.is_dir():
        return None, None, [Issue(str(root), 0, "", "map bestaat niet")]
    ld = _Loader(root)
    try:
        manifest, pack = read_manifest(root, ld.issues)
        b = Bundle(manifest=manifest or Manifest("?", "?", _fallback_start(), 1))
        _load_teams(ld, b)
        _load_staff(ld, b)
        _load_wishes(ld, b)
        _load_clients(ld, b)
        _load_groups(ld, b, pack)
        _load_toewijzingen(ld, b, pack)
        load_realisatie(ld, b)
    except Exception as e:  # noqa: BLE001 - report, never show a traceback for bad input
        ld.issues.append(Issue(str(root), 0, "", f"onverwachte fout bij inlezen: {type(e).__name__}: {e}"))
        return None, None, ld.issues
    if ld.issues or manifest is None:
        return None, pack, ld.issues
    return b, pack, []


def _fallback_start():
    from datetime import date

    return date(2000, 1, 3)


def load_bundle_with_pack(path: str | Path) -> tuple[Bundle, RulePack]:
    """The bundle and its manifest's rule pack with ``rule_overrides`` applied; raises :class:`BundleError`."""
    bundle, pack, issues = validate_bundle(path)
    if issues or bundle is None or pack is None:
        raise BundleError(issues)
    return bundle, pack


def load_bundle(path: str | Path) -> Bundle:
    """Load and validate a bundle folder; raises :class:`BundleError` listing every issue."""
    return load_bundle_with_pack(path)[0]
