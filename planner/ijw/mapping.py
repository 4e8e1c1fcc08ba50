"""Map a checked JW301 message onto the bundle: jeugdige (+ gezin), toewijzingen and the to-specify list.

- The client is found by the keyed hash of the BSN (:mod:`planner.ijw.privacy`); a new client
  becomes a jeugdige ``J-IJW0001`` in a new gezin ``G-IJW0001`` of the sending gemeente, with
  only initials and birth year.
- ToegewezenProduct ``ToewijzingNummer`` N is toewijzing ``TW-N``; a number seen before updates
  that toewijzing (dates, product, omvang), RedenWijziging 13 (Verwijderd) removes it.
- Omvang maps to volume/eenheid/frequentie (Eenheid 01 minuut, 04 uur, 14 etmaal, 16 dagdeel,
  82/84 stuks, 83 euro; Frequentie 1 per dag, 2 per week, 4 per maand, 6 totaal), from which
  :mod:`planner.demand` derives the contact demand.
- Aspecific toewijzingen (no product code, a code outside the rule pack, no einddatum, no omvang)
  are imported and flagged in ``toewijzingen_te_specificeren.csv`` (:mod:`planner.ijw.pending`).
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.domain import INITIALS_MAX, OmvangUnit
from planner.ijw import codes as C
from planner.ijw.message import Jw301, ToegewezenProduct
from planner.ijw.pending import PENDING_FILE, PendingList
from planner.ijw.privacy import BsnIndex, BsnKey
from planner.importing.merge import Origins, row_values, upsert
from planner.importing.model import DELETED, UNCHANGED, ImportPreview, RowChange
from planner.importing.tables import Table
from planner.rules import RulePack


@dataclass(slots=True)
class Target:
    """Where the message goes: the bundle tables, their change origins and the side files."""

    tables: dict[str, Table]
    origins: Origins
    preview: ImportPreview
    pack: RulePack
    index: BsnIndex
    pending: PendingList
    key: BsnKey


def next_id(table: Table, prefix: str) -> str:
    """The next free id ``<prefix>0001``, ``<prefix>0002``, ... in a table."""
    n = 1
    while table.find((f"{prefix}{n:04d}",)) is not None:
        n += 1
    return f"{prefix}{n:04d}"


def _change(t: Target, table: str, key: str, line: int, values: dict[str, object]) -> RowChange:
    return RowChange(table, key, UNCHANGED, t.preview.filename, line, row_values(values))


def short_initials(initials: str) -> str:
    """Initials within :data:`planner.domain.INITIALS_MAX` characters: 'J.A.N.V.' becomes 'J.A.V.'."""
    letters = [ch for ch in initials if ch.isalpha()]
    if len(letters) * 2 > INITIALS_MAX:
        letters = letters[: INITIALS_MAX // 2 - 1] + letters[-1:]
    return "".join(f"{ch}." for ch in letters)


def apply_client(t: Target, msg: Jw301, line: int) -> str:
    """The jeugdige id for the message's client, creating jeugdige and gezin when new."""
    from dataclasses import replace

    msg = replace(msg, initials=short_initials(msg.initials))
    digest = msg.bsn and t.key.hash(msg.bsn)
    jid = t.index.lookup(digest)
    year = msg.birth_date.year if msg.birth_date else ""
    jeugdigen = t.tables["jeugdigen.csv"]
    if jid is not None and jeugdigen.find((jid,)) is not None:
        t.preview.changes.append(upsert(t.tables, t.origins, _change(
            t, "jeugdigen.csv", jid, line, {"id": jid, "initialen": msg.initials, "geboortejaar": year})))
        return jid
    gemeente = C.GEMEENTEN.get(msg.afzender)
    if gemeente is None:
        gemeente = f"GM{msg.afzender}"
        t.preview.warnings.append(f"Gemeentecode {msg.afzender} staat niet in de tabel van bekende gemeenten; "
                                  f"het gezin krijgt gemeente {gemeente!r}. Pas die zo nodig aan.")
    gid = next_id(t.tables["gezinnen.csv"], "G-IJW")
    jid = jid or next_id(jeugdigen, "J-IJW")
    gezin = upsert(t.tables, t.origins, _change(t, "gezinnen.csv", gid, line, {"id": gid, "gemeente": gemeente}))
    gezin.notes.append("nieuw gezin: koppel broers en zussen zo nodig aan één gezin")
    t.preview.changes += [gezin, upsert(t.tables, t.origins, _change(
        t, "jeugdigen.csv", jid, line, {"id": jid, "gezin_id": gid, "initialen": msg.initials,
                                        "geboortejaar": year, "gemeente": gemeente}))]
    t.index.add(digest, jid, t.key)
    return jid


