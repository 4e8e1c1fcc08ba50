// Jeugdhulp Planner: the few behaviours that need script, without inline handlers (the CSP forbids them).
// A form with data-bevestig="question" asks that question before it is sent.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute("data-bevestig");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

// "Rij toevoegen" (button name="actie" value="...-erbij") works without script: the server shows the form again
// with one more empty row. With script the row is added here: a copy of the last row, emptied, with new ids.
document.addEventListener("click", function (event) {
  var button = event.target && event.target.closest && event.target.closest("button[name=actie][value$='-erbij']");
  var list = button && button.parentElement.querySelector(".rijenlijst");
  var last = list && list.querySelector(".rij:last-of-type");
  if (!last) {
    return;
  }
  event.preventDefault();
  var index = list.querySelectorAll(".rij").length;
  var row = last.cloneNode(true);
  row.querySelectorAll(".veldfout").forEach(function (e) { e.remove(); });
  row.querySelectorAll("[id]").forEach(function (e) { e.id = e.id.replace(/-\d+$/, "-" + index); });
  row.querySelectorAll("label[for]").forEach(function (e) { e.htmlFor = e.htmlFor.replace(/-\d+$/, "-" + index); });
  row.querySelectorAll("input, select").forEach(function (e) {
    e.removeAttribute("aria-invalid");
    e.removeAttribute("aria-describedby");
    if (e.type === "checkbox") { e.checked = false; e.value = String(index); } else if (e.tagName === "INPUT") { e.value = ""; }
  });
  list.appendChild(row);
  var first = row.querySelector("input, select");
  if (first) { first.focus(); }
});
