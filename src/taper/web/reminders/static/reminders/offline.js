// Offline use on a patient's phone (docs/web.md "Installable and offline").
// - A patient's page: registers the service worker, keeps this page (Today, the plan, the
//   check-in, the emergency message) for reading offline with its "Last updated" line, and
//   sends any check-in kept while offline as soon as the phone is online again.
// - Any other visitor: removes a patient's kept pages, so the next person on a shared phone
//   never sees them; logging out removes everything (HZ-036).
"use strict";
(function () {
  var script = document.currentScript;
  if (!script || !("caches" in window)) { return; }
  var PAGES = "taper-pages", OUTBOX = "taper-outbox", META = "taper-meta";
  var me = script.getAttribute("data-patient");  // null on the offline page: leave all as is
  var day = script.getAttribute("data-day") || "";  // the patient's own today (their zone)
  var REFRESH_MS = 10 * 60 * 1000;
  var KEEP = [/^\/today\/$/, /^\/plans\/\d+\/$/, /^\/checkin\/$/, /^\/offline\/emergency\/$/];

  function words(name) {
    var holder = document.getElementById("offline-words");
    var found = holder && holder.content.querySelector('[data-word="' + name + '"]');
    return found ? found.textContent : "";
  }

  function say(text, urgent) {
    var main = document.querySelector("main");
    if (!main || !text) { return; }
    var note = document.createElement("p");
    note.className = "alert offline-note";
    note.setAttribute("role", urgent ? "alert" : "status");
    note.textContent = text;
    main.insertBefore(note, main.firstChild);
  }

  function showSaved() {
    document.querySelectorAll("[data-offline-saved]").forEach(function (el) {
      el.hidden = !/(saved=1|checkin=saved)/.test(location.search);
    });
  }

  showSaved();
  if (me === null) {  // the offline page: back online, Today (live) sends what was kept
    window.addEventListener("online", function () { location.href = "/today/"; });
    return;
  }
  if (me === "") {  // not a patient: nothing of a patient's stays readable here
    caches.delete(PAGES);
    return;
  }

  // The page came from the phone, not the server: say so, and when it was last updated.
  var stamp = document.querySelector("[data-offline-stamp]");
  var fromPhone = stamp && !stamp.hidden;
  if (fromPhone) {
    var main = document.querySelector("main");
    if (main) { main.insertBefore(stamp, main.firstChild); }
  }

  function owner() {
    return caches.open(META).then(function (meta) {
      return meta.match("/__owner").then(function (hit) { return hit ? hit.text() : ""; })
        .then(function (was) {
          if (!fromPhone && day) { meta.put("/__day", new Response(day)); }
          if (was === me) { return null; }
          // Someone else's pages and check-ins never show or leave under this account.
          return Promise.all([caches.delete(PAGES), caches.delete(OUTBOX)]).then(function () {
            return meta.put("/__owner", new Response(me));
          });
        });
    });
  }

  function keptCopy(html) {
    return new Response(html.replace("data-offline-stamp hidden", "data-offline-stamp"), {
      headers: {"Content-Type": "text/html; charset=utf-8", "X-Kept-At": String(Date.now())}});
  }

  function keepThisPage() {
    var path = location.pathname;
    if (fromPhone || !KEEP.some(function (re) { return re.test(path); })) { return Promise.resolve(); }
    if (document.querySelector(".error, .has-error")) { return Promise.resolve(); }
    var copy = document.documentElement.cloneNode(true);
    copy.querySelectorAll(".messages, .offline-note").forEach(function (el) { el.remove(); });
    copy.querySelectorAll("[data-offline-stamp]").forEach(function (el) { el.removeAttribute("hidden"); });
    var html = "<!doctype html>\n" + copy.outerHTML;
    return caches.open(PAGES).then(function (pages) {
      return pages.put(path + location.search, keptCopy(html));
    });
  }

  function keepFromToday() {
    if (location.pathname !== "/today/" || fromPhone) { return Promise.resolve(); }
    var wanted = ["/checkin/", "/checkin/?flags=none", "/offline/emergency/"];
    document.querySelectorAll('main a[href^="/plans/"]').forEach(function (a) {
      wanted.push(a.getAttribute("href"));
    });
    return caches.open(PAGES).then(function (pages) {
      return Promise.all(wanted.map(function (href) {
        return pages.match(href).then(function (hit) {
          // Fetched again at most every REFRESH_MS: each fetch is a page view in the audit
          // trail, and Today is opened often. A page visited is kept fresh at every visit.
          var age = hit ? Date.now() - Number(hit.headers.get("X-Kept-At") || 0) : Infinity;
          return age < REFRESH_MS ? null : fetch(href, {credentials: "same-origin"});
        }).then(function (response) {
          if (response === null) { return null; }
          if (!response.ok || response.redirected) { return null; }
          return response.text().then(function (html) { return pages.put(href, keptCopy(html)); });
        }).catch(function () { return null; });
      }));
    });
  }

  function token() {
    var field = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return field ? field.value : "";
  }

  // Send what was kept offline, one at a time, each once: removed only when the server
  // has answered it (sent, or refused as a form error); kept while offline or logged out.
  var sending = false;
  function sendKept() {
    if (sending || !navigator.onLine || fromPhone) { return Promise.resolve(); }
    sending = true;
    var run = function () {
      return caches.open(OUTBOX).then(function (box) {
        return box.keys().then(function (keys) {
          return keys.reduce(function (chain, key) {
            return chain.then(function (stop) {
              return stop ? stop : sendOne(box, key);
            });
          }, Promise.resolve(false));
        });
      });
    };
    var done = navigator.locks ? navigator.locks.request("taper-outbox", run) : run();
    return done.finally(function () { sending = false; });
  }

  function sendOne(box, key) {
    return box.match(key).then(function (hit) { return hit ? hit.text() : null; }).then(function (body) {
      if (body === null) { return false; }
      var form = new URLSearchParams(body);
      if (form.get("_offline_user") !== me) { return box.delete(key).then(function () { return false; }); }
      if (form.get("_offline_day") !== day) {
        // Sent now it would be stored as today's check-in, with another day's answers.
        return box.delete(key).then(function () { say(words("stale"), true); return false; });
      }
      form.set("csrfmiddlewaretoken", token());  // this session's token: CSRF keeps working
      return fetch("/checkin/", {method: "POST", body: form, credentials: "same-origin",
                                 headers: {"X-CSRFToken": token()}})
        .then(function (response) {
          var path = new URL(response.url).pathname;
          if (path.indexOf("/login/") === 0 || response.status === 403) {
            say(words("login"), false);
            return true;
          }
          if (response.ok) {
            return box.delete(key).then(function () {
              document.querySelectorAll("[data-offline-saved]").forEach(function (el) { el.hidden = true; });
              say(words("sent"), false);
              return false;
            });
          }
          if (response.status === 400) {
            return box.delete(key).then(function () { say(words("refused"), true); return false; });
          }
          return true;  // the server failed: try again later
        }, function () { return true; });  // still offline
    });
  }

  // A check-in sent while the phone is offline is kept here and sent later (HZ-034).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    if (form.querySelector("#logout") || form.getAttribute("action") === "/logout/") {
      event.preventDefault();
      caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf("taper-") === 0 && n !== "taper-shell"; })
          .map(function (n) { return caches.delete(n); }));
      }).finally(function () { form.submit(); });
      return;
    }
    if (new URL(form.action, location.href).pathname !== "/checkin/") { return; }
    [["_offline_user", me], ["_offline_day", day]].forEach(function (pair) {
      var mark = form.querySelector('input[name="' + pair[0] + '"]') || document.createElement("input");
      mark.type = "hidden";
      mark.name = pair[0];
      mark.value = pair[1];
      form.appendChild(mark);
    });
    if (navigator.onLine) { return; }
    event.preventDefault();
    var data = new URLSearchParams(new FormData(form, event.submitter || undefined));
    var flag = data.get("red_flag");
    if (flag === "none") { location.href = "/checkin/?flags=none"; return; }
    caches.open(OUTBOX).then(function (box) {
      var key = "/__outbox/" + Date.now() + "-" + Math.random().toString(36).slice(2);
      return box.put(key, new Response(data.toString(), {
        headers: {"Content-Type": "application/x-www-form-urlencoded"}}));
    }).then(function () {
      if (flag) { location.href = "/offline/emergency/?saved=1"; return; }
      form.hidden = true;
      say(words("saved"), true);
      window.scrollTo(0, 0);
    });
  });

  // A kept copy's day may be past: once the server answers again the live page is fetched,
  // and it sends what was kept. Asked every few seconds while the phone says it is online.
  var probing = null;
  function backOnline() {
    probing = null;
    fetch("/offline/", {cache: "no-store", credentials: "same-origin"}).then(function (response) {
      if (response.ok) { location.reload(); } else { probing = setTimeout(backOnline, 5000); }
    }, function () { probing = setTimeout(backOnline, 5000); });
  }
  window.addEventListener("online", function () {
    if (!fromPhone) { sendKept(); } else if (probing === null) { backOnline(); }
  });
  if (fromPhone && navigator.onLine) { probing = setTimeout(backOnline, 5000); }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () { return null; });
  }
  owner().then(keepThisPage).then(keepFromToday).then(sendKept).finally(function () {
    document.documentElement.setAttribute("data-offline-ready", "1");  // for the tests
  });
})();
