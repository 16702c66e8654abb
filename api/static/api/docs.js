/* Accessibility repairs of the page Swagger UI draws, kept as it draws more (an operation
   opened, a call tried): each parameter's select or box is named after its parameter (Swagger
   UI gives a select no label), and each scrollable code block (an example, a response) can take
   the keyboard's focus, so it can be scrolled without a mouse.
   tests/browser/test_api_docs_a11y.py runs axe on the page. */
(function () {
  "use strict";

  var root = document.getElementById("swagger-ui");
  if (!root || !window.MutationObserver) return;

  function repair() {
    root.querySelectorAll("tr[data-param-name] select, tr[data-param-name] input").forEach(
      function (control) {
        if (!control.hasAttribute("aria-label") && !control.labels.length) {
          var row = control.closest("tr[data-param-name]");
          control.setAttribute("aria-label", row.getAttribute("data-param-name"));
        }
      }
    );
    root.querySelectorAll(".microlight:not([tabindex])").forEach(function (block) {
      block.setAttribute("tabindex", "0");
    });
  }

  // Only added and removed elements are watched: the repairs change attributes, not them.
  new MutationObserver(repair).observe(root, { childList: true, subtree: true });
})();
