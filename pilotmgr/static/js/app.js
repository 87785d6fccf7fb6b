/* pilotmgr: what every page shares in the browser. Plain script, no framework, no CDN;
   every page works without it. */
(function () {
  "use strict";

  /* The section of the site this page belongs to, marked in the main menu: aria-current for
     screen readers, underlined for the eye (not by colour alone). */
  function markCurrentSection() {
    var path = window.location.pathname;
    var best = null;
    document.querySelectorAll(".app-navbar .navbar-nav a.nav-link[href]").forEach(function (link) {
      var href = link.getAttribute("href");
      if (!href || href.charAt(0) !== "/") { return; }
      var match = href === "/" ? path === "/" : path === href || path.indexOf(href.replace(/\/$/, "") + "/") === 0;
      if (match && (!best || href.length > best.getAttribute("href").length)) { best = link; }
    });
    if (best) { best.setAttribute("aria-current", "page"); }
  }

  /* A submit button with data-busy="…" shows that text and a spinner, and is disabled while
     its form is being sent, so a slow step (issuing a memo) is seen to be under way and is not
     sent twice. */
  function showBusy(form, button) {
    form.setAttribute("aria-busy", "true");
    if (!button.dataset.idleHtml) { button.dataset.idleHtml = button.innerHTML; }
    var state = document.createElement("span");
    state.className = "busy-state";
    state.setAttribute("role", "status");
    var spinner = document.createElement("span");
    spinner.className = "spinner-border spinner-border-sm";
    spinner.setAttribute("aria-hidden", "true");
    state.appendChild(spinner);
    state.appendChild(document.createTextNode(button.dataset.busy));
    button.replaceChildren(state);
    // Disabled after the browser has read the form: a disabled button's name and value
    // would not be sent.
    window.setTimeout(function () {
      button.disabled = true;
      button.setAttribute("aria-disabled", "true");
    }, 0);
  }

  function restoreIdle() {
    document.querySelectorAll("form[aria-busy=true]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      form.querySelectorAll("[data-busy][data-idle-html]").forEach(function (button) {
        button.innerHTML = button.dataset.idleHtml;
        button.disabled = false;
        button.removeAttribute("aria-disabled");
      });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault();  // already being sent
      return;
    }
    // The button pressed; a form sent by the Enter key has its first submit button's state.
    var button = event.submitter || form.querySelector("button[type=submit][data-busy]");
    if (button && button.dataset && button.dataset.busy && !event.defaultPrevented) {
      showBusy(form, button);
    }
  });

  // Back to a page kept in the browser's cache: its buttons work again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { restoreIdle(); }
  });

  /* A wide table scrolling in its own box on a small screen can be scrolled from the keyboard:
     the box takes the focus and is named, for screen readers, after the table's heading. */
  function reachableScrollBoxes() {
    var label = document.body.dataset.scrollLabel || "";
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        var heading = caption ? caption.textContent.trim() : "";
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", heading ? heading + " — " + label : label);
        box.dataset.madeReachable = "1";
      } else if (!scrolls && box.dataset.madeReachable) {
        ["tabindex", "role", "aria-label", "data-made-reachable"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }

  function ready() {
    markCurrentSection();
    reachableScrollBoxes();
    var timer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(reachableScrollBoxes, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
