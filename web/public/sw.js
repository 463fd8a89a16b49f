/* global self, URL */
/*
 * Telegraph's service worker: it only shows Web Push notifications and opens the right screen when one is clicked.
 * Nothing is cached here (the app is small and always fresh from the server).
 * A push's data is JSON: { title, body, url, tag? } — or content-free ({ title, url }) when previews are off.
 */
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  const title = typeof data.title === "string" && data.title ? data.title : "Telegraph";
  const url = typeof data.url === "string" && data.url.startsWith("/") ? data.url : "/";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof data.body === "string" ? data.body : "You have something new",
      icon: "/favicon.svg",
      // One notification per chat or post: a newer one replaces it instead of piling up.
      tag: typeof data.tag === "string" ? data.tag : url,
      data: { url },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url ?? "/", self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (open) {
        await open.focus();
        // The app listens and routes without a reload (keeps its connection).
        open.postMessage({ type: "telegraph:navigate", url: new URL(url).pathname });
        return;
      }
      await self.clients.openWindow(url);
    })(),
  );
});
