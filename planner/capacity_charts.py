"""The comparison's charts as Vega-Lite specs (plain dicts), and static SVG/PNG of them (vl-convert).

One spec per chart: the waiting list per week per scenario (with its p10-p90 band when the run had
inflow samples), unmet hours per product and discipline, utilisation per discipline, hires over time.
The web page renders the specs with the vendored ``vega-embed`` (``web/static/whatif-charts.js``); the
PDF, the XLSX and ``docs/capacity.md`` get PNG/SVG from the same spec via ``vl-convert-python``, so the
pictures are the same everywhere. A chart without data is no empty frame but a Dutch sentence
(:attr:`Chart.empty`). Works on :class:`solver.capacity.result.ScenarioResult` (duck-typed).

Counts get whole-number ticks (``format: "d"``, ``tickMinStep: 1``); numbers are Dutch (decimal comma,
:data:`FORMAT_LOCALE`); teams (on-call cover) are kept apart from products.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
VL_VERSION = "5.21"  # the newest 5.x that vl-convert bundles; the page uses the vendored vega-lite 5.x
FORMAT_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€\u00a0", ""]}
TIME_LOCALE = {"dateTime": "%a %e %B %Y %X", "date": "%d-%m-%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
               "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
               "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
               "months": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                          "oktober", "november", "december"],
               "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]}
COLOURS = ["#1f6f8b", "#c45a00", "#3b7d3b", "#a3303f", "#6b4f9c", "#5c5c5c"]  # contrast >= 4.5 on white
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4], [1, 3]]
WIDTH, HEIGHT = 620, 280


def _dashes(n: int) -> list[list[int]]:
    """A dash per scenario that, with its colour (cycling through COLOURS), keeps up to 36 scenarios apart."""
    return [DASHES[(i // len(COLOURS)) % len(DASHES)] for i in range(n)] or [[1, 0]]
CONFIG = {"font": "sans-serif", "axis": {"labelFontSize": 12, "titleFontSize": 12, "grid": True, "gridColor": "#e3e3e3"},
          "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "direction": "horizontal",
                     "labelLimit": 260, "columns": 2},
          "title": {"fontSize": 15, "anchor": "start"}, "view": {"stroke": None}}


@dataclass
class Chart:
    name: str
    title: str
    spec: dict[str, Any] | None  # None: nothing to show, see ``empty``
    empty: str = ""  # the Dutch sentence shown instead of an empty chart
    description: str = ""  # one Dutch sentence: what the chart shows (alt text, figure caption)


def _scale(names: list[str]) -> dict[str, Any]:
    return {"domain": names, "range": [COLOURS[i % len(COLOURS)] for i in range(len(names))]}


def _base(title: str, description: str, data: list[dict], height: int = HEIGHT) -> dict[str, Any]:
    return {"$schema": SCHEMA, "title": title, "description": description, "width": WIDTH, "height": height,
            "data": {"values": data}, "config": CONFIG}


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


def waiting_chart(results: list, bands: dict[str, Any] | None = None) -> Chart:
    """Waiting clients per week, one line per scenario (distinct colour and dash: equal lines stay visible),
    with the p10-p90 band of the sampled inflow where there is one."""
    title = "Wachtlijst per week"
    names = [r.name for r in results]
    bands = bands or {}
    rows, band_rows = [], []
    for r in results:
        for w, n in enumerate(r.waiting_per_week):
            rows.append({"week": w + 1, "maandag": (r.period_start + timedelta(weeks=w)).isoformat(),
                         "scenario": r.name, "wachtenden": n})
        b = bands.get(r.name)
        if b is not None:
            for w, (lo, mid, hi) in enumerate(zip(b.p10, b.p50, b.p90)):
                band_rows.append({"week": w + 1, "scenario": r.name, "p10": lo, "p50": mid, "p90": hi})
    if not rows or not any(x["wachtenden"] for x in rows):
        return Chart("wachtlijst", title, None, "Niemand staat op de wachtlijst in deze scenario's: er is geen "
                                                "wachtlijst om te tekenen.")
    first = results[0].period_start
    x = {"field": "week", "type": "quantitative", "title": f"week (week 1 begint op maandag {first.day}-{first.month}-"
                                                           f"{first.year})",
         "axis": {"format": "d", "tickMinStep": 1}, "scale": {"domain": [1, max(x["week"] for x in rows)], "nice": False}}
    colour = {"field": "scenario", "type": "nominal", "title": "scenario", "scale": _scale(names)}
    layers = []
    if band_rows:
        layers.append({"data": {"values": band_rows}, "mark": {"type": "area", "opacity": 0.18},
                       "encoding": {"x": x, "y": {"field": "p10", "type": "quantitative"}, "y2": {"field": "p90"},
                                    "color": {**colour, "legend": None},
                                    "tooltip": [{"field": "scenario"}, {"field": "week", "title": "week"},
                                                {"field": "p10", "title": "p10 (1 op 10 jaren minder)", "format": ".0f"},
                                                {"field": "p50", "title": "p50", "format": ".0f"},
                                                {"field": "p90", "title": "p90 (9 op 10 jaren hoogstens)",
                                                 "format": ".0f"}]}})
    layers.append({"mark": {"type": "line", "strokeWidth": 2.5, "point": {"size": 18, "filled": True},
                            "interpolate": "step-after"},
                   "encoding": {"x": x,
                                "y": {"field": "wachtenden", "type": "quantitative", "title": "aantal wachtenden",
                                      "axis": {"format": "d", "tickMinStep": 1}},
                                "color": colour,
                                "strokeDash": {"field": "scenario", "type": "nominal", "title": "scenario",
                                               "scale": {"domain": names, "range": _dashes(len(names))}},
                                "tooltip": [{"field": "scenario"}, {"field": "week"},
                                            {"field": "maandag", "type": "temporal", "title": "week van",
                                             "format": "%e %B %Y"},
                                            {"field": "wachtenden", "title": "wachtenden", "format": "d"}]}})
    desc = ("Aantal cliënten op de wachtlijst per week, per scenario" +
            (", met de band waarin 8 van de 10 gesimuleerde jaren vallen (p10-p90). De lijn zelf (verwacht) rekent met "
             "gelijkmatig verdeelde aanmeldingen en kan daardoor onder de band liggen: echte aanmeldingen komen "
             "onregelmatig en geven langere wachtlijsten." if band_rows else "."))
    spec = _base(title, desc, rows)
    spec["layer"] = layers
    return Chart("wachtlijst", title, spec, description=desc)


def unmet_chart(results: list) -> Chart:
    """Unmet hours over the horizon per product and the discipline that is short (on-call cover of a team
    is not a product: it has its own chart)."""
    title = "Onvervulde uren per product en discipline"
    rows = []
    for r in results:
        total: dict[tuple[str, str], float] = {}
        for u in r.unmet:
            if u.kind == "bereikbaarheid":
                continue
            total[u.product, u.discipline] = total.get((u.product, u.discipline), 0.0) + u.hours
        rows += [{"product": p, "discipline": d, "regel": f"{p} · {d}", "scenario": r.name, "uren": round(h, 1)}
                 for (p, d), h in sorted(total.items()) if h > 0]
    if not rows:
        return Chart("onvervuld", title, None, "Geen onvervulde uren: in deze scenario's krijgt iedereen de zorg "
                                               "die is toegewezen.")
    names = [r.name for r in results]
    cats = sorted({x["regel"] for x in rows})
    desc = "Uren zorg die niet gegeven kunnen worden, opgeteld over de hele periode, per product en discipline die tekortschiet."
    spec = _base(title, desc, rows, height=max(120, 22 * len(cats) * max(1, len(names)) // 2 + 40))
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {
        "y": {"field": "regel", "type": "nominal", "title": None, "sort": cats, "axis": {"labelLimit": 320}},
        "yOffset": {"field": "scenario", "type": "nominal", "sort": names},
        "x": {"field": "uren", "type": "quantitative", "title": "onvervulde uren (totaal)",
              "axis": {"format": ",d", "tickMinStep": 1}},
        "color": {"field": "scenario", "type": "nominal", "title": "scenario", "scale": _scale(names)},
        "tooltip": [{"field": "scenario"}, {"field": "product"}, {"field": "discipline", "title": "tekort aan"},
                    {"field": "uren", "format": ",.1f"}]}
    return Chart("onvervuld", title, spec, description=desc)


def oncall_chart(results: list) -> Chart:
    """Hours a team's 24/7 on-call duty is not covered (teams, never products)."""
    title = "Bereikbaarheid niet gedekt, per team"
    rows = []
    for r in results:
        per_team: dict[str, float] = {}
        for u in r.unmet:
            if u.kind == "bereikbaarheid":
                per_team[u.product] = per_team.get(u.product, 0.0) + u.hours
        rows += [{"team": t, "scenario": r.name, "uren": round(h, 1)} for t, h in sorted(per_team.items())]
    if not rows:
        return Chart("bereikbaarheid", title, None, "De bereikbaarheidsdiensten van alle teams zijn in deze "
                                                    "scenario's gedekt.")
    names = [r.name for r in results]
    desc = "Uren dat een team met 24-uursbereikbaarheid niemand beschikbaar heeft, opgeteld over de periode."
    spec = _base(title, desc, rows, height=max(90, 26 * len({x['team'] for x in rows}) * len(names)))
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {"y": {"field": "team", "type": "nominal", "title": "team"},
                        "yOffset": {"field": "scenario", "type": "nominal", "sort": names},
                        "x": {"field": "uren", "type": "quantitative", "title": "uren niet gedekt",
                              "axis": {"format": ",d", "tickMinStep": 1}},
                        "color": {"field": "scenario", "type": "nominal", "title": "scenario", "scale": _scale(names)},
                        "tooltip": [{"field": "scenario"}, {"field": "team"}, {"field": "uren", "format": ",.0f"}]}
    return Chart("bereikbaarheid", title, spec, description=desc)


