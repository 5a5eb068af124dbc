/* Balises: what an htmx update says and where it leaves the player, and waits that count down.
 *
 * Without JavaScript every form posts a page that lands on its message (`#play`); with htmx
 * only a fragment changes, so this file gives the player what the page load gave:
 *  - the fragment's element marked `data-announce` hands its short text to the one live region
 *    of the page (`#announcer`, outside everything htmx replaces), so a screen reader says it
 *    once, whatever the reader does with replaced content;
 *  - the element marked `data-focus` (the new hint, the story's heading, the next-step link, the
 *    message) takes the focus and comes into view, so the next Tab goes on from there;
 *  - `data-countdown` seconds count down, and when they are over the element's `data-ready`
 *    text replaces the message and is announced.
 * On staff pages: the warning that the login ends (`#session-warning`, `data-warn-in` seconds
 * from now) shows when its time comes and is announced; a draft given back after a new login
 * (`data-draft`: the form's address and its fields) fills that form again.
 * The server chooses what to say and where to go; nothing here knows about steps.
 */
(function () {
  "use strict";

  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) {
      return;
    }
    // Emptied first, then filled: the same words twice in a row are announced twice.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 100);
  }

  function reveal(target) {
    // Where the no-JS page lands: the top of the play area, when the target fits below it.
    var play = document.getElementById("play");
    if (play && play.contains(target)) {
      var top = play.getBoundingClientRect().top;
      var bottom = target.getBoundingClientRect().bottom;
      if (bottom - top <= window.innerHeight) {
        play.scrollIntoView({ block: "start" });
        return;
      }
    }
    target.scrollIntoView({ block: "start" });
  }

  function moveFocus(target) {
    if (!target.matches(FOCUSABLE)) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus({ preventScroll: true });
    reveal(target);
  }

  function countdown(element) {
    var left = parseInt(element.getAttribute("data-countdown"), 10);
    element.removeAttribute("data-countdown");
    var seconds = element.querySelector("[data-seconds]");
    if (!(left > 0) || !seconds) {
      return;
    }
    var timer = window.setInterval(function () {
      if (!element.isConnected) {
        window.clearInterval(timer);
        return;
      }
      left -= 1;
      if (left > 0) {
        seconds.textContent = String(left);
        return;
      }
      window.clearInterval(timer);
      var ready = element.getAttribute("data-ready") || "";
      element.textContent = ready;
      element.classList.add("ready");
      announce(ready);
    }, 1000);
  }

  function settle() {
    var said = [];
    document.querySelectorAll("[data-announce]").forEach(function (element) {
      said.push(element.getAttribute("data-announce"));
      element.removeAttribute("data-announce");
    });
    announce(said.join(" ").trim());
    var target = document.querySelector("[data-focus]");
    if (target) {
      document.querySelectorAll("[data-focus]").forEach(function (element) {
        element.removeAttribute("data-focus");
      });
      moveFocus(target);
    }
    document.querySelectorAll("[data-countdown]").forEach(countdown);
  }

  function warnOfSessionEnd() {
    var warning = document.getElementById("session-warning");
    var seconds = warning ? parseInt(warning.getAttribute("data-warn-in"), 10) : 0;
    if (!warning || !warning.hidden || !(seconds > 0)) {
      return;
    }
    // Checked every few seconds against the wall clock: a timer sleeps with the computer.
    var due = Date.now() + seconds * 1000;
    var timer = window.setInterval(function () {
      if (Date.now() < due) {
        return;
      }
      window.clearInterval(timer);
      warning.hidden = false;
      announce(warning.textContent.trim());
    }, 5000);
  }

  function refill() {
    var holder = document.querySelector("[data-draft]");
    var draft;
    try {
      draft = holder ? JSON.parse(holder.getAttribute("data-draft")) : null;
    } catch (error) {
      return;
    }
    if (!draft) {
      return;
    }
    var form = Array.prototype.find.call(document.forms, function (candidate) {
      return new URL(candidate.action, window.location.href).pathname === draft.action;
    });
    if (!form) {
      return;
    }
    var typed = {};
    draft.fields.forEach(function (pair) {
      (typed[pair[0]] = typed[pair[0]] || []).push(pair[1]);
    });
    Array.prototype.forEach.call(form.elements, function (control) {
      var values = typed[control.name];
      var kind = control.type;
      if (!values || ["hidden", "file", "submit", "button", "password"].indexOf(kind) >= 0) {
        return;
      }
      if (kind === "checkbox" || kind === "radio") {
        control.checked = values.indexOf(control.value) >= 0;
      } else {
        control.value = values[0];
      }
    });
  }

  document.addEventListener("htmx:afterSettle", settle);
  document.addEventListener("DOMContentLoaded", function () {
    warnOfSessionEnd();
    refill();
  });
  // A full page (a 429 page without htmx, a refused form) may count down too; it says nothing
  // and moves nothing itself: the browser already reads it from the top.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-countdown]").forEach(countdown);
  });
})();
