/* « Votre attestation est en préparation »: ask the server whether the PDF is ready
   and, once it is, say so and turn « Actualiser la page » into the download link.
   Without JavaScript that link reloads the same address, which downloads the PDF
   once it exists. No inline script: the page keeps working under a strict CSP. */
(function () {
  "use strict";
  var status = document.querySelector("[data-certificate-status]");
  var link = document.querySelector("[data-certificate-link]");
  if (!status || !link || !window.fetch) {
    return;
  }
  var url = status.getAttribute("data-status-url");
  // About five minutes in all: past that, something is wrong and polling helps nobody.
  var delays = [1000, 2000, 3000, 5000, 5000, 10000, 10000, 15000, 15000, 30000, 30000, 60000, 60000, 60000];
  var attempt = 0;

  function ready() {
    status.textContent = status.getAttribute("data-ready-text");
    link.textContent = link.getAttribute("data-ready-label");
  }

  function giveUp() {
    status.textContent = status.getAttribute("data-slow-text");
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        if (data.ready) {
          ready();
        } else {
          schedule();
        }
      })
      .catch(schedule);
  }

  function schedule() {
    if (attempt >= delays.length) {
      giveUp();
      return;
    }
    window.setTimeout(poll, delays[attempt]);
    attempt += 1;
  }

  schedule();
})();
