"""Regels: each rule of the pack with Dutch text, hard/soft, parameters, citation and the seed sentence."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Depends, Request

from web.app import render, seeds_dir
from web.security import require

router = APIRouter()


@lru_cache(maxsize=32)
def _seed_lines(path: str, mtime: float) -> list[str]:
    return Path(path).read_text("utf-8", errors="replace").splitlines()


def seed_text(folder: Path, seed: tuple[str, int, int] | None) -> str | None:
    """The cited lines of a seed document, or None when the file is not there."""
    if seed is None:
        return None
    path = folder / seed[0]
    if not path.is_file():
        return None
    lines = _seed_lines(str(path), path.stat().st_mtime)
    return "\n".join(lines[seed[1] - 1:seed[2]]).strip()


@router.get("/regels")
def regels(request: Request, soort: str = "", user=Depends(require("view"))):
    _bundle, pack = request.app.state.store.bundle()
    folder = seeds_dir()
    rules = [{"r": r, "seed": seed_text(folder, r.seed_lines)} for r in pack.rules
             if not soort or r.severity == soort]
    return render(request, "regels.html", {"pack": pack, "rules": rules, "seeds_present": folder.is_dir(),
                                           "seeds_dir": folder, "soort": soort})
