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

  document.addEventListener("htmx:afterSettle", settle);
  // A full page (a 429 page without htmx, a refused form) may count down too; it says nothing
  // and moves nothing itself: the browser already reads it from the top.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-countdown]").forEach(countdown);
  });
})();
