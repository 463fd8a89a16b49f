import { computed, signal } from "@preact/signals";
import { groupChats } from "./groups.ts";
import type { ChatEntry, GroupChatEntry, Message, UserSummary } from "./types.ts";
import { users } from "./users.ts";

/** One row per conversation partner, by their id. */
export const chats = signal<ReadonlyMap<string, ChatEntry>>(new Map());

/** One row of the chat list: a direct chat (by partner) or a group. */
export type ChatRow = ({ kind: "direct" } & ChatEntry) | GroupChatEntry;

function activity(row: ChatRow): string {
  return row.kind === "direct" ? row.last_message.sent_at : (row.last_message?.sent_at ?? row.group.created_at);
}

/** The chat list, direct chats and groups together, most recent activity first. */
export const sortedChats = computed(() => {
  const rows: ChatRow[] = [...[...chats.value.values()].map((entry) => ({ kind: "direct" as const, ...entry })), ...groupChats.value.values()];
  return rows.sort((a, b) => {
    const x = activity(a);
    const y = activity(b);
    return x < y ? 1 : x > y ? -1 : 0;
  });
});

export const totalUnread = computed(() => {
  let total = 0;
  for (const entry of chats.value.values()) total += entry.unread_count;
  for (const entry of groupChats.value.values()) total += entry.unread_count;
  return total;
});

export function replaceChats(list: readonly ChatEntry[]): void {
  chats.value = new Map(list.map((entry) => [entry.user.user_id, entry]));
}

/** A message in a conversation, from any device: the row moves to the top; unread grows for incoming ones. */
export function chatMessage(partnerId: string, message: Message, incoming: boolean, countUnread: boolean): void {
  const current = chats.value;
  const old = current.get(partnerId);
  const user: UserSummary | undefined = old?.user ?? users.value.get(partnerId);
  if (!user) return;
  if (old && old.last_message.sent_at > message.sent_at) return;
  if (old && old.last_message.id === message.id && old.last_message === message) return;
  const isNew = !old || old.last_message.id !== message.id;
  const unread = (old?.unread_count ?? 0) + (incoming && countUnread && isNew ? 1 : 0);
  const next = new Map(current);
  next.set(partnerId, { user, last_message: message, unread_count: unread });
  chats.value = next;
}

/** My unread from this partner went down to zero (read here or on another device). */
export function clearUnread(partnerId: string): void {
  const old = chats.value.get(partnerId);
  if (!old || old.unread_count === 0) return;
  const next = new Map(chats.value);
  next.set(partnerId, { ...old, unread_count: 0 });
  chats.value = next;
}

/** A row's last message was edited or its receipts changed. */
export function patchLastMessage(partnerId: string, id: string, patch: Partial<Message>): void {
  const old = chats.value.get(partnerId);
  if (!old || old.last_message.id !== id) return;
  const next = new Map(chats.value);
  next.set(partnerId, { ...old, last_message: { ...old.last_message, ...patch } });
  chats.value = next;
}

/** Makes sure a row exists for someone I am about to write to (from search). */
export function ensureChatUser(user: UserSummary): void {
  if (chats.value.has(user.user_id)) return;
  const current = users.value;
  if (!current.has(user.user_id)) {
    const next = new Map(current);
    next.set(user.user_id, user);
    users.value = next;
  }
}
