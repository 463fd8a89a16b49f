import type { Logger } from "../logger.ts";
import { idSeconds, idTails } from "./ids.ts";

export interface GroupCommitOptions {
  /** How long the first request of a batch waits for others. */
  windowMs: number;
  /** A batch this large is written at once. */
  maxBatch: number;
  /** How many batches may commit at once (1 on the embedded database). */
  maxInFlight: number;
}

interface Pending<Req, Res> {
  request: Req;
  resolve(result: Res): void;
  reject(err: unknown): void;
}

/**
 * Group commit: requests arriving within `windowMs` of each other are written by one `writeBatch` call (one
 * transaction). Up to `maxInFlight` batches commit at once; the next gathers meanwhile. A batch that fails as a whole
 * is retried request by request, so one bad request cannot fail its neighbours. A result is resolved only after its
 * commit. Subclasses say how a batch is written; the direct and the group message writers share this.
 */
export abstract class GroupCommit<Req, Res, Deps extends { log: Logger }> {
  private queue: Pending<Req, Res>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<void>>();

  constructor(
    protected readonly deps: Deps,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Names the writer in the log line of a failed batch. */
  protected abstract readonly what: string;

  /** Writes all the requests in one transaction; the results by position. */
  protected abstract writeBatch(requests: Req[]): Promise<Res[]>;

  /** Queues a request; resolves with its result once its batch has committed. */
  write(request: Req): Promise<Res> {
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

  private async commit(batch: Pending<Req, Res>[]): Promise<void> {
    try {
      const results = await this.writeBatch(batch.map((p) => p.request));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      this.deps.log.warn({ err, size: batch.length }, `${this.what} batch failed; writing one by one`);
      for (const pending of batch) {
        try {
          pending.resolve((await this.writeBatch([pending.request]))[0]!);
        } catch (single) {
          pending.reject(single);
        }
      }
    }
  }
}

/**
 * A batch of sends as the database's send functions take them: one time for the batch (its ids' seconds and sent_at),
 * an increasing id tail each, and each one's presented payload without the id and reply_to the database decides.
 */
export function draftSends<M, I extends { id: string }>(
  requests: readonly { message: M; image: I | null }[],
  now: number,
  present: (message: M, sentAt: Date, images: ReadonlyMap<string, I>) => { id: string; reply_to: string | null },
) {
  const sentAt = new Date(now);
  const tails = idTails(requests.length);
  const images = requests.map((r) => new Map(r.image ? [[r.image.id, r.image]] : []));
  const outgoing = requests.map(({ message }, i) => {
    const { id: _id, reply_to: _replyTo, ...payload } = present(message, sentAt, images[i]!);
    return { ...message, id_tail: tails[i]!, payload };
  });
  return { sentAt, seconds: idSeconds(now), images, outgoing };
}