def utilisation_chart(results: list) -> Chart:
    """Mean utilisation per discipline (beroep), with the lowest and highest week in the tooltip."""
    title = "Bezetting per discipline (gemiddeld over de periode)"
    rows = []
    for r in results:
        for d, xs in sorted(r.utilisation_discipline.items()):
            if xs:
                rows.append({"discipline": d, "scenario": r.name, "bezetting": round(100 * _mean(xs), 1),
                             "laagste": round(100 * min(xs), 1), "hoogste": round(100 * max(xs), 1)})
    if not rows:
        return Chart("bezetting", title, None, "Er is geen bezetting te tonen: deze scenario's hebben geen "
                                               "medewerkers met uren.")
    names = [r.name for r in results]
    cats = sorted({x["discipline"] for x in rows})
    desc = "Welk deel van de beschikbare uren per discipline gemiddeld aan zorg en bereikbaarheid besteed wordt."
    spec = _base(title, desc, rows, height=max(120, 18 * len(cats) * len(names) + 20))
    spec["layer"] = [
        {"mark": {"type": "bar", "tooltip": True},
         "encoding": {"y": {"field": "discipline", "type": "nominal", "title": None, "sort": cats,
                            "axis": {"labelLimit": 260}},
                      "yOffset": {"field": "scenario", "type": "nominal", "sort": names},
                      "x": {"field": "bezetting", "type": "quantitative", "title": "bezetting (%)",
                            "scale": {"domain": [0, max(100, max(x["hoogste"] for x in rows))]},
                            "axis": {"format": "d", "tickMinStep": 1}},
                      "color": {"field": "scenario", "type": "nominal", "title": "scenario", "scale": _scale(names)},
                      "tooltip": [{"field": "scenario"}, {"field": "discipline"},
                                  {"field": "bezetting", "title": "gemiddeld (%)", "format": ".1f"},
                                  {"field": "laagste", "title": "laagste week (%)", "format": ".1f"},
                                  {"field": "hoogste", "title": "hoogste week (%)", "format": ".1f"}]}},
        {"mark": {"type": "rule", "color": "#a3303f", "strokeDash": [4, 3]},
         "data": {"values": [{"vol": 100}]}, "encoding": {"x": {"field": "vol", "type": "quantitative"}}}]
    return Chart("bezetting", title, spec, description=desc)


