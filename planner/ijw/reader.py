"""Walk an iJw message element by element, recording every problem as a Dutch issue (line, path).

Value checks mirror the iJw 3.2 basisschema types (LDT_Datum, LDT_Volume, code lists, ...) so a
message is checked even where the XSD files are not installed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, time
from typing import Any

from planner.bundle_csv import FieldError
from planner.ijw.codes import NS_BASIS, code_choices
from planner.ijw.xmlsafe import ParsedXml
from planner.importing.model import ImportIssue

Check = Callable[[str], Any]


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class Reader:
    """Element access with required/unknown/duplicate checks; problems collect in ``issues``."""

    def __init__(self, parsed: ParsedXml, source: str, ns: str):
        self.parsed, self.source, self.ns = parsed, source, ns
        self.issues: list[ImportIssue] = []

    def error(self, elem: ET.Element | None, path: str, reason: str) -> None:
        self.issues.append(ImportIssue(self.source, self.parsed.line(elem), path, reason))

    def children(self, parent: ET.Element, path: str, allowed: dict[str, str], repeat: frozenset[str] = frozenset()
                 ) -> dict[str, list[ET.Element]]:
        """Children by local name; unknown names, wrong namespaces and repeated singles are issues.

        ``allowed`` maps each local name to its namespace key: 'm' (message) or 'b' (basisschema).
        """
        found: dict[str, list[ET.Element]] = {}
        for child in parent:
            name = local(child.tag)
            want = allowed.get(name)
            ns = child.tag[1:].split("}", 1)[0] if child.tag.startswith("{") else ""
            if want is None:
                self.error(child, f"{path}/{name}", f"onbekend element {name!r} in {local(parent.tag)}")
                continue
            if ns != (self.ns if want == "m" else NS_BASIS):
                self.error(child, f"{path}/{name}", f"element {name!r} heeft een verkeerde namespace ({ns or 'geen'})")
                continue
            found.setdefault(name, []).append(child)
        for name, elems in found.items():
            if len(elems) > 1 and name not in repeat:
                self.error(elems[1], f"{path}/{name}", f"element {name!r} komt meer dan eens voor")
        return found

    def one(self, found: dict[str, list[ET.Element]], parent: ET.Element, path: str, name: str,
            required: bool = True) -> ET.Element | None:
        elems = found.get(name)
        if not elems:
            if required:
                self.error(parent, f"{path}/{name}", f"verplicht element {name!r} ontbreekt in {local(parent.tag)}")
            return None
        return elems[0]

    def value(self, found: dict[str, list[ET.Element]], parent: ET.Element, path: str, name: str, check: Check,
              required: bool = True) -> Any:
        """The checked value of a simple child element (None when absent or wrong)."""
        elem = self.one(found, parent, path, name, required)
        if elem is None:
            return None
        text = (elem.text or "").strip()
        if len(elem):
            self.error(elem, f"{path}/{name}", f"element {name!r} mag geen onderliggende elementen bevatten")
            return None
        try:
            return check(text)
        except FieldError as e:
            self.error(elem, f"{path}/{name}", f"{name}: {e}")
            return None


# --- value checks (raise FieldError with a Dutch reason) ----------------------------------
def ijw_date(s: str) -> date:
    """LDT_Datum: JJJJ-MM-DD, an existing day, no time zone."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        raise FieldError(f"{s!r} is geen datum (verwacht JJJJ-MM-DD)")
    try:
        d = date.fromisoformat(s)
    except ValueError:
        raise FieldError(f"{s!r} is geen bestaande datum") from None
    if not 1900 <= d.year <= 2199:
        raise FieldError(f"{s!r}: jaar buiten bereik 1900-2199")
    return d


def ijw_time(s: str) -> time:
    """LDT_Tijd: UU:MM:SS (fractions allowed), no time zone."""
    if not re.fullmatch(r"\d{2}:\d{2}:\d{2}(\.\d+)?", s):
        raise FieldError(f"{s!r} is geen tijd (verwacht UU:MM:SS)")
    try:
        return time.fromisoformat(s[:8])
    except ValueError:
        raise FieldError(f"{s!r} is geen bestaande tijd") from None


def integer(lo: int, hi: int) -> Check:
    def check(s: str) -> int:
        if not re.fullmatch(r"[+-]?\d{1,30}", s):
            raise FieldError(f"{s!r} is geen geheel getal")
        n = int(s)
        if not lo <= n <= hi:
            raise FieldError(f"{n} buiten bereik {lo}-{hi}")
        return n
    return check


def pattern(regex: str, what: str) -> Check:
    def check(s: str) -> str:
        if not re.fullmatch(regex, s):
            raise FieldError(f"{s!r} is geen {what}")
        return s
    return check


def text(max_len: int) -> Check:
    def check(s: str) -> str:
        if not s:
            raise FieldError("mag niet leeg zijn")
        if len(s) > max_len:
            raise FieldError(f"langer dan {max_len} tekens")
        return s
    return check


def code(codes: dict[str, str], what: str) -> Check:
    def check(s: str) -> str:
        if s not in codes:
            raise FieldError(f"onbekende {what}-code {s!r} (toegestaan: {code_choices(codes)})")
        return s
    return check


def fixed(expected: str, what: str) -> Check:
    def check(s: str) -> str:
        if s != expected:
            raise FieldError(f"{s!r} is niet {expected} ({what})")
        return s
    return check


def bsn(s: str) -> str:
    """LDT_BurgerServicenummer: nine digits passing the elfproef (the number itself is never shown)."""
    if not re.fullmatch(r"\d{9}", s):
        raise FieldError("BSN moet uit 9 cijfers bestaan")
    total = sum(int(d) * w for d, w in zip(s, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    if total % 11 or s == "000000000":
        raise FieldError("BSN voldoet niet aan de elfproef")
    return s
