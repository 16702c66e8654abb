/* The admin's Markdown preview: a "Preview" button under each Markdown text (the textareas
   marked data-preview-url by cms/editing.py) shows the text as the site would, rendered
   and sanitised by the server (cms/richtext.py), before anything is saved. */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setUp(textarea) {
    var data = textarea.dataset;
    var tools = document.createElement("div");
    var button = document.createElement("button");
    var output = document.createElement("div");
    var title = document.createElement("h3");
    var body = document.createElement("div");
    button.type = "button";
    button.className = "button markdown-preview-button";
    button.textContent = data.previewLabel;
    output.className = "markdown-preview";
    output.id = textarea.id + "-preview";
    output.hidden = true;
    output.setAttribute("role", "region");
    output.setAttribute("aria-label", data.previewTitle);
    output.setAttribute("aria-live", "polite");
    title.className = "markdown-preview-title";
    title.textContent = data.previewTitle;
    body.className = "markdown-preview-body";
    output.append(title, body);
    button.setAttribute("aria-controls", output.id);

    function show(html, message) {
      if (message) {
        body.textContent = message;
      } else {
        body.innerHTML = html; // sanitised by the server (nh3 allow-list)
      }
      output.hidden = false;
    }

    button.addEventListener("click", function () {
      var form = new URLSearchParams();
      form.set("model", data.previewModel);
      form.set("text", textarea.value);
      button.disabled = true;
      fetch(data.previewUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "X-CSRFToken": csrfToken(textarea.form),
        },
        body: form,
      })
        .then(function (response) {
          if (response.status === 413) {
            return response.json(); // {"error": why the text is refused}
          }
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (result) {
          if (result.error) {
            show("", result.error);
          } else {
            show(result.html, result.html ? "" : data.previewEmpty);
          }
        })
        .catch(function () {
          show("", data.previewError);
        })
        .finally(function () {
          button.disabled = false;
        });
    });
    tools.className = "markdown-preview-tools";
    tools.append(button, output);
    textarea.after(tools);
  }

  document.querySelectorAll("textarea[data-preview-url]").forEach(setUp);
})();
