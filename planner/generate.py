"""Seeded generator of realistic fictional bundles (sizes of PLANNING.md section 6).

``generate_bundle(size, seed, pack)`` builds a :class:`planner.domain.Bundle`
whose staff mix fits the products' requirements (see
:mod:`planner.generate_profiles`), so a good plan is possible.  Same seed, same
bundle.  Names are fictional ("Sanne V."), client ids pseudonymous, no BSN.
"""

from __future__ import annotations

import random
import zlib
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from planner.bundle_write import write_bundle
from planner.domain import (Absence, AbsenceKind, Bundle, Education, Enrolment, Gezin, Groep, GroupSession, Jeugdige,
                            Manifest, Medewerker, Omvang, OmvangFrequency, OmvangUnit, Registration, ShiftWish, Team,
                            TimeWindow, Toewijzing, WishKind)
from planner.generate_profiles import FF_CORE, FIRST_NAMES, PROFILES, WOONGROEP_CORE, Discipline, ProductMix, Profile
from planner.rules import load_pack


@dataclass(frozen=True)
class Size:
    staff: int
    toewijzingen: int
    groups: int
    oncall_teams: int
    residential: int = 0


SIZES = {"S": Size(15, 40, 2, 1), "M": Size(60, 250, 8, 2), "L": Size(250, 1000, 30, 6),
         "XL": Size(1000, 4000, 120, 20), "XXL": Size(5000, 20000, 600, 100)}  # XXL: planner.generate_regions
DEFAULT_START = date(2026, 12, 7)
SHORT = {"Families First": "FF"}
DAY = time(8, 30), time(17, 30)
SESSION_SLOTS = (((0, 2), time(15, 0), time(17, 0)), ((1, 3), time(15, 0), time(17, 0)),
                 ((2, 4), time(13, 30), time(15, 30)), ((0, 3), time(15, 30), time(17, 30)))


