// Idle logoff warning (no inline script: the page's CSP allows only files from this site).
// The server ends an idle session by itself; this only warns before, and offers to stay.
(function () {
  "use strict";
  var box = document.getElementById("idle-warning");
  if (!box) { return; }
  var idle = parseInt(box.getAttribute("data-idle-seconds"), 10);
  var warn = parseInt(box.getAttribute("data-warning-seconds"), 10);
  var url = box.getAttribute("data-session-url");
  var left = box.querySelector("[data-idle-left]");
  var button = document.getElementById("stay-logged-in");
  var deadline = Date.now() + idle * 1000;

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) { return decodeURIComponent(m[1]); }
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function words(seconds) {
    // The words come from the page, in its language (docs/web.md "Languages").
    var say = function (name, n) { return box.getAttribute("data-" + name).replace("__N__", n); };
    if (seconds >= 90) { return say("minutes", Math.round(seconds / 60)); }
    return seconds > 1 ? say("seconds", seconds) : box.getAttribute("data-moment");
  }

  function ask(method) {
    var options = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (method === "POST") { options.headers["X-CSRFToken"] = csrf(); }
    return fetch(url, options).then(function (r) {
      if (!r.ok || r.redirected) { throw new Error("session ended"); }
      return r.json();
    });
  }

  function tick() {
    var seconds = Math.round((deadline - Date.now()) / 1000);
    if (seconds <= 0) {
      // Another tab may have kept the session alive: ask before leaving.
      ask("GET").then(function (data) {
        if (data.remaining_seconds > 0) { deadline = Date.now() + data.remaining_seconds * 1000; box.hidden = true; }
        else { window.location.reload(); }
      }).catch(function () { window.location.reload(); });
      return;
    }
    if (seconds <= warn) {
      if (box.hidden) { box.hidden = false; button.focus(); }
      left.textContent = words(seconds);
    }
  }

  button.addEventListener("click", function () {
    ask("POST").then(function (data) {
      deadline = Date.now() + data.remaining_seconds * 1000;
      box.hidden = true;
    }).catch(function () { window.location.reload(); });
  });
  window.setInterval(tick, 1000);
}());
