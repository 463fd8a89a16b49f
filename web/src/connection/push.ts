/**
 * Web Push for when the app is closed: a service worker (/sw.js) shows what the server pushes. Permission is asked
 * only after a click on "Enable notifications"; once granted, each start re-registers the subscription (a new login
 * on this browser makes it this account's).
 */
import { signal } from "@preact/signals";
import { currentClient } from "./socket.ts";

/** unsupported: no Push API here; off: not asked or turned off; denied: blocked in the browser; on: subscribed. */
export type PushState = "unsupported" | "off" | "denied" | "on";
export const pushState = signal<PushState>("off");

function supported(): boolean {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

/** The VAPID public key (base64url) as the bytes `subscribe` wants. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

async function tellServer(subscription: PushSubscription): Promise<void> {
  const json = subscription.toJSON();
  const client = currentClient();
  if (!client || !json.endpoint || !json.keys?.["p256dh"] || !json.keys["auth"]) return;
  await client.api.registerPushSubscription({ endpoint: json.endpoint, keys: { p256dh: json.keys["p256dh"], auth: json.keys["auth"] } });
}

/** Reads where things stand (on start and after a connection); re-registers an existing subscription. */
export async function refreshPush(): Promise<void> {
  if (!supported()) return void (pushState.value = "unsupported");
  if (Notification.permission === "denied") return void (pushState.value = "denied");
  const registration = await navigator.serviceWorker.getRegistration("/");
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription || Notification.permission !== "granted") return void (pushState.value = "off");
  pushState.value = "on";
  await tellServer(subscription).catch(() => undefined);
}

/** After the click: ask permission, subscribe with the server's key, and register. Answers null or why not. */
export async function enablePush(): Promise<string | null> {
  if (!supported()) return "This browser cannot show notifications.";
  const permission = await Notification.requestPermission();
  if (permission !== "granted") {
    pushState.value = permission === "denied" ? "denied" : "off";
    return permission === "denied" ? "Notifications are blocked for this site in the browser's settings." : "Notifications were not allowed.";
  }
  try {
    const answer = await fetch("/push/vapid_public_key");
    if (!answer.ok) return "The server does not offer notifications.";
    const { public_key: publicKey } = (await answer.json()) as { public_key: string };
    const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    await navigator.serviceWorker.ready;
    const subscription =
      (await registration.pushManager.getSubscription()) ?? (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
    await tellServer(subscription);
    pushState.value = "on";
    return null;
  } catch (err) {
    return err instanceof Error ? `Notifications could not be turned on: ${err.message}` : "Notifications could not be turned on.";
  }
}

/** Turns push off on this browser (also before logging out, so the next account does not get this one's pushes). */
export async function disablePush(): Promise<void> {
  if (!supported()) return;
  const registration = await navigator.serviceWorker.getRegistration("/");
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return void (pushState.value = "off");
  await currentClient()?.api.unregisterPushSubscription({ endpoint: subscription.endpoint }).catch(() => undefined);
  await subscription.unsubscribe().catch(() => false);
  pushState.value = "off";
}
