/* Site-wide behaviour declared in markup, so templates need no inline scripts or style attributes
   (the Content-Security-Policy allows neither):
   - data-print: a button that prints the page;
   - data-back: a link that goes back in history (its href is the fallback);
   - data-autosubmit: a control that submits its form when changed;
   - data-width="NN": a bar drawn NN % wide (progress bars). */
(function () {
  "use strict";
  function applyWidths(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) {
      el.style.width = Math.max(0, Math.min(100, Number(el.dataset.width) || 0)) + "%";
    });
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
    if (event.target.closest("[data-back]") && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
  document.addEventListener("change", function (event) {
    const control = event.target.closest("[data-autosubmit]");
    if (control && control.form) control.form.requestSubmit();
  });
  document.addEventListener("DOMContentLoaded", function () { applyWidths(document); });
  document.addEventListener("htmx:afterSwap", function (event) { applyWidths(event.target); });
})();
