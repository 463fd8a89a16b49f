import type { Queryable } from "../../db/db.ts";
import type { Clock } from "../../shared/clock.ts";
import { newId } from "../../shared/ids.ts";
import type { JobKind, JobPayload } from "./jobs.ts";
import * as repo from "./repo.ts";

/** Writes jobs for the node's worker (and every other node's): mail and pushes leave the server only through here. */
export class Outbox {
  constructor(private readonly deps: { db: Queryable; clock: Clock; wake: () => void }) {}

  /**
   * Adds a job in the caller's transaction `tx`, due after `delayMs`: it commits or rolls back with the change that
   * causes it. Call `wake()` after the commit to have it sent without waiting for the next poll.
   */
  async enqueue<K extends JobKind>(tx: Queryable, kind: K, payload: JobPayload<K>, delayMs = 0): Promise<void> {
    await repo.insertJob(tx, { id: newId(), kind, payload, runAt: new Date(this.deps.clock.now() + delayMs) });
  }

  /** Tells this node's worker that a job is waiting (once its transaction has committed). */
  wake(): void {
    this.deps.wake();
  }

  /** Jobs waiting or running, by kind, in the whole cluster (the table is shared). */
  depth(): Promise<{ kind: string; n: number }[]> {
    return repo.countJobsByKind(this.deps.db);
  }
}
