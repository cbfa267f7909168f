// Guess That Movie's service worker (served at /sw.js by web/pwa.py, so its scope is the site).
// It makes the game installable and shows one offline page when the network is gone. It keeps
// only the static files below, under their content-hashed URLs, and that page: never a game
// page, a fragment or any other answer that depends on the player, so a stale game, or another
// player's, can never be shown. Pages always come from the network.
"use strict";

const CACHE = {{ cache | tojson }};
const OFFLINE = {{ offline | tojson }};
const ASSETS = {{ assets | tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // The offline page is the same for everybody: fetched without cookies, past the HTTP cache.
    await cache.addAll([...ASSETS, new Request(OFFLINE, { cache: "reload", credentials: "omit" })]);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE) await caches.delete(name); // an older release's files
    }
    // The page request starts while the worker boots, so the worker costs navigations no time.
    if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return; // moves and forms: straight to the network
  if (request.mode === "navigate") {
    event.respondWith((async () => {
      try {
        return (await event.preloadResponse) || (await fetch(request));
      } catch {
        return (await caches.match(OFFLINE)) || Response.error();
      }
    })());
    return;
  }
  const url = new URL(request.url);
  if (url.origin === self.location.origin && ASSETS.includes(url.pathname + url.search)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
  // Anything else (fragments, typeahead, icons...) is left to the network and the HTTP cache.
});
