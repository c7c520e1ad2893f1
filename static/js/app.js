/*
 * Smart Loyalty — small page behaviours. Vanilla JS, loaded with `defer`, no dependencies.
 *
 * Works under a strict Content-Security-Policy: no eval, no new Function, no inline styles in HTML.
 * Widths are set through the CSSOM (element.style.width), which the policy allows.
 *
 *  - .nav-toggle           toggles .nav-open on the enclosing .site-header and its aria-expanded.
 *  - .score-bar / .progress with data-value="0..1"   fill width = value × 100 %.
 *  - form[data-confirm="…"] (or a submit button with data-confirm)   window.confirm() before submit.
 *
 * Idempotent: running init() again (e.g. after an htmx swap) changes nothing that is already set up.
 */
(function () {
  "use strict";

  var root = window.SmartLoyalty = window.SmartLoyalty || {};
  if (root.appLoaded) {
    return;
  }
  root.appLoaded = true;

  // Lets the stylesheet tell "JavaScript runs" apart from "no JavaScript" (menu button, bar fallbacks).
  document.documentElement.classList.add("js");

  /* ---------------------------------------------------------------------------------------------
   * Navigation toggle (narrow screens)
   * ------------------------------------------------------------------------------------------- */
  function headerOf(toggle) {
    return toggle.closest(".site-header") || document.querySelector(".site-header");
  }

  function setNavOpen(toggle, open) {
    var header = headerOf(toggle);
    if (header) {
      header.classList.toggle("nav-open", open);
    }
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function initNavToggles(scope) {
    var toggles = queryAll(scope, ".nav-toggle");
    toggles.forEach(function (toggle) {
      if (!toggle.hasAttribute("aria-expanded")) {
        var header = headerOf(toggle);
        toggle.setAttribute(
          "aria-expanded",
          header && header.classList.contains("nav-open") ? "true" : "false"
        );
      }
      if (!toggle.hasAttribute("aria-controls")) {
        var nav = (headerOf(toggle) || document).querySelector(".nav");
        if (nav && nav.id) {
          toggle.setAttribute("aria-controls", nav.id);
        }
      }
      if (toggle.tagName === "BUTTON" && !toggle.hasAttribute("type")) {
        toggle.type = "button";
      }
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    var toggle = target.closest(".nav-toggle");
    if (!toggle) {
      return;
    }
    event.preventDefault();
    setNavOpen(toggle, toggle.getAttribute("aria-expanded") !== "true");
  });

  // Escape closes an open menu and returns focus to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var header = document.querySelector(".site-header.nav-open");
    if (!header) {
      return;
    }
    var toggle = header.querySelector(".nav-toggle");
    if (toggle) {
      setNavOpen(toggle, false);
      if (header.contains(document.activeElement)) {
        toggle.focus();
      }
    } else {
      header.classList.remove("nav-open");
    }
  });

  /* ---------------------------------------------------------------------------------------------
   * Score bars and progress bars: <div class="score-bar" data-value="0.42">
   *   <div class="score-bar-fill"></div></div>  (or .progress > .progress-bar)
   * data-value may sit on the outer element or on the fill itself. A missing fill is created.
   * ------------------------------------------------------------------------------------------- */
  function parseFraction(raw) {
    if (raw === null || raw === undefined) {
      return null;
    }
    var text = String(raw).trim().replace(",", ".");
    if (text === "") {
      return null;
    }
    var percent = text.charAt(text.length - 1) === "%";
    var value = parseFloat(percent ? text.slice(0, -1) : text);
    if (!isFinite(value)) {
      return null;
    }
    if (percent) {
      value = value / 100;
    }
    return Math.min(1, Math.max(0, value));
  }

  function applyBar(outer, fillClass) {
    var raw = outer.getAttribute("data-value");
    var fill = null;
    for (var i = 0; i < outer.children.length; i += 1) {
      if (outer.children[i].classList.contains(fillClass)) {
        fill = outer.children[i];
        break;
      }
    }
    if (raw === null && fill) {
      raw = fill.getAttribute("data-value");
    }
    var value = parseFraction(raw);
    if (value === null) {
      if (outer.classList.contains("progress") && raw === null) {
        outer.classList.add("progress-indeterminate");
      }
      return;
    }
    outer.classList.remove("progress-indeterminate");
    if (!fill) {
      fill = document.createElement("span");
      fill.className = fillClass;
      outer.appendChild(fill);
    }
    var percentText = Math.round(value * 1000) / 10 + "%";
    fill.style.width = percentText;
    if (outer.classList.contains("progress")) {
      if (!outer.hasAttribute("role")) {
        outer.setAttribute("role", "progressbar");
      }
      if (outer.getAttribute("role") === "progressbar") {
        outer.setAttribute("aria-valuemin", "0");
        outer.setAttribute("aria-valuemax", "100");
        outer.setAttribute("aria-valuenow", String(Math.round(value * 100)));
      }
      outer.classList.toggle("is-complete", value >= 1);
    }
  }

  function initBars(scope) {
    queryAll(scope, ".score-bar").forEach(function (el) {
      applyBar(el, "score-bar-fill");
    });
    queryAll(scope, ".progress").forEach(function (el) {
      applyBar(el, "progress-bar");
    });
    // A fill carrying its own data-value outside the usual structure.
    queryAll(scope, ".score-bar-fill[data-value], .progress-bar[data-value]").forEach(function (el) {
      var value = parseFraction(el.getAttribute("data-value"));
      if (value !== null) {
        el.style.width = Math.round(value * 1000) / 10 + "%";
      }
    });
  }

  /* ---------------------------------------------------------------------------------------------
   * Confirmation before submitting: <form data-confirm="Delete this model?"> or
   * <button type="submit" data-confirm="…">. Runs in the capture phase, before htmx sees the submit.
   * ------------------------------------------------------------------------------------------- */
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) {
        return;
      }
      var submitter = event.submitter || null;
      var message =
        (submitter && submitter.getAttribute && submitter.getAttribute("data-confirm")) ||
        form.getAttribute("data-confirm");
      if (!message) {
        return;
      }
      if (!window.confirm(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  /* ---------------------------------------------------------------------------------------------
   * Wiring
   * ------------------------------------------------------------------------------------------- */
  function queryAll(scope, selector) {
    var base = scope && scope.querySelectorAll ? scope : document;
    var found = Array.prototype.slice.call(base.querySelectorAll(selector));
    if (base !== document && base.matches && base.matches(selector)) {
      found.unshift(base);
    }
    return found;
  }

  /* ---------------------------------------------------------------------------------------------
   * htmx settles "class", "style", "width" and "height" by copying the OLD element's attributes onto
   * the new one (matched by id) and restoring them after the swap. Copying a style attribute that
   * JavaScript set (Chart.js canvas sizes, bar widths) is an inline style the CSP blocks — a console
   * error. Leave "style" out of that list (same effect as "attributesToSettle" in the htmx-config meta).
   * ------------------------------------------------------------------------------------------- */
  function tameHtmx() {
    var config = window.htmx && window.htmx.config;
    if (config && Array.isArray(config.attributesToSettle)) {
      var kept = config.attributesToSettle.filter(function (name) {
        return String(name).toLowerCase() !== "style";
      });
      if (kept.length !== config.attributesToSettle.length) {
        config.attributesToSettle = kept;
      }
    }
  }

  root.tameHtmx = tameHtmx;

  /*
   * htmx's history cache stores the page's HTML as serialised by the browser, including the style
   * attributes that scripts set; restoring it would re-insert them as inline styles (a CSP violation).
   * Server-rendered markup never has style attributes, so every one in the snapshot came from a script:
   * drop them all from the cached copy (start tags only; the live page is untouched).
   */
  function stripStyleAttributes(html) {
    return String(html).replace(/<[a-zA-Z][^>]*>/g, function (tag) {
      return tag.replace(/\sstyle="[^"]*"/gi, "").replace(/\sstyle='[^']*'/gi, "");
    });
  }

  document.addEventListener("htmx:historyItemCreated", function (event) {
    var item = event.detail && event.detail.item;
    if (item && typeof item.content === "string") {
      item.content = stripStyleAttributes(item.content);
    }
  });

  function init(scope) {
    try {
      tameHtmx();
      initNavToggles(scope || document);
      initBars(scope || document);
    } catch (error) {
      // Never let a cosmetic enhancement break the page.
      if (window.console && console.warn) {
        console.warn("app.js:", error);
      }
    }
  }

  root.initPage = init;

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else {
    init(document);
  }

  // htmx (loaded before or after this file): new content arrives with htmx:load / htmx:afterSwap.
  // Plain DOM events, so listening is harmless when htmx is absent.
  document.addEventListener("htmx:beforeRequest", tameHtmx);
  document.addEventListener("htmx:load", function (event) {
    init(event.detail && event.detail.elt ? event.detail.elt : document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    init(event.detail && event.detail.target ? event.detail.target : document);
  });
  document.addEventListener("htmx:historyRestore", function () {
    init(document);
  });
})();
