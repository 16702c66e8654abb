/* INO Tomsk: small enhancements; every page works without them.
   - A filter form applies itself when a box changes (the button stays for everyone else).
   - A long facet gets a box that narrows its options by name (never sent with the form). */
(function () {
  "use strict";

  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    // Empty boxes stay out of the address: "?cluster=x", not "?q=&cluster=x".
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[type=search], input[type=text]").forEach(function (input) {
        if (input.name && !input.value.trim()) input.disabled = true;
      });
    });
    window.addEventListener("pageshow", function () {
      form.querySelectorAll("input:disabled").forEach(function (input) { input.disabled = false; });
    });
    form.addEventListener("change", function (event) {
      if (event.target.type === "checkbox") {
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    });
  });

  document.querySelectorAll("input[data-find-options]").forEach(function (input) {
    var facet = document.getElementById(input.getAttribute("data-find-options"));
    if (!facet) return;
    input.parentNode.hidden = false;
    var more = facet.querySelector("details.facet-more");
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase();
      facet.querySelectorAll(".facet-options li").forEach(function (item) {
        item.hidden = words !== "" && item.textContent.toLowerCase().indexOf(words) === -1;
      });
      if (more && words) more.open = true;
    });
  });
})();
