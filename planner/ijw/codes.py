"""iJw 3.2 namespaces and the code lists the JW301 import checks (WJ756, WMO757, JZ020, JZ002).

The values are those of the iJw 3.2 basisschema; ``tests/test_ijw_codes.py`` compares them
with ``../shared/reference/ijw/codelijsten.csv`` when that file is present.
"""

from __future__ import annotations

from planner.domain import OmvangFrequency, OmvangUnit

NS_BASE = "http://www.istandaarden.nl/ijw/3_2"
NS_BASIS = f"{NS_BASE}/basisschema/schema"
NS_MESSAGE = {"jw301": f"{NS_BASE}/jw301/schema", "jw315": f"{NS_BASE}/jw315/schema"}
MESSAGE_OF_NS = {ns: name for name, ns in NS_MESSAGE.items()}
BERICHT_CODE = {"jw301": "436", "jw315": "446"}

# WJ756 Eenheid
EENHEID: dict[str, str] = {"01": "Minuut", "04": "Uur", "14": "Etmaal", "16": "Dagdeel (4 uur)",
                           "82": "Stuks (output)", "83": "Euro's", "84": "Stuks (inspanning)"}
EENHEID_UNIT = {"01": OmvangUnit.MINUUT, "04": OmvangUnit.UUR, "14": OmvangUnit.ETMAAL, "16": OmvangUnit.DAGDEEL,
                "82": OmvangUnit.STUKS, "83": OmvangUnit.EURO, "84": OmvangUnit.STUKS}
# WMO757 Frequentie
FREQUENTIE: dict[str, str] = {"1": "Per dag", "2": "Per week", "4": "Per maand",
                              "6": "Totaal binnen geldigheidsduur toewijzing"}
FREQUENTIE_FREQ = {"1": OmvangFrequency.PER_DAG, "2": OmvangFrequency.PER_WEEK, "4": OmvangFrequency.PER_MAAND,
                   "6": OmvangFrequency.TOTAAL}
# JZ020 Productcategorie
CATEGORIE: dict[str, str] = {
    "31": "(2015) Zonder verblijf: uitgevoerd door wijk- of buurtteam",
    "32": "(2015) Zonder verblijf: ambulante jeugdhulp op locatie van de aanbieder",
    "33": "(2015) Zonder verblijf: daghulp op locatie van de aanbieder",
    "34": "(2015) Zonder verblijf: jeugdhulp in het netwerk van de jeugdige",
    "35": "(2015) Met verblijf: pleegzorg", "36": "(2015) Met verblijf: gezinsgericht",
    "37": "(2015) Met verblijf: gesloten plaatsing", "38": "(2015) Met verblijf: overig residentieel",
    "40": "Persoonlijke verzorging", "41": "Dagbehandeling", "42": "Vervoerdiensten",
    "43": "Jeugdhulp verblijf (incl. behandeling)", "44": "Jeugdhulp verblijf (excl. behandeling)",
    "45": "Jeugdhulp ambulant", "46": "Jeugdhulp crisis", "47": "Jeugdreclassering", "48": "Jeugdbescherming",
    "49": "Activiteiten in het preventief justitieel kader", "50": "Maatwerkarrangementen jeugd",
    "51": "Generalistische basis-ggz", "52": "Specialistische ggz", "53": "Kindergeneeskunde", "54": "Jeugd-ggz",
    "55": "Landelijk ingekochte zorg"}
# JZ002 RedenWijziging
REDEN_WIJZIGING: dict[str, str] = {
    "01": "Administratieve correctie (vervallen)", "02": "Client overleden", "03": "Contractwijziging",
    "04": "Herbeoordeling: verlenging toewijzing", "05": "Herbeoordeling: verkorting toewijzing",
    "06": "Uitstroom naar ander domein", "07": "Verhuizing naar een andere gemeente", "08": "Wijziging leveringsvorm",
    "09": "Overstap naar andere aanbieder", "10": "Overgang naar nieuwe bekostigingssystematiek",
    "11": "Gemeentelijke herindeling", "12": "Geinitieerd door de aanbieder", "13": "Verwijderd",
    "14": "Administratieve correctie"}
REDEN_VERWIJDERD = "13"
VOLUME_MAX = 99_999_999  # LDT_Volume and LDT_Budget
NUMMER_MAX = 999_999_999  # LDT_Nummer (ToewijzingNummer)

CODE_LISTS = {"WJ756": EENHEID, "WMO757": FREQUENTIE, "JZ020": CATEGORIE, "JZ002": REDEN_WIJZIGING}

# CBS gemeentecodes (Afzender) of the sample regions, for a readable gemeente in gezinnen.csv;
# an unknown code is stored as "GM" + code and flagged.
GEMEENTEN = {"0034": "Almere", "0050": "Zeewolde", "0171": "Noordoostpolder", "0184": "Urk", "0303": "Dronten",
             "0995": "Lelystad", "0141": "Almelo", "0147": "Borne", "0153": "Enschede", "0158": "Haaksbergen",
             "0164": "Hengelo", "0168": "Losser", "0173": "Oldenzaal", "0183": "Tubbergen", "0189": "Wierden",
             "1700": "Twenterand", "1735": "Hof van Twente", "1742": "Rijssen-Holten", "1774": "Dinkelland",
             "0384": "Diemen"}


def code_choices(codes: dict[str, str]) -> str:
    """'01 Minuut, 04 Uur, ...' for a Dutch error message."""
    return ", ".join(f"{k} {v}" for k, v in codes.items())
