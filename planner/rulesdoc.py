"""Render the rule packs as Markdown (docs/rules.md): ``python -m planner.rulesdoc > docs/rules.md``; and the
Dutch words for rules that the web pages and the command line share (parameter labels, values, numbers with a
decimal comma, source documents by title and section, a cited passage as plain text)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from planner.rules import CITATION_RE, RulePack, available_packs, load_pack


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


# --- Dutch words for the web page and the command line (one table, shared) ---------------------------
PARAM_LABELS = {
    "after": "uren na een nachtdienst zonder bereikbaarheid",
    "before": "uren voor een nachtdienst zonder bereikbaarheid",
    "by_executor_education": "rol per opleiding van de uitvoerder",
    "certification": "certificering",
    "count": "aantal",
    "exclude_products": "behalve product",
    "min_hours": "minimaal aantal uren",
    "profession_registrations": "registratie per beroep",
    "role_registrations": "registratie per rol",
    "roles": "rollen",
    "unless_professions": "tenzij beroep",
    "day_hours": "dagdeel (van-tot uur)",
    "education": "opleidingsniveau",
    "exclude_kinds": "behalve soort",
    "executor_only": "alleen door de uitvoerder",
    "hours": "uren",
    "intake": "ook bij de intake",
    "jeugdigen_per_staff": "jeugdigen per medewerker",
    "kind": "soort",
    "kinds": "soorten",
    "layer": "laag",
    "max": "maximaal aantal",
    "max_days": "maximaal aantal dagen",
    "max_days_between": "maximaal aantal dagen ertussen",
    "max_hours": "maximaal aantal uren",
    "max_jeugdigen": "maximaal aantal jeugdigen",
    "max_per_week": "maximaal per week",
    "max_unregistered": "maximaal aantal niet-geregistreerden",
    "max_years": "maximaal aantal jaren",
    "merge_gap_minutes": "pauze die meetelt als dienst (minuten)",
    "min": "minimaal aantal",
    "min_education": "vanaf opleidingsniveau",
    "min_free": "minimaal aantal vrije dagen",
    "min_per_week": "minimaal per week",
    "minutes": "minuten",
    "months": "maanden",
    "per": "per",
    "products": "naast product",
    "professions": "beroepen",
    "reduced_hours": "verkorte rust (uren)",
    "reduced_per_days": "verkorte rust eens per (dagen)",
    "registrations": "registraties",
    "response_minutes": "reactietijd (minuten)",
    "role": "rol",
    "tolerance_pct": "speling (procent)",
    "unit": "eenheid",
    "weekdays": "weekdagen",
    "while_offered": "zolang het product geleverd wordt",
    "window_days": "periode (dagen)",
}
# where one parameter name means something more precise for one kind of rule
KIND_PARAM_LABELS = {
    ("daily_rest", "hours"): "minimale rust (uren)",
    ("weekly_rest", "hours"): "minimale rust per week (uren)",
    ("max_shift_hours", "hours"): "maximale dienstduur (uren)",
    ("max_week_hours", "hours"): "maximaal aantal uren per week",
    ("start_within", "hours"): "start binnen (uren)",
    ("oncall_coverage", "hours"): "tijdvak",
    ("omvang_per_week", "min"): "minimaal per week",
    ("omvang_per_week", "max"): "maximaal per week",
    ("shift_min_staff", "min"): "minimaal aantal medewerkers in dienst",
    ("group_staff_count", "min"): "minimaal aantal begeleiders",
    ("group_staff_count", "max"): "maximaal aantal begeleiders",
}
VALUE_LABELS = {
    True: "ja", False: "nee",
    "registered_professional": "geregistreerd professional",
    "any": "elke", "jaar": "jaar", "traject": "traject",
    "contact": "contact", "crisis": "crisis",
    "slaapnacht": "slaapnacht", "waaknacht": "waaknacht",
    "scope": "geldt per",  # the one interpretation name in English
}


WEEKDAY_NAMES = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


def param_label(name: str, kind: str | None = None) -> str:
    """The Dutch words for a rule parameter (``jeugdigen_per_staff`` -> "jeugdigen per medewerker")."""
    return KIND_PARAM_LABELS.get((kind, name)) or PARAM_LABELS.get(name) or name.replace("_", " ")


def number_nl(value: float | int) -> str:
    """A number with a decimal comma; a whole number without ",0" (32.0 -> "32", 3.77 -> "3,77")."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").replace(".", ",")


