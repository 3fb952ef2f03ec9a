// Progressive enhancement for the plan builder: refresh the preview as the form changes.
// Without JavaScript the "Preview the schedule" button does the same with a page load.
(function () {
  "use strict";
  var form = document.getElementById("plan-builder");
  if (!form || !window.fetch || !window.FormData) { return; }
  var timer = null;
  function refresh() {
    var data = new FormData(form);
    data.set("action", "preview");
    // Not form.action: the buttons named "action" shadow that property (a RadioNodeList).
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", body: data, credentials: "same-origin", headers: {"X-Preview": "1"}
    }).then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var target = document.getElementById("preview");
        if (html === null || !target) { return; }
        var parsed = new DOMParser().parseFromString(html, "text/html").getElementById("preview");
        if (parsed) { target.replaceWith(parsed); }
      }).catch(function () { /* the button still works */ });
  }
  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 600);
  });
}());
