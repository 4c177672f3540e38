// Trainer's check-in display: fetch the current QR code and short code every 60 s.
// Without JavaScript the page shows the code of the moment; a reload refreshes it.
(function () {
  "use strict";
  var box = document.querySelector("[data-checkin-url]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-checkin-url");
  var qr = box.querySelector("[data-checkin-qr]");
  var code = box.querySelector("[data-checkin-code]");
  var status = box.querySelector("[data-checkin-status]");
  var REFRESH_MS = 60 * 1000;
  var timer = null;

  function schedule(expiresAt) {
    // Refresh just after the code changes on the server, at most every minute.
    var delay = REFRESH_MS;
    if (expiresAt) {
      var untilChange = new Date(expiresAt).getTime() - Date.now() + 500;
      if (untilChange > 0 && untilChange < REFRESH_MS) {
        delay = untilChange;
      }
    }
    timer = window.setTimeout(refresh, delay);
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        if (!result.ok) {
          if (status) {
            status.textContent = result.data.closed || "";
          }
          return; // the slot's check-in has closed: stop refreshing
        }
        if (qr) {
          qr.innerHTML = result.data.qr; // SVG built by our server (segno)
        }
        if (code) {
          code.textContent = result.data.code;
        }
        schedule(result.data.expires_at);
      })
      .catch(function () {
        schedule(null); // network hiccup: try again at the next minute
      });
  }

  schedule(null);
  window.addEventListener("pagehide", function () {
    window.clearTimeout(timer);
  });
})();
