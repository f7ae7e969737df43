// Swagger UI over the API's own OpenAPI document (the element's data-spec); "Authorize" takes a token. Without deep
// links (they put a link inside each operation's toggle button); the selects it renders get their parameter's name
// as a label and its scrolling examples a keyboard stop, as it renders them.
(function () {
  var element = document.getElementById("api-docs");
  function label(root) {
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (select) {
      select.setAttribute("aria-label", select.closest("tr").dataset.paramName);
    });
    root.querySelectorAll(".highlight-code > pre:not([tabindex])").forEach(function (pre) {
      pre.setAttribute("tabindex", "0");
    });
  }
  new MutationObserver(function () { label(element); }).observe(element, { childList: true, subtree: true });
  window.SwaggerUIBundle({ url: element.dataset.spec, domNode: element, deepLinking: false });
})();