def _flags(t: Target, p: ToegewezenProduct) -> list[str]:
    """Why a toewijzing still needs the teamleider (empty when it is complete)."""
    out = []
    if p.code is None:
        cat = f"alleen categorie {p.categorie} ({C.CATEGORIE[p.categorie]})" if p.categorie else "geen product"
        out.append(f"aspecifieke toewijzing: geen productcode, {cat}")
    elif t.pack.product(p.code) is None:
        out.append(f"productcode {p.code} hoort niet bij regelpakket {t.pack.id}: kies een product van het pakket")
    if p.einddatum is None:
        out.append("geen einddatum (onbepaalde duur): vul een einddatum in")
    if p.omvang is None:
        out.append("generieke toewijzing zonder omvang: vul de omvang in")
    return out


def _omvang_note(p: ToegewezenProduct) -> str | None:
    if p.omvang is None or p.omvang_codes is None:
        return None
    volume, unit, freq = p.omvang_codes
    text = f"omvang {volume} x {C.EENHEID[unit].lower()} {C.FREQUENTIE[freq].lower()}"
    days = (p.einddatum - p.ingangsdatum).days + 1 if p.einddatum else None
    per_week = p.omvang.minutes_per_week(days)
    if per_week is not None:
        return f"{text}: vraag {per_week / 60:.1f} uur per week"
    kind = "euro" if p.omvang.unit is OmvangUnit.EURO else "stuks"
    return f"{text}: in {kind}, geen contacttijd af te leiden"


def _pending_row(p: ToegewezenProduct, tid: str, jid: str, flags: list[str]) -> dict[str, str]:
    volume, unit, freq = p.omvang_codes or ("", "", "")
    return row_values({"id": tid, "jeugdige_id": jid, "categorie": p.categorie, "productcode": p.code,
                       "begindatum": p.ingangsdatum, "einddatum": p.einddatum, "volume": volume,
                       "eenheid": C.EENHEID_UNIT[unit].value if unit else "",
                       "frequentie": C.FREQUENTIE_FREQ[freq].value if freq else "", "budget": p.budget,
                       "reden_wijziging": p.reden, "signaal": "; ".join(flags)})


def apply_product(t: Target, p: ToegewezenProduct, jid: str) -> None:
    """Create, update or remove toewijzing ``TW-<ToewijzingNummer>``."""
    tid = f"TW-{p.nummer}"
    table = t.tables["toewijzingen.csv"]
    pos = table.find((tid,))
    owner = table.rows[pos]["jeugdige_id"] if pos is not None else t.pending.rows.get(tid, {}).get("jeugdige_id")
    probe = _change(t, "toewijzingen.csv", tid, p.line, {})
    if owner and owner != jid:
        probe.reject("id", f"ToewijzingNummer {p.nummer} hoort bij een andere jeugdige ({owner}); niets ingelezen")
        t.preview.changes.append(probe)
        return
    if p.reden == C.REDEN_VERWIJDERD:
        _remove(t, probe, pos, tid)
        return
    flags = _flags(t, p)
    notes = [n for n in (_omvang_note(p),) if n]
    product = t.pack.product(p.code) if p.code else None
    if product is not None and product.interventions:
        notes.append(f"kies zo nodig de interventie ({', '.join(product.interventions)})")
    if p.reden:
        notes.append(f"wijziging: {C.REDEN_WIJZIGING[p.reden]}" + ("" if pos is not None or tid in t.pending.rows
                                                                   else " (toewijzing was nog niet bekend)"))
    elif pos is not None:
        notes.append("toewijzing was al bekend: bijgewerkt (RedenWijziging ontbreekt)")
    if p.code and t.pack.product(p.code) is not None and p.einddatum is not None:
        volume, unit, freq = p.omvang_codes or ("", "", "")
        change = upsert(t.tables, t.origins, _change(t, "toewijzingen.csv", tid, p.line, {
            "id": tid, "jeugdige_id": jid, "productcode": p.code, "begindatum": p.ingangsdatum,
            "einddatum": p.einddatum, "volume": volume, "eenheid": C.EENHEID_UNIT[unit].value if unit else "",
            "frequentie": C.FREQUENTIE_FREQ[freq].value if freq else ""}))
    else:
        if pos is not None:  # was complete, is aspecific now: it waits on the list again
            table.delete(pos)
        action = t.pending.upsert(_pending_row(p, tid, jid, flags))
        change = RowChange(PENDING_FILE, tid, action or UNCHANGED, t.preview.filename, p.line,
                           _pending_row(p, tid, jid, flags))
    if flags and change.table == "toewijzingen.csv":
        t.pending.upsert(_pending_row(p, tid, jid, flags))
    elif change.table == "toewijzingen.csv":
        t.pending.remove(tid)
    change.notes += flags + notes
    t.preview.changes.append(change)


def _remove(t: Target, change: RowChange, pos: int | None, tid: str) -> None:
    """RedenWijziging 13: the municipality withdrew the toewijzing."""
    on_list = t.pending.remove(tid)
    if pos is not None:
        t.tables["toewijzingen.csv"].delete(pos)
    change.action = DELETED if pos is not None or on_list else UNCHANGED
    change.notes.append("RedenWijziging 13 (Verwijderd): toewijzing ingetrokken" if change.action == DELETED else
                        "RedenWijziging 13 (Verwijderd) voor een onbekende toewijzing: niets te doen")
    t.preview.changes.append(change)
