// Het planbord: drag and drop (SortableJS) with the live check before a move is kept, the print button and
// the picker's "Kies" buttons.  No inline scripts or handlers: the Content-Security-Policy forbids them.
// Every drag has a keyboard alternative: each block is a link to the edit form (person + time fields, picker).
(function () {
  "use strict";
  var pointer = { x: 0, y: 0 };
  var justDragged = 0;

  function track(e) {
    var p = e.touches && e.touches.length ? e.touches[0] : e;
    if (p && typeof p.clientY === "number") { pointer.x = p.clientX; pointer.y = p.clientY; }
  }
  ["pointerdown", "pointermove", "mousedown", "mousemove", "touchstart", "touchmove"].forEach(function (name) {
    document.addEventListener(name, track, { capture: true, passive: true });
  });
  // a drag ends with a click on the block: do not follow its link then
  document.addEventListener("click", function (e) {
    if (Date.now() - justDragged < 400 && e.target.closest && e.target.closest(".blok")) { e.preventDefault(); }
  }, true);

  // dates as naive local wall-clock times (the plan has no time zone): computed in UTC to avoid DST shifts
  function parse(s) {
    var p = s.split(/[-T:]/).map(Number);
    return new Date(Date.UTC(p[0], p[1] - 1, p[2], p[3] || 0, p[4] || 0));
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function iso(d) {
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + "T" +
      pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
  }
  var DAYS = ["zo", "ma", "di", "wo", "do", "vr", "za"];
  function show(d) { return DAYS[d.getUTCDay()] + " " + pad(d.getUTCDate()) + "-" + pad(d.getUTCMonth() + 1) + " " +
    pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()); }

  function say(text) {
    var s = document.getElementById("bord-status");
    if (s) { s.textContent = text; }
  }

  function setTop(item, units) {
    item.className = item.className.replace(/\bbt-\d+\b/, "bt-" + Math.max(0, Math.round(units)));
  }

  function revert(d, message) {
    if (d.item.parentNode !== d.from) {
      d.from.insertBefore(d.item, d.next && d.next.parentNode === d.from ? d.next : null);
    }
    d.item.className = d.cls;
    if (message) { say(message); }
  }

  function initBoard(table) {
    var dlg = document.getElementById("verplaatsen");
    if (!window.Sortable || table.getAttribute("data-bewerkbaar") !== "ja" || !dlg) { return; }
    var form = document.getElementById("verplaats-form");
    var out = document.getElementById("verplaats-uitkomst");
    var ok = document.getElementById("verplaats-bevestig");
    var van = Number(table.getAttribute("data-van"));
    var units = Number(table.getAttribute("data-eenheden"));
    var drag = null, pending = null, sent = false;

    function updateConfirm() {
      var overrule = out.querySelector("input[name=overrule]");
      var reason = out.querySelector("textarea[name=reden]");
      var failed = out.querySelector(".fout");
      ok.disabled = Boolean(failed) || Boolean(overrule && !(overrule.checked && reason && reason.value.trim()));
    }
    out.addEventListener("input", updateConfirm);
    out.addEventListener("change", updateConfirm);
    document.getElementById("verplaats-annuleer").addEventListener("click", function () { dlg.close(); });
    form.addEventListener("submit", function () { sent = true; });
    dlg.addEventListener("close", function () {
      if (pending && !sent) { revert(pending, "Verplaatsen geannuleerd; er is niets gewijzigd."); pending.item.focus(); }
      pending = null;
    });

    function check(fields, what, d) {
      ["medewerker", "begin", "einde", "vervang", "door"].forEach(function (n) {
        var el = form.elements[n];
        el.value = fields[n] || "";
        el.disabled = !(n in fields);
      });
      form.elements.soort.value = fields.soort;
      form.elements.index.value = fields.index;
      document.getElementById("verplaats-wat").textContent = what;
      out.innerHTML = "<p>Bezig met controleren…</p>";
      ok.disabled = true;
      pending = d;
      sent = false;
      dlg.showModal();
      fetch(form.getAttribute("action") + "/controleer", {
        method: "POST", body: new FormData(form), credentials: "same-origin", headers: { "HX-Request": "true" }
      }).then(function (r) { return r.text(); }).then(function (html) {
        out.innerHTML = html;  // server-rendered, escaped by Jinja; no script runs from it
        updateConfirm();
      }).catch(function () {
        out.innerHTML = "<p class=\"fout\">De controle is niet gelukt. Annuleer en probeer het opnieuw.</p>";
      });
    }

    function dropped(d, lane) {
      var item = d.item;
      var soort = item.getAttribute("data-soort");
      var oldStaff = item.getAttribute("data-medewerker"), newStaff = lane.getAttribute("data-medewerker");
      var name = lane.getAttribute("data-naam") || newStaff;
      var beginText = item.getAttribute("data-begin"), day = lane.getAttribute("data-datum");
      var begin = parse(beginText), end = parse(item.getAttribute("data-einde"));
      var fields = { soort: soort, index: item.getAttribute("data-index") };
      var what = item.getAttribute("data-wat") + " (nu " + (d.from.getAttribute("data-naam") || oldStaff) + ", " +
        show(begin) + ")";
      item.className = item.className.replace(/\bl\dv\d\b/, "l0v1");
      if (soort === "contact") {
        var rect = lane.getBoundingClientRect();
        var perMinute = rect.height / (units * 5);
        var minutes = van * 60 + Math.round((pointer.y - d.grab - rect.top) / perMinute / 15) * 15;
        var length = (end - begin) / 60000;
        minutes = Math.max(0, Math.min(minutes, 24 * 60 - length));
        var start = new Date(parse(day + "T00:00").getTime() + minutes * 60000);
        if (newStaff === oldStaff && iso(start) === beginText) { return revert(d); }
        setTop(item, (minutes - van * 60) / 5);
        fields.medewerker = newStaff;
        fields.begin = iso(start);
        what += " naar " + name + ", " + show(start);
      } else if (soort === "sessie") {
        if (day !== beginText.slice(0, 10)) {
          return revert(d, "Een groepssessie heeft een vaste dag en tijd: sleep haar naar een andere medewerker op dezelfde dag.");
        }
        if (newStaff === oldStaff) { return revert(d); }
        fields.vervang = oldStaff;
        fields.door = newStaff;
        what += ": " + name + " in plaats van " + oldStaff;
      } else {
        var shift = parse(day + "T00:00") - parse(beginText.slice(0, 10) + "T00:00");
        if (newStaff === oldStaff && shift === 0) { return revert(d); }
        fields.medewerker = newStaff;
        fields.begin = iso(new Date(begin.getTime() + shift));
        fields.einde = iso(new Date(end.getTime() + shift));
        what += " naar " + name + ", " + show(new Date(begin.getTime() + shift));
      }
      check(fields, "Verplaats " + what + ".", d);
    }

    table.querySelectorAll(".tijdlijn").forEach(function (lane) {
      window.Sortable.create(lane, {
        group: "bord", sort: false, draggable: "a.blok[data-soort]", forceFallback: true, fallbackOnBody: true,
        fallbackTolerance: 4, animation: 0,
        onStart: function (evt) {
          var r = evt.item.getBoundingClientRect();
          drag = { item: evt.item, from: evt.from, next: evt.item.nextSibling, grab: pointer.y - r.top,
                   cls: evt.item.className };
        },
        onEnd: function (evt) {
          var d = drag;
          drag = null;
          justDragged = Date.now();
          if (d) { dropped(d, evt.to); }
        }
      });
    });
  }

  function ready() {
    var table = document.getElementById("weekrooster");
    if (table) { initBoard(table); }
    var printer = document.getElementById("afdrukken");
    if (printer) { printer.addEventListener("click", function () { window.print(); }); }
  }

  // the picker's "Kies": put the medewerker in the form's field; its change event runs the live check (htmx)
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button.kies");
    if (!b) { return; }
    var field = document.getElementById(b.getAttribute("data-veld"));
    if (!field) { return; }
    field.value = b.getAttribute("data-kies");
    field.dispatchEvent(new Event("change", { bubbles: true }));
    field.focus();
    field.scrollIntoView({ block: "center" });
  });

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
}());
