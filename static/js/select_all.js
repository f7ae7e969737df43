/* A header checkbox .select-all ticks or unticks the row checkboxes of its table named by data-select, and shows
   whether all, some or none of them are ticked. Without JS the header's box is posted as it is (the server then
   takes every row shown). */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("input.select-all"), function (all) {
    var boxes = all.closest("table").querySelectorAll("tbody input[type=checkbox][name='" + all.dataset.select + "']");
    function ticked() {
      return Array.prototype.filter.call(boxes, function (box) { return box.checked; }).length;
    }
    function sync() {
      var count = ticked();
      all.checked = boxes.length > 0 && count === boxes.length;
      all.indeterminate = count > 0 && count < boxes.length;
    }
    all.addEventListener("change", function () {
      Array.prototype.forEach.call(boxes, function (box) { box.checked = all.checked; });
      all.indeterminate = false;
    });
    Array.prototype.forEach.call(boxes, function (box) { box.addEventListener("change", sync); });
    sync();
  });
})();
