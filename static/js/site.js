/* INO Tomsk: small enhancements; every page works without them.
   - A filter form applies itself when a box changes (the button stays for everyone else);
     the list comes back with the filter panel as it was: open on a phone if it was, scrolled
     where it was, the ticked box focused, so the next box is a tap away.
   - A long facet gets a box that narrows its options by name (never sent with the form). */
(function () {
  "use strict";

  // What a ticked box leaves for the page it loads (this tab only, read once).
  var PANEL_KEY = "inotomsk:filter-panel";

  function remember(state) {
    try { sessionStorage.setItem(PANEL_KEY, JSON.stringify(state)); } catch (e) { /* storage off */ }
  }

  function recall() {
    try {
      var state = JSON.parse(sessionStorage.getItem(PANEL_KEY) || "null");
      sessionStorage.removeItem(PANEL_KEY);
      return state;
    } catch (e) {
      return null;
    }
  }

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
        var panel = form.closest("details.list-filters");
        remember({
          path: location.pathname,
          open: Boolean(panel && panel.open),
          y: window.scrollY,
          top: event.target.getBoundingClientRect().top,
          name: event.target.name,
          value: event.target.value
        });
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

  // The list a box was ticked on, again: the panel as it was (only on the same list). Last,
  // once the boxes above have their final place (the name boxes are shown above).
  var saved = recall();
  if (saved && saved.path === location.pathname) {
    var panel = document.querySelector("details.list-filters");
    if (panel && saved.open) panel.open = true;
    window.scrollTo(0, saved.y || 0);
    // Found by name and value: the options, and so their ids, change with the filters.
    var box = Array.prototype.find.call(
      document.querySelectorAll("form[data-autosubmit] input[type=checkbox]"),
      function (input) { return input.name === saved.name && input.value === saved.value; }
    );
    if (box) {
      var more = box.closest("details.facet-more");
      if (more) more.open = true;
      // The box where it was on the screen, whatever options came or went above it.
      window.scrollBy(0, box.getBoundingClientRect().top - saved.top);
      box.focus({ preventScroll: true });
    }
  }
})();
