// Taper's service worker (docs/web.md "Installable and offline"), served from /sw.js.
// Pages are never kept here on the worker's own initiative: offline.js, which runs only on
// a patient's pages, puts the patient's own pages in PAGES and clears them at log-out.
// The worker serves them when the network is gone, and keeps a check-in posted while
// offline in OUTBOX (offline.js sends it when the phone is back online).
"use strict";
var PAGES = "taper-pages";    // the patient's own pages (Today, the plan, the check-in)
var SHELL = "taper-shell";    // static files and the offline page: nothing personal
var OUTBOX = "taper-outbox";  // check-ins not sent yet
var META = "taper-meta";      // whose pages these are, and their day (offline.js notes them)

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL)
    .then(function (shell) { return shell.add("/offline/"); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && request.mode === "navigate" && url.pathname === "/checkin/") {
    event.respondWith(sendOrKeep(request));
  } else if (request.method !== "GET") {
    return;
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(event, request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () { return fromPhone(url); }));
  }
});

// A page the network cannot give: the patient's kept copy, else the offline page.
function fromPhone(url) {
  return caches.open(PAGES).then(function (pages) {
    return pages.match(url.pathname + url.search).then(function (hit) {
      return hit || pages.match(url.pathname, {ignoreSearch: true});
    });
  }).then(function (hit) {
    return hit || caches.open(SHELL).then(function (shell) {
      return shell.match("/offline/", {ignoreSearch: true});
    }).then(function (page) { return page || Response.error(); });
  });
}

// Static files: the kept copy at once, refreshed from the network for next time.
function staticFile(event, request) {
  return caches.open(SHELL).then(function (shell) {
    return shell.match(request).then(function (hit) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) { return shell.put(request, response.clone()).then(function () { return response; }); }
        return response;
      });
      if (hit) {
        event.waitUntil(fresh.catch(function () { return null; }));
        return hit;
      }
      return fresh;
    });
  });
}

// A check-in posted while the network is gone is kept, never lost (HZ-034); a red flag
// answered yes still reaches the emergency message with its number to call (HZ-035).
function sendOrKeep(request) {
  var copy = request.clone();
  return fetch(request).catch(function () {
    return copy.text().then(function (body) {
      var flag = new URLSearchParams(body).get("red_flag");
      if (flag === "none") {  // nothing is stored by this answer: on to the next screen
        return Response.redirect("/checkin/?flags=none", 303);
      }
      return keep(body).then(function () {
        return Response.redirect(flag ? "/offline/emergency/?saved=1" : "/offline/?checkin=saved", 303);
      });
    });
  });
}

// Whose check-in and which day it was made on: from the form (offline.js adds them), else
// from what offline.js last noted (a form sent before its script had run).
function keep(body) {
  var key = "/__outbox/" + Date.now() + "-" + Math.random().toString(36).slice(2);
  var form = new URLSearchParams(body);
  return caches.open(META).then(function (meta) {
    return Promise.all(["/__owner", "/__day"].map(function (name) {
      return meta.match(name).then(function (hit) { return hit ? hit.text() : ""; });
    }));
  }).then(function (noted) {
    if (!form.get("_offline_user")) { form.set("_offline_user", noted[0]); }
    if (!form.get("_offline_day")) { form.set("_offline_day", noted[1]); }
    return caches.open(OUTBOX);
  }).then(function (box) {
    return box.put(new Request(key), new Response(form.toString(), {
      headers: {"Content-Type": "application/x-www-form-urlencoded"}}));
  });
}
