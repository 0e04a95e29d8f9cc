// Progressive enhancement for matrix cells. Without this file each cell is a <details> that opens
// on click, tap or Enter; with it, evidence also opens on mouse hover and keyboard focus, and only
// one cell's evidence is open at a time.
(function () {
  "use strict";
  var frames = document.querySelectorAll(".matrix-frame");
  if (!frames.length) return;

  function closeOthers(current) {
    document.querySelectorAll("details.cell[open]").forEach(function (d) {
      if (d !== current) d.open = false;
    });
  }

  frames.forEach(function (frame) {
    frame.querySelectorAll("details.cell").forEach(function (details) {
      var summary = details.querySelector("summary");
      var pinned = false; // opened by a click or tap: stays open when the pointer leaves
      var refocusing = false; // Escape returns focus to the summary without reopening

      details.addEventListener("mouseenter", function () {
        if (!details.open) { closeOthers(details); details.open = true; }
      });
      details.addEventListener("mouseleave", function () {
        if (!pinned) details.open = false;
      });
      summary.addEventListener("focus", function () {
        if (refocusing) { refocusing = false; return; }
        closeOthers(details);
        details.open = true;
      });
      summary.addEventListener("click", function (event) {
        // The hover already opened it: a click pins it rather than closing it again.
        if (details.open && !pinned) {
          event.preventDefault();
          pinned = true;
          return;
        }
        pinned = !details.open;
      });
      details.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { details.open = false; pinned = false; refocusing = true; summary.focus(); }
      });
    });
  });
})();
