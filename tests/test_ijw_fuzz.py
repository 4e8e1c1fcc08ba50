"""200 mutated JW301 messages: clear Dutch errors, never a crash, never a partial import (hypothesis)."""

from __future__ import annotations

import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.bundle import load_bundle
from planner.importing import ImportRefused, commit_import, preview_import
from planner.importing.tables import bundle_hashes

ROOT = Path(__file__).resolve().parents[1]
BASE = (ROOT / "sample_data" / "jw301" / "jw301-nieuwe-client.xml").read_bytes()
TINY = Path(__file__).parent / "data" / "tiny_bundle"  # flevoland-multi, so 45F34/45F21 are known products
BSN = "999990019"
CODES = {"Eenheid", "Frequentie", "Categorie", "RedenWijziging", "BerichtCode", "Geslacht", "BerichtVersie"}
DATES = {"Datum", "Dagtekening", "Toewijzingsdatum", "Ingangsdatum", "Einddatum"}
ENGLISH = re.compile(r"\b(error|invalid|expected|missing|traceback|exception|failed|unexpected|not|value)\b", re.I)

_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
BAD_DATES = st.one_of(st.sampled_from(["2026-02-30", "2026-13-01", "20260101", "01-02-2026", "2026-1-1", "",
                                       "2026-06-31", "0000-00-00", "2026-02-29T10:00"]), _text)
BAD_CODES = st.one_of(st.sampled_from(["", "00", "99", "5", "3", "1.0", " 04", "ZZ", "999"]), _text)
HUGE = st.one_of(st.integers(min_value=10**8, max_value=10**40).map(str),
                 st.integers(min_value=-10**6, max_value=-1).map(str), st.sampled_from(["1e9", "2.5", "9999999"]))
MUTATIONS = ["delete", "code", "date", "volume", "namespace", "text", "duplicate", "truncate"]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@st.composite
def mutated_messages(draw) -> bytes:
    """The sample message with 1-3 mutations applied."""
    root = ET.fromstring(BASE)
    truncate = False
    for kind in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3)):
        elems = list(root.iter())
        parents = {c: p for p in elems for c in p}
        pick = lambda names: [e for e in elems if _local(e.tag) in names] or elems  # noqa: E731
        if kind in ("delete", "duplicate") and len(elems) < 2:
            continue
        if kind == "delete":
            e = draw(st.sampled_from(elems[1:]))
            parents[e].remove(e)
        elif kind == "code":
            draw(st.sampled_from(pick(CODES))).text = draw(BAD_CODES)
        elif kind == "date":
            draw(st.sampled_from(pick(DATES))).text = draw(BAD_DATES)
        elif kind == "volume":
            draw(st.sampled_from(pick({"Volume", "Budget", "ToewijzingNummer"}))).text = draw(HUGE)
        elif kind == "namespace":
            e = draw(st.sampled_from(elems))
            ns = draw(st.sampled_from(["http://www.istandaarden.nl/ijw/3_1/jw301/schema", "urn:x", ""]))
            e.tag = f"{{{ns}}}{_local(e.tag)}" if ns else _local(e.tag)
        elif kind == "text":
            draw(st.sampled_from([e for e in elems if len(e) == 0])).text = draw(_text)
        elif kind == "duplicate":
            e = draw(st.sampled_from(elems[1:]))
            parents[e].append(ET.fromstring(ET.tostring(e)))
        else:
            truncate = True
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    if truncate:
        data = data[: draw(st.integers(0, len(data) - 1))]
    return data


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_messages())
def test_mutated_jw301_gives_dutch_errors_and_never_a_partial_import(message: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(shutil.copytree(TINY, Path(tmp) / "b"))
        before = bundle_hashes(bundle)
        preview = preview_import(bundle, message, "bericht.xml")  # must never raise
        if preview.ok:  # a harmless mutation (e.g. other free text): the result must load
            commit_import(bundle, preview)
            load_bundle(bundle)
            return
        assert preview.issues
        for issue in preview.issues:
            assert issue.reason.strip(), issue
            assert not ENGLISH.search(issue.reason), issue.reason
            assert BSN not in str(issue)  # the BSN is never echoed
        try:
            commit_import(bundle, preview)
            raise AssertionError("a preview with problems was committed")
        except ImportRefused as e:
            assert "niets ingelezen" in str(e)
        assert bundle_hashes(bundle) == before
        assert not (bundle / "private").exists()
