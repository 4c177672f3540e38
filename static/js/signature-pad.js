/*
 * Signature pad of the émargement page (courses/templates/courses/sessions/sign.html).
 *
 * Progressive enhancement: without JavaScript the pad stays hidden and the typed
 * name is the signature. With it, the canvas appears; strokes drawn with a finger,
 * a pen or a mouse (pointer events) are sent as a PNG data URL in the hidden
 * `signature` field when the form is submitted. Keyboard and screen-reader users
 * keep the typed-name field. No inline script: the page works under a strict CSP.
 */
(function () {
  "use strict";

  function setUp(form) {
    var pad = form.querySelector("[data-signature-pad]");
    var canvas = pad && pad.querySelector("canvas");
    var field = form.querySelector("input[name='signature']");
    var clear = form.querySelector("[data-signature-clear]");
    if (!pad || !canvas || !field || !canvas.getContext) {
      return;
    }
    var context = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;

    pad.hidden = false;
    context.lineWidth = 3;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#1a1a1a";

    function point(event) {
      // The canvas is scaled by CSS: map the pointer to its own pixels.
      var box = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - box.left) * (canvas.width / box.width),
        y: (event.clientY - box.top) * (canvas.height / box.height),
      };
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var start = point(event);
      context.beginPath();
      context.moveTo(start.x, start.y);
      // A dot for a tap.
      context.lineTo(start.x + 0.1, start.y + 0.1);
      context.stroke();
      drawn = true;
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      event.preventDefault();
      var next = point(event);
      context.lineTo(next.x, next.y);
      context.stroke();
    });
    function stop() {
      drawing = false;
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);

    if (clear) {
      clear.addEventListener("click", function () {
        context.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
        field.value = "";
      });
    }

    form.addEventListener("submit", function () {
      field.value = drawn ? canvas.toDataURL("image/png") : "";
    });
  }

  document.querySelectorAll("[data-signature-form]").forEach(setUp);
})();
