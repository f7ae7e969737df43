/* On every page: a table that scrolls sideways becomes a focusable, labelled region (keyboard users can scroll
   it; screen readers announce what it holds), and an error summary takes the focus when the page shows one. */
(function () {
  "use strict";
  function label(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    for (var node = wrap.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[1-4]$/.test(node.tagName)) { return node.textContent.trim(); }
    }
    var heading = document.querySelector("h1");
    return heading ? heading.textContent.trim() : document.title;
  }
  function markScrolling() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap, .scroll-region"), function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1 || wrap.scrollHeight > wrap.clientHeight + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
          wrap.setAttribute("aria-label", label(wrap));
        }
      } else if (wrap.getAttribute("tabindex") === "0" && !wrap.hasAttribute("data-region")) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
      }
    });
  }
  markScrolling();
  window.addEventListener("resize", markScrolling);
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();
