/*
 * « Ajouter une demi-journée » on the trainer's session form
 * (courses/templates/courses/trainer/session_form.html).
 *
 * Progressive enhancement: without JavaScript the button submits the form, and the
 * server sends it back as typed with one more row (nothing saved). With it, the row
 * is copied here from the formset's empty form (a <template>), TOTAL_FORMS follows,
 * focus moves to the new row's date and a status message announces it. The server's
 * limit (MAX_NUM_FORMS) is respected. No inline script: the page works under a strict CSP.
 */
(function () {
  "use strict";

  function setUp(fieldset) {
    var button = fieldset.querySelector("[data-add-slot]");
    var template = fieldset.querySelector("template[data-slot-template]");
    var rows = fieldset.querySelector("[data-slot-rows]");
    var total = fieldset.querySelector("input[name$='-TOTAL_FORMS']");
    var max = fieldset.querySelector("input[name$='-MAX_NUM_FORMS']");
    var status = fieldset.querySelector("[data-slot-status]");
    var limitNote = fieldset.querySelector("[data-slot-limit]");
    if (!button || !template || !rows || !total || !max) {
      return;
    }

    function count() {
      return parseInt(total.value, 10) || 0;
    }

    function limit() {
      return parseInt(max.value, 10) || 0;
    }

    function atLimit() {
      if (limitNote) {
        limitNote.hidden = false;
      }
      button.hidden = true;
    }

    button.addEventListener("click", function (event) {
      // Enter in a field submits through the form's hidden default button, not this one.
      event.preventDefault();
      var index = count();
      if (index >= limit()) {
        atLimit();
        return;
      }
      var number = String(index + 1);
      // The template is our server's rendering of the empty form: only its
      // placeholders change (names and ids `slots-__prefix__-…`, the title's number).
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, number);
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.querySelector("[data-slot-row]");
      if (!row) {
        return;
      }
      rows.appendChild(row);
      total.value = number;
      var date = row.querySelector("input[type='date']") || row.querySelector("input:not([type='hidden'])");
      if (date) {
        date.focus();
      }
      if (status) {
        status.textContent = (button.getAttribute("data-added-message") || "").replace("__number__", number);
      }
      if (index + 1 >= limit()) {
        atLimit();
      }
    });
  }

  document.querySelectorAll("[data-slot-formset]").forEach(setUp);
})();
