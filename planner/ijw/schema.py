"""Optional second check against the official iJw 3.2 XSDs (``JW301.xsd`` + ``basisschema.xsd``).

The XSDs are not shipped with the planner (their licence is unclear, see
``../shared/reference/ijw/SOURCE.md``). When ``JHP_IJW_XSD_DIR`` points to a folder holding
them, or ``../shared/reference/ijw`` exists beside the repository, every message is also
validated with ``xmlschema`` and each schema error the built-in checks did not already report
is added in Dutch. Values are never quoted in these messages (they may be a BSN or a name).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from planner.ijw.reader import local
from planner.ijw.xmlsafe import ParsedXml
from planner.importing.model import ImportIssue

XSD_ENV = "JHP_IJW_XSD_DIR"
_SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "ijw"


def xsd_dir() -> Path | None:
    """The folder with the iJw XSDs, or None when they are not installed."""
    env = os.environ.get(XSD_ENV)
    for candidate in ([Path(env)] if env else []) + [_SHARED]:
        if (candidate / "basisschema.xsd").is_file():
            return candidate
    return None


@lru_cache(maxsize=4)
def _schema(folder: str, kind: str):
    import xmlschema

    return xmlschema.XMLSchema(str(Path(folder) / f"{kind.upper()}.xsd"))


def _reason(err) -> str:
    from xmlschema.validators.exceptions import XMLSchemaChildrenValidationError, XMLSchemaDecodeError

    where = local(err.elem.tag) if getattr(err, "elem", None) is not None else "bericht"
    if isinstance(err, XMLSchemaChildrenValidationError):
        expected = ", ".join(sorted({local(t).split(":")[-1] for t in (err.expected_tags or [])}))
        if err.invalid_tag is not None:
            hint = f"; verwacht: {expected}" if expected else ""
            return f"element {local(err.invalid_tag)!r} hoort hier niet in {where}{hint} (iJw-schema)"
        return f"in {where} ontbreekt een verplicht element: {expected or 'onbekend'} (iJw-schema)"
    if isinstance(err, XMLSchemaDecodeError):
        return f"de waarde van {where} voldoet niet aan het iJw-schema (type of opmaak onjuist)"
    return f"{where} voldoet niet aan het iJw-schema"


def schema_issues(parsed: ParsedXml, source: str, kind: str, known: list[ImportIssue]) -> list[ImportIssue]:
    """XSD errors not already reported on the same line; [] when the XSDs are not installed."""
    folder = xsd_dir()
    if folder is None:
        return []
    try:
        schema = _schema(str(folder), kind)
    except Exception as e:  # noqa: BLE001 - a broken XSD folder must not stop the import
        return [ImportIssue(source, 0, "", f"iJw-schema in {folder} niet te laden ({type(e).__name__})")]
    lines = {i.row for i in known}
    out = []
    for err in schema.iter_errors(parsed.root):
        elem = getattr(err, "elem", None)
        line = parsed.line(elem)
        if line in lines:
            continue
        lines.add(line)
        plain = re.sub(r"\{[^}]*\}", "", err.path or "")  # drop Clark-notation namespaces
        path = "/".join(p.split(":")[-1] for p in plain.split("/") if p) or "Bericht"
        out.append(ImportIssue(source, line, path, _reason(err)))
    return out
