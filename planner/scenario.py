"""Scenarios: named, stored deltas on a bundle (never copies of its data).

A scenario is a YAML file (see ``sample_data/scenarios/``) with a name, an
optional ``basis`` (another scenario file it builds on) and a list of
``wijzigingen``.  :func:`apply_scenario` gives a new Bundle (and a tuned rule
pack) without touching the source data.  Changes that take effect at a date
become data the planner already understands: a medewerker who leaves or has
not joined yet is absent (soort ``overig``) outside their time; only changed
contract hours need the side table ``contract_changes``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml

from planner.domain import (Absence, AbsenceKind, Bundle, Education, Enrolment, Gezin, Groep, GroupSession, Jeugdige,
                            Medewerker, Omvang, OmvangFrequency, OmvangUnit, Registration, TimeWindow, Toewijzing)
from planner.rules import RulePack

FAR = datetime(2100, 1, 1)
WEEKDAYS = {"ma": 0, "di": 1, "wo": 2, "do": 3, "vr": 4, "za": 5, "zo": 6}
DEFAULT_WEEK = tuple(TimeWindow(d, time(8, 30), time(17, 0)) for d in range(5))


class ScenarioError(ValueError):
    """A scenario file or change cannot be used; ``problems`` are Dutch lines."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Scenario:
    name: str
    description: str = ""
    base: "Scenario | None" = None
    changes: list[dict[str, Any]] = field(default_factory=list)
    hiring: dict[str, Any] | None = None  # werving: kandidaten + doel
    source: str = ""  # file it was read from

    def all_changes(self) -> list[dict[str, Any]]:
        return [*(self.base.all_changes() if self.base else []), *self.changes]

    def hiring_request(self) -> dict[str, Any] | None:
        return self.hiring or (self.base.hiring_request() if self.base else None)


@dataclass
class ScenarioBundle:
    """A scenario applied: the new bundle and pack plus what a bundle cannot say."""

    name: str
    bundle: Bundle
    pack: RulePack
    contract_changes: dict[str, list[tuple[date, float]]] = field(default_factory=dict)
    priorities: dict[str, int] = field(default_factory=dict)
    hiring: dict[str, Any] | None = None
    applied: list[str] = field(default_factory=list)  # Dutch description per change


def load_scenario(path: str | Path, _seen: tuple[Path, ...] = ()) -> Scenario:
    """Read a scenario file (and its ``basis`` chain); Dutch errors for bad files or a loop."""
    path = Path(path).resolve()
    if path in _seen:
        raise ScenarioError([f"{path.name}: scenario bouwt (via 'basis') op zichzelf voort."])
    try:
        raw = yaml.safe_load(path.read_text("utf-8")) or {}
    except OSError as e:
        raise ScenarioError([f"{path.name}: bestand niet te lezen ({e.strerror})."]) from None
    except yaml.YAMLError as e:
        raise ScenarioError([f"{path.name}: geen geldige YAML ({e.__class__.__name__})."]) from None
    if not isinstance(raw, dict):
        raise ScenarioError([f"{path.name}: verwacht velden 'naam' en 'wijzigingen'."])
    base = load_scenario(path.parent / raw["basis"], (*_seen, path)) if raw.get("basis") else None
    changes = raw.get("wijzigingen") or []
    if not isinstance(changes, list) or not all(isinstance(c, dict) for c in changes):
        raise ScenarioError([f"{path.name}: 'wijzigingen' is een lijst van wijzigingen met een 'soort'."])
    return Scenario(str(raw.get("naam") or path.stem), str(raw.get("omschrijving") or ""), base, changes,
                    raw.get("werving"), str(path))


def scenario_from_dict(raw: dict[str, Any], base: Scenario | None = None) -> Scenario:
    """A scenario built in code or from a web form (same fields as the YAML file)."""
    return Scenario(str(raw.get("naam") or "scenario"), str(raw.get("omschrijving") or ""), base,
                    list(raw.get("wijzigingen") or []), raw.get("werving"))


