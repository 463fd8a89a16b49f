import type { Db } from "../../db/db.ts";
import type { Logger } from "../../logger.ts";
import type { Clock } from "../../shared/clock.ts";
import { idAfter, newId } from "../../shared/ids.ts";
import * as repo from "./repo.ts";
import type { MessageRow, NewMessage } from "./repo.ts";

export type WriteResult = { status: "stored" | "duplicate"; row: MessageRow } | { status: "blocked" };

interface Pending {
  message: Omit<NewMessage, "id">;
  resolve(result: WriteResult): void;
  reject(err: unknown): void;
}

/**
 * Group commit for sends: messages arriving within `windowMs` of each other share one transaction and one INSERT.
 * One batch is in flight at a time; the next gathers meanwhile. A batch that fails as a whole is retried message by
 * message, so one bad message cannot fail its neighbours. A result is resolved only after its commit.
 */
export class MessageWriter {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: { db: Db; clock: Clock; log: Logger },
    private readonly options: { windowMs: number; maxBatch: number },
  ) {}

  write(message: Omit<NewMessage, "id">): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      if (this.queue.length >= this.options.maxBatch) this.kick(0);
      else this.kick(this.options.windowMs);
    });
  }

  /** Resolves when everything queued so far is written. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.running) {
      this.kick(0);
      await this.running;
    }
  }

  private kick(delayMs: number): void {
    if (this.running) return; // the running batch picks the queue up when it ends
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
    if (this.running || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.running = this.commit(batch).finally(() => {
      this.running = undefined;
      if (this.queue.length > 0) this.kick(this.queue.length >= this.options.maxBatch ? 0 : this.options.windowMs);
    });
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      const results = await this.writeBatch(batch.map((p) => p.message));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      this.deps.log.warn({ err, size: batch.length }, "message batch failed; writing one by one");
      for (const pending of batch) {
        try {
          pending.resolve((await this.writeBatch([pending.message]))[0]!);
        } catch (single) {
          pending.reject(single);
        }
      }
    }
  }

  private writeBatch(messages: Omit<NewMessage, "id">[]): Promise<WriteResult[]> {
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
      return withIds.map((m): WriteResult => {
        const stored = byId.get(m.id);
        if (stored) return { status: "stored", row: stored };
        const earlier = m.client_id !== null ? original.get(`${m.sender_id}:${m.client_id}`) : undefined;
        return earlier ? { status: "duplicate", row: earlier } : { status: "blocked" };
      });
    });
  }
}
