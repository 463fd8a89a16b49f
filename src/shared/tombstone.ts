import type { Queryable } from "../db/db.ts";

/**
 * A deleted account stays as a tombstone row, so the messages it sent and received keep their foreign keys (the
 * partner still reads the conversation). Every presenter shows it as this name, without photo or username.
 */
export const TOMBSTONE_NAME = "Deleted account";

// A colon is never in a real username ([a-z0-9_]), so no account can take, mention or look up a tombstone's.
const TOMBSTONE_PREFIX = "deleted:";

/** The unique username a tombstone row keeps (the real one is freed, after the quarantine). */
export function tombstoneUsername(userId: string): string {
  return `${TOMBSTONE_PREFIX}${userId}`;
}

/** True for a tombstone's username: presenters show no username for it. */
export function isTombstoneUsername(username: string): boolean {
  return username.startsWith(TOMBSTONE_PREFIX);
}

/** What a feature does once an account's deletion has committed (live pushes to the others). */
export type AfterErasure = () => void | Promise<void>;

/** A feature's part of deleting an account: runs inside the deletion's one transaction; returns its after-commit work. */
export type EraseUser = (tx: Queryable, userId: string, now: Date) => Promise<AfterErasure>;
