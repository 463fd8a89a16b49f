import { computed, effect, signal } from "@preact/signals";
import type { ClientData } from "telegraph-client";
import { currentClient } from "../connection/socket.ts";
import { onConnected, onPush } from "../connection/pushes.ts";
import { myId } from "./session.ts";

/** One follow request to me, as the server lists it. */
export type FollowRequest = ClientData<"getFollowRequestList">[number];

/**
 * Follow requests waiting for my answer, by applicant id, newest first. Part of the first screen's bundle (the
 * navigation badge), so it stays small: the inbox screen and its actions live in their own lazy chunk.
 */
export const followRequests = signal<ReadonlyMap<string, FollowRequest>>(new Map());
/** Whether the list has come from the server since the last (re)connection. */
export const followRequestsLoaded = signal(false);
/** How many follow requests wait for my answer (the badge on the navigation). */
export const pendingRequests = computed(() => followRequests.value.size);

const MAX_REQUESTS = 1_000;

export function replaceRequests(list: readonly FollowRequest[]): void {
  followRequests.value = new Map(list.slice(0, MAX_REQUESTS).map((r) => [r.user_id, r]));
  followRequestsLoaded.value = true;
}

/** A new request (live or replayed): added once, at the top. */
export function addRequest(request: FollowRequest): void {
  const current = followRequests.value;
  if (current.has(request.user_id)) return;
  const next = new Map([[request.user_id, request], ...current]);
  while (next.size > MAX_REQUESTS) next.delete([...next.keys()].at(-1) as string);
  followRequests.value = next;
}

/** A request answered (here or on another device), withdrawn, or made moot by a follow or a block. */
export function removeRequest(userId: string): void {
  const current = followRequests.value;
  if (!current.has(userId)) return;
  const next = new Map(current);
  next.delete(userId);
  followRequests.value = next;
}

/** Asks the server for the list (after each connection, and when the inbox opens). */
export async function reloadRequests(): Promise<void> {
  const client = currentClient();
  if (!client?.socket.connected) return;
  try {
    replaceRequests(await client.api.getFollowRequestList());
  } catch {
    // The next connection (or opening the inbox) asks again.
  }
}

// Registered for the app's lifetime: the badge is always on screen while signed in.
onConnected(() => void reloadRequests());
onPush("newFollowRequest", (p) =>
  addRequest({ user_id: p.user_id, name: p.name, family: p.family, username: p.username, photo: p.photo, requested_at: new Date().toISOString() }),
);
onPush("followRequestWithdrawnFromServer", (p) => removeRequest(p.userId));
// A request becomes a follow when I accept it elsewhere, or when I make my account public (which accepts them all).
onPush("newFollowerFromServer", (p) => removeRequest(p.user_id));

// Requests are to whoever is signed in: another account (or none) starts from nothing.
let owner: string | null | undefined;
effect(() => {
  const id = myId.value;
  if (owner !== undefined && id !== owner) {
    followRequests.value = new Map();
    followRequestsLoaded.value = false;
  }
  owner = id;
});
