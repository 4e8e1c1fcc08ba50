"""Render the rule packs as Markdown (docs/rules.md): ``python -m planner.rulesdoc > docs/rules.md``."""

from __future__ import annotations

import json

from planner.rules import RulePack, available_packs, load_pack


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def pack_markdown(pack: RulePack, skip: set[str] = frozenset()) -> str:
    """One pack as Markdown; rules whose id is in ``skip`` (from included packs) are left out."""
    out = [f"## {pack.name} (`{pack.id}`)", ""]
    if pack.source:
        out += [f"Bron: `{pack.source}`. Inclusief: {', '.join(f'`{i}`' for i in pack.includes) or '-'}.", ""]
    if pack.products:
        out += ["| code | product | soort | setting | per gezin | interventies | bron |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for p in pack.products:
        out.append(f"| {p.code} | {_cell(p.name)} | {p.kind} | {p.setting} | {'ja' if p.per_gezin else ''} | "
                   f"{', '.join(p.interventions)} | `{p.citation}` |")
    out += ["", "| regel | soort (kind) | hard/zacht | woordkeus | producten | parameters | geldig | tekst | bron | citaat |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in (r for r in pack.rules if r.id not in skip):
        params = json.dumps(r.params, ensure_ascii=False) if r.params else ""
        sev = r.severity + (f" (penalty {r.penalty})" if r.severity == "soft" else "")
        products = ", ".join(r.products + r.interventions) or "alle"
        out.append(f"| `{r.id}` | {r.kind} | {sev} | {_cell(r.wording)} | {products} | {_cell(params)} | "
                   f"{r.validity_nl} | {_cell(r.text)} | `{r.citation}` | \"{_cell(r.quote)}\" |")
    choices = [(r, name, i) for r in pack.rules if r.id not in skip for name, i in r.interpretations.items()]
    if choices:
        out += ["", "### Interpretatiekeuzes", ""]
        for r, name, i in choices:
            opts = "; ".join(f"`{k}`: {v}" + (" **(standaard)**" if k == i.default else "") for k, v in i.options.items())
            out.append(f"- `{r.id}` / `{name}`: {i.question} {opts}")
    return "\n".join(out) + "\n"


def rules_markdown() -> str:
    head = ["# Regels", "",
            "Gegenereerd uit de regelpakketten in `planner/packs/` met `python -m planner.rulesdoc > docs/rules.md`;",
            "niet met de hand bewerken. Elke regel noemt zijn bron als `<bestand>:<regel>` in de brondocumenten",
            "(`../shared/seeds/`) of `extern:<wet/cao artikel>`. Hard of zacht volgt uit de woordkeus van de bron",
            "(\"maximaal\", \"altijd\", \"verplicht\", \"minimaal\": hard; \"richtlijn\", \"we gaan uit van\",",
            "\"bij voorkeur\", \"gemiddeld\": zacht met een penalty). Een aanbieder kan parameters, hard/zacht en",
            "interpretatiekeuzes per regel aanpassen via `rule_overrides` in het manifest van een databundel.", ""]
    parts, included = [], []
    for name in available_packs():
        pack = load_pack(name)
        skip = {r.id for inc in pack.includes for r in load_pack(inc).rules}
        included += [inc for inc in pack.includes if inc not in included]
        parts.append(pack_markdown(pack, skip))
    parts += [pack_markdown(load_pack(inc)) for inc in included]
    return "\n".join(head) + "\n" + "\n".join(parts)


if __name__ == "__main__":  # pragma: no cover
    print(rules_markdown(), end="")
