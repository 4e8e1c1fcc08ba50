// Wat als: render the comparison's Vega-Lite specs with the vendored vega-embed.
// No eval under the CSP (script-src 'self'): the expressions run in vega-interpreter (ast: true), and no
// <style> element is injected (defaultStyle false, tooltip disableDefaultStyle; the styles are in app.css).
(function () {
  "use strict";
  var NL_NUMBERS = {decimal: ",", thousands: ".", grouping: [3], currency: ["\u20ac\u00a0", ""]};
  var NL_TIME = {dateTime: "%a %e %B %Y %X", date: "%d-%m-%Y", time: "%H:%M:%S", periods: ["AM", "PM"],
    days: ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
    shortDays: ["zo", "ma", "di", "wo", "do", "vr", "za"],
    months: ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
      "november", "december"],
    shortMonths: ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]};

  function render() {
    var source = document.getElementById("grafiek-specs");
    if (!source || typeof vegaEmbed === "undefined" || typeof vega === "undefined") return;
    var specs = JSON.parse(source.textContent);
    document.querySelectorAll("[data-grafiek]").forEach(function (el) {
      var spec = specs[el.getAttribute("data-grafiek")];
      if (!spec) return;
      vegaEmbed(el, spec, {
        renderer: "svg", actions: false, ast: true, expr: vega.expressionInterpreter, defaultStyle: false,
        formatLocale: NL_NUMBERS, timeFormatLocale: NL_TIME, tooltip: {disableDefaultStyle: true}
      }).then(function () {
        el.setAttribute("data-getekend", "ja");
      }).catch(function (err) {
        el.textContent = "De grafiek kon niet getekend worden; de tabellen hieronder tonen dezelfde cijfers.";
        el.setAttribute("data-getekend", "fout");
        if (window.console) console.error(err);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", render);
  else render();
})();
