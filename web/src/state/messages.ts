import { ConversationStore, type Conversation as StoreConversation } from "./conversation-store.ts";
import type { Message, ViewMessage } from "./types.ts";

export type Conversation = StoreConversation<ViewMessage>;

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

/** Direct conversations, by partner. */
const store = new ConversationStore<ViewMessage>(same);

/** The store of the conversation with one partner (created on first use; the least recent ones are dropped). */
export function conversation(partnerId: string): Conversation {
  return store.get(partnerId);
}

export function peekConversation(partnerId: string): Conversation | undefined {
  return store.peek(partnerId);
}

/** Adds or replaces messages (a page, a push, a sent reply). A stored copy replaces its pending twin. */
export function upsertMessages(partnerId: string, incoming: readonly Message[]): void {
  store.upsert(partnerId, incoming);
}

export function addPending(partnerId: string, message: ViewMessage): void {
  store.addPending(partnerId, message);
}

export function setPendingState(partnerId: string, clientId: string, local: "sending" | "failed"): void {
  store.setPendingState(partnerId, clientId, local);
}

/** Removes a message wherever it is. Returns the partner whose conversation had it. */
export function deleteMessageEverywhere(id: string): string | null {
  return store.deleteEverywhere(id);
}

/** Marks my messages to `partnerId` up to `upTo` as delivered or seen. */
export function markReceipts(partnerId: string, myId: string, upTo: string, field: "delivered_at" | "seen_at", at: string): void {
  store.patch(partnerId, (m) => {
    if (m.local || m.from !== myId || m.id > upTo || m[field]) return null;
    return field === "seen_at" ? { ...m, seen_at: at, delivered_at: m.delivered_at ?? at } : { ...m, delivered_at: at };
  });
}

/** Marks their messages to me up to `upTo` as seen (read on this or another device). */
export function markIncomingSeen(partnerId: string, upTo: string, at: string): void {
  store.patch(partnerId, (m) => (m.from === partnerId && m.id <= upTo && !m.seen_at ? { ...m, seen_at: at } : null));
}

/** Forgets everything (log out, or a reset from the server). */
export function clearConversations(): void {
  store.clear();
}
