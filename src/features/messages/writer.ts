import type { Db } from "../../db/db.ts";
import type { Logger } from "../../logger.ts";
import type { Clock } from "../../shared/clock.ts";
import { idSeconds, idTails } from "../../shared/ids.ts";
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

  private async writeBatch(requests: WriteRequest[]): Promise<WriteResult[]> {
    const now = this.deps.clock.now();
    const sentAt = new Date(now);
    const tails = idTails(requests.length);
    const images = requests.map((r) => new Map(r.image ? [[r.image.id, r.image]] : []));
    const outgoing = requests.map(({ message }, i): repo.OutgoingMessage => {
      const draft = presentMessage({ ...message, id: "", sent_at: sentAt, edited_at: null, delivered_at: null, seen_at: null }, images[i]!);
      const { id: _id, reply_to: _replyTo, ...payload } = draft;
      return { ...message, id_tail: tails[i]!, payload };
    });
    const outcomes = await repo.sendMessages(this.deps.db, outgoing, idSeconds(now), sentAt);
    const results: WriteResult[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.stored) {
        const { row } = outcome;
        const message = presentMessage(row, images[i]!);
        const logged = this.deps.updates.numbered(
          [update(row.recipient_id, "singleUnreadMsgFromServer", message), update(row.sender_id, "singleSentMsgFromServer", message)],
          [outcome.recipient_seq, outcome.sender_seq],
        );
        results.push({ status: "stored", row, logged });
      } else if (outcome.original) {
        results.push({ status: "duplicate", row: outcome.original });
      } else {
        // Rare: tell an unknown recipient from a block only for the messages that were refused.
        const m = requests[i]!.message;
        const relation = await repo.findRecipientRelation(this.deps.db, m.sender_id, m.recipient_id);
        results.push({ status: canMessage(m.sender_id, m.recipient_id, relation) === "blocked" ? "blocked" : "unknown" });
      }
    }
    return results;
  }
}
