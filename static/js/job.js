/* Polls an export job's status and shows the download link when the file is ready. */
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box) return;
  function show(status, file) {
    document.getElementById("job-running").hidden = status !== "running";
    document.getElementById("job-done").hidden = status !== "done";
    document.getElementById("job-failed").hidden = status !== "failed";
    if (file) document.getElementById("job-file").href = file;
  }
  function poll() {
    fetch(box.getAttribute("data-status-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        show(job.status, job.file);
        if (job.status === "running") window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
