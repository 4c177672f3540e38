/* Repères — the page's side of reading offline (site/offline/serviceworker.js).

   Loaded with `defer` on every page (base.html). It:
   - registers the service worker (/sw.js, scope « / »);
   - shows « Page enregistrée le … (hors ligne) » when the worker answered from its cache,
     and « Une version plus récente existe — Recharger » once the network is back and the
     content version changed (a publish);
   - tells the worker the content version of a page read from the network (the worker
     refreshes what it keeps when it changes);
   - drives the « Disponible hors ligne » buttons of guide pages;
   - asks the worker to clear what is not the offline set when the person logs out;
   - lists, on the offline page, the pages kept on this device.
   Texts come from the page (data-* attributes of #offline-status), translated there. */

(function () {
  "use strict";

  if (!("serviceWorker" in navigator) || !("caches" in window)) return;

  const script = document.currentScript;
  const status = document.getElementById("offline-status");
  const meta = document.querySelector('meta[name="reperes-content-version"]');
  const pageVersion = meta ? meta.content : "";
  const isFallback = document.querySelector("[data-offline-fallback]") !== null;
  // Cache names: those of serviceworker.js.
  const SAVED = "reperes-offline-saved";
  const PAGES = "reperes-offline-pages";
  const controlledAtLoad = navigator.serviceWorker.controller !== null;
  let readFromCache = false;

  function worker() {
    return navigator.serviceWorker.ready.then((registration) => registration.active);
  }

  // Send `message` to the worker; resolves with its reply (null if none within `ms`).
  function ask(target, message, ms) {
    return new Promise((resolve) => {
      if (!target) return resolve(null);
      const channel = new MessageChannel();
      const timer = setTimeout(() => resolve(null), ms || 5000);
      channel.port1.onmessage = (event) => {
        clearTimeout(timer);
        resolve(event.data);
      };
      target.postMessage(message, [channel.port2]);
    });
  }

  function tell(message) {
    worker().then((active) => active && active.postMessage(message));
  }

  // Replace the status region's text (a live region: screen readers read it out).
  function announce(text, withReload) {
    if (!status) return;
    status.replaceChildren();
    const paragraph = document.createElement("p");
    paragraph.className = "offline-status__text";
    paragraph.textContent = text;
    if (withReload) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button button--small offline-status__reload";
      button.textContent = status.dataset.reload;
      button.addEventListener("click", () => window.location.reload());
      paragraph.append(" ", button);
    }
    status.append(paragraph);
    document.body.classList.add("has-offline-status");
  }

  function frenchDate(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    return new Intl.DateTimeFormat(document.documentElement.lang || "fr", {
      dateStyle: "long",
      timeStyle: "short",
      timeZone: "Europe/Paris",
    }).format(date);
  }

  // Online again: has anything been published since this page was saved?
  function checkVersion() {
    const url = script.dataset.version;
    return fetch(url, { credentials: "omit", cache: "no-cache" })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (!data || !data.version) return;
        tell({ type: "version", version: data.version });
        if (data.version !== pageVersion && !isFallback) {
          announce(status.dataset.newer, true);
        }
      })
      .catch(() => null);
  }

  // --- Registration and the page's own state -------------------------------------

  navigator.serviceWorker.register(script.dataset.serviceWorker, { scope: "/" }).catch(() => null);

  if (controlledAtLoad && !isFallback) {
    ask(navigator.serviceWorker.controller, { type: "served" }).then((reply) => {
      if (reply && reply.savedAt) {
        readFromCache = true;
        announce(status.dataset.saved.replace("{date}", frenchDate(reply.savedAt)), false);
        if (navigator.onLine) checkVersion();
      } else if (pageVersion) {
        tell({ type: "version", version: pageVersion });
      }
    });
  } else if (!isFallback) {
    // Read before the worker controlled this tab: it keeps the page now if it may.
    tell({ type: "visited", url: window.location.href });
    if (pageVersion) tell({ type: "version", version: pageVersion });
  }

  window.addEventListener("online", () => {
    if (readFromCache || isFallback) checkVersion();
  });

  // --- « Disponible hors ligne » ---------------------------------------------------

  function pageUrl() {
    return window.location.origin + window.location.pathname;
  }

  function setPressed(button, pressed) {
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
  }

  function setUpPinButton(button) {
    const urls = [pageUrl(), new URL(button.dataset.pdfUrl, window.location.href).href];
    caches
      .open(SAVED)
      .then((cache) => cache.match(urls[0]))
      .then((found) => setPressed(button, Boolean(found)));
    // Shown once a worker is active: without one, nothing could keep the page.
    worker().then(() => {
      button.hidden = false;
    });
    button.addEventListener("click", () => {
      if (button.getAttribute("aria-pressed") === "true") {
        caches
          .open(SAVED)
          .then((cache) => Promise.all(urls.map((url) => cache.delete(url))))
          .then(() => {
            setPressed(button, false);
            announce(status.dataset.unpinned, false);
          });
        return;
      }
      button.disabled = true;
      worker()
        // A guide's PDF is rendered on its first download: that may take a while.
        .then((active) => ask(active, { type: "save", urls }, 60000))
        .then((reply) => {
          button.disabled = false;
          const ok = Boolean(reply && reply.ok);
          setPressed(button, ok);
          announce(ok ? status.dataset.pinned : status.dataset.pinFailed, false);
        });
    });
  }

  document.querySelectorAll("[data-offline-pin]").forEach(setUpPinButton);

  // --- Logout --------------------------------------------------------------------

  const logoutPath = new URL(script.dataset.logout, window.location.href).pathname;
  document.querySelectorAll("form").forEach((form) => {
    if (new URL(form.action, window.location.href).pathname !== logoutPath) return;
    form.addEventListener("submit", () => {
      const controller = navigator.serviceWorker.controller;
      if (controller) controller.postMessage({ type: "logout" });
    });
  });

  // --- The offline page: what this device keeps ------------------------------------

  const list = document.querySelector("[data-offline-list]");
  if (list) {
    const seen = new Set();
    const entries = [];
    Promise.all(
      [SAVED, PAGES].map((name) =>
        caches.open(name).then((cache) =>
          cache.keys().then((requests) =>
            Promise.all(
              requests.map((request) =>
                cache.match(request).then((response) => {
                  const type = response.headers.get("Content-Type") || "";
                  if (!type.startsWith("text/html") || seen.has(request.url)) return null;
                  seen.add(request.url);
                  return response.text().then((html) => {
                    const parsed = new DOMParser().parseFromString(html, "text/html");
                    const title = parsed.querySelector("h1");
                    entries.push({
                      url: request.url,
                      title: (title ? title.textContent : parsed.title).trim(),
                    });
                  });
                }),
              ),
            ),
          ),
        ),
      ),
    ).then(() => {
      if (!entries.length) return;
      entries.sort((a, b) => a.title.localeCompare(b.title, "fr"));
      for (const entry of entries) {
        const item = document.createElement("li");
        // Titles are content, in French (WCAG 3.1.2) whatever the interface language.
        if (!document.documentElement.lang.startsWith("fr")) item.lang = "fr";
        const link = document.createElement("a");
        link.href = entry.url;
        link.textContent = entry.title || new URL(entry.url).pathname;
        item.append(link);
        list.append(item);
      }
      list.closest("[data-offline-kept]").hidden = false;
    });
  }
})();
