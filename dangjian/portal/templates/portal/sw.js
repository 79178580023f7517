/* The member portal's service worker (served by portal.views.service_worker under /m/).
   Static files: cache first (their names carry a content hash). Portal pages: network first,
   the last copy when offline, else the offline page. POSTs are never cached; the page's
   script queues check-ins made offline (portal.js). */
const CACHE = "portal-{{ version }}";
const SHELL = [{% for url in shell %}"{{ url|escapejs }}", {% endfor %}"{{ offline|escapejs }}"];
const SCOPE = new URL("./", self.location).pathname;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((key) => key.startsWith("portal-") && key !== CACHE).map((key) => caches.delete(key))
  )).then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.includes("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request).then((response) => {
      if (response.ok) { const copy = response.clone(); caches.open(CACHE).then((cache) => cache.put(request, copy)); }
      return response;
    })));
    return;
  }
  if (request.mode === "navigate" && url.pathname.startsWith(SCOPE)) {
    event.respondWith(fetch(request).then((response) => {
      if (response.ok && !response.redirected) { const copy = response.clone(); caches.open(CACHE).then((cache) => cache.put(request, copy)); }
      return response;
    }).catch(() => caches.match(request).then((hit) => hit || caches.match("{{ offline|escapejs }}"))));
  }
});