def apply_scenario(bundle: Bundle, pack: RulePack, scenario: Scenario | None) -> ScenarioBundle:
    """The bundle with the scenario's changes (its base's first); the input bundle is not changed."""
    b = _shallow_copy(bundle)
    out = ScenarioBundle(scenario.name if scenario else "basis", b, pack)
    if scenario is None:
        return out
    problems, overrides = [], {}
    for n, change in enumerate(scenario.all_changes(), 1):
        kind = str(change.get("soort", ""))
        handler = HANDLERS.get(kind)
        try:
            if handler is None:
                raise ScenarioError([f"onbekende soort {kind!r} (kies uit {', '.join(sorted(HANDLERS))})"])
            if kind == "regel":
                out.applied.append(_rule(change, overrides))
            else:
                out.applied.append(handler(out, change))
        except ScenarioError as e:
            problems += [f"wijziging {n} ({kind or '?'}): {p}" for p in e.problems]
        except (KeyError, TypeError, ValueError) as e:
            problems.append(f"wijziging {n} ({kind or '?'}): ongeldige waarde ({_reason(e)})")
    if overrides:
        try:
            out.pack = pack.with_overrides(overrides)
        except ValueError as e:
            problems.append(f"regelwijziging: {_reason(e)}")
    if problems:
        raise ScenarioError(problems)
    out.hiring = scenario.hiring_request()
    return out


def _reason(e: Exception) -> str:
    if isinstance(e, KeyError):
        return f"veld {e.args[0]!r} ontbreekt"
    return str(e).splitlines()[0]


def _shallow_copy(b: Bundle) -> Bundle:
    """New containers, same frozen records: a change replaces records, never edits them."""
    return Bundle(b.manifest, dict(b.staff), dict(b.gezinnen), dict(b.jeugdigen), dict(b.toewijzingen),
                  dict(b.groups), dict(b.sessions), list(b.enrolments), dict(b.teams), list(b.absences),
                  list(b.wishes))


def _date(v: Any, name: str) -> date:
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError:
        raise ScenarioError([f"{name} {v!r} is geen datum (JJJJ-MM-DD)"]) from None


def _staff(sb: ScenarioBundle, sid: Any) -> Medewerker:
    m = sb.bundle.staff.get(str(sid))
    if m is None:
        raise ScenarioError([f"onbekende medewerker {sid!r}"])
    return m


def _away(sb: ScenarioBundle, sid: str, start: datetime, end: datetime) -> None:
    sb.bundle.absences.append(Absence(sid, start, end, AbsenceKind.OVERIG))


def _leave(sb: ScenarioBundle, c: dict) -> str:
    """soort: medewerker_weg - medewerker, vanaf."""
    m, when = _staff(sb, c["medewerker"]), _date(c["vanaf"], "vanaf")
    _away(sb, m.id, datetime.combine(when, time()), FAR)
    return f"Medewerker {m.id} ({m.profession}) vertrekt per {when.isoformat()}."


def _hours(sb: ScenarioBundle, c: dict) -> str:
    """soort: contracturen - medewerker, uren, vanaf (optioneel: direct)."""
    m, hours = _staff(sb, c["medewerker"]), float(c["uren"])
    if not 0 <= hours <= 60:
        raise ScenarioError([f"uren {hours:g} ligt niet tussen 0 en 60"])
    when = _date(c["vanaf"], "vanaf") if c.get("vanaf") else sb.bundle.manifest.period_start
    if when <= sb.bundle.manifest.period_start:
        sb.bundle.staff[m.id] = replace(m, contract_hours=hours)
    else:
        sb.contract_changes.setdefault(m.id, []).append((when, hours))
    return f"Medewerker {m.id}: {hours:g} contracturen per {when.isoformat()}."


def profile_staff(sid: str, p: dict, name: str) -> Medewerker:
    """A medewerker from a profile (opleiding, beroep, registraties, certificeringen, contracturen/fte, ...)."""
    hours = float(p["contracturen"]) if "contracturen" in p else float(p.get("fte", 1.0)) * 36
    days = p.get("dagen")
    windows = tuple(TimeWindow(WEEKDAYS[d], time(8, 30), time(17, 0)) for d in days) if days else DEFAULT_WEEK
    return Medewerker(sid, name, Education(str(p["opleiding"])), str(p["beroep"]),
                      frozenset(Registration(str(r)) for r in p.get("registraties") or ()),
                      frozenset(str(c) for c in p.get("certificeringen") or ()), hours,
                      frozenset(str(t) for t in p.get("teams") or ()), frozenset(str(g) for g in p.get("gemeenten") or ()),
                      int(p["caseload_max"]) if p.get("caseload_max") else None, availability=windows)


