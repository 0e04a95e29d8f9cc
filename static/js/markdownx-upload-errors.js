/* Show why an image upload in the admin's Markdown editor was refused.
   django-markdownx only logs "Invalid response"; our upload endpoint answers with a JSON
   {"error": "..."} that names the problem, so put that next to the editor where it is heard. */
(function () {
  "use strict";

  function messageFor(detail) {
    var response = detail && detail[0];
    if (typeof response === "string") {
      try { response = JSON.parse(response); } catch (e) { response = null; }
    }
    return (response && response.error) || "The image could not be uploaded.";
  }

  function alertBox(container) {
    var box = container.querySelector(".markdownx-upload-error");
    if (!box) {
      box = document.createElement("p");
      box.className = "markdownx-upload-error errornote";
      box.setAttribute("role", "alert");
      container.insertBefore(box, container.firstChild);
    }
    return box;
  }

  function watch(container) {
    var editor = container.querySelector("textarea");
    container.addEventListener("markdownx.fileUploadError", function (event) {
      alertBox(container).textContent = messageFor(event.detail);
      // markdownx then types "Invalid response" into the text; take that back out.
      var before = editor ? editor.value : null;
      window.setTimeout(function () {
        if (editor && editor.value !== before &&
            editor.value.replace("Invalid response", "") === before) {
          editor.value = before;
        }
      }, 0);
    });
    container.addEventListener("markdownx.fileUploadEnd", function () {
      var box = container.querySelector(".markdownx-upload-error");
      if (box) { box.remove(); }
    });
  }

  function init() {
    document.querySelectorAll(".markdownx").forEach(watch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