def hires_chart(results: list) -> Chart:
    """Hires over time: fte that starts per month, per scenario and profile, with the yearly cost."""
    title = "Aannames in de tijd"
    rows = [{"scenario": r.name, "profiel": h.profile, "vanaf": h.start.isoformat(), "fte": h.fte,
             "kosten": h.cost, "medewerker": h.staff_id} for r in results for h in r.hires]
    if not rows:
        return Chart("aannames", title, None, "Geen aannames: alleen een scenario met een wervingsvraag "
                                              "(doel en profielen) geeft een advies wie aan te nemen.")
    desc = "Wanneer welke profielen beginnen (fte per maand), met de kosten per jaar in de tooltip."
    spec = _base(title, desc, rows, height=220)
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = {
        "x": {"field": "vanaf", "type": "ordinal", "timeUnit": "yearmonth", "title": "begint in",
              "axis": {"format": "%B %Y", "labelAngle": 0}},
        "xOffset": {"field": "scenario", "type": "nominal"},
        "y": {"field": "fte", "type": "quantitative", "aggregate": "sum", "title": "fte dat begint",
              "axis": {"tickMinStep": 0.5}},
        "color": {"field": "profiel", "type": "nominal", "title": "profiel",
                  "scale": {"range": COLOURS}},
        "tooltip": [{"field": "scenario"}, {"field": "profiel"}, {"field": "medewerker", "title": "als"},
                    {"field": "vanaf", "type": "temporal", "title": "vanaf", "format": "%e %B %Y"},
                    {"field": "fte", "format": ".2f"}, {"field": "kosten", "title": "kosten per jaar (€)", "format": ",.0f"}]}
    return Chart("aannames", title, spec, description=desc)


def comparison_charts(results: list, bands: dict[str, Any] | None = None) -> list[Chart]:
    return [waiting_chart(results, bands), unmet_chart(results), oncall_chart(results), utilisation_chart(results),
            hires_chart(results)]


def to_svg(spec: dict[str, Any]) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(spec, vl_version=VL_VERSION, format_locale=FORMAT_LOCALE,
                                      time_format_locale=TIME_LOCALE)


def to_png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_png(spec, vl_version=VL_VERSION, scale=scale, format_locale=FORMAT_LOCALE,
                                      time_format_locale=TIME_LOCALE)