def add_profile_staff(sb: ScenarioBundle, profile: dict, count: int, when: date, prefix: str, label: str) -> list[str]:
    """``count`` new medewerkers of a profile, absent before ``when``; returns their ids."""
    ids = []
    for team in profile.get("teams") or ():
        if str(team) not in sb.bundle.teams:
            raise ScenarioError([f"onbekend team {team!r}"])
    for i in range(count):
        sid = f"{prefix}{i + 1:02d}"
        while sid in sb.bundle.staff:
            sid += "x"
        sb.bundle.staff[sid] = profile_staff(sid, profile, f"{label} {i + 1}")
        if when > sb.bundle.manifest.period_start:
            _away(sb, sid, datetime(2000, 1, 1), datetime.combine(when, time()))
        ids.append(sid)
    return ids


def _join(sb: ScenarioBundle, c: dict) -> str:
    """soort: medewerker_erbij - profiel {opleiding, beroep, ...}, aantal, vanaf."""
    when = _date(c.get("vanaf") or sb.bundle.manifest.period_start, "vanaf")
    count = int(c.get("aantal", 1))
    prefix = f"N{len([s for s in sb.bundle.staff if s.startswith('N')]) + 1:02d}-"
    ids = add_profile_staff(sb, c["profiel"], count, when, prefix, "Nieuwe medewerker")
    p = c["profiel"]
    return f"{count} nieuwe medewerker(s) {p['beroep']} ({p['opleiding']}) per {when.isoformat()}: {', '.join(ids)}."


def _new_client(b: Bundle, gemeente: str, prefix: str) -> Jeugdige:
    n = len(b.jeugdigen) + 1
    while f"{prefix}J{n:05d}" in b.jeugdigen:
        n += 1
    gid, jid = f"{prefix}G{n:05d}", f"{prefix}J{n:05d}"
    b.gezinnen[gid] = Gezin(gid, gemeente)
    b.jeugdigen[jid] = j = Jeugdige(jid, gid, "S.C.", b.manifest.period_start.year - 10, gemeente)
    return j


def _arrival_dates(c: dict, period_start: date) -> list[date]:
    """Fixed ``aantal`` on ``begindatum``, or ``per_week`` arrivals from ``van`` to ``tot``."""
    if "per_week" in c:
        rate, first, last = float(c["per_week"]), _date(c["van"], "van"), _date(c["tot"], "tot")
        out, due, d = [], 0.0, first
        while d <= last:
            due += rate
            while due >= 1 - 1e-9:
                out.append(d)
                due -= 1
            d += timedelta(days=7)
        return out
    when = _date(c.get("begindatum") or period_start, "begindatum")
    return [when] * int(c.get("aantal", 1))


def _toewijzingen(sb: ScenarioBundle, c: dict) -> str:
    """soort: toewijzingen_erbij - product, interventie, omvang, aantal + begindatum or per_week + van/tot."""
    b, code = sb.bundle, str(c["product"])
    product = sb.pack.product(code)
    if product is None:
        raise ScenarioError([f"product {code!r} hoort niet bij regelpakket {sb.pack.id}"])
    iv = c.get("interventie")
    if iv and iv not in product.interventions:
        raise ScenarioError([f"interventie {iv!r} niet toegestaan bij {code}"])
    o = c.get("omvang") or {}
    omvang = Omvang(float(o["volume"]), OmvangUnit(o["eenheid"]), OmvangFrequency(o["frequentie"])) if o else None
    team = c.get("team")
    if team and team not in b.teams:
        raise ScenarioError([f"onbekend team {team!r}"])
    days = int(c["duur_weken"]) * 7 if "duur_weken" in c else round(float(c.get("duur_maanden", 6)) * 30.44)
    ids = []
    for when in _arrival_dates(c, b.manifest.period_start):
        j = _new_client(b, str(c.get("gemeente") or "onbekend"), "S")
        tid = f"S{len(b.toewijzingen) + 1:05d}"
        referral = _date(c["verwijsdatum"], "verwijsdatum") if c.get("verwijsdatum") else when
        b.toewijzingen[tid] = Toewijzing(tid, j.id, code, when, when + timedelta(days=days - 1), omvang, iv, team, referral)
        if c.get("prioriteit") is not None:
            sb.priorities[tid] = int(c["prioriteit"])
        ids.append(tid)
    return f"{len(ids)} toewijzing(en) {code}{' ' + iv if iv else ''} erbij ({ids[0] if ids else '-'} .. {ids[-1] if ids else '-'})."


