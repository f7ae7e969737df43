/* Polls an export job's status and shows the part of the page for it (heading, text, download link); without
   JavaScript the page refreshes itself (a meta refresh inside noscript) and shows the same parts. */
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box) return;
  var PENDING = { queued: true, running: true };
  function show(status) {
    if (status === box.getAttribute("data-status")) return;
    box.setAttribute("data-status", status);
    Array.prototype.forEach.call(box.querySelectorAll("[data-state]"), function (part) {
      part.hidden = part.getAttribute("data-state") !== status;
    });
  }
  function poll() {
    fetch(box.getAttribute("data-status-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        show(job.status);
        if (PENDING[job.status]) window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  if (PENDING[box.getAttribute("data-status")]) poll();
})();
