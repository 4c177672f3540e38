/* Quiz: save each answer as soon as it is chosen (progressive enhancement).
   Without JavaScript, the « Enregistrer ma réponse » buttons post the same form. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");

  function save(fieldset) {
    var questionId = fieldset.getAttribute("data-question");
    var status = fieldset.querySelector("[data-status]");
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token.value);
    body.append("question", questionId);
    fieldset.querySelectorAll("input[name='q-" + questionId + "']:checked").forEach(function (input) {
      body.append("q-" + questionId, input.value);
    });
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok || !data.ok) {
            throw new Error(data.error || "");
          }
          status.textContent = form.getAttribute("data-saved-text");
        });
      })
      .catch(function (error) {
        status.textContent = error.message || form.getAttribute("data-error-text");
      });
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset[data-question]");
    if (fieldset) {
      save(fieldset);
    }
  });
})();
