/* Guichet — small enhancements only: every page works without this file (STYLE habit 10).
   No inline script anywhere (CSP script-src 'self'); no inline style (style-src 'self'). */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  if (window.htmx) {
    // htmx re-renders conditional questions on change: the no-JS « Mettre à jour les questions » button can go.
    root.classList.add("htmx-actif");
  }

  function plural(count, word) {
    return count + " " + word + (count > 1 ? "s" : "");
  }

  // GOV.UK character count: the visible message follows every key; screen readers hear it after a pause.
  function bindCount(area) {
    if (area.dataset.compteurActif) {
      return;
    }
    area.dataset.compteurActif = "1";
    var max = parseInt(area.dataset.max, 10);
    var message = document.getElementById(area.dataset.compteur);
    var announce = document.getElementById(area.dataset.compteur + "-annonce");
    var timer = null;
    function text() {
      var left = max - area.value.length;
      return left >= 0
        ? "Il vous reste " + plural(left, "caractère")
        : "Vous avez " + plural(-left, "caractère") + " en trop";
    }
    function update() {
      if (!message) {
        return;
      }
      message.textContent = text();
      message.classList.toggle("compteur-depasse", area.value.length > max);
      if (announce) {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          announce.textContent = text();
        }, 1000);
      }
    }
    area.addEventListener("input", update);
    if (area.value.length) {
      update();
    }
  }

  function enhance(scope) {
    scope.querySelectorAll("textarea[data-max]").forEach(bindCount);
    scope.querySelectorAll(".js-imprimer").forEach(function (button) {
      button.hidden = false;
      if (!button.dataset.imprimerActif) {
        button.dataset.imprimerActif = "1";
        button.addEventListener("click", function () {
          window.print();
        });
      }
    });
  }

  function start() {
    enhance(document);
    // Content swapped in by htmx (conditional questions, boosted pages) gets the same enhancements.
    // (the whole document: an outerHTML swap settles on an element that is no longer in it; binding is idempotent)
    document.body.addEventListener("htmx:afterSettle", function (event) {
      enhance(document);
      // A page swapped in with errors: its summary takes the focus (GOV.UK). htmx restores the focus of the
      // element that had it before the swap, which would otherwise win over the summary's autofocus.
      var summary = document.getElementById("g-erreurs-titre");
      if (summary && event.target && event.target.contains(summary)) {
        summary.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
