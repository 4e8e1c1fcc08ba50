"""Parse an untrusted XML message into an ElementTree with line numbers, or a Dutch error.

Built on the standard library's expat with DTDs refused outright (iJw messages have none), so
entity expansion attacks and external entities cannot happen. Each element's line is kept in
``ParsedXml.lines`` for error messages.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.parsers import expat

MAX_BYTES = 5 * 1024 * 1024  # one JW301 message is a few kB

# expat error codes -> Dutch (the rest get a generic text)
_EXPAT_NL = {
    expat.errors.codes[expat.errors.XML_ERROR_SYNTAX]: "syntaxfout",
    expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]: "geen elementen (leeg of afgebroken bestand)",
    expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN]: "ongeldig teken",
    expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN]: "niet afgesloten element",
    expat.errors.codes[expat.errors.XML_ERROR_TAG_MISMATCH]: "begin- en eindtag passen niet bij elkaar",
    expat.errors.codes[expat.errors.XML_ERROR_DUPLICATE_ATTRIBUTE]: "dubbel attribuut",
    expat.errors.codes[expat.errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT]: "tekst na het einde van het bericht",
    expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY]: "onbekende entiteit",
    expat.errors.codes[expat.errors.XML_ERROR_UNBOUND_PREFIX]: "namespace-prefix niet gedeclareerd",
    expat.errors.codes[expat.errors.XML_ERROR_UNKNOWN_ENCODING]: "onbekende tekencodering",
    expat.errors.codes[expat.errors.XML_ERROR_INCORRECT_ENCODING]: "tekencodering klopt niet met de declaratie",
    expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION]: "CDATA-sectie niet afgesloten",
    expat.errors.codes[expat.errors.XML_ERROR_MISPLACED_XML_PI]: "XML-declaratie niet aan het begin",
}


class XmlError(Exception):
    """The bytes are not a well-formed (or acceptable) XML document; ``line`` where known."""

    def __init__(self, reason: str, line: int = 0):
        super().__init__(reason)
        self.reason, self.line = reason, line


@dataclass(slots=True)
class ParsedXml:
    root: ET.Element
    lines: dict[int, int] = field(default_factory=dict)  # id(element) -> line

    def line(self, elem: ET.Element | None) -> int:
        return self.lines.get(id(elem), 0) if elem is not None else 0


class _Builder:
    """expat handlers building Element objects in Clark notation ({namespace}local)."""

    def __init__(self, parser):
        self.parser = parser
        self.stack: list[ET.Element] = []
        self.root: ET.Element | None = None
        self.lines: dict[int, int] = {}
        self.text: list[str] = []

    @staticmethod
    def _clark(name: str) -> str:
        return "{" + name if "}" in name else name

    def _flush(self) -> None:
        if self.stack and self.text:
            target = self.stack[-1]
            children = list(target)
            if children:
                children[-1].tail = (children[-1].tail or "") + "".join(self.text)
            else:
                target.text = (target.text or "") + "".join(self.text)
        self.text = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self._flush()
        elem = ET.Element(self._clark(name), {self._clark(k): v for k, v in attrs.items()})
        if self.stack:
            self.stack[-1].append(elem)
        elif self.root is None:
            self.root = elem
        self.stack.append(elem)
        self.lines[id(elem)] = self.parser.CurrentLineNumber

    def end(self, _name: str) -> None:
        self._flush()
        self.stack.pop()

    def data(self, text: str) -> None:
        self.text.append(text)


def _refuse_dtd(*_args) -> None:
    raise XmlError("een DOCTYPE/DTD is niet toegestaan in een iJw-bericht")


def parse_xml(data: bytes) -> ParsedXml:
    """Parse ``data``; raises :class:`XmlError` with a Dutch reason and line number."""
    if len(data) > MAX_BYTES:
        raise XmlError(f"bericht is te groot (meer dan {MAX_BYTES // 1024 // 1024} MB)")
    parser = expat.ParserCreate(namespace_separator="}")
    b = _Builder(parser)
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = b.start, b.end, b.data
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as e:
        what = _EXPAT_NL.get(e.code, "opmaakfout")
        raise XmlError(f"geen geldige XML: {what} (regel {e.lineno}, kolom {e.offset + 1})", e.lineno) from None
    except XmlError as e:
        e.line = parser.CurrentLineNumber
        raise
    except LookupError:  # an encoding declaration Python has no codec for (e.g. encoding="ebcdic")
        raise XmlError("geen geldige XML: onbekende tekencodering in de XML-declaratie (gebruik UTF-8)") from None
    except (ValueError, RecursionError, MemoryError) as e:  # e.g. an unsupported encoding declaration
        raise XmlError(f"geen geldige XML ({type(e).__name__})") from None
    if b.root is None:
        raise XmlError("geen geldige XML: geen elementen")
    return ParsedXml(b.root, b.lines)
