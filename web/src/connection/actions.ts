import { signal } from "@preact/signals";
import { TelegraphError } from "telegraph-client";
import { newClientId, Outbox, type OutboxItem } from "../lib/outbox.ts";
import { chatMessage, chats, clearUnread, ensureChatUser, patchLastMessage } from "../state/chats.ts";
import { announce } from "../state/connection.ts";
import { groupChatMessage, groupConversations } from "../state/groups.ts";
import { addPending, conversation, deleteMessageEverywhere, peekConversation, setPendingState, upsertMessages } from "../state/messages.ts";
import { myId } from "../state/session.ts";
import type { UserSummary, ViewMessage } from "../state/types.ts";
import { rememberUsers } from "../state/users.ts";
import { currentClient, reloadChatListSoon } from "./socket.ts";

const PAGE = 50;
const outbox = new Outbox();

/** The partner of the conversation on screen, if any. */
export const activePartner = signal<string | null>(null);

function errorText(error: unknown): string {
  return error instanceof TelegraphError ? error.message : "Something went wrong.";
}

/** Loads the newest page of a conversation (one request) unless it is already here. */
export async function openConversation(partnerId: string): Promise<void> {
  activePartner.value = partnerId;
  const conv = conversation(partnerId);
  if (conv.loaded.value) return;
  await reloadConversation(partnerId);
}

/** Fetches the newest page again and merges it (after a fresh connection). */
export async function reloadConversation(partnerId: string): Promise<void> {
  const client = currentClient();
  if (!client?.socket.connected) return;
  const conv = conversation(partnerId);
  try {
    const page = await client.api.getChatMessages({ with: partnerId, limit: PAGE });
    upsertMessages(partnerId, page);
    if (!conv.loaded.value) conv.hasMore.value = page.length >= PAGE;
    conv.loaded.value = true;
  } catch {
    conv.loaded.value = true;
  }
}

/** Loads the page before the oldest message shown. Resolves with how many came. */
export async function loadOlder(partnerId: string): Promise<number> {
  const client = currentClient();
  const conv = peekConversation(partnerId);
  if (!client?.socket.connected || !conv || conv.loadingOlder.value || !conv.hasMore.value) return 0;
  const oldest = conv.messages.value.find((m) => !m.local);
  if (!oldest) return 0;
  conv.loadingOlder.value = true;
  try {
    const page = await client.api.getChatMessages({ with: partnerId, before: oldest.id, limit: PAGE });
    upsertMessages(partnerId, page);
    conv.hasMore.value = page.length >= PAGE;
    if (page.length) announce(`${page.length} older messages loaded`);
    return page.length;
  } catch {
    return 0;
  } finally {
    conv.loadingOlder.value = false;
  }
}

/**
 * Takes over what an earlier page of this tab left unsent (a reload while offline) and shows it in its conversations
 * as "sending" (or "failed"); it goes out with its own client_id once connected.
 */
export function restoreOutbox(storage: Storage | null, userId: string): void {
  const restored = outbox.attach(storage ? { storage, key: `telegraph.outbox.${userId}` } : null);
  for (const item of restored) showPending(item, userId, item.state === "failed" ? "failed" : "sending");
}

/** Shows an outbox item in its conversation, direct or group. */
function showPending(item: OutboxItem, me: string, local: "sending" | "failed"): void {
  if (item.group) groupConversations.addPending(item.to, { ...pendingMessage(item, me, local), group: item.to });
  else addPending(item.to, pendingMessage(item, me, local));
}

function setItemState(item: OutboxItem, local: "sending" | "failed"): void {
  if (item.group) groupConversations.setPendingState(item.to, item.client_id, local);
  else setPendingState(item.to, item.client_id, local);
}

/** Writes a message: shown at once as "sending", sent now or on reconnect with the same client_id. */
export function sendMessage(partnerId: string, content: { text?: string; image?: string }, replyTo: string | null): void {
  const me = myId.value;
  if (!me) return;
  const item = outbox.add({ client_id: newClientId(), to: partnerId, ...content, reply_to: replyTo, created_at: new Date().toISOString() });
  showPending(item, me, "sending");
  flushOutbox();
}

/** The same for a group: shown at once, sent now or on reconnect, stored once whatever the retries. */
export function sendGroupMessage(groupId: string, content: { text?: string; image?: string }, replyTo: string | null): void {
  const me = myId.value;
  if (!me) return;
  const item = outbox.add({ client_id: newClientId(), to: groupId, group: true, ...content, reply_to: replyTo, created_at: new Date().toISOString() });
  showPending(item, me, "sending");
  flushOutbox();
}

function pendingMessage(item: OutboxItem, me: string, local: "sending" | "failed"): ViewMessage {
  return {
    id: item.client_id,
    from: me,
    to: item.to,
    reply_to: item.reply_to,
    context: { text: item.text ?? null, image: item.image ? { id: item.client_id, url: item.image, type: "image/png", width: 0, height: 0 } : null },
    sent_at: item.created_at,
    edited_at: null,
    delivered_at: null,
    seen_at: null,
    client_id: item.client_id,
    local,
  };
}

