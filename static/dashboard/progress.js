/* The report pack's progress bar: polls the pack's status (the job's state as GET /api/v1/tasks/{id}/
   reports it, plus the files) every second until the pack is done or failed. */
(function () {
  "use strict";
  const box = document.getElementById("pack-progress");
  if (!box) return;
  const bar = document.getElementById("pack-bar");
  const state = document.getElementById("pack-state");
  const labels = JSON.parse(document.getElementById("pack-labels").textContent);
  const widths = Array.from({ length: 21 }, (_, i) => "w-p" + i * 5);

  function show(percent) {
    const step = Math.max(0, Math.min(20, Math.round(percent / 5)));
    bar.classList.remove("w-0", ...widths);
    bar.classList.add(widths[step]);
    bar.textContent = percent + "%";
    bar.parentElement.setAttribute("aria-valuenow", String(percent));
  }

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => response.json())
      .then((body) => {
        show(body.progress || 0);
        state.textContent = labels[body.status] || body.status;
        box.dataset.status = body.status;
        if (body.status === "done") {
          bar.classList.remove("progress-bar-animated");
          document.getElementById("pack-files").classList.remove("d-none");
        } else if (body.status === "failed" || body.state === "FAILURE") {
          bar.classList.remove("progress-bar-animated");
          document.getElementById("pack-failed").classList.remove("d-none");
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(() => window.setTimeout(poll, 3000));
  }
  if (box.dataset.status === "done") show(100);
  else poll();
})();
