/* Repères — service worker, served at /sw.js by offline.views.service_worker (scope « / »).

   Plain JavaScript, no build step, no third-party code. docs/architecture.md « Hors ligne ».

   What it keeps (Cache Storage), once visited:
   - the pages and PDFs under CONFIG.offlinePrefixes (guides, « Que faire ? », directory),
     at most CONFIG.maxPages of them, the oldest dropped first (cache PAGES);
   - what the reader marks « Disponible hors ligne » (cache SAVED, until removed);
   - the offline page and the static files it needs (cache SHELL, one per version).
   What it never keeps: anything outside those prefixes, anything under
   CONFIG.neverPrefixes (accounts, « Mon espace », certificates, trainer pages, admin),
   anything but GET, and any response that is not a same-origin 200 `text/html` or
   `application/pdf` without `Cache-Control: private / no-store`.

   Nothing personal: the copy it stores is the ANONYMOUS page. When the page a
   logged-in person sees is not the anonymous copy (only the page cache's anonymous
   answers say `Cache-Control: public`), the worker fetches the URL again with
   `credentials: 'omit'` (no cookie: nobody is logged in) and stores that one.

   Staleness: pages carry the content version they were built under
   (<meta name="reperes-content-version">). The page script sends it to the worker; when
   it differs from the one the worker last saw (a publish), every kept entry is fetched
   again (replaced, or dropped when it is gone). A page read from the cache compares its
   version with CONFIG.versionUrl once online and offers « Recharger ». */

"use strict";

// Written by the view: prefixes, version, offline page, static files to keep.
const CONFIG = /* OFFLINE_CONFIG */ {};

const PAGES = "reperes-offline-pages";
const SAVED = "reperes-offline-saved";
const SHELL = `reperes-offline-shell-${CONFIG.version}`;
// Where the worker remembers the content version it last saw (in SHELL).
const STATE_URL = new URL("/__reperes-offline-state", self.location.origin).href;
const SAVED_AT = "X-Reperes-Saved-At";
const STORABLE_TYPES = ["text/html", "application/pdf"];

// Pages answered from the cache, by the client (tab) they opened in: the page asks
// « was I read from the cache, saved when? » to show its banner.
const servedFromCache = new Map();

function isUnder(pathname, prefixes) {
  return prefixes.some((prefix) => pathname.startsWith(prefix));
}

// A URL the worker may keep: same origin, under an offline prefix, never a personal one.
function isOfflineUrl(url) {
  return (
    url.origin === self.location.origin &&
    isUnder(url.pathname, CONFIG.offlinePrefixes) &&
    !isUnder(url.pathname, CONFIG.neverPrefixes)
  );
}

function pageKey(url) {
  const key = new URL(url);
  key.hash = "";
  return key.href;
}

// `fetchedAnonymously`: the copy was fetched by this worker without cookies, so nothing
// in it can be personal even when the server marks it `private` (an outcome of « Que
// faire ? » is, so that each reaching is counted by the server, not by a shared cache).
function isStorable(response, fetchedAnonymously = false) {
  if (!response || response.status !== 200 || response.type !== "basic" || response.redirected) {
    return false;
  }
  if (new URL(response.url).origin !== self.location.origin) return false;
  const type = (response.headers.get("Content-Type") || "").toLowerCase();
  const control = (response.headers.get("Cache-Control") || "").toLowerCase();
  return (
    STORABLE_TYPES.some((storable) => type.startsWith(storable)) &&
    (fetchedAnonymously || !control.includes("private")) &&
    !control.includes("no-store")
  );
}

// The page cache's answers (core/page_cache.py: `public, max-age, stale-while-revalidate`)
// are built only for anonymous readers and served only to them: such a response is
// already the anonymous copy, no second request needed. Anything else is fetched again.
function isAnonymousCopy(response) {
  const control = (response.headers.get("Cache-Control") || "").toLowerCase();
  return (
    control.includes("public") &&
    control.includes("stale-while-revalidate") &&
    !control.includes("private")
  );
}

// The anonymous version of `url`, fetched without cookies (null when unreachable). The
// header tells the server this is the worker's copy, not a reading: it is not counted
// (guides/counters.py, OFFLINE_COPY_HEADER).
function fetchAnonymous(url) {
  return fetch(url, {
    credentials: "omit",
    cache: "no-cache",
    redirect: "follow",
    headers: { "X-Reperes-Offline-Copy": "1" },
  }).catch(() => null);
}