/** Sends what waits in the outbox, in order, when connected. */
export function flushOutbox(): void {
  const client = currentClient();
  if (!client?.socket.connected) return;
  for (const item of outbox.takeReady()) {
    setItemState(item, "sending");
    const context: { text?: string; image?: string } = {};
    if (item.text) context.text = item.text;
    if (item.image) context.image = item.image;
    const common = { context, client_id: item.client_id, ...(item.reply_to ? { reply_to: item.reply_to } : {}) };
    const sent: Promise<unknown> = item.group
      ? client.api.newGroupMessageFromClient({ group: item.to, ...common }).then((stored) => {
          onSent(stored);
          groupConversations.upsert(item.to, [stored]);
          groupChatMessage(stored, false);
        })
      : client.api.newMessageFromClient({ to: item.to, ...common }).then((stored) => {
          onSent(stored);
          upsertMessages(item.to, [stored]);
          chatMessage(item.to, stored, false, false);
        });
    sent.catch((error: unknown) => {
      // Already confirmed through a retry after a reconnect: nothing to do.
      if (!outbox.list().some((i) => i.client_id === item.client_id)) return;
      const lost = error instanceof TelegraphError && (error.code === "unavailable" || error.code === "internal");
      if (lost && !client.socket.connected) outbox.requeue(item.client_id);
      else {
        outbox.fail(item.client_id);
        setItemState(item, "failed");
        announce(`Message not sent: ${errorText(error)}`);
      }
    });
  }
}

/** The server stored one of mine (this tab's reply or another device's push). */
export function onSent(message: { client_id: string | null }): void {
  if (message.client_id) outbox.confirm(message.client_id);
}

/** The connection dropped: in-flight sends go again, with the same client_id, on reconnect. */
export function onDisconnected(): void {
  outbox.requeueSending();
}

export function retrySend(clientId: string): void {
  const item = outbox.list().find((i) => i.client_id === clientId);
  if (!item) return;
  outbox.requeue(clientId);
  setItemState(item, "sending");
  flushOutbox();
}

export async function editMessage(id: string, text: string): Promise<string | null> {
  const client = currentClient();
  if (!client) return "Not connected.";
  try {
    const edited = await client.api.editMessage({ id, text });
    // The reply is this device's copy of the push the other devices get.
    const partner = edited.from === myId.value ? edited.to : edited.from;
    upsertMessages(partner, [edited]);
    patchLastMessage(partner, edited.id, edited);
    return null;
  } catch (error) {
    return errorText(error);
  }
}

export async function deleteMessage(id: string, forEveryone: boolean): Promise<string | null> {
  const client = currentClient();
  if (!client) return "Not connected.";
  try {
    await client.api.deleteMessage({ id, for_everyone: forEveryone });
    deleteMessageEverywhere(id);
    for (const entry of chats.value.values()) if (entry.last_message.id === id) reloadChatListSoon();
    return null;
  } catch (error) {
    return errorText(error);
  }
}

let seenInFlight = new Map<string, string>();
/** Marks their messages up to `upTo` as seen (only called for messages actually on screen with focus). */
export function markSeen(partnerId: string, upTo: string): void {
  const client = currentClient();
  if (!client?.socket.connected) return;
  const done = seenInFlight.get(partnerId);
  if (done && done >= upTo) return;
  seenInFlight.set(partnerId, upTo);
  client.api.markMessagesSeen({ with: partnerId, up_to: upTo }).then(
    () => clearUnread(partnerId),
    () => seenInFlight.delete(partnerId),
  );
}

let lastTyping = new Map<string, number>();
/** Tells them I am typing, at most once every 2 s (the server drops more). */
export function sendTyping(partnerId: string): void {
  const client = currentClient();
  const now = Date.now();
  if (!client?.socket.connected || now - (lastTyping.get(partnerId) ?? 0) < 2_000) return;
  lastTyping.set(partnerId, now);
  client.api.typingFromClient({ to: partnerId }).catch(() => undefined);
}

export async function searchPeople(query: string): Promise<UserSummary[]> {
  const client = currentClient();
  if (!client?.socket.connected || !query.trim()) return [];
  try {
    const found = await client.api.searchUsers({ query: query.trim(), limit: 20 });
    rememberUsers(found);
    return found.filter((u) => u.user_id !== myId.value);
  } catch {
    return [];
  }
}

/** Prepares a conversation with someone found by search. */
export function startChatWith(user: UserSummary): void {
  ensureChatUser(user);
}

/** Forgets per-session bookkeeping on log out. */
export function resetActions(): void {
  outbox.clear();
  seenInFlight = new Map();
  lastTyping = new Map();
  activePartner.value = null;
}

/** Makes sure a person's name and photo are known (a conversation opened from its address). */
export async function loadUser(userId: string): Promise<void> {
  const client = currentClient();
  if (!client?.socket.connected) return;
  try {
    const p = await client.api.receiveUserProfile(userId);
    rememberUsers([{ user_id: p.user_id, name: p.name, family: p.family, username: p.username, photo: p.photo }]);
  } catch {
    // Unknown or blocked: the header says "Unknown".
  }
}

/** Reads an image file as a data: URL for newMessageFromClient. */
export function readImage(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new Error("The image could not be read."));
    reader.readAsDataURL(file);
  });
}
