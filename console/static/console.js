// Progressive enhancement of the console's server-rendered pages. Every page works
// without this file: links open full pages, forms post and redirect. With it:
// dialogs (Mark as paid), live previews (split allocation, contract schedule), busy
// buttons, select-all checkboxes and copy buttons. Loaded as a file: the CSP allows
// no inline script.
(function () {
  "use strict";

  // <a href="/full/page" data-dialog="id">: open the <dialog id> instead.
  document.addEventListener("click", function (ev) {
    var opener = ev.target.closest("[data-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-dialog"));
      if (dialog && typeof dialog.showModal === "function") {
        ev.preventDefault();
        dialog.showModal();
        var first = dialog.querySelector("input:not([type=hidden])");
        if (first) { first.focus(); }
      }
      return;
    }
    var closer = ev.target.closest("[data-close]");
    if (closer) {
      var d = closer.closest("dialog");
      if (d) { ev.preventDefault(); d.close(); }
      return;
    }
    var copy = ev.target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      var src = document.getElementById(copy.getAttribute("data-copy"));
      if (src) {
        navigator.clipboard.writeText(src.textContent.trim()).then(function () { copy.textContent = "Copied"; });
      }
    }
  });

  // <form data-busy>: the pressed button says the work is under way and cannot be
  // pressed twice (the server also dedupes by the form's Idempotency-Key).
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.hasAttribute("data-busy")) { return; }
    var button = ev.submitter || form.querySelector("button[type=submit]");
    if (!button) { return; }
    setTimeout(function () {
      button.setAttribute("aria-busy", "true");
      button.disabled = true;
      button.textContent = form.getAttribute("data-busy") || "Working…";
    }, 0);
  });

  // <input type=checkbox data-select-all="name">: toggles every checkbox of that
  // name in its section (one payee of the payout report), or its form.
  document.addEventListener("change", function (ev) {
    var all = ev.target.closest("[data-select-all]");
    if (!all) { return; }
    var scope = all.closest("section") || all.form;
    var boxes = scope.querySelectorAll("input[type=checkbox][name='" + all.getAttribute("data-select-all") + "']");
    boxes.forEach(function (b) { b.checked = all.checked; });
  });

  // <form data-preview="/url" data-preview-target="id">: as the form changes, post it
  // to the preview URL (the server renders the same page with the preview) and swap
  // in the element with that id. Without JS the form's Preview button does the same.
  document.querySelectorAll("form[data-preview]").forEach(function (form) {
    var timer = null;
    var seq = 0;
    var refresh = function () {
      var mine = ++seq;
      var target = document.getElementById(form.getAttribute("data-preview-target"));
      if (!target) { return; }
      target.setAttribute("aria-busy", "true");
      fetch(form.getAttribute("data-preview"), {
        method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin",
        headers: { "X-Console-Preview": "1" }
      }).then(function (r) { return r.text(); }).then(function (html) {
        if (mine !== seq) { return; }
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById(target.id);
        if (fresh) { target.innerHTML = fresh.innerHTML; }
        target.removeAttribute("aria-busy");
      }).catch(function () { target.removeAttribute("aria-busy"); });
    };
    var later = function () { clearTimeout(timer); timer = setTimeout(refresh, 250); };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
  });
})();
