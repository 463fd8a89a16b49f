import type { Queryable } from "../../db/db.ts";
import type { PushPayloads } from "../../realtime/protocol.ts";
import type { Clock } from "../../shared/clock.ts";
import type { AfterErasure } from "../../shared/tombstone.ts";
import * as repo from "./repo.ts";

/** An update for one user, as a feature hands it to the log. */
export interface UpdateItem {
  userId: string;
  event: string;
  payload: Record<string, unknown>;
}

/** An update once logged: its seq is set, and the payload carries it as `seq`. */
export interface Logged {
  userId: string;
  seq: number;
  event: string;
  payload: Record<string, unknown> & { seq: number };
}

/** Builds a typed update item: the event name and payload are checked against the protocol. */
export function update<K extends keyof PushPayloads>(userId: string, event: K, payload: PushPayloads[K]): UpdateItem {
  return { userId, event: event as string, payload: payload as Record<string, unknown> };
}

/** Page of a user's log, as `syncFromServer` and `getUpdates` carry it. */
export type SyncPage =
  | { updates: { seq: number; event: string; data: Record<string, unknown> }[]; last_seq: number; complete: boolean }
  | { reset: true; last_seq: number };

/** The per-user update log. Writes happen inside the caller's transaction, with the change they report. */
export class UpdateLog {
  constructor(private readonly clock: Clock) {}

  /** Logs the items (in order, per user) and returns them numbered. Call inside the transaction of the change. */
  async record(tx: Queryable, items: readonly UpdateItem[]): Promise<Logged[]> {
    const seqs = await repo.appendUpdates(
      tx,
      items.map((item) => ({ user_id: item.userId, event: item.event, data: item.payload })),
      new Date(this.clock.now()),
    );
    return this.numbered(items, seqs);
  }

  /** The items as logged under these seqs (numbered by the database, see appendUpdates). */
  numbered(items: readonly UpdateItem[], seqs: readonly number[]): Logged[] {
    return items.map((item, i): Logged => {
      const seq = seqs[i]!;
      return { userId: item.userId, seq, event: item.event, payload: { ...item.payload, seq } };
    });
  }

  /**
   * The updates after `since`, at most `limit`. A `since` older than what is retained answers `reset`; one ahead of
   * the newest seq is refused by the caller (it answers null).
   */
  async page(db: Queryable, userId: string, since: number, limit: number): Promise<SyncPage | null> {
    const bounds = await repo.findSeqBounds(db, userId);
    if (since > bounds.last) return null;
    if (since < bounds.last && (bounds.oldest === null || since < bounds.oldest - 1)) return { reset: true, last_seq: bounds.last };
    const rows = await repo.findUpdatesAfter(db, userId, since, limit);
    const lastInPage = rows.at(-1)?.seq ?? since;
    return { updates: rows, last_seq: bounds.last, complete: lastInPage >= bounds.last };
  }

  /** The updates strictly after `after` and up to `upTo`, at most `limit` (filling a gap in live delivery). */
  range(db: Queryable, userId: string, after: number, upTo: number, limit: number): Promise<repo.UpdateRow[]> {
    return repo.findUpdatesAfter(db, userId, after, limit, upTo);
  }

  async lastSeq(db: Queryable, userId: string): Promise<number> {
    return (await repo.findSeqBounds(db, userId)).last;
  }

  /** The newest seq of each of these users (0 for one with no updates yet). */
  async lastSeqs(db: Queryable, userIds: readonly string[]): Promise<Map<string, number>> {
    const found = await repo.findLastSeqs(db, userIds);
    return new Map(userIds.map((id) => [id, found.get(id) ?? 0]));
  }

  /**
   * Moves each user's delivery watermark to the given seq; returns the payloads of the given event among the
   * updates it newly covers, with the user they were logged for.
   */
  async advanceDelivered(
    tx: Queryable,
    marks: ReadonlyMap<string, number>,
    event: string,
  ): Promise<{ user_id: string; data: Record<string, unknown> }[]> {
    return repo.findEventsInRanges(tx, await repo.advanceDelivered(tx, marks), event);
  }

  /** The log part of deleting an account (inside its transaction, after the other parts): its updates go. */
  async eraseUserIn(tx: Queryable, userId: string): Promise<AfterErasure> {
    await repo.deleteLogOf(tx, userId);
    return () => undefined;
  }

  /** Drops updates past the retention (age and count per user). */
  sweep(db: Queryable, maxAgeSeconds: number, keepPerUser: number): Promise<number> {
    return repo.sweepUpdates(db, new Date(this.clock.now() - maxAgeSeconds * 1000), keepPerUser);
  }
}

/** Hands logged updates to the users' connected devices (the real-time feed implements it). */
export interface UpdateDelivery {
  deliver(updates: readonly Logged[], options?: { exceptSocket?: string }): void;
}
