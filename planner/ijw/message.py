"""Read and check a JW301 (Toewijzing Jeugdhulp) message of iJw 3.2; JW315 is checked and refused.

Only what planning needs is taken: header identification, the client's BSN (kept in memory
only, to be hashed), birth year and initials, and every ToegewezenProduct. Names, addresses,
relaties, contact details and Commentaar are read past and never stored.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date

from planner.domain import Omvang
from planner.ijw import codes as C
from planner.ijw.reader import Reader, bsn, code, fixed, ijw_date, ijw_time, integer, local, pattern, text
from planner.ijw.xmlsafe import ParsedXml
from planner.importing.model import ImportIssue

M, B = "m", "b"  # element namespace: the message's own or the basisschema
_NAME = {"Geslachtsnaam": B, "Partnernaam": B, "Voornamen": B, "Voorletters": B, "NaamGebruik": B}  # VolledigeNaam
_SHORT_NAME = {"Geslachtsnaam": B, "Voornamen": B, "Voorletters": B}  # CDT_VerkorteNaam (JW315)
_HEADER = {"BerichtCode": M, "BerichtVersie": M, "BerichtSubversie": M, "Afzender": M, "Ontvanger": M,
           "BerichtIdentificatie": M, "XsdVersie": M}
_CLIENT_301 = {"Bsn": M, "Geboortedatum": M, "Geslacht": M, "Naam": M, "Communicatie": M, "JuridischeStatus": M,
               "WettelijkeVertegenwoordiging": M, "Commentaar": M, "Relaties": M, "Contactgegevens": M,
               "ToegewezenProducten": M}
_PRODUCT_301 = {"ToewijzingNummer": M, "ReferentieAanbieder": M, "Product": M, "Toewijzingsdatum": M,
                "Toewijzingstijd": M, "Ingangsdatum": M, "Einddatum": M, "RedenWijziging": M, "Omvang": M,
                "Budget": M, "Commentaar": M}
_CLIENT_315 = {"Bsn": M, "Geboortedatum": M, "Geslacht": M, "Naam": M, "GezagsdragerBekend": M, "Commentaar": M,
               "AangevraagdeProducten": M}
_PRODUCT_315 = {"ReferentieAanbieder": M, "BeschikkingNummer": M, "Product": M, "BeschikkingIngangsdatum": M,
                "ToewijzingIngangsdatum": M, "ToewijzingEinddatum": M, "Omvang": M, "Budget": M, "Verwijzer": M,
                "Raamcontract": M, "Commentaar": M}
MINUTES_PER_WEEK = 7 * 24 * 60


@dataclass(frozen=True, slots=True)
class ToegewezenProduct:
    """One ToegewezenProduct: the toewijzing the municipality grants."""

    index: int  # 1-based position in the message
    line: int
    nummer: str  # ToewijzingNummer
    categorie: str | None
    code: str | None  # None: aspecific toewijzing (category only, or no product)
    toewijzingsdatum: date
    ingangsdatum: date
    einddatum: date | None
    reden: str | None  # RedenWijziging code
    omvang: Omvang | None
    omvang_codes: tuple[int, str, str] | None  # (Volume, Eenheid code, Frequentie code) as in the message
    budget: int | None


@dataclass(frozen=True, slots=True)
class Jw301:
    afzender: str  # gemeentecode
    ontvanger: str  # AGB code of the provider
    identificatie: str
    dagtekening: date
    bsn: str = field(repr=False)  # never stored or shown; hashed by planner.ijw.privacy
    birth_date: date | None = None
    initials: str = ""
    client_line: int = 0
    products: tuple[ToegewezenProduct, ...] = ()


def _header(r: Reader, root: ET.Element, msg: str) -> dict:
    found = r.children(root, "Bericht", {"Header": M, "Client": M})
    head = r.one(found, root, "Bericht", "Header")
    out: dict = {"client": r.one(found, root, "Bericht", "Client")}
    if head is None:
        return out
    p = "Header"
    h = r.children(head, p, _HEADER)
    r.value(h, head, p, "BerichtCode", fixed(C.BERICHT_CODE[msg], f"berichtcode van {msg.upper()}"))
    r.value(h, head, p, "BerichtVersie", fixed("3", "iJw 3.2"))
    r.value(h, head, p, "BerichtSubversie", fixed("2", "iJw 3.2"))
    sender, receiver = ("Afzender", "Ontvanger") if msg == "jw301" else ("Ontvanger", "Afzender")
    out["gemeente"] = r.value(h, head, p, sender, pattern(r"\d{4}", "gemeentecode (4 cijfers)"))
    out["agb"] = r.value(h, head, p, receiver, pattern(r"\d{8}", "AGB-code (8 cijfers)"))
    ident = r.one(h, head, p, "BerichtIdentificatie")
    if ident is not None:
        q = f"{p}/BerichtIdentificatie"
        i = r.children(ident, q, {"Identificatie": B, "Dagtekening": B})
        out["identificatie"] = r.value(i, ident, q, "Identificatie", text(12))
        out["dagtekening"] = r.value(i, ident, q, "Dagtekening", ijw_date)
    xsd = r.one(h, head, p, "XsdVersie")
    if xsd is not None:
        q = f"{p}/XsdVersie"
        x = r.children(xsd, q, {"BasisschemaXsdVersie": B, "BerichtXsdVersie": B})
        for name in ("BasisschemaXsdVersie", "BerichtXsdVersie"):
            r.value(x, xsd, q, name, pattern(r"\d+\.\d+\.\d+", "versie (bv. 1.0.0)"))
    return out


def _client(r: Reader, client: ET.Element, allowed: dict[str, str], name_elems: dict[str, str] = _NAME) -> dict:
    """Bsn, birth date, initials; the other personal elements only need to be present."""
    p = "Client"
    c = r.children(client, p, allowed)
    out = {"found": c, "bsn": r.value(c, client, p, "Bsn", bsn)}
    gd = r.one(c, client, p, "Geboortedatum")
    if gd is not None:
        g = r.children(gd, f"{p}/Geboortedatum", {"Datum": B, "DatumGebruik": B})
        out["birth_date"] = r.value(g, gd, f"{p}/Geboortedatum", "Datum", ijw_date)
        r.value(g, gd, f"{p}/Geboortedatum", "DatumGebruik", code({"1": "", "2": "", "3": ""}, "DatumGebruik"),
                required=False)
    r.value(c, client, p, "Geslacht", code({"0": "onbekend", "1": "man", "2": "vrouw"}, "Geslacht"))
    naam = r.one(c, client, p, "Naam")
    out["initials"] = _initials(r, naam, name_elems) if naam is not None else ""
    out["line"] = r.parsed.line(client)
    return out


def _initials(r: Reader, naam: ET.Element, name_elems: dict[str, str]) -> str:
    """'T.W.' from Voorletters (or the first Voornaam) and the significant part of the Geslachtsnaam."""
    p = "Client/Naam"
    n = r.children(naam, p, name_elems)
    if "NaamGebruik" in name_elems:
        r.one(n, naam, p, "NaamGebruik")
    letters = (r.value(n, naam, p, "Voorletters", text(6), required=False) or
               (r.value(n, naam, p, "Voornamen", text(200), required=False) or "")[:1])
    surname = ""
    gn = r.one(n, naam, p, "Geslachtsnaam")
    if gn is not None:
        g = r.children(gn, f"{p}/Geslachtsnaam", {"Achternaam": B, "Voorvoegsel": B})
        surname = r.value(g, gn, f"{p}/Geslachtsnaam", "Achternaam", text(200)) or ""
    parts = [ch.upper() for ch in letters if ch.isalpha()] + [ch.upper() for ch in surname if ch.isalpha()][:1]
    return "".join(f"{ch}." for ch in parts)


def _omvang(r: Reader, elem: ET.Element, path: str) -> tuple[int, str, str] | None:
    o = r.children(elem, path, {"Volume": B, "Eenheid": B, "Frequentie": B})
    volume = r.value(o, elem, path, "Volume", integer(0, C.VOLUME_MAX))
    unit = r.value(o, elem, path, "Eenheid", code(C.EENHEID, "Eenheid"))
    freq = r.value(o, elem, path, "Frequentie", code(C.FREQUENTIE, "Frequentie"))
    if volume is None or unit is None or freq is None:
        return None
    return volume, unit, freq


def _plausible(r: Reader, elem: ET.Element, path: str, omvang: Omvang, start: date, end: date | None) -> bool:
    """A time-based omvang cannot ask for more hours than a week has."""
    days = (end - start).days + 1 if end else None
    per_week = omvang.minutes_per_week(days)
    if per_week is not None and per_week > MINUTES_PER_WEEK:
        r.error(elem, path, f"omvang van {per_week / 60:.0f} uur per week is onmogelijk groot "
                            f"(een week heeft {MINUTES_PER_WEEK // 60} uur)")
        return False
    return True


def _product_code(r: Reader, found: dict, parent: ET.Element, path: str) -> tuple[str | None, str | None]:
    prod = r.one(found, parent, path, "Product", required=False)
    if prod is None:
        return None, None
    q = f"{path}/Product"
    pc = r.children(prod, q, {"Categorie": B, "Code": B})
    cat = r.value(pc, prod, q, "Categorie", code(C.CATEGORIE, "Productcategorie"))
    return cat, r.value(pc, prod, q, "Code", pattern(r"(?=.*\S).{1,5}", "productcode (1-5 tekens)"), required=False)


def _product(r: Reader, elem: ET.Element, index: int) -> ToegewezenProduct | None:
    p = f"ToegewezenProduct[{index}]"
    before = len(r.issues)
    f = r.children(elem, p, _PRODUCT_301)
    nummer = r.value(f, elem, p, "ToewijzingNummer", integer(0, C.NUMMER_MAX))
    cat, pcode = _product_code(r, f, elem, p)
    granted = r.value(f, elem, p, "Toewijzingsdatum", ijw_date)
    r.value(f, elem, p, "Toewijzingstijd", ijw_time)
    start, end = r.value(f, elem, p, "Ingangsdatum", ijw_date), r.value(f, elem, p, "Einddatum", ijw_date, False)
    if start and end and end < start:
        r.error(f.get("Einddatum", [elem])[0], f"{p}/Einddatum", f"Einddatum {end} ligt voor Ingangsdatum {start}")
    reden = r.value(f, elem, p, "RedenWijziging", code(C.REDEN_WIJZIGING, "RedenWijziging"), required=False)
    budget = r.value(f, elem, p, "Budget", integer(0, C.VOLUME_MAX), required=False)
    oe = r.one(f, elem, p, "Omvang", required=False)
    codes = _omvang(r, oe, f"{p}/Omvang") if oe is not None else None
    omvang = Omvang(float(codes[0]), C.EENHEID_UNIT[codes[1]], C.FREQUENTIE_FREQ[codes[2]]) if codes else None
    if omvang and start and not _plausible(r, oe, f"{p}/Omvang", omvang, start, end):
        omvang = None
    if len(r.issues) > before:
        return None
    return ToegewezenProduct(index, r.parsed.line(elem), str(nummer), cat, pcode, granted, start, end, reden, omvang,
                             codes, budget)


def _products(r: Reader, container: ET.Element | None, child: str) -> list[ET.Element]:
    if container is None:
        return []
    items = r.children(container, local(container.tag), {child: M}, repeat=frozenset({child}))
    if not items.get(child):
        r.error(container, local(container.tag), f"geen {child} in het bericht")
    return items.get(child, [])


def read_jw301(parsed: ParsedXml, source: str) -> tuple[Jw301 | None, list[ImportIssue]]:
    """The checked message, or None and every problem found (Dutch, with line and element path)."""
    r = Reader(parsed, source, C.NS_MESSAGE["jw301"])
    head = _header(r, parsed.root, "jw301")
    client = head["client"]
    products: list[ToegewezenProduct | None] = []
    c: dict = {}
    if client is not None:
        c = _client(r, client, _CLIENT_301)
        r.one(c["found"], client, "Client", "Contactgegevens")
        elems = _products(r, r.one(c["found"], client, "Client", "ToegewezenProducten"), "ToegewezenProduct")
        products = [_product(r, e, i) for i, e in enumerate(elems, start=1)]
    seen: dict[str, int] = {}
    for prod in products:
        if prod is not None and prod.nummer in seen:
            r.issues.append(ImportIssue(source, prod.line, f"ToegewezenProduct[{prod.index}]/ToewijzingNummer",
                                        f"ToewijzingNummer {prod.nummer} staat ook bij "
                                        f"ToegewezenProduct[{seen[prod.nummer]}]"))
        elif prod is not None:
            seen[prod.nummer] = prod.index
    if r.issues:
        return None, r.issues
    return Jw301(head["gemeente"], head["agb"], head["identificatie"], head["dagtekening"], c["bsn"],
                 c.get("birth_date"), c["initials"], c["line"], tuple(p for p in products if p)), []


def check_jw315(parsed: ParsedXml, source: str) -> list[ImportIssue]:
    """Every problem of a JW315 (verzoek om toewijzing); such a message is checked but never imported."""
    r = Reader(parsed, source, C.NS_MESSAGE["jw315"])
    client = _header(r, parsed.root, "jw315")["client"]
    if client is None:
        return r.issues
    c = _client(r, client, _CLIENT_315, _SHORT_NAME)
    for i, elem in enumerate(_products(r, r.one(c["found"], client, "Client", "AangevraagdeProducten"),
                                       "AangevraagdProduct"), start=1):
        p = f"AangevraagdProduct[{i}]"
        f = r.children(elem, p, _PRODUCT_315)
        _product_code(r, f, elem, p)
        for name, required in (("BeschikkingIngangsdatum", False), ("ToewijzingIngangsdatum", True),
                               ("ToewijzingEinddatum", False)):
            r.value(f, elem, p, name, ijw_date, required)
        if (oe := r.one(f, elem, p, "Omvang", required=False)) is not None:
            _omvang(r, oe, f"{p}/Omvang")
        r.one(f, elem, p, "Verwijzer")
    return r.issues


def message_kind(root: ET.Element) -> str | None:
    """'jw301' or 'jw315' from the root's namespace; None for anything else."""
    ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    kind = C.MESSAGE_OF_NS.get(ns)
    return kind if kind and local(root.tag) == "Bericht" else None


def namespace_hint(root: ET.Element) -> str:
    ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    other = re.search(r"/ijw/(\d+_\d+)/(\w+)/", ns + "/")
    if other:
        return (f"bericht {other.group(2).upper()} van iJw-release {other.group(1).replace('_', '.')} wordt niet "
                f"ondersteund (alleen JW301 van iJw 3.2)")
    return (f"geen iJw 3.2 JW301-bericht: hoofdelement {local(root.tag)!r} met namespace {ns or '(geen)'!r}; "
            f"verwacht Bericht in {C.NS_MESSAGE['jw301']}")
