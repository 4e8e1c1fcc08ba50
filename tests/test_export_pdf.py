"""PDF exports: A4 landscape, and page 1 rendered to PNG in artifacts/ (pdftoppm) for a person to look at."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from planner.export.pdf import person_pdf, roster_pdf
from tests.export_fixtures import solved

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def media_boxes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(w), float(h)) for w, h in re.findall(rb"/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+) ?\]", pdf)]


@pytest.mark.parametrize("kind", ["rooster", "medewerker"])
def test_pdf_is_a4_landscape(kind):
    b, plan = solved()
    pdf = roster_pdf(b, plan) if kind == "rooster" else person_pdf(b, plan, "M1")
    assert pdf.startswith(b"%PDF")
    boxes = media_boxes(pdf)
    assert boxes and all(abs(w - 841.89) < 1 and abs(h - 595.28) < 1 for w, h in boxes)


@pytest.mark.parametrize("kind", ["rooster", "medewerker"])
def test_page_one_rendered_to_png(kind):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm ontbreekt (Debian: apt-get install poppler-utils); geen PNG-artefact gemaakt")
    b, plan = solved()
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / f"weekrooster-{kind}.pdf"
    pdf.write_bytes(roster_pdf(b, plan) if kind == "rooster" else person_pdf(b, plan, "M1"))
    prefix = ARTIFACTS / f"weekrooster-{kind}"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)],
                   check=True, timeout=60)
    png = prefix.with_suffix(".png")
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 5000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > height  # landscape
