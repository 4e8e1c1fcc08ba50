// Jeugdhulp Planner: the few behaviours that need script, without inline handlers (the CSP forbids them).
// A form with data-bevestig="question" asks that question before it is sent.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute("data-bevestig");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);