def _enrolments(sb: ScenarioBundle, c: dict) -> str:
    """soort: inschrijvingen_erbij - product (of a group), aantal + begindatum or per_week + van/tot, duur_weken:
    each new jeugdige enrols in the product's group with the fewest jeugdigen on the day of arrival."""
    b, code = sb.bundle, str(c["product"])
    groups = sorted(g.id for g in b.groups.values() if g.product_code == code)
    if not groups:
        raise ScenarioError([f"geen groep met product {code!r}"])
    days = int(c.get("duur_weken", 26)) * 7
    arrivals = _arrival_dates(c, b.manifest.period_start)
    for when in arrivals:
        occupancy = {gid: sum(1 for e in b.enrolments if e.group_id == gid and e.active_on(when)) for gid in groups}
        gid = min(groups, key=lambda g: (occupancy[g], g))
        j = _new_client(b, str(c.get("gemeente") or "onbekend"), "S")
        b.enrolments.append(Enrolment(gid, j.id, when, when + timedelta(days=days - 1)))
    return f"{len(arrivals)} inschrijving(en) in groepen {code} erbij."


def _open_group(sb: ScenarioBundle, c: dict) -> str:
    """soort: groep_openen - groep, product, sessies [{weekdag, van, tot}], jeugdigen, vanaf."""
    b, gid, code = sb.bundle, str(c["groep"]), str(c["product"])
    if gid in b.groups:
        raise ScenarioError([f"groep {gid!r} bestaat al"])
    if sb.pack.product(code) is None:
        raise ScenarioError([f"product {code!r} hoort niet bij regelpakket {sb.pack.id}"])
    when = _date(c.get("vanaf") or b.manifest.period_start, "vanaf")
    b.groups[gid] = Groep(gid, str(c.get("naam") or gid), code, str(c.get("locatie") or ""))
    for n, s in enumerate(c.get("sessies") or [], 1):
        b.sessions[f"{gid}-S{n}"] = GroupSession(f"{gid}-S{n}", gid, WEEKDAYS[str(s["weekdag"])[:2]],
                                                 time.fromisoformat(str(s["van"])), time.fromisoformat(str(s["tot"])))
    for _ in range(int(c.get("jeugdigen", 0))):
        j = _new_client(b, str(c.get("gemeente") or "onbekend"), "S")
        b.enrolments.append(Enrolment(gid, j.id, when))
    return f"Groep {gid} ({code}) open per {when.isoformat()} met {c.get('jeugdigen', 0)} jeugdigen."


def _close_group(sb: ScenarioBundle, c: dict) -> str:
    """soort: groep_sluiten - groep, vanaf: inschrijvingen eindigen de dag ervoor."""
    b, gid = sb.bundle, str(c["groep"])
    if gid not in b.groups:
        raise ScenarioError([f"onbekende groep {gid!r}"])
    when = _date(c["vanaf"], "vanaf")
    last = when - timedelta(days=1)
    b.enrolments = [replace(e, end=min(e.end or last, last)) if e.group_id == gid else e for e in b.enrolments]
    return f"Groep {gid} sluit per {when.isoformat()}."


def _rule(c: dict, overrides: dict) -> str:
    """soort: regel - regel (id), ernst (hard/zacht), params, interpretaties."""
    rid = str(c["regel"])
    o = overrides.setdefault(rid, {})
    if c.get("ernst"):
        o["severity"] = {"hard": "hard", "zacht": "soft", "soft": "soft"}[str(c["ernst"])]
    if c.get("params"):
        o.setdefault("params", {}).update(copy.deepcopy(c["params"]))
    if c.get("interpretaties"):
        o.setdefault("interpretations", {}).update(c["interpretaties"])
    return f"Regel {rid} aangepast ({', '.join(k for k in ('ernst', 'params', 'interpretaties') if c.get(k))})."


def _priority(sb: ScenarioBundle, c: dict) -> str:
    """soort: prioriteit - toewijzing, prioriteit (1 = eerst)."""
    tid = str(c["toewijzing"])
    if tid not in sb.bundle.toewijzingen:
        raise ScenarioError([f"onbekende toewijzing {tid!r}"])
    sb.priorities[tid] = int(c["prioriteit"])
    return f"Toewijzing {tid} krijgt prioriteit {int(c['prioriteit'])}."


HANDLERS = {"medewerker_weg": _leave, "contracturen": _hours, "medewerker_erbij": _join,
            "toewijzingen_erbij": _toewijzingen, "inschrijvingen_erbij": _enrolments, "groep_openen": _open_group, "groep_sluiten": _close_group,
            "regel": _rule, "prioriteit": _priority}


# --- Dutch sentences and YAML round trip (web forms, reports) ---------------------------------------
MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
             "november", "december"]