// Store `response` under `url` in `cacheName`, stamped with the time it was saved.
async function putStamped(cacheName, url, response) {
  const headers = new Headers(response.headers);
  // The body is stored decoded: these would describe the network's bytes.
  headers.delete("Content-Encoding");
  headers.delete("Content-Length");
  headers.set(SAVED_AT, new Date().toISOString());
  const body = await response.blob();
  const stamped = new Response(body, { status: 200, statusText: "OK", headers });
  const cache = await caches.open(cacheName);
  await cache.put(url, stamped);
}

// Keep the anonymous copy of a page just read (`response`: what the network gave).
async function remember(url, response) {
  const key = pageKey(url);
  const reused = response && isAnonymousCopy(response);
  const copy = reused ? response : await fetchAnonymous(key);
  if (!isStorable(copy, !reused)) return;
  const saved = await caches.open(SAVED);
  const cacheName = (await saved.match(key)) ? SAVED : PAGES;
  await putStamped(cacheName, key, copy);
  if (cacheName === PAGES) await trim();
}

// At most CONFIG.maxPages visited entries: the oldest (first stored) go first.
async function trim() {
  const cache = await caches.open(PAGES);
  const keys = await cache.keys();
  for (const request of keys.slice(0, Math.max(0, keys.length - CONFIG.maxPages))) {
    await cache.delete(request);
  }
}

async function lookup(url) {
  const key = pageKey(url);
  for (const cacheName of [SAVED, PAGES]) {
    const cache = await caches.open(cacheName);
    const found = await cache.match(key, { ignoreVary: true });
    if (found) return found;
  }
  return null;
}

async function fallback() {
  const cache = await caches.open(SHELL);
  return (await cache.match(CONFIG.fallbackUrl, { ignoreVary: true })) || Response.error();
}

function timeout(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Network first: the network's answer when it comes within the timeout (and keep its
// anonymous copy), else the kept copy, else — no network at all — the offline page.
function networkFirst(event) {
  const request = event.request;
  const network = fetch(request);
  // Cloned before the page reads the body (this callback is registered first).
  event.waitUntil(
    network
      .then((response) => (response.ok ? remember(request.url, response.clone()) : null))
      .catch(() => null),
  );
  return new Promise((resolve) => {
    let settled = false;
    const answer = (response, fromCache) => {
      if (settled || !response) return;
      settled = true;
      if (fromCache && request.mode === "navigate") {
        // The page asks for it to show « Page enregistrée le … ». Bounded: a tab that
        // never asks (closed at once) leaves its entry behind.
        if (servedFromCache.size > 50) servedFromCache.clear();
        servedFromCache.set(event.resultingClientId, response.headers.get(SAVED_AT));
      }
      resolve(response);
    };
    network.then(
      async (response) => {
        // A server error (a proxy without its app server, say): the kept copy is better.
        const cached = response.status >= 500 ? await lookup(request.url) : null;
        if (cached) answer(cached, true);
        else answer(response, false);
      },
      async () => {
        const cached = await lookup(request.url);
        if (cached) answer(cached, true);
        else answer(request.mode === "navigate" ? await fallback() : Response.error(), false);
      },
    );
    timeout(CONFIG.networkTimeoutMs).then(async () => {
      if (!settled) answer(await lookup(request.url), true);
    });
  });
}

// Static files: the kept copy at once, refreshed in the background (their names carry
// a hash of their content in production, so a kept copy is never wrong there).
async function staleWhileRevalidate(event) {
  const cache = await caches.open(SHELL);
  const cached = await cache.match(event.request);
  const network = fetch(event.request).then((response) => {
    if (response.ok && response.type === "basic") {
      event.waitUntil(cache.put(event.request, response.clone()));
    }
    return response;
  });
  if (cached) {
    event.waitUntil(network.catch(() => null));
    return cached;
  }
  return network;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || isUnder(url.pathname, CONFIG.neverPrefixes)) return;
  if (url.pathname.startsWith(CONFIG.staticPrefix)) {
    // The site's own CSS, scripts, fonts and images; not the admin's.
    if (isUnder(url.pathname, CONFIG.staticFolders)) event.respondWith(staleWhileRevalidate(event));
    return;
  }
  // A query string (filters, search, pagination) is not kept: an unbounded number of
  // URLs. Offline, such a navigation gets the offline page.
  if (!isOfflineUrl(url) || url.search) {
    if (request.mode === "navigate" && isOfflineUrl(url)) {
      event.respondWith(fetch(request).catch(fallback));
    }
    return;
  }
  event.respondWith(networkFirst(event));
});

