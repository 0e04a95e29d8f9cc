/* As-you-type suggestions for the glossary search box (progressive enhancement).
 * Without this script the form submits to /glossary/?q= and the server ranks the results.
 * Pattern: ARIA 1.2 combobox with a listbox popup. Arrow keys move through suggestions,
 * Enter opens the highlighted term, Escape closes the list, and the input keeps focus.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest-url]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var url = form.getAttribute("data-suggest-url");
  var field = input.parentNode;

  var list = document.createElement("ul");
  list.id = "glossary-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggested terms");
  list.hidden = true;
  field.appendChild(list);

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  field.appendChild(status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  var active = -1;
  var timer = null;
  var controller = null;
  var items = [];

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var options = list.querySelectorAll("[role=option]");
    if (!options.length) return;
    active = (index + options.length) % options.length;
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  function render(results) {
    items = results;
    list.textContent = "";
    results.forEach(function (result, i) {
      var li = document.createElement("li");
      li.id = "glossary-suggestion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var name = document.createElement("a");
      name.href = result.url;
      name.tabIndex = -1;
      name.className = "suggestions__term";
      name.textContent = result.term;
      li.appendChild(name);
      if (result.matched_alias) {
        var alias = document.createElement("span");
        alias.className = "suggestions__alias";
        alias.textContent = " (" + result.matched_alias + ")";
        li.appendChild(alias);
      }
      var def = document.createElement("span");
      def.className = "suggestions__definition";
      def.textContent = result.definition;
      li.appendChild(def);
      li.addEventListener("mousedown", function (event) {
        event.preventDefault();  // keep focus in the box; the click below follows the link
      });
      li.addEventListener("click", function () { window.location.href = result.url; });
      list.appendChild(li);
    });
    status.textContent = results.length
      ? results.length + " suggestion" + (results.length === 1 ? "" : "s") + ", use the arrow keys to choose"
      : "No suggestions";
    if (results.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      input.removeAttribute("aria-activedescendant");
    } else {
      close();
    }
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    if (!query) { render([]); status.textContent = ""; return; }
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch(url + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (input.value.trim() === query) render(data.results || []);
      })
      .catch(function () { /* aborted or offline: the form still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 120);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      if (list.hidden && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      highlight(active + 1);
      event.preventDefault();
    } else if (event.key === "ArrowUp") {
      highlight(active - 1);
      event.preventDefault();
    } else if (event.key === "Enter" && !list.hidden && active >= 0 && items[active]) {
      event.preventDefault();
      window.location.href = items[active].url;
    } else if (event.key === "Escape") {
      if (!list.hidden) { close(); event.preventDefault(); }
    }
  });

  input.addEventListener("blur", function () { setTimeout(close, 150); });
  input.addEventListener("focus", function () { if (items.length && input.value.trim()) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } });
})();