class _Gen:
    def __init__(self, profile: Profile, size: Size, seed: int, start: date, name: str):
        self.p, self.size, self.rng, self.start = profile, size, random.Random(seed), start
        self.pack = load_pack(profile.pack)
        self.b = Bundle(Manifest(name, profile.pack, start, 1))
        self.load: dict[str, int] = defaultdict(int)  # current caseload per staff id
        self.counter: dict[str, int] = defaultdict(int)
        self.cache: dict[tuple[str, str | None], list[Medewerker]] = {}
        self.used: dict[str, set[str]] = defaultdict(set)  # product code -> jeugdigen that have it

    def next_id(self, prefix: str, width: int) -> str:
        self.counter[prefix] += 1
        return f"{prefix}{self.counter[prefix]:0{width}d}"

    # --- staff ------------------------------------------------------------
    def add_staff(self, profession: str, education: str, registrations: tuple[str, ...], contract: int,
                  teams: tuple[str, ...] = (), certs: tuple[str, ...] = (), caseload: int | None = None,
                  region: tuple[str, ...] | None = None, all_week: bool = False) -> Medewerker:
        sid = self.next_id("M", 4)
        rng = self.rng
        consent_required = rng.random() < 0.06
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice('ABCDEFGHIJKLMNOPRSTVWZ')}."
        m = Medewerker(sid, name, Education(education), profession, frozenset(Registration(r) for r in registrations),
                       frozenset(certs), float(contract), frozenset(teams),
                       frozenset(region if region is not None else self._region()), caseload,
                       consent_required, not consent_required or bool(teams) or rng.random() < 0.5,
                       self._availability(contract, profession, all_week), vog_date=self._vog_date(sid))
        self.b.staff[sid] = m
        return m

    def _vog_date(self, sid: str) -> date:
        """A VOG issued 1-34 months before the period (A:4183: at most 3 years old); from a hash of the id, not
        from ``rng``, so the rest of the bundle does not change with it."""
        return self.start - timedelta(days=30 + zlib.crc32(f"vog|{sid}".encode()) % 1000)

    def _region(self) -> tuple[str, ...]:
        return () if self.rng.random() < 0.15 else self.rng.choice(self.p.regions)

    def _availability(self, contract: int, profession: str, all_week: bool) -> tuple[TimeWindow, ...]:
        if all_week:  # residential staff work rotating shifts around the clock
            return tuple(TimeWindow(d, time(0, 0), time(23, 59)) for d in range(7))
        n_days = min(5, max(2, round(contract / 8)))
        days = sorted(self.rng.sample(range(5), n_days))
        evening = self.rng.choice(days) if profession in self.p.reg + ("systeemtherapeut",) else None
        return tuple(TimeWindow(d, DAY[0], time(21, 0) if d == evening else DAY[1]) for d in days)

    def discipline_counts(self, n: int) -> list[tuple[Discipline, int]]:
        """Largest-remainder split of n over the disciplines' shares, with minimum counts."""
        ds = self.p.disciplines
        total = sum(d.share for d in ds)
        raw = [n * d.share / total for d in ds]
        counts = [max(int(r), d.min_count) for r, d in zip(raw, ds)]
        order = sorted(range(len(ds)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
        i = 0
        while sum(counts) < n:
            counts[order[i % len(ds)]] += 1
            i += 1
        while sum(counts) > n:
            j = max(range(len(ds)), key=lambda k: counts[k] - ds[k].min_count)
            counts[j] -= 1
        return list(zip(ds, counts))

    def make_staff(self) -> None:
        team_members = self.make_teams()
        for d, count in self.discipline_counts(max(0, self.size.staff - team_members)):
            for _ in range(count):
                edu = self.rng.choices([e for e, _ in d.educations], [w for _, w in d.educations])[0]
                regs = d.registrations + tuple(r for r in d.extra_registrations if self.rng.random() < 0.5)
                contract = self.rng.choice(d.contract)
                caseload = round(d.caseload_per_fte * contract / 36) if d.caseload_per_fte else None
                self.add_staff(d.profession, edu, regs, contract, caseload=caseload)
        self._fast_certs()

    def make_teams(self) -> int:
        """On-call teams (24/7, F:103 / A:2843 / A:3649), FAST teams and woongroep teams with their members."""
        made = 0
        for i in range(self.size.oncall_teams):
            iv = self.p.oncall_interventions[i % len(self.p.oncall_interventions)]
            tid = f"T-{SHORT.get(iv, iv)}-{i // len(self.p.oncall_interventions) + 1}"
            self.b.teams[tid] = Team(tid, f"{iv}-team {i // len(self.p.oncall_interventions) + 1}", True, iv)
            region = self.rng.choice(self.p.regions)
            for prof, edu, regs in (FF_CORE if iv == "Families First" else self.p.team_core):
                self.add_staff(prof, edu, regs, self.rng.choice((36, 32, 32)), (tid,), (iv,),
                               caseload=6, region=region)
                made += 1
        if self.p.extra_team_intervention:
            iv = self.p.extra_team_intervention
            for i in range(self.size.oncall_teams // 2):
                tid = f"T-{iv}-{i + 1}"
                self.b.teams[tid] = Team(tid, f"{iv}-team {i + 1}", False, iv)
        for i in range(self.size.residential):
            tid = f"T-WG-{i + 1}"
            self.b.teams[tid] = Team(tid, f"Woongroep {i + 1}", False, None)
            for prof, edu, regs in WOONGROEP_CORE:
                self.add_staff(prof, edu, regs, self.rng.choice((36, 32, 32, 28)), (tid,), all_week=True,
                               region=self.p.regions[0])
                made += 1
        return made

    def _fast_certs(self) -> None:
        """Three systeemtherapeuten per FAST team get the certification and the team."""
        fast_teams = [t for t in self.b.teams.values() if not t.oncall_24_7 and t.intervention]
        pool = [m for m in self.b.staff.values() if m.profession == "systeemtherapeut" and not m.teams]
        for team in fast_teams:
            for m in pool[:3]:
                self.b.staff[m.id] = replace(m, teams=frozenset({team.id}),
                                             certifications=frozenset({team.intervention}), caseload_max=8)
            pool = pool[3:]

    # --- clients ------------------------------------------------------------
    def new_gezin(self, children: int = 1) -> list[Jeugdige]:
        gid = self.next_id("G", 5)
        gemeente = self.rng.choices([g for g, _ in self.p.gemeenten], [w for _, w in self.p.gemeenten])[0]
        self.b.gezinnen[gid] = Gezin(gid, gemeente)
        kids = []
        for _ in range(children):
            jid = self.next_id("J", 5)
            initials = f"{self.rng.choice('ABCDEFGHIJKLMNOPRSTVWYZ')}.{self.rng.choice('ABCDEFGHIJKLMNOPRSTVWYZ')}."
            kids.append(Jeugdige(jid, gid, initials, self.start.year - self.rng.randint(4, 17), gemeente))
            self.b.jeugdigen[jid] = kids[-1]
        return kids

    # --- toewijzingen -------------------------------------------------------
    def add_toewijzing(self, mix: ProductMix, jeugdige: Jeugdige, intervention: str | None = None,
                       team: str | None = None, executors: list[Medewerker] | None = None,
                       ongoing: bool = False) -> Toewijzing:
        rng = self.rng
        if mix.weeks:
            length = rng.randint(*mix.weeks) * 7
            begin = self.start + timedelta(days=rng.randint(-length + 7, 3))
        else:
            length = rng.randint(mix.months[0] * 30, mix.months[1] * 30 - 5)
            begin = self.start + timedelta(days=rng.randint(-length + 14, -14 if ongoing else 10))
        new = begin >= self.start - timedelta(days=7)
        executor = None if new else self.pick(executors if executors is not None else self.eligible(mix, jeugdige))
        responsible = None if new else self.pick(self.responsibles(mix.responsible), count=False)
        last_regie = begin + timedelta(days=rng.randint(3, 20)) if responsible and not new else None
        if last_regie and last_regie >= self.start:
            last_regie = self.start - timedelta(days=1)
        tid = self.next_id("TW", 5)
        omvang = Omvang(float(mix.volume), OmvangUnit(mix.unit), OmvangFrequency(mix.frequency))
        t = Toewijzing(tid, jeugdige.id, mix.code, begin, begin + timedelta(days=length - 1), omvang, intervention,
                       team, begin - timedelta(days=rng.randint(7, 60)), executor, responsible, last_regie)
        self.b.toewijzingen[tid] = t
        self.used[mix.code].add(jeugdige.id)
        return t

    def eligible(self, mix: ProductMix, j: Jeugdige) -> list[Medewerker]:
        """Staff of the product's executing professions, preferably working in the jeugdige's gemeente (cached)."""
        key = (mix.code, j.gemeente)
        if key not in self.cache:
            staff = [m for m in self.b.staff.values() if m.profession in mix.executors and not m.teams]
            self.cache[key] = [m for m in staff if not m.gemeenten or j.gemeente in m.gemeenten] or staff
        return self.cache[key]

    def responsibles(self, role: str | None) -> list[Medewerker]:
        """Staff with the derived role (regiebehandelaar, gedragswetenschapper, registered), outside woongroepen."""
        from planner.roles import is_gedragswetenschapper, is_registered_professional, is_regiebehandelaar

        if ("role", role) not in self.cache:
            test = {"regie": is_regiebehandelaar, "gw": is_gedragswetenschapper,
                    "reg": is_registered_professional, "diag": _diagnostiek_lead}.get(role or "")
            self.cache[("role", role)] = [m for m in self.b.staff.values()
                                          if test and test(m) and not any(t.startswith("T-WG") for t in m.teams)]
        return self.cache[("role", role)]

    def pick(self, staff: list[Medewerker], count: bool = True) -> str | None:
        """Least-loaded staff member under their caseload maximum (ties broken by the seed)."""
        free = [m for m in staff if m.caseload_max is None or self.load[m.id] < m.caseload_max]
        if not free:
            return None
        low = min(self.load[m.id] for m in free)
        chosen = self.rng.choice([m for m in free if self.load[m.id] == low])
        if count:
            self.load[chosen.id] += 1
        return chosen.id

    def make_groups(self) -> int:
        """Groups with two weekly sessions and enrolments; each enrolled jeugdige has a group toewijzing."""
        made = 0
        for i in range(self.size.groups):
            mix = self.p.groups[i % len(self.p.groups)]
            made += self._group(mix, f"GR{i + 1:03d}", f"Groep {mix.code} {i + 1}", sessions=True)
        for i in range(self.size.residential):
            made += self._group(self.p.residential, f"WG{i + 1:02d}", f"Woongroep {i + 1}", sessions=False,
                                team_id=f"T-WG-{i + 1}")
        return made

    def _group(self, mix, gid: str, name: str, sessions: bool, team_id: str | None = None) -> int:
        location = self.rng.choice(self.p.locations)
        self.b.groups[gid] = Groep(gid, name, mix.code, location, team_id)
        if sessions:
            days, start, end = self.rng.choice(SESSION_SLOTS)
            for k, d in enumerate(days):
                sid = f"{gid}-S{k + 1}"
                self.b.sessions[sid] = GroupSession(sid, gid, d, start, end, location)
        unit = "etmaal" if not sessions else "dagdeel"
        months = (6, 12) if sessions else (12, 24)  # a woongroep has no maximum duration (A:3037)
        pm = ProductMix(mix.code, 0, mix.volume, unit, "per_week", months, (), "gw" if not sessions else None)
        n = self.rng.randint(*mix.enrol)
        for _ in range(n):
            j = self.new_gezin(self.rng.choice((1, 1, 2)))[0]
            t = self.add_toewijzing(pm, j, executors=[], ongoing=not sessions)
            self.b.enrolments.append(Enrolment(gid, j.id, t.start, t.end))
        return n

    def make_toewijzingen(self, budget: int) -> None:
        before = len(self.b.toewijzingen)
        self._intensive(budget)
        remaining = budget - (len(self.b.toewijzingen) - before)
        products = self.p.products
        for _ in range(max(0, remaining)):
            mix = self.rng.choices(products, [m.share for m in products])[0]
            self.add_toewijzing(mix, self._client_for(mix))

    def _intensive(self, budget: int) -> None:
        """Team trajectories (MST, MDFT, FAST, Families First): about 8 per team, at most 20% of the budget."""
        teams = [t for t in self.b.teams.values() if t.intervention in self.p.intensive]
        per_team = max(1, min(8, int(budget * 0.2) // max(1, len(teams))))
        for team in teams:
            members = [m for m in self.b.staff.values() if team.id in m.teams]
            for _ in range(per_team):
                mix = self.p.intensive[team.intervention]
                self.add_toewijzing(mix, self._client_for(mix), team.intervention, team.id, members)

    def _client_for(self, mix: ProductMix) -> Jeugdige:
        """A new gezin, or a sibling in an existing one; per-gezin products only once per gezin (F:55, F:204)."""
        product = self.pack.product(mix.code)
        if product is not None and product.per_gezin:
            return self.new_gezin(self.rng.choice((1, 2, 2, 3)))[0]
        if self.b.jeugdigen and self.rng.random() < 0.15:
            recent = list(self.b.jeugdigen)[-50:]
            options = [jid for jid in recent if jid not in self.used[mix.code]]
            if options:
                return self.b.jeugdigen[self.rng.choice(options)]
        return self.new_gezin(self.rng.choice((1, 1, 2)))[0]

    def make_absences(self) -> None:
        """About 5% of staff absent in the period: a day off, a training day or a few sick days."""
        for m in list(self.b.staff.values()):
            if self.rng.random() >= 0.05:
                continue
            day = self.start + timedelta(days=self.rng.randint(0, 4))
            kind = self.rng.choice((AbsenceKind.VERLOF, AbsenceKind.ZIEKTE, AbsenceKind.TRAINING))
            if kind is AbsenceKind.TRAINING:
                start, end = datetime.combine(day, time(9, 0)), datetime.combine(day, time(17, 0))
            else:
                start = datetime.combine(day, time(0, 0))
                end = start + timedelta(days=1 if kind is AbsenceKind.VERLOF else self.rng.randint(2, 3))
            self.b.absences.append(Absence(m.id, start, end, kind))

    def make_wishes(self) -> None:
        """A few shift wishes of woongroep staff in the first four weeks: a day or a night off, a shift wanted."""
        for m in [m for m in self.b.staff.values() if any(t.startswith("T-WG") for t in m.teams)]:
            for _ in range(self.rng.choice((0, 0, 1, 2))):
                day = self.start + timedelta(days=self.rng.randrange(28))
                kind, shift = self.rng.choice(((WishKind.NIET, "*"), (WishKind.NIET, "*"), (WishKind.NIET, "N"),
                                               (WishKind.WEL, "D"), (WishKind.WEL, "A")))
                self.b.wishes.append(ShiftWish(m.id, day, shift, kind, self.rng.choice((5, 10, 20))))
        self.b.wishes.sort(key=lambda w: (w.staff_id, w.date, w.shift))

    def run(self) -> Bundle:
        self.make_staff()
        in_groups = self.make_groups()
        self.make_toewijzingen(self.size.toewijzingen - in_groups)
        self.make_absences()
        self.make_wishes()  # last: the seed's other data stay as they were
        return self.b


def _diagnostiek_lead(m: Medewerker) -> bool:
    """Diagnostiek falls under an orthopedagoog-generalist or GZ-psycholoog (F:44)."""
    from planner.roles import is_regiebehandelaar

    return is_regiebehandelaar(m) and m.profession in ("orthopedagoog-generalist", "gz-psycholoog")


def generate_bundle(size: str | Size = "M", seed: int = 1, pack: str = "flevoland-multi",
                    start: date = DEFAULT_START, name: str | None = None) -> Bundle:
    """A fictional provider's bundle of the given size, deterministic per seed."""
    profile = PROFILES.get(pack)
    if profile is None:
        raise ValueError(f"geen generatorprofiel voor regelpakket {pack!r} (kies uit {', '.join(PROFILES)})")
    spec = SIZES[size.upper()] if isinstance(size, str) else size
    if profile.residential and isinstance(size, str) and spec.residential == 0:
        spec = Size(spec.staff, spec.toewijzingen, spec.groups, spec.oncall_teams, spec.groups // 8)
    label = size if isinstance(size, str) else "maat"
    bundle = _Gen(profile, spec, seed, start, name or f"{profile.name} {label} seed {seed}").run()
    if label.upper() == "XXL":  # a provider organised in regions, staff across two teams (planner.generate_regions)
        from planner.generate_regions import organise_regions

        organise_regions(bundle, seed)
    return bundle


def generate_to(out: str | Path, size: str | Size = "M", seed: int = 1, pack: str = "flevoland-multi",
                name: str | None = None, history: bool = False, offering_teams: bool = False) -> Path:
    b = generate_bundle(size, seed, pack, name=name)
    if history:  # the Almelo sample's capped trajectories with their realisatie (planner.generate_history)
        from planner.generate_history import add_sample_history

        add_sample_history(b)
    if offering_teams:  # the Almelo sample's crisisdienst and ASH teams (planner.generate_oncall)
        from planner.generate_oncall import add_offering_teams

        add_offering_teams(b)
    return write_bundle(b, out)


# The committed sample bundles (sample_data/); tests regenerate them and compare byte for byte.
SAMPLES = {
    "flevoland": dict(size="M", seed=2026, pack="flevoland-multi", name="Jeugdhulp Flevoland (fictief)"),
    "almelo": dict(size=Size(40, 90, 4, 2, 1), seed=2025, pack="almelo-2025", name="Jeugdhulp Almelo (fictief)",
                   history=True, offering_teams=True),
}


def write_samples(root: str | Path = "sample_data") -> list[Path]:
    return [generate_to(Path(root) / key, **kw) for key, kw in SAMPLES.items()]