// --- Staleness ---------------------------------------------------------------------

async function knownVersion() {
  const cache = await caches.open(SHELL);
  const state = await cache.match(STATE_URL);
  return state ? (await state.json()).version : null;
}

async function rememberVersion(version) {
  const cache = await caches.open(SHELL);
  await cache.put(STATE_URL, new Response(JSON.stringify({ version })));
}

// Something was published: fetch every kept entry again; replace it, or drop it when
// it is gone (404, 410: unpublished, moved). Stop at the first network failure: the
// next version message starts again.
async function refreshAll() {
  for (const cacheName of [SAVED, PAGES]) {
    const cache = await caches.open(cacheName);
    for (const request of await cache.keys()) {
      const response = await fetchAnonymous(request.url);
      if (response === null) return false;
      if (isStorable(response)) await putStamped(cacheName, request.url, response);
      else if (response.status === 404 || response.status === 410) await cache.delete(request);
    }
  }
  return true;
}

async function onVersion(version) {
  if (!version || version === (await knownVersion())) return;
  if (await refreshAll()) await rememberVersion(version);
}

// --- Logout ------------------------------------------------------------------------

// Logging out drops every cache but the offline set. The offline set SURVIVES logout
// on purpose: it only ever holds anonymous public content (fetched without cookies),
// the same pages anyone can read without an account, and it is what lets a
// professional read a guide in a school basement. The logout response also sends
// `Clear-Site-Data: "cache"` (the browser's HTTP cache, where pages rendered for the
// person may be), which leaves Cache Storage alone.
async function clearPersonal() {
  const keep = [PAGES, SAVED, SHELL];
  for (const name of await caches.keys()) {
    if (!keep.includes(name)) await caches.delete(name);
  }
  // Defence in depth: an entry outside the offline prefixes has nothing to do here.
  for (const cacheName of [PAGES, SAVED]) {
    const cache = await caches.open(cacheName);
    for (const request of await cache.keys()) {
      if (!isOfflineUrl(new URL(request.url))) await cache.delete(request);
    }
  }
}

// --- « Disponible hors ligne » -----------------------------------------------------

// Keep `urls` (a page and its PDF) until the reader removes them. True if all were kept.
async function save(urls) {
  let kept = true;
  for (const url of urls) {
    const parsed = new URL(url, self.location.origin);
    const response = isOfflineUrl(parsed) ? await fetchAnonymous(pageKey(parsed)) : null;
    if (isStorable(response)) {
      await putStamped(SAVED, pageKey(parsed), response);
      await (await caches.open(PAGES)).delete(pageKey(parsed));
    } else {
      kept = false;
    }
  }
  return kept;
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const reply = (value) => event.ports[0] && event.ports[0].postMessage(value);
  if (data.type === "served") {
    const clientId = event.source && event.source.id;
    reply({ savedAt: servedFromCache.get(clientId) || null });
    servedFromCache.delete(clientId);
  } else if (data.type === "version") {
    event.waitUntil(onVersion(data.version));
  } else if (data.type === "visited") {
    // A page read before the worker controlled it: keep it now.
    const url = new URL(data.url, self.location.origin);
    if (isOfflineUrl(url) && !url.search) event.waitUntil(remember(url.href, null));
  } else if (data.type === "save") {
    event.waitUntil(save(data.urls || []).then((ok) => reply({ ok })));
  } else if (data.type === "logout") {
    event.waitUntil(clearPersonal());
  }
});

// --- Life cycle --------------------------------------------------------------------

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      // The offline page as an anonymous reader sees it.
      const page = await fetch(CONFIG.fallbackUrl, { credentials: "omit", cache: "no-cache" });
      if (!isStorable(page)) throw new Error("offline page unavailable");
      await cache.put(CONFIG.fallbackUrl, page);
      // One by one: a missing file leaves the offline page unstyled, not the worker
      // uninstalled.
      await Promise.all(CONFIG.precache.map((url) => cache.add(url).catch(() => null)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      // Drop the previous versions' shells, and any cache this worker does not know.
      const keep = [PAGES, SAVED, SHELL];
      for (const name of await caches.keys()) {
        if (!keep.includes(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});
