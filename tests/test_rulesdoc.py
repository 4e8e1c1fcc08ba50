from pathlib import Path

from planner.rulesdoc import rules_markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_rules_doc_is_generated_from_the_packs():
    assert DOC.read_text("utf-8") == rules_markdown(), "docs/rules.md is stale: run python -m planner.rulesdoc > docs/rules.md"


def test_rules_doc_lists_every_rule_with_citation():
    from planner.rules import available_packs, load_pack

    text = rules_markdown()
    for name in available_packs():
        for r in load_pack(name).rules:
            assert f"`{r.id}`" in text and r.citation in text
