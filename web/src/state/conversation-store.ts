import { signal, type Signal } from "@preact/signals";
import { mergeMessages, removeMessage } from "../lib/merge.ts";

/** What the store needs of a message: direct and group messages both have it. */
export interface StoredMessage {
  id: string;
  sent_at: string;
  client_id: string | null;
  local?: "sending" | "failed";
}

export interface Conversation<T> {
  /** Stored messages, oldest first. */
  messages: Signal<readonly T[]>;
  /** Whether the first page came. */
  loaded: Signal<boolean>;
  /** Whether older pages may exist. */
  hasMore: Signal<boolean>;
  loadingOlder: Signal<boolean>;
}

/**
 * The open conversations of one kind (direct by partner, groups by group id), each created on first use; the least
 * recently used are dropped beyond `max`, so a long session does not keep every history it ever showed.
 */
export class ConversationStore<T extends StoredMessage> {
  private readonly conversations = new Map<string, Conversation<T>>();

  constructor(
    /** Whether two copies of a message render the same (then a merge does not wake the view). */
    private readonly same: (a: T, b: T) => boolean,
    private readonly max = 30,
  ) {}

  get(key: string): Conversation<T> {
    let entry = this.conversations.get(key);
    if (entry) {
      this.conversations.delete(key);
      this.conversations.set(key, entry);
      return entry;
    }
    entry = { messages: signal([]), loaded: signal(false), hasMore: signal(true), loadingOlder: signal(false) };
    this.conversations.set(key, entry);
    while (this.conversations.size > this.max) this.conversations.delete(this.conversations.keys().next().value as string);
    return entry;
  }

  peek(key: string): Conversation<T> | undefined {
    return this.conversations.get(key);
  }

  /** Adds or replaces messages (a page, a push, a sent reply). A stored copy replaces its pending twin. */
  upsert(key: string, incoming: readonly T[]): void {
    const conv = this.peek(key);
    if (!conv) return;
    let current = conv.messages.value;
    for (const message of incoming) {
      if (message.client_id) {
        const pending = current.find((m) => m.local && m.client_id === message.client_id);
        if (pending) current = removeMessage(current, pending.id);
      }
    }
    conv.messages.value = mergeMessages(current, incoming, this.same);
  }

  addPending(key: string, message: T): void {
    const conv = this.get(key);
    conv.messages.value = mergeMessages(conv.messages.value, [message], this.same);
  }

  setPendingState(key: string, clientId: string, local: "sending" | "failed"): void {
    const conv = this.peek(key);
    if (!conv) return;
    const current = conv.messages.value;
    const found = current.find((m) => m.local && m.client_id === clientId);
    if (!found || found.local === local) return;
    conv.messages.value = mergeMessages(current, [{ ...found, local }], this.same);
  }

  /** Replaces the messages `change` picks (those for which it returns a new copy). */
  patch(key: string, change: (m: T) => T | null): void {
    const conv = this.peek(key);
    if (!conv) return;
    const changed: T[] = [];
    for (const m of conv.messages.value) {
      const next = change(m);
      if (next) changed.push(next);
    }
    if (changed.length) conv.messages.value = mergeMessages(conv.messages.value, changed, this.same);
  }

  /** Removes a message wherever it is. Returns the key of the conversation that had it. */
  deleteEverywhere(id: string): string | null {
    for (const [key, conv] of this.conversations) {
      const next = removeMessage(conv.messages.value, id);
      if (next !== conv.messages.value) {
        conv.messages.value = next;
        return key;
      }
    }
    return null;
  }

  /** Forgets one conversation (a group I left). */
  drop(key: string): void {
    this.conversations.delete(key);
  }

  /** Forgets everything (log out, or a reset from the server). */
  clear(): void {
    this.conversations.clear();
  }
}
