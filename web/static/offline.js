// Offline play in the page: registers the service worker, keeps what the player sends while
// offline (answers, hints, stories read, QR scans) and sends it again, in order, when the
// network is back, then reloads the page so that it shows the true outcome. Also "Emporter le
// parcours", and forgetting everything after "Oublier mes données". Without this script, or
// without a service worker, every page and form works as before.
(function () {
  "use strict";
  var KEY = "balises-queue";
  var DONE = "balises-replayed";
  var CACHE = "balises-v1";
  var words = document.body ? document.body.dataset : {};

  function queue() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(items) {
    try {
      if (items.length) localStorage.setItem(KEY, JSON.stringify(items));
      else localStorage.removeItem(KEY);
    } catch (e) { /* storage refused: nothing is kept */ }
  }
  function say(text, alert) {
    if (!text) return;
    var box = document.createElement("div");
    box.className = "feedback " + (alert ? "feedback-late" : "feedback-queued");
    box.setAttribute("role", alert ? "alert" : "status");
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    var where = document.getElementById("feedback") || document.querySelector("main");
    if (where) where.insertBefore(box, where.firstChild);
  }
  function keep(item) {
    var items = queue();
    items.push(item);
    save(items);
    say(words.queued);
  }

  if (location.search.indexOf("oubli=fait") !== -1) {
    save([]);
    try { sessionStorage.clear(); } catch (e) { /* nothing to clear */ }
    if (window.caches) caches.keys().then(function (keys) { keys.forEach(function (k) { caches.delete(k); }); });
    if (navigator.serviceWorker) {
      navigator.serviceWorker.getRegistrations().then(function (all) {
        all.forEach(function (r) { r.unregister(); });
      });
    }
  } else if (navigator.serviceWorker) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* refused */ });
  }

  // A form posted while offline: kept instead of sent (before htmx sees it: capture phase).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (navigator.onLine || !(form instanceof HTMLFormElement)) return;
    if ((form.method || "").toLowerCase() !== "post" || form.enctype === "multipart/form-data") return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (form.hasAttribute("data-arrive")) {
      // An arrival is decided on the spot, with the network: a position is never kept.
      say(words.arriveOffline, true);
      return;
    }
    var body = new URLSearchParams(new FormData(form, event.submitter || undefined)).toString();
    keep({ url: form.action, body: body });
  }, true);

  // The phone says it is online but the request never arrived (a jammed network): htmx says so.
  document.addEventListener("htmx:sendError", function (event) {
    var config = event.detail && event.detail.requestConfig;
    if (!config || String(config.verb).toLowerCase() !== "post" || !config.formData) return;
    var url = new URL(config.path, location.href).href;
    keep({ url: url, body: new URLSearchParams(config.formData).toString() });
  });

  // A QR code scanned offline opens the offline page at the /k/… address: keep the scan.
  if (document.body && document.body.hasAttribute("data-offline-page") && location.pathname.indexOf("/k/") === 0) {
    if (!queue().some(function (item) { return item.url === location.href; })) keep({ url: location.href });
    else say(words.queued);
  }

  var replaying = false;
  function replay() {
    var items = queue();
    if (replaying || !items.length || !navigator.onLine) return;
    replaying = true;
    var sent = 0;
    var late = 0;
    var chain = Promise.resolve();
    items.forEach(function (item) {
      chain = chain.then(function () {
        var init = item.body === undefined ? { credentials: "same-origin" } : {
          method: "POST", body: item.body, credentials: "same-origin", redirect: "manual",
          headers: { "Content-Type": "application/x-www-form-urlencoded" }
        };
        return fetch(item.url, init).then(function (response) {
          sent += 1;
          if (response.status === 410) late += 1;
        });
      });
    });
    var finish = function () {
      save(items.slice(sent));
      replaying = false;
      if (!sent) return;
      try { sessionStorage.setItem(DONE, JSON.stringify({ sent: sent, late: late })); } catch (e) { /* */ }
      location.reload();
    };
    chain.then(finish, finish);
  }
  window.addEventListener("online", replay);
  replay();

  try {
    var replayed = JSON.parse(sessionStorage.getItem(DONE) || "null");
    if (replayed) {
      sessionStorage.removeItem(DONE);
      if (replayed.late) say(words.late, true);
      else say(words.sent);
    }
  } catch (e) { /* */ }

  // "Emporter le parcours": store now what the player may see, for the walk without network.
  var take = document.querySelector("[data-take]");
  if (take && window.caches && navigator.serviceWorker) {
    take.hidden = false;
    take.addEventListener("click", function () {
      var status = document.getElementById("take-status");
      take.disabled = true;
      fetch(take.dataset.take, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (found) {
          return caches.open(CACHE).then(function (cache) { return cache.addAll(found.urls).then(function () { return found.urls.length; }); });
        })
        .then(function () { if (status) status.textContent = words.taken || ""; })
        .catch(function () { if (status) status.textContent = words.notTaken || ""; })
        .then(function () { take.disabled = false; });
    });
  }
})();
