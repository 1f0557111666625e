// Launchplan's service worker: keeps the app shell so that the page opens and reloads with
// the relay unreachable. Plans themselves live in IndexedDB, not here.
//
// Strategy: network first (so a running relay always serves the newest app), the cache when
// the network fails. On install it caches the page and every asset the page names.
const CACHE = "launchplan-shell-v1";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const response = await fetch("/", { cache: "no-store" });
      const html = await response.clone().text();
      await cache.put("/", response);
      const assets = new Set();
      for (const match of html.matchAll(/(?:href|src)="(\/[^"]+)"/g)) assets.add(match[1]);
      await Promise.all([...assets].map((url) => cache.add(url).catch(() => undefined)));
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })()
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === "/sync" || url.pathname === "/healthz") return;
  // Attachments are kept in IndexedDB by the app, once.
  if (url.pathname.startsWith("/blobs/")) return;
  // Every page of the app is the same shell; the route lives in the fragment.
  const key = request.mode === "navigate" ? "/" : request;
  event.respondWith(
    (async () => {
      try {
        const response = await fetch(request);
        if (response.ok) {
          const cache = await caches.open(CACHE);
          await cache.put(key, response.clone());
        }
        return response;
      } catch (offline) {
        const cached = await caches.match(key);
        if (cached) return cached;
        throw offline;
      }
    })()
  );
});
