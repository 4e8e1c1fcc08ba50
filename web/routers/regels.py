"""Regels: each rule of the pack in Dutch words (text, hard/soft, parameters, interpretation choices) with its
source by document title, article or annex and line, and a page with the cited passage as plain text."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request

from planner.rulesdoc import params_nl, source_nl, strip_html, value_nl
from web.app import render, seeds_dir
from web.security import require

router = APIRouter()
CONTEXT_LINES = 6  # lines shown above and below a citation on the passage page


@lru_cache(maxsize=32)
def _seed_lines(path: str, mtime: float) -> tuple[str, ...]:
    return tuple(Path(path).read_text("utf-8", errors="replace").splitlines())


def seed_lines(folder: Path, name: str) -> tuple[str, ...] | None:
    """The lines of one seed document, or None when the file is not there."""
    path = folder / name
    if not path.is_file():
        return None
    return _seed_lines(str(path), path.stat().st_mtime)


def _rule_view(r, folder: Path) -> dict:
    lines = seed_lines(folder, r.seed_lines[0]) if r.seed_lines else None
    return {"r": r, "source": source_nl(r.citation, list(lines) if lines else None),
            "has_passage": lines is not None, "quote": strip_html(r.quote), "params": params_nl(r.params, r.kind),
            "choices": [{"name": value_nl(name), "question": i.question, "chosen": value_nl(i.chosen),
                         "explanation": i.options[i.chosen]} for name, i in r.interpretations.items()]}


@router.get("/regels")
def regels(request: Request, soort: str = "", user=Depends(require("view"))):
    _bundle, pack = request.app.state.store.bundle()
    folder = seeds_dir()
    rules = [_rule_view(r, folder) for r in pack.rules if not soort or r.severity == soort]
    return render(request, "regels.html", {"pack": pack, "rules": rules, "seeds_present": folder.is_dir(),
                                           "seeds_dir": folder, "soort": soort})


@router.get("/regels/bron/{rule_id}")
def bron(request: Request, rule_id: str, user=Depends(require("view"))):
    """The cited passage of one rule as plain text: the cited lines marked, a few lines around them."""
    _bundle, pack = request.app.state.store.bundle()
    rule = next((r for r in pack.rules if r.id == rule_id), None)
    if rule is None:
        raise HTTPException(404)
    folder = seeds_dir()
    view = _rule_view(rule, folder)
    passage = []
    if rule.seed_lines and view["has_passage"]:
        name, first, last = rule.seed_lines
        lines = seed_lines(folder, name)
        for no in range(max(1, first - CONTEXT_LINES), min(len(lines), last + CONTEXT_LINES) + 1):
            text = strip_html(lines[no - 1])
            if text:
                passage.append({"no": no, "text": text, "cited": first <= no <= last})
    return render(request, "regels_bron.html", {**view, "passage": passage, "pack": pack})
