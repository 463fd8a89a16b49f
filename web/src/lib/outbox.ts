/** A message written on this device that the server has not confirmed yet. */
export interface OutboxItem {
  client_id: string;
  /** The partner, or the group when `group` is set. */
  to: string;
  group?: true;
  text?: string;
  image?: string;
  reply_to: string | null;
  created_at: string;
  state: "queued" | "sending" | "failed";
  attempts: number;
}

/** Where an outbox is kept across reloads: the tab's own storage, under the user's key. */
export interface OutboxStore {
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  key: string;
}

/**
 * The messages waiting to be sent, in the order written. Each keeps its `client_id` for every attempt, so the
 * server stores it once however many times it goes out. Attached to a store, it survives a reload of the tab
 * (sessionStorage: each tab keeps its own, so two tabs never send each other's drafts twice over).
 */
export class Outbox {
  private items: OutboxItem[] = [];
  private store: OutboxStore | null = null;

  /** Keeps the outbox in `store` from now on and answers what an earlier page left there (in flight = queued). */
  attach(store: OutboxStore | null): readonly OutboxItem[] {
    this.store = store;
    this.items = [];
    if (!store) return this.items;
    try {
      const saved = JSON.parse(store.storage.getItem(store.key) ?? "[]") as unknown;
      if (Array.isArray(saved)) this.items = saved.filter(isItem).map((item) => (item.state === "sending" ? { ...item, state: "queued" as const } : item));
    } catch {
      this.items = [];
    }
    return this.items;
  }

  /** Forgets everything, stored copy included (log out). */
  clear(): void {
    this.items = [];
    this.save();
  }

  list(): readonly OutboxItem[] {
    return this.items;
  }

  add(item: Omit<OutboxItem, "state" | "attempts">): OutboxItem {
    const entry: OutboxItem = { ...item, state: "queued", attempts: 0 };
    this.items = [...this.items, entry];
    this.save();
    return entry;
  }

  /** The items to send now, in order: queued ones (failed ones wait for a retry). Marks them sending. */
  takeReady(): OutboxItem[] {
    const ready = this.items.filter((item) => item.state === "queued");
    if (ready.length === 0) return [];
    this.items = this.items.map((item) => (item.state === "queued" ? { ...item, state: "sending", attempts: item.attempts + 1 } : item));
    this.save();
    return this.items.filter((item) => ready.some((r) => r.client_id === item.client_id));
  }

  /** The server stored it: drop it. */
  confirm(clientId: string): boolean {
    const before = this.items.length;
    this.items = this.items.filter((item) => item.client_id !== clientId);
    if (this.items.length === before) return false;
    this.save();
    return true;
  }

  /** Lost with the connection: send again on reconnect. */
  requeue(clientId: string): void {
    this.set(clientId, "queued");
  }

  /** Refused by the server: keep it for a manual retry. */
  fail(clientId: string): void {
    this.set(clientId, "failed");
  }

  /** After a disconnect: everything in flight goes back to the queue. */
  requeueSending(): void {
    this.items = this.items.map((item) => (item.state === "sending" ? { ...item, state: "queued" } : item));
    this.save();
  }

  remove(clientId: string): void {
    this.confirm(clientId);
  }

  private set(clientId: string, state: OutboxItem["state"]): void {
    this.items = this.items.map((item) => (item.client_id === clientId ? { ...item, state } : item));
    this.save();
  }

  private save(): void {
    const store = this.store;
    if (!store) return;
    try {
      if (this.items.length === 0) store.storage.removeItem(store.key);
      else store.storage.setItem(store.key, JSON.stringify(this.items));
    } catch {
      // Full or disabled storage (a large image): the outbox still works for this page, it just does not survive a reload.
    }
  }
}

function isItem(value: unknown): value is OutboxItem {
  const v = value as Partial<OutboxItem> | null;
  return (
    typeof v === "object" && v !== null && typeof v.client_id === "string" && typeof v.to === "string" && typeof v.created_at === "string" &&
    (v.state === "queued" || v.state === "sending" || v.state === "failed") && typeof v.attempts === "number"
  );
}

/** A client_id unique enough across devices and reloads. */
export function newClientId(): string {
  const random = typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : Math.random().toString(36).slice(2);
  return `web-${random}`;
}