UNITS_NL = {"minuut": ("minuut", "minuten"), "uur": ("uur", "uur"), "dagdeel": ("dagdeel", "dagdelen"),
            "etmaal": ("etmaal", "etmalen"), "stuks": ("stuk", "stuks"), "euro": ("euro", "euro")}
FREQ_NL = {"per_dag": "per dag", "per_week": "per week", "per_maand": "per maand", "totaal": "in totaal"}
DAYS_NL = {"ma": "maandag", "di": "dinsdag", "wo": "woensdag", "do": "donderdag", "vr": "vrijdag", "za": "zaterdag",
           "zo": "zondag"}


def date_nl(v: Any) -> str:
    """'2027-01-04' -> '4 januari 2027' (a value that is no date is shown as it is)."""
    try:
        d = v if isinstance(v, date) else date.fromisoformat(str(v))
    except ValueError:
        return str(v)
    return f"{d.day} {MONTHS_NL[d.month - 1]} {d.year}"


def number_nl(v: Any) -> str:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    return f"{x:g}".replace(".", ",")


def omvang_nl(o: dict | None) -> str:
    if not o:
        return ""
    volume = number_nl(o.get("volume"))
    one, many = UNITS_NL.get(str(o.get("eenheid")), (str(o.get("eenheid")), str(o.get("eenheid"))))
    return f"{volume} {one if volume == '1' else many} {FREQ_NL.get(str(o.get('frequentie')), o.get('frequentie'))}"


def _who(sid: Any, names: dict[str, str]) -> str:
    return f"{names[str(sid)]} ({sid})" if str(sid) in names else f"medewerker {sid}"


def _arrivals_nl(c: dict) -> str:
    if "per_week" in c:
        try:
            n = len(_arrival_dates(c, date.today()))
        except (ScenarioError, KeyError, TypeError, ValueError):
            n = "?"
        return (f"{n} extra verwijzingen", f"van {date_nl(c.get('van'))} tot {date_nl(c.get('tot'))} "
                                            f"({number_nl(c['per_week'])} per week)")
    n = c.get("aantal", 1)
    return (f"{n} extra verwijzing{'en' if str(n) != '1' else ''}",
            f"vanaf {date_nl(c['begindatum'])}" if c.get("begindatum") else "vanaf de start")


def money_nl(v: Any) -> str:
    """72000 -> '€ 72.000'."""
    try:
        return "€ " + f"{round(float(v)):,}".replace(",", ".")
    except (TypeError, ValueError):
        return f"€ {v}"


def describe_change(c: dict, staff_names: dict[str, str] | None = None) -> str:
    """One scenario change as a Dutch sentence for a teamleider (never the raw YAML)."""
    text = _describe(c, staff_names or {})
    return text[:1].upper() + text[1:]


