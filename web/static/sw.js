// Balises' service worker, at the root scope. It keeps a copy of every page, photo and file
// the phone fetched from this site (network first; the copy only when the network fails), so a
// player who opened a campaign online goes on reading it offline. It never fetches anything the
// page did not ask for, and never keeps another site's file (htmx from its CDN: pages work
// without it), the staff area, the tiles, a story's recording or film (/m/: they stream from
// the network, their transcript is in the page) or a POST. What is sent
// offline is queued by offline.js in the page, not here.
"use strict";
var CACHE = "balises-v1";
var OFFLINE = "/hors-ligne";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) { return cache.addAll([OFFLINE, "/static/balises.css", "/static/offline.js"]); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function kept(request) {
  if (request.method !== "GET" || request.headers.has("range")) return false;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return false;
  var path = url.pathname;
  return !(path.indexOf("/staff") === 0 || path.indexOf("/tuiles/") === 0 || path.indexOf("/m/") === 0 ||
           path.indexOf("/moi") === 0 || path === "/sw.js" || /\/emporter$/.test(path));
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (!kept(request)) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.status === 200 && (response.type === "basic" || response.type === "cors")) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request, { ignoreVary: true }).then(function (found) {
        if (found) return found;
        if (request.mode === "navigate") return caches.match(OFFLINE);
        return Response.error();
      });
    })
  );
});
