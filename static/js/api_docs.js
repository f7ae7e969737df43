// Swagger UI over the API's own OpenAPI document (the element's data-spec); "Authorize" takes a token.
(function () {
  var element = document.getElementById("api-docs");
  window.SwaggerUIBundle({ url: element.dataset.spec, domNode: element, deepLinking: true });
})();
