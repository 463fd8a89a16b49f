import { signal } from "@preact/signals";
import type { NotificationEntry } from "./types.ts";

/** My notifications shown so far, newest (`sort_id`) first. */
export const notifications = signal<readonly NotificationEntry[]>([]);
/** My unread entries, from the server (a grouped entry counts once). */
export const unreadNotifications = signal(0);
export const notificationsLoaded = signal(false);
export const notificationsHasMore = signal(true);

function bySortId(a: NotificationEntry, b: NotificationEntry): number {
  return a.sort_id < b.sort_id ? 1 : a.sort_id > b.sort_id ? -1 : 0;
}

/** Adds entries or replaces them by `id` (a grouped entry an actor joined moves to the top with its new `sort_id`). */
export function putNotifications(incoming: readonly NotificationEntry[]): void {
  if (incoming.length === 0) return;
  const byId = new Map(notifications.value.map((n) => [n.id, n]));
  for (const n of incoming) byId.set(n.id, n);
  notifications.value = [...byId.values()].sort(bySortId);
}

/** Replaces the list with a fresh first page (entries undone on the server disappear). */
export function replaceNotifications(page: readonly NotificationEntry[]): void {
  notifications.value = [...page].sort(bySortId);
}

/** Everything up to `upTo` was read (here or on another device). */
export function markNotificationsReadUpTo(upTo: string): void {
  if (!notifications.value.some((n) => !n.read && n.sort_id <= upTo)) return;
  notifications.value = notifications.value.map((n) => (!n.read && n.sort_id <= upTo ? { ...n, read: true } : n));
}

export function clearNotifications(): void {
  notifications.value = [];
  unreadNotifications.value = 0;
  notificationsLoaded.value = false;
  notificationsHasMore.value = true;
}

/** "Ana", "Ana and Bo", "Ana, Bo and 3 others". */
export function actorsText(names: readonly string[], count: number): string {
  const [first = "Someone", second] = names;
  if (count <= 1 || !second) return count > 1 ? `${first} and ${count - 1} ${count - 1 === 1 ? "other" : "others"}` : first;
  if (count === 2) return `${first} and ${second}`;
  const others = count - 2;
  return `${first}, ${second} and ${others} ${others === 1 ? "other" : "others"}`;
}

const VERBS: Record<NotificationEntry["kind"], string> = {
  follow: "followed you",
  follow_request: "asked to follow you",
  follow_accepted: "accepted your follow request",
  like: "liked your post",
  comment: "commented on your post",
  reply: "replied to your comment",
  mention: "mentioned you",
};

export function verbOf(kind: NotificationEntry["kind"]): string {
  return VERBS[kind];
}
