/** My notifications: pages, read marks, settings, and the pushes that keep the list and the badge live. */
import { batch } from "@preact/signals";
import type { ClientArgs } from "telegraph-client";
import {
  markNotificationsReadUpTo,
  notifications,
  notificationsHasMore,
  notificationsLoaded,
  putNotifications,
  replaceNotifications,
  unreadNotifications,
} from "../state/notifications.ts";
import { rememberUsers } from "../state/users.ts";
import { call } from "./call.ts";
import { onConnected, onPush } from "./pushes.ts";

const PAGE = 30;

/** The first page again (opening the screen, a fresh connection), or the page after the last entry shown. */
export async function loadNotifications(older = false): Promise<void> {
  const last = notifications.value.at(-1);
  if (older && (!last || !notificationsHasMore.value)) return;
  const got = await call((c) => c.api.getNotifications({ limit: PAGE, ...(older && last ? { before: last.sort_id } : {}) }));
  if (!got.ok) return;
  batch(() => {
    rememberUsers(got.value.notifications.flatMap((n) => n.actors));
    if (older) putNotifications(got.value.notifications);
    else replaceNotifications(got.value.notifications);
    notificationsHasMore.value = got.value.notifications.length >= PAGE;
    notificationsLoaded.value = true;
    unreadNotifications.value = got.value.unread_count;
  });
}

/** Everything shown is read (the screen is open with focus). */
export async function markAllNotificationsRead(): Promise<void> {
  const newest = notifications.value[0];
  if (!newest || !notifications.value.some((n) => !n.read)) return;
  const got = await call((c) => c.api.markNotificationsRead({ up_to: newest.sort_id }));
  if (!got.ok) return;
  batch(() => {
    markNotificationsReadUpTo(newest.sort_id);
    unreadNotifications.value = got.value.unread_count;
  });
}

export function loadNotificationSettings() {
  return call((c) => c.api.getNotificationSettings());
}

export function updateNotificationSettings(patch: ClientArgs<"updateNotificationSettings">[0]) {
  return call((c) => c.api.updateNotificationSettings(patch));
}

let reloadTimer: ReturnType<typeof setTimeout> | undefined;
onPush("notificationsCountFromServer", (p) => {
  unreadNotifications.value = p.unread_count;
  // Read on another device, or a cause undone (an unlike, an unfollow): a list on screen comes again, without the
  // entries that went. Bursts collapse into one request.
  if (!notificationsLoaded.value) return;
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => void loadNotifications(), 300);
});
onPush("newNotificationFromServer", ({ unread_count, seq: _seq, ...entry }) => {
  batch(() => {
    rememberUsers(entry.actors);
    putNotifications([entry]);
    unreadNotifications.value = unread_count;
  });
});
onConnected((resumed) => {
  // Nothing was replayed after a fresh start: a list already shown comes again.
  if (!resumed && notificationsLoaded.value) void loadNotifications();
});
