import { signal, type Signal } from "@preact/signals";
import { mergeMessages, removeMessage } from "../lib/merge.ts";
import type { Message, ViewMessage } from "./types.ts";

export interface Conversation {
  /** Stored messages, oldest first. */
  messages: Signal<readonly ViewMessage[]>;
  /** Whether the first page came. */
  loaded: Signal<boolean>;
  /** Whether older pages may exist. */
  hasMore: Signal<boolean>;
  loadingOlder: Signal<boolean>;
}

const MAX_CONVERSATIONS = 30;
const conversations = new Map<string, Conversation>();

function same(a: ViewMessage, b: ViewMessage): boolean {
  return (
    a.local === b.local &&
    a.context.text === b.context.text &&
    a.edited_at === b.edited_at &&
    a.delivered_at === b.delivered_at &&
    a.seen_at === b.seen_at &&
    (a.context.image?.url ?? null) === (b.context.image?.url ?? null)
  );
}

/** The store of the conversation with one partner (created on first use; the least recent ones are dropped). */
export function conversation(partnerId: string): Conversation {
  let entry = conversations.get(partnerId);
  if (entry) {
    conversations.delete(partnerId);
    conversations.set(partnerId, entry);
    return entry;
  }
  entry = { messages: signal([]), loaded: signal(false), hasMore: signal(true), loadingOlder: signal(false) };
  conversations.set(partnerId, entry);
  while (conversations.size > MAX_CONVERSATIONS) conversations.delete(conversations.keys().next().value as string);
  return entry;
}

export function peekConversation(partnerId: string): Conversation | undefined {
  return conversations.get(partnerId);
}

/** Adds or replaces messages (a page, a push, a sent reply). A stored copy replaces its pending twin. */
export function upsertMessages(partnerId: string, incoming: readonly Message[]): void {
  const conv = peekConversation(partnerId);
  if (!conv) return;
  let current = conv.messages.value;
  for (const message of incoming) {
    if (message.client_id) {
      const pending = current.find((m) => m.local && m.client_id === message.client_id);
      if (pending) current = removeMessage(current, pending.id);
    }
  }
  conv.messages.value = mergeMessages(current, incoming as ViewMessage[], same);
}

export function addPending(partnerId: string, message: ViewMessage): void {
  const conv = conversation(partnerId);
  conv.messages.value = mergeMessages(conv.messages.value, [message], same);
}

export function setPendingState(partnerId: string, clientId: string, local: "sending" | "failed"): void {
  const conv = peekConversation(partnerId);
  if (!conv) return;
  const current = conv.messages.value;
  const found = current.find((m) => m.local && m.client_id === clientId);
  if (!found || found.local === local) return;
  conv.messages.value = mergeMessages(current, [{ ...found, local }], same);
}

/** Removes a message wherever it is. Returns the partner whose conversation had it. */
export function deleteMessageEverywhere(id: string): string | null {
  for (const [partnerId, conv] of conversations) {
    const next = removeMessage(conv.messages.value, id);
    if (next !== conv.messages.value) {
      conv.messages.value = next;
      return partnerId;
    }
  }
  return null;
}

/** Marks my messages to `partnerId` up to `upTo` as delivered or seen. */
export function markReceipts(partnerId: string, myId: string, upTo: string, field: "delivered_at" | "seen_at", at: string): void {
  const conv = peekConversation(partnerId);
  if (!conv) return;
  const changed: ViewMessage[] = [];
  for (const m of conv.messages.value) {
    if (m.local || m.from !== myId || m.id > upTo || m[field]) continue;
    changed.push(field === "seen_at" ? { ...m, seen_at: at, delivered_at: m.delivered_at ?? at } : { ...m, delivered_at: at });
  }
  if (changed.length) conv.messages.value = mergeMessages(conv.messages.value, changed, same);
}

/** Marks their messages to me up to `upTo` as seen (read on this or another device). */
export function markIncomingSeen(partnerId: string, upTo: string, at: string): void {
  const conv = peekConversation(partnerId);
  if (!conv) return;
  const changed = conv.messages.value.filter((m) => m.from === partnerId && m.id <= upTo && !m.seen_at).map((m) => ({ ...m, seen_at: at }));
  if (changed.length) conv.messages.value = mergeMessages(conv.messages.value, changed, same);
}

/** Forgets everything (log out, or a reset from the server). */
export function clearConversations(): void {
  conversations.clear();
}
