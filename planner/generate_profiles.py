"""Provider profiles for the generator: staff mix, product mix, omvang per product.

The mixes follow the products' staffing requirements in the seeds so that a
good plan is possible: e.g. Flevoland 45F31/45F34 executors are hbo+ or
higher under a regiebehandelaar (F:102, F:144), 45F21/45F23 under a
gedragswetenschapper (F:212, F:252), MST/MDFT teams carry 24/7 bereikbaarheid
(F:103); Almelo woongroep staff are mbo3+ under an hbo SKJ with a sleeping
night shift of mbo4 (A:3051-3055).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Discipline:
    profession: str
    educations: tuple[tuple[str, float], ...]  # (education, weight)
    registrations: tuple[str, ...]
    share: float  # relative share of the general staff pool
    extra_registrations: tuple[str, ...] = ()  # each added with probability 0.5
    contract: tuple[int, ...] = (36, 32, 32, 28, 24)
    caseload_per_fte: int | None = None
    min_count: int = 0


@dataclass(frozen=True)
class ProductMix:
    """A non-group product: share of the individual/gezin toewijzingen, omvang, who executes, who is responsible."""

    code: str
    share: float
    volume: float
    unit: str
    frequency: str
    months: tuple[int, int]  # duration range in months (within the pack's maximum)
    executors: tuple[str, ...]  # professions that may execute it (besides team members)
    responsible: str | None  # "regie", "diag" (F:44), "gw", "reg" or None
    weeks: tuple[int, int] | None = None  # duration in weeks instead of months (crisis forms)


@dataclass(frozen=True)
class GroupMix:
    code: str
    enrol: tuple[int, int]  # enrolled jeugdigen per group (min, max)
    volume: float = 2  # dagdelen per week in the toewijzing


@dataclass(frozen=True)
class Profile:
    pack: str
    name: str
    gemeenten: tuple[tuple[str, float], ...]
    regions: tuple[tuple[str, ...], ...]  # working areas staff are spread over
    disciplines: tuple[Discipline, ...]
    products: tuple[ProductMix, ...]
    groups: tuple[GroupMix, ...]
    intensive: dict[str, ProductMix]  # team intervention -> product (with team_id)
    oncall_interventions: tuple[str, ...]  # cycled over the on-call teams
    extra_team_intervention: str | None = None  # a non-24/7 team (FAST), one per two on-call teams
    residential: GroupMix | None = None
    team_core: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (profession, education, registrations) per team
    regie: tuple[str, ...] = ("psychiater", "gz-psycholoog", "orthopedagoog-generalist")
    gw: tuple[str, ...] = ("orthopedagoog", "orthopedagoog-generalist", "gz-psycholoog")
    reg: tuple[str, ...] = ("jeugd- en gezinswerker", "sociaal werker")
    locations: tuple[str, ...] = field(default_factory=tuple)


D = Discipline
P = ProductMix
TEAM_CORE = (("orthopedagoog", "wo", ("SKJ",)), ("systeemtherapeut", "hbo+", ("SKJ",)),
             ("systeemtherapeut", "wo", ("SKJ",)), ("systeemtherapeut", "hbo+", ("SKJ",)),
             ("systeemtherapeut", "hbo+", ("SKJ",)))

FLEVOLAND = Profile(
    pack="flevoland-multi", name="Jeugdhulp Flevoland (fictief)",
    gemeenten=(("Almere", .42), ("Lelystad", .25), ("Dronten", .10), ("Noordoostpolder", .10), ("Urk", .07),
               ("Zeewolde", .06)),
    regions=(("Almere", "Zeewolde"), ("Almere",), ("Lelystad", "Dronten"), ("Lelystad",),
             ("Noordoostpolder", "Urk"), ("Dronten", "Noordoostpolder", "Urk")),
    disciplines=(
        D("psychiater", (("wo+", 1),), ("BIG",), 1, contract=(24, 16), min_count=1),
        D("gz-psycholoog", (("wo+", 1),), ("BIG",), 5, ("NIP",), (36, 32, 28)),
        D("orthopedagoog-generalist", (("wo+", 1),), ("BIG",), 4, ("NVO", "SKJ"), (36, 32, 28)),
        D("orthopedagoog", (("wo", 1),), ("SKJ",), 6, ("NVO",), caseload_per_fte=14, min_count=1),
        D("systeemtherapeut", (("hbo+", 3), ("wo", 2)), ("SKJ",), 5, caseload_per_fte=14),
        D("vaktherapeut", (("hbo+", 1),), ("RVT",), 4, caseload_per_fte=16),
        D("jeugd- en gezinswerker", (("hbo", 1),), ("SKJ",), 14, caseload_per_fte=16, min_count=1),
        D("sociaal werker", (("hbo", 1),), ("SKJ",), 8, caseload_per_fte=16),
        D("sociaalpedagogisch medewerker", (("mbo4", 1),), (), 6, caseload_per_fte=16),
    ),
    products=(
        P("45F11", .10, 12, "uur", "totaal", (3, 6), ("gz-psycholoog", "orthopedagoog-generalist", "orthopedagoog"),
          "diag"),
        P("45F33", .17, 2, "uur", "per_week", (6, 12), ("jeugd- en gezinswerker", "systeemtherapeut", "orthopedagoog"),
          "regie"),
        P("45F31", .25, 90, "minuut", "per_week", (6, 12), ("systeemtherapeut", "vaktherapeut", "orthopedagoog",
                                                             "gz-psycholoog"), "regie"),
        P("45F23", .18, 3, "uur", "per_week", (6, 12), ("jeugd- en gezinswerker", "sociaal werker",
                                                         "sociaalpedagogisch medewerker"), "gw"),
        P("45F21", .30, 2, "uur", "per_week", (6, 12), ("jeugd- en gezinswerker", "sociaal werker",
                                                         "sociaalpedagogisch medewerker"), "gw"),
    ),
    groups=(GroupMix("45F32", (6, 11)), GroupMix("45F22", (6, 12))),
    intensive={"MST": P("45F34", 0, 4, "uur", "per_week", (4, 5), (), "regie"),
               "MDFT": P("45F34", 0, 3, "uur", "per_week", (5, 8), (), "regie"),
               "FAST": P("45F34", 0, 3, "uur", "per_week", (4, 8), (), "regie")},
    oncall_interventions=("MST", "MDFT"), extra_team_intervention="FAST", team_core=TEAM_CORE,
    locations=("Almere Stad", "Almere Buiten", "Lelystad Centrum", "Dronten", "Emmeloord"),
)

ALMELO = Profile(
    pack="almelo-2025", name="Jeugdhulp Almelo (fictief)",
    gemeenten=(("Almelo", 1.0),), regions=(("Almelo",),),
    disciplines=(
        D("gz-psycholoog", (("wo+", 1),), ("BIG",), 2, ("NIP",), (36, 32, 28), min_count=1),
        D("orthopedagoog-generalist", (("wo+", 1),), ("BIG", "NVO"), 2, ("SKJ",), (36, 32, 28), min_count=1),
        D("orthopedagoog", (("wo", 1),), ("SKJ",), 4, ("NVO",), caseload_per_fte=14, min_count=1),
        D("systeemtherapeut", (("hbo+", 1),), ("SKJ",), 2, caseload_per_fte=14),
        D("vaktherapeut", (("hbo+", 1),), ("RVT",), 2, caseload_per_fte=16, min_count=1),
        D("jeugd- en gezinswerker", (("hbo", 1),), ("SKJ",), 9, caseload_per_fte=16, min_count=2),
        D("sociaal werker", (("hbo", 1),), ("SKJ",), 4, caseload_per_fte=16),
        D("sociaalpedagogisch medewerker", (("mbo4", 1),), (), 7, caseload_per_fte=16, min_count=2),
        D("pedagogisch medewerker", (("mbo3", 1),), (), 2, caseload_per_fte=16),
    ),
    products=(
        P("A-BI", .40, 2, "uur", "per_week", (6, 12), ("sociaalpedagogisch medewerker", "jeugd- en gezinswerker",
                                                        "sociaal werker"), "reg"),
        P("A-BHI", .40, 90, "minuut", "per_week", (6, 12), ("jeugd- en gezinswerker", "orthopedagoog",
                                                             "systeemtherapeut"), "gw"),
        P("A-VT", .20, 60, "minuut", "per_week", (4, 9), ("vaktherapeut",), "gw"),
    ),
    groups=(GroupMix("A-BGB", (6, 12)), GroupMix("A-BGI", (4, 8)), GroupMix("A-BHGB", (4, 8)),
            GroupMix("A-BHGI", (4, 6))),
    intensive={"MST": P("A-MST", 0, 4, "uur", "per_week", (4, 5), (), "gw"),
               "Families First": P("A-FF", 0, 10, "uur", "per_week", (1, 1), (), "gw", weeks=(4, 6))},
    oncall_interventions=("MST", "Families First"),
    residential=GroupMix("A-WG", (8, 8), volume=7),
    team_core=TEAM_CORE,
    locations=("Almelo Centrum", "Almelo Nieuwstraat", "Almelo Schelfhorst"),
)

# Families First is delivered by gezinsmedewerkers (hbo SKJ) rather than systeemtherapeuten.
FF_CORE = (("orthopedagoog", "wo", ("SKJ",)),) + (("jeugd- en gezinswerker", "hbo", ("SKJ",)),) * 4
# A woongroep team: hbo SKJ pedagogisch medewerkers supervise, mbo4 carry the sleeping night shift (A:3051-3055).
WOONGROEP_CORE = ((("jeugd- en gezinswerker", "hbo", ("SKJ",)),) * 2
                  + (("sociaalpedagogisch medewerker", "mbo4", ()),) * 6 + (("pedagogisch medewerker", "mbo3", ()),))

PROFILES = {p.pack: p for p in (FLEVOLAND, ALMELO)}

FIRST_NAMES = (
    "Anouk", "Bram", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Iris", "Jesse", "Julia", "Kim", "Lars", "Lieke",
    "Luuk", "Maaike", "Milan", "Noa", "Nina", "Olaf", "Pien", "Quinten", "Roos", "Ruben", "Sanne", "Sem", "Sophie",
    "Thijs", "Tess", "Vera", "Wouter", "Yara", "Zoë", "Esra", "Mohammed", "Fatima", "Youssef", "Priya", "Rik",
    "Annelies", "Bas", "Carolien", "Dirk", "Els", "Femke", "Gerrit", "Hester", "Ilse", "Jeroen", "Karin", "Marieke",
)