def join_nl(items) -> str:
    """``["BIG", "SKJ", "NIP"]`` -> "BIG, SKJ en NIP"."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1] if items else "–"


def value_nl(value, name: str = "") -> str:
    """A parameter value or interpretation choice in Dutch words (``per_sessie`` -> "per sessie")."""
    if name in ("day_hours", "hours") and isinstance(value, list) and len(value) == 2:
        return f"{number_nl(value[0])}:00-{number_nl(value[1])}:00"
    if name == "weekdays" and isinstance(value, list):
        return join_nl(WEEKDAY_NAMES[d] for d in value if 0 <= d < 7)
    if isinstance(value, bool) or value is None:
        return VALUE_LABELS.get(value, "–")
    if isinstance(value, (int, float)):
        return number_nl(value)
    if isinstance(value, dict):
        return "; ".join(f"{value_nl(k)}: {value_nl(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return join_nl(value_nl(v) for v in value)
    text = str(value)
    return VALUE_LABELS.get(text, text.replace("_", " "))


def params_nl(params: dict, kind: str | None = None) -> list[tuple[str, str]]:
    """(label, value) pairs of a rule's parameters in Dutch words."""
    return [(param_label(k, kind), value_nl(v, k)) for k, v in params.items()]


# --- the source documents: titles, sections, the cited passage as plain text -------------------------
SOURCE_TITLES = {
    "000_b4979bd38850de40.txt": "Productomschrijvingen Multidisciplinaire Specialistische Jeugdhulp Flevoland",
    "004_20dab77298b97978.txt": "Verordening jeugdhulp Almelo 2025",
}
_SECTION_RE = re.compile(r"^(Bijlage \d+|Artikel \d+(?:\.\d+)*\.?|Hoofdstuk \d+|\d\. Multidisciplinaire .+)")


def section_of(lines: list[str], line_no: int) -> str | None:
    """The nearest heading at or above ``line_no`` (1-based): "Bijlage 1", "Artikel 3.4.1", "product 3"."""
    for text in reversed(lines[:line_no]):
        m = _SECTION_RE.match(text.strip())
        if m:
            head = m.group(1).rstrip(".")
            if head[0].isdigit():  # the Flevoland product sections: "3. Multidisciplinaire ..."
                return f"product {head.split('.', 1)[0]}"
            return head
    return None


def source_nl(citation: str, lines: list[str] | None = None) -> str:
    """A citation in words: ``004_...txt:2829`` -> "Verordening jeugdhulp Almelo 2025, Bijlage 1, r. 2829".

    ``lines`` (the document's lines) adds the article or annex; ``extern:...`` becomes "extern: ..."."""
    if citation.startswith("extern:"):
        return "Buiten de brondocumenten: " + citation.split(":", 1)[1].strip()
    m = CITATION_RE.match(citation)
    if not m:
        return citation
    first, last = int(m["first"]), int(m["last"] or m["first"])
    parts = [SOURCE_TITLES.get(m["file"], m["file"])]
    section = section_of(lines, first) if lines else None
    if section:
        parts.append(section)
    parts.append(f"r. {first}" if first == last else f"r. {first}-{last}")
    return ", ".join(parts)


class _TextOnly(HTMLParser):
    BREAKS = {"p", "br", "li", "ul", "ol", "div", "tr", "h1", "h2", "h3", "h4", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.BREAKS:
            self.out.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in self.BREAKS:
            self.out.append("\n")

    def handle_data(self, data) -> None:
        self.out.append(data)


def strip_html(text: str) -> str:
    """Plain text of a seed line that carries HTML (``<p>…</p> <ul style=…>``): tags gone, entities read,
    a paragraph or list item on its own line, list bullets (•) each starting a line."""
    if "<" not in text and "&" not in text and "•" not in text:
        return text.strip()
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    plain = "".join(parser.out).replace("•", "\n•")
    lines = (" ".join(line.split()) for line in plain.splitlines())
    return "\n".join(line for line in lines if line)


if __name__ == "__main__":  # pragma: no cover
    print(rules_markdown(), end="")
