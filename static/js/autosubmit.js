/* A select marked .autosubmit submits its form when changed (the button stays for keyboards and no-JS). */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("select.autosubmit"), function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
