import type { Queryable } from "../../db/db.ts";

export interface UpdateRow {
  seq: number;
  event: string;
  data: Record<string, unknown>;
}

/**
 * Appends updates to their users' logs in one statement and returns each one's seq, in input order (numbered by the
 * database's append_updates: per user without gaps, counters locked in user order). The stored payload carries its seq.
 */
export async function appendUpdates(
  db: Queryable,
  items: readonly { user_id: string; event: string; data: unknown }[],
  createdAt: Date,
): Promise<number[]> {
  if (items.length === 0) return [];
  const rows = await db.query<{ seq: number }>("SELECT seq FROM append_updates($1::text[], $2::text[], $3::text[]::jsonb[], $4) ORDER BY n", [
    items.map((i) => i.user_id),
    items.map((i) => i.event),
    items.map((i) => JSON.stringify(i.data)),
    createdAt,
  ]);
  return rows.map((r) => Number(r.seq));
}

/** Updates of one user after `since`, oldest first. */
export async function findUpdatesAfter(db: Queryable, userId: string, since: number, limit: number, upTo?: number): Promise<UpdateRow[]> {
  const rows = await db.query<UpdateRow>(
    `SELECT seq, event, data FROM updates
     WHERE user_id = $1 AND seq > $2 AND ($4::bigint IS NULL OR seq <= $4)
     ORDER BY seq LIMIT $3`,
    [userId, since, limit, upTo ?? null],
  );
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/** The newest seq of each of these users (absent: none yet). */
export async function findLastSeqs(db: Queryable, userIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await db.query<{ user_id: string; last_seq: number }>(
    "SELECT user_id, last_seq FROM update_seq WHERE user_id = ANY($1::text[])",
    [userIds],
  );
  return new Map(rows.map((r) => [r.user_id, Number(r.last_seq)]));
}

/** The user's newest seq and the oldest one still retained (null when none is). */
export async function findSeqBounds(db: Queryable, userId: string): Promise<{ last: number; oldest: number | null }> {
  const rows = await db.query<{ last: number | null; oldest: number | null }>(
    `SELECT (SELECT last_seq FROM update_seq WHERE user_id = $1) AS last,
            (SELECT min(seq) FROM updates WHERE user_id = $1) AS oldest`,
    [userId],
  );
  const row = rows[0];
  return { last: Number(row?.last ?? 0), oldest: row?.oldest == null ? null : Number(row.oldest) };
}

/**
 * Moves each user's delivery watermark forward to the given seq (never past their newest); returns the ranges it
 * covered. The marks are locked in user order, so two batches that share users cannot deadlock.
 */
export async function advanceDelivered(
  db: Queryable,
  marks: ReadonlyMap<string, number>,
): Promise<{ user_id: string; from: number; to: number }[]> {
  const users = [...marks.keys()].sort();
  if (users.length === 0) return [];
  await db.query("INSERT INTO delivery_marks (user_id) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT DO NOTHING", [users]);
  const rows = await db.query<{ user_id: string; previous: number; last: number | null }>(
    `SELECT d.user_id, d.delivered_seq AS previous, s.last_seq AS last
     FROM delivery_marks d LEFT JOIN update_seq s ON s.user_id = d.user_id
     WHERE d.user_id = ANY($1::text[]) ORDER BY d.user_id FOR UPDATE OF d`,
    [users],
  );
  const moved = rows.flatMap((r) => {
    const from = Number(r.previous);
    const to = Math.min(Math.max(from, marks.get(r.user_id)!), Number(r.last ?? 0));
    return to > from ? [{ user_id: r.user_id, from, to }] : [];
  });
  if (moved.length === 0) return [];
  await db.query(
    `UPDATE delivery_marks d SET delivered_seq = t.seq
     FROM unnest($1::text[], $2::bigint[]) AS t(user_id, seq) WHERE d.user_id = t.user_id`,
    [moved.map((m) => m.user_id), moved.map((m) => m.to)],
  );
  return moved;
}

/** The updates of one event in each user's range (after `from`, up to `to`), as (user, payload) pairs. */
export async function findEventsInRanges(
  db: Queryable,
  ranges: readonly { user_id: string; from: number; to: number }[],
  event: string,
): Promise<{ user_id: string; data: Record<string, unknown> }[]> {
  if (ranges.length === 0) return [];
  return db.query(
    `SELECT u.user_id, u.data FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS r(user_id, after, up_to)
     JOIN updates u ON u.user_id = r.user_id AND u.seq > r.after AND u.seq <= r.up_to
     WHERE u.event = $4`,
    [ranges.map((r) => r.user_id), ranges.map((r) => r.from), ranges.map((r) => r.to), event],
  );
}

/** Deletes updates older than the cutoff, and beyond the newest `keep` of each user. Returns how many went. */
export async function sweepUpdates(db: Queryable, createdBefore: Date, keep: number): Promise<number> {
  const old = await db.query("DELETE FROM updates WHERE created_at < $1 RETURNING 1", [createdBefore]);
  const excess = await db.query(
    `DELETE FROM updates u USING update_seq s
     WHERE u.user_id = s.user_id AND u.seq <= s.last_seq - $1
     RETURNING 1`,
    [keep],
  );
  return old.length + excess.length;
}

/** Deletes an account's whole update log and its counters (account deletion). */
export async function deleteLogOf(db: Queryable, userId: string): Promise<void> {
  await db.query("DELETE FROM updates WHERE user_id = $1", [userId]);
  await db.query("DELETE FROM delivery_marks WHERE user_id = $1", [userId]);
  await db.query("DELETE FROM update_seq WHERE user_id = $1", [userId]);
}
