/* Glossary term tooltips. CSS alone shows a term's definition on hover and on keyboard focus;
 * this adds what CSS cannot: the first tap on a touch screen shows the definition (a second tap
 * follows the link), and Escape hides an open definition (WCAG 1.4.13, dismissible content).
 */
(function () {
  "use strict";
  var terms = document.querySelectorAll(".term");
  if (!terms.length) return;

  function closeAll(except) {
    terms.forEach(function (term) {
      if (term !== except) term.classList.remove("is-open");
    });
  }

  terms.forEach(function (term) {
    var link = term.querySelector(".term-link");
    if (!link) return;
    link.addEventListener("pointerup", function (event) {
      term.dataset.touch = event.pointerType === "touch" ? "1" : "";
    });
    link.addEventListener("click", function (event) {
      if (term.dataset.touch === "1" && !term.classList.contains("is-open")) {
        event.preventDefault();
        closeAll(term);
        term.classList.remove("is-dismissed");
        term.classList.add("is-open");
      }
    });
    link.addEventListener("focus", function () { term.classList.remove("is-dismissed"); });
    term.addEventListener("mouseenter", function () { term.classList.remove("is-dismissed"); });
    link.addEventListener("blur", function () { term.classList.remove("is-open"); });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    terms.forEach(function (term) {
      if (term.classList.contains("is-open") || term.contains(document.activeElement) || term.matches(":hover")) {
        term.classList.remove("is-open");
        term.classList.add("is-dismissed");
      }
    });
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest(".term")) closeAll(null);
  });
})();
