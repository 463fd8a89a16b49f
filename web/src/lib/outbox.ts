/** A message written on this device that the server has not confirmed yet. */
export interface OutboxItem {
  client_id: string;
  to: string;
  text?: string;
  image?: string;
  reply_to: string | null;
  created_at: string;
  state: "queued" | "sending" | "failed";
  attempts: number;
}

/**
 * The messages waiting to be sent, in the order written. Each keeps its `client_id` for every attempt, so the
 * server stores it once however many times it goes out.
 */
export class Outbox {
  private items: OutboxItem[] = [];

  list(): readonly OutboxItem[] {
    return this.items;
  }

  add(item: Omit<OutboxItem, "state" | "attempts">): OutboxItem {
    const entry: OutboxItem = { ...item, state: "queued", attempts: 0 };
    this.items = [...this.items, entry];
    return entry;
  }

  /** The items to send now, in order: queued ones (failed ones wait for a retry). Marks them sending. */
  takeReady(): OutboxItem[] {
    const ready = this.items.filter((item) => item.state === "queued");
    if (ready.length === 0) return [];
    this.items = this.items.map((item) => (item.state === "queued" ? { ...item, state: "sending", attempts: item.attempts + 1 } : item));
    return this.items.filter((item) => ready.some((r) => r.client_id === item.client_id));
  }

  /** The server stored it: drop it. */
  confirm(clientId: string): boolean {
    const before = this.items.length;
    this.items = this.items.filter((item) => item.client_id !== clientId);
    return this.items.length !== before;
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
  }

  remove(clientId: string): void {
    this.confirm(clientId);
  }

  private set(clientId: string, state: OutboxItem["state"]): void {
    this.items = this.items.map((item) => (item.client_id === clientId ? { ...item, state } : item));
  }
}

/** A client_id unique enough across devices and reloads. */
export function newClientId(): string {
  const random = typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : Math.random().toString(36).slice(2);
  return `web-${random}`;
}