def _describe(c: dict, names: dict[str, str]) -> str:
    kind = str(c.get("soort", ""))
    try:
        if kind == "toewijzingen_erbij":
            what, when = _arrivals_nl(c)
            parts = [f"{what} {c['product']}{' ' + str(c['interventie']) if c.get('interventie') else ''} {when}"]
            if c.get("omvang"):
                parts.append(omvang_nl(c["omvang"]))
            if c.get("duur_weken"):
                parts.append(f"{c['duur_weken']} weken lang")
            elif c.get("duur_maanden"):
                parts.append(f"{number_nl(c['duur_maanden'])} maanden lang")
            if c.get("team"):
                parts.append(f"team {c['team']}")
            if c.get("gemeente"):
                parts.append(f"gemeente {c['gemeente']}")
            return ", ".join(parts) + "."
        if kind == "inschrijvingen_erbij":
            what, when = _arrivals_nl(c)
            return f"{what.replace('verwijzing', 'inschrijving')} in groepen {c['product']} {when}."
        if kind == "medewerker_weg":
            return f"{_who(c['medewerker'], names)} vertrekt per {date_nl(c['vanaf'])}."
        if kind == "contracturen":
            when = f" per {date_nl(c['vanaf'])}" if c.get("vanaf") else " vanaf de start"
            return f"{_who(c['medewerker'], names)} werkt {number_nl(c['uren'])} uur per week{when}."
        if kind == "medewerker_erbij":
            p = c.get("profiel") or {}
            n = int(c.get("aantal", 1))
            extra = [f"{number_nl(p['contracturen'])} uur per week" if "contracturen" in p else
                     f"{number_nl(p.get('fte', 1))} fte"]
            if p.get("registraties"):
                extra.append("registratie " + ", ".join(map(str, p["registraties"])))
            if p.get("certificeringen"):
                extra.append("gecertificeerd " + ", ".join(map(str, p["certificeringen"])))
            if p.get("teams"):
                extra.append("team " + ", ".join(map(str, p["teams"])))
            when = f" per {date_nl(c['vanaf'])}" if c.get("vanaf") else " vanaf de start"
            return (f"{n} nieuwe {p.get('beroep', 'medewerker')}{'s' if n != 1 else ''} ({p.get('opleiding', '?')})"
                    f"{when}, {', '.join(extra)}.")
        if kind == "groep_openen":
            days = ", ".join(f"{DAYS_NL.get(str(s.get('weekdag'))[:2], s.get('weekdag'))} {s.get('van')}-{s.get('tot')}"
                             for s in c.get("sessies") or [])
            return (f"Nieuwe groep {c['groep']} ({c['product']}) per {date_nl(c.get('vanaf', ''))} met "
                    f"{c.get('jeugdigen', 0)} jeugdigen{', ' + days if days else ''}"
                    f"{', gemeente ' + str(c['gemeente']) if c.get('gemeente') else ''}.")
        if kind == "groep_sluiten":
            return f"Groep {c['groep']} sluit per {date_nl(c['vanaf'])}."
        if kind == "regel":
            parts = []
            if c.get("ernst"):
                parts.append(f"wordt {'een harde regel' if c['ernst'] == 'hard' else 'een richtlijn (zacht)'}")
            for k, v in (c.get("params") or {}).items():
                parts.append(f"{k} = {v}")
            return f"Regel {c['regel']} {', '.join(parts) if parts else 'aangepast'}."
        if kind == "prioriteit":
            return f"Toewijzing {c['toewijzing']} krijgt voorrang (prioriteit {c['prioriteit']})."
    except (KeyError, TypeError, AttributeError):
        pass
    return f"Wijziging '{kind or '?'}' (onvolledig; zie de YAML)."


def describe_hiring(werving: dict | None) -> list[str]:
    """The ``werving`` section (goal and candidate profiles) as Dutch sentences."""
    if not werving:
        return []
    goal = werving.get("doel") or {}
    since = f" vanaf {date_nl(goal['vanaf'])}" if goal.get("vanaf") else ""
    if goal.get("max_wachtenden") is not None:
        text = f"Doel: hoogstens {goal['max_wachtenden']} wachtenden per week{since}"
    elif goal.get("wachtlijst_leeg_op"):
        text = f"Doel: wachtlijst leeg op {date_nl(goal['wachtlijst_leeg_op'])}"
    else:
        text = f"Doel: iedere wachtende binnen {goal.get('binnen_weken', 6)} weken na verwijzing gestart{since}"
    if goal.get("percentiel"):
        text += f", in {int(goal['percentiel']) // 10} van de 10 jaren (instroom p{goal['percentiel']})"
    out = [text + "."]
    for k in werving.get("kandidaten") or []:
        cost = money_nl(float(k.get("fte", 1)) * float(k.get("kosten_per_fte", 0)))
        regs = f", {', '.join(map(str, k['registraties']))}" if k.get("registraties") else ""
        certs = f", gecertificeerd {', '.join(map(str, k['certificeringen']))}" if k.get("certificeringen") else ""
        out.append(f"Mag aangenomen worden: {k.get('naam', '?')} ({k.get('beroep', '?')}, {k.get('opleiding', '?')}"
                   f"{regs}{certs}), {number_nl(k.get('fte', 1))} fte à {money_nl(k.get('kosten_per_fte', 0))} "
                   f"per fte = {cost} per jaar, vanaf {date_nl(k.get('vanaf', ''))}, hoogstens "
                   f"{k.get('max_aantal', 3)}.")
    return out


SCENARIO_KEYS = ("naam", "omschrijving", "basis", "wijzigingen", "werving")


def scenario_to_yaml(raw: dict[str, Any]) -> str:
    """A scenario's fields as YAML in the order of the example files; every section kept (``werving`` too,
    and keys this version does not know), so the web's YAML editor round-trips any scenario file."""
    ordered = {k: raw[k] for k in SCENARIO_KEYS if k in raw and raw[k] is not None}
    ordered.setdefault("wijzigingen", [])
    ordered.update({k: v for k, v in raw.items() if k not in ordered and v is not None})
    return yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=100)
