import type { Db } from "../../db/db.ts";
import type { Logger } from "../../logger.ts";
import type { Clock } from "../../shared/clock.ts";
import { idAfter, newId } from "../../shared/ids.ts";
import type { MediaRef } from "../media/presenter.ts";
import { update, type Logged, type UpdateLog } from "../sync/log.ts";
import { canMessage } from "./policy.ts";
import { presentMessage } from "./presenter.ts";
import * as repo from "./repo.ts";
import type { MessageRow, NewMessage } from "./repo.ts";

export type WriteResult =
  | { status: "stored"; row: MessageRow; logged: Logged[] }
  | { status: "duplicate"; row: MessageRow }
  | { status: "blocked" }
  | { status: "unknown" };

export interface WriteRequest {
  message: Omit<NewMessage, "id">;
  /** The stored image's reference, so the logged payloads carry it. */
  image: MediaRef | null;
}

interface Pending {
  request: WriteRequest;
  resolve(result: WriteResult): void;
  reject(err: unknown): void;
}

/**
 * Group commit for sends: messages arriving within `windowMs` of each other share one transaction and one INSERT.
 * Up to `maxInFlight` batches commit at once (1 on the embedded database); the next gathers meanwhile. Batches that
 * touch the same conversation serialise on its lock, so ids still increase in commit order. A batch that fails as a whole is retried message by
 * message, so one bad message cannot fail its neighbours. A result is resolved only after its commit.
 */
export class MessageWriter {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly deps: { db: Db; clock: Clock; log: Logger; updates: UpdateLog },
    private readonly options: { windowMs: number; maxBatch: number; maxInFlight: number },
  ) {}

  write(request: WriteRequest): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (this.queue.length >= this.options.maxBatch) this.kick(0);
      else this.kick(this.options.windowMs);
    });
  }

  /** Resolves when everything queued so far is written. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.running.size > 0) {
      this.kick(0);
      await Promise.allSettled([...this.running]);
    }
  }

  private kick(delayMs: number): void {
    if (this.running.size >= this.options.maxInFlight) return; // a batch that ends picks the queue up
    if (delayMs === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.run();
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.run();
      }, delayMs);
    }
  }

  private run(): void {
    if (this.running.size >= this.options.maxInFlight || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.options.maxBatch);
    const work: Promise<void> = this.commit(batch).finally(() => {
      this.running.delete(work);
      if (this.queue.length > 0) this.kick(this.queue.length >= this.options.maxBatch ? 0 : this.options.windowMs);
    });
    this.running.add(work);
    // Under load the next batch starts while this one commits (on a server with a connection pool).
    if (this.queue.length > 0) this.kick(this.queue.length >= this.options.maxBatch ? 0 : this.options.windowMs);
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      const results = await this.writeBatch(batch.map((p) => p.request));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      this.deps.log.warn({ err, size: batch.length }, "message batch failed; writing one by one");
      for (const pending of batch) {
        try {
          pending.resolve((await this.writeBatch([pending.request]))[0]!);
        } catch (single) {
          pending.reject(single);
        }
      }
    }
  }

  private writeBatch(requests: WriteRequest[]): Promise<WriteResult[]> {
    const messages = requests.map((r) => r.message);
    return this.deps.db.transaction(async (tx) => {
      const keys = messages.map((m) => repo.conversationKey(m.sender_id, m.recipient_id).join(":"));
      await repo.lockConversations(tx, keys);
      const last = await repo.findLastIds(tx, keys);
      const now = this.deps.clock.now();
      const withIds = messages.map((m, i) => {
        const id = idAfter(last.get(keys[i]!), newId(now));
        last.set(keys[i]!, id);
        return { ...m, id };
      });
      const inserted = await repo.insertMessages(tx, withIds, new Date(now));
      const byId = new Map(inserted.map((row) => [row.id, row]));
      const retried = withIds.filter((m) => !byId.has(m.id) && m.client_id !== null);
      const originals = await repo.findByClientIds(
        tx,
        retried.map((m) => ({ sender_id: m.sender_id, client_id: m.client_id! })),
      );
      const original = new Map(originals.map((row) => [`${row.sender_id}:${row.client_id}`, row]));
      // The recipient's devices and the sender's other devices, logged in this transaction (one batch insert).
      const items = withIds.flatMap((m, i) => {
        const stored = byId.get(m.id);
        if (!stored) return [];
        const image = requests[i]!.image;
        const message = presentMessage(stored, new Map(image ? [[image.id, image]] : []));
        return [update(stored.recipient_id, "singleUnreadMsgFromServer", message), update(stored.sender_id, "singleSentMsgFromServer", message)];
      });
      const logged = await this.deps.updates.record(tx, items);
      const loggedFor = new Map<string, Logged[]>();
      for (const entry of logged) {
        const id = entry.payload["id"] as string;
        loggedFor.set(id, [...(loggedFor.get(id) ?? []), entry]);
      }
      const results: WriteResult[] = [];
      for (const m of withIds) {
        const stored = byId.get(m.id);
        const earlier = m.client_id !== null ? original.get(`${m.sender_id}:${m.client_id}`) : undefined;
        if (stored) results.push({ status: "stored", row: stored, logged: loggedFor.get(stored.id) ?? [] });
        else if (earlier) results.push({ status: "duplicate", row: earlier });
        else {
          // Rare: tell an unknown recipient from a block only for the messages that were refused.
          const relation = await repo.findRecipientRelation(tx, m.sender_id, m.recipient_id);
          results.push({ status: canMessage(m.sender_id, m.recipient_id, relation) === "blocked" ? "blocked" : "unknown" });
        }
      }
      return results;
    });
  }
}
