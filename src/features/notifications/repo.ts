import type { Queryable } from "../../db/db.ts";
import { parseSettings, type NotificationKind, type NotificationSettings } from "./settings.ts";

/** One cause to look facts up for: who would be told, who acted, and the tweet's owner when it is about a tweet. */
export interface FactsQuery {
  recipient: string;
  actor: string;
  tweetOwner: string | null;
}

export interface FactsRow {
  settings: unknown;
  blocked: boolean;
  follows_actor: boolean;
  owner_private: boolean;
  follows_owner: boolean;
  blocked_with_owner: boolean;
}

const blockedBetween = (a: string, b: string) =>
  `EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = ${a} AND b.blocked_id = ${b}) OR (b.blocker_id = ${b} AND b.blocked_id = ${a}))`;
const follows = (follower: string, followee: string) => `EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ${follower} AND f.followee_id = ${followee})`;

/** The facts of each cause (settings, blocks, follows, the tweet's visibility), in the order given, in one query. */
export function findFacts(db: Queryable, causes: readonly FactsQuery[]): Promise<FactsRow[]> {
  return db.query<FactsRow>(
    `SELECT s.settings, ${blockedBetween("i.recipient", "i.actor")} AS blocked, ${follows("i.recipient", "i.actor")} AS follows_actor,
            COALESCE(o.is_private, false) AS owner_private, ${follows("i.recipient", "i.owner")} AS follows_owner,
            ${blockedBetween("i.recipient", "i.owner")} AS blocked_with_owner
     FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS i(recipient, actor, owner, ord)
     LEFT JOIN notification_settings s ON s.user_id = i.recipient
     LEFT JOIN users o ON o.id = i.owner
     ORDER BY i.ord`,
    [causes.map((c) => c.recipient), causes.map((c) => c.actor), causes.map((c) => c.tweetOwner)],
  );
}

export interface NewEntry {
  id: string;
  sort_id: string;
  recipient: string;
  kind: NotificationKind;
  tweet_id: string | null;
  comment_id: string | null;
  group_key: string | null;
  at: Date;
}

/**
 * Adds the actor to the recipient's unread entry of the group (moving it to the top), or starts a new entry; returns
 * the entry's id. Concurrent causes of one group meet on the partial unique index and end up in one entry.
 */
export async function addToEntry(db: Queryable, entry: NewEntry, actor: string): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO notifications (id, sort_id, recipient_id, kind, tweet_id, comment_id, group_key, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
     ON CONFLICT (recipient_id, group_key) WHERE NOT read AND group_key IS NOT NULL
     DO UPDATE SET sort_id = EXCLUDED.sort_id, updated_at = EXCLUDED.updated_at
     RETURNING id`,
    [entry.id, entry.sort_id, entry.recipient, entry.kind, entry.tweet_id, entry.comment_id, entry.group_key, entry.at],
  );
  const id = row!.id;
  const [added] = await db.query<{ inserted: boolean }>(
    `INSERT INTO notification_actors (notification_id, actor_id, sort_id, at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (notification_id, actor_id) DO UPDATE SET sort_id = EXCLUDED.sort_id, at = EXCLUDED.at
     RETURNING (xmax = 0) AS inserted`,
    [id, actor, entry.sort_id, entry.at],
  );
  if (added!.inserted) await db.query("UPDATE notifications SET actors_count = actors_count + 1 WHERE id = $1", [id]);
  return id;
}

/**
 * Takes the actor out of the recipient's entries of these kinds (about this tweet, when given): the count goes down
 * and an entry left without actors is deleted. Undoes a like, a follow, a request. Returns whether an unread entry
 * was deleted (the unread count changed).
 */
export async function removeActor(
  db: Queryable,
  removal: { recipient: string; actor: string; kinds: readonly NotificationKind[]; tweet_id?: string },
): Promise<boolean> {
  await db.query(
    `WITH gone AS (
       DELETE FROM notification_actors na USING notifications n
       WHERE na.notification_id = n.id AND n.recipient_id = $1 AND na.actor_id = $2 AND n.kind = ANY($3::text[])
         AND ($4::text IS NULL OR n.tweet_id = $4)
       RETURNING na.notification_id
     )
     UPDATE notifications n SET actors_count = n.actors_count - g.k
     FROM (SELECT notification_id, count(*)::int AS k FROM gone GROUP BY notification_id) g WHERE n.id = g.notification_id`,
    [removal.recipient, removal.actor, removal.kinds, removal.tweet_id ?? null],
  );
  const deleted = await db.query<{ read: boolean }>("DELETE FROM notifications WHERE recipient_id = $1 AND actors_count = 0 RETURNING read", [
    removal.recipient,
  ]);
  return deleted.some((d) => !d.read);
}

/** An entry with its targets' texts and its latest visible actors, as the presenter takes it. */
export interface EntryRow {
  id: string;
  sort_id: string;
  kind: string;
  tweet_id: string | null;
  comment_id: string | null;
  actors_count: number;
  read: boolean;
  created_at: Date;
  updated_at: Date;
  tweet_text: string | null;
  comment_text: string | null;
  actors: { id: string; name: string; family: string; username: string; photo_id: string | null }[];
}

/**
 * What the recipient ($1) may see of their entries: not about a tweet across a block with its owner or of a private
 * account they no longer follow, and with at least one actor on neither side of a block (a later block hides them).
 */
const VISIBLE = `n.recipient_id = $1
  AND (t.id IS NULL OR t.owner_id = $1 OR (NOT ${blockedBetween("$1", "t.owner_id")} AND (NOT o.is_private OR ${follows("$1", "t.owner_id")})))
  AND EXISTS (SELECT 1 FROM notification_actors na WHERE na.notification_id = n.id AND NOT ${blockedBetween("$1", "na.actor_id")})`;
const JOINS = `FROM notifications n LEFT JOIN tweets t ON t.id = n.tweet_id LEFT JOIN users o ON o.id = t.owner_id
  LEFT JOIN tweet_comments c ON c.id = n.comment_id`;

const ENTRY_COLUMNS = `n.id, n.sort_id, n.kind, n.tweet_id, n.comment_id, n.actors_count, n.read, n.created_at, n.updated_at,
  t.text AS tweet_text, c.text AS comment_text,
  (SELECT COALESCE(json_agg(json_build_object('id', a.id, 'name', a.name, 'family', a.family, 'username', a.username, 'photo_id', a.photo_id)
                            ORDER BY a.sort_id DESC), '[]'::json)
   FROM (SELECT u.id, u.name, u.family, u.username, u.photo_id, na.sort_id FROM notification_actors na JOIN users u ON u.id = na.actor_id
         WHERE na.notification_id = n.id AND NOT ${blockedBetween("$1", "na.actor_id")}
         ORDER BY na.sort_id DESC LIMIT 3) a) AS actors`;

/** A page of the recipient's entries, newest first, before the cursor (a sort_id). Uses (recipient_id, sort_id DESC). */
export function findEntries(db: Queryable, recipient: string, page: { before?: string; limit: number }): Promise<EntryRow[]> {
  return db.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} ${JOINS} WHERE ${VISIBLE} AND ($2::text IS NULL OR n.sort_id < $2) ORDER BY n.sort_id DESC LIMIT $3`,
    [recipient, page.before ?? null, page.limit],
  );
}

/** These entries of the recipient, if they may see them. */
export function findEntriesByIds(db: Queryable, recipient: string, ids: readonly string[]): Promise<EntryRow[]> {
  return db.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} ${JOINS} WHERE ${VISIBLE} AND n.id = ANY($2::text[]) ORDER BY n.sort_id DESC`, [
    recipient,
    ids,
  ]);
}

/** How many of the recipient's entries are unread and visible. Uses (recipient_id, sort_id) WHERE NOT read. */
export async function countUnread(db: Queryable, recipient: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n ${JOINS} WHERE ${VISIBLE} AND NOT n.read`, [recipient]);
  return row?.n ?? 0;
}

/** Marks the recipient's entries up to the cursor (a sort_id, inclusive) read; new causes then start new entries. */
export async function markRead(db: Queryable, recipient: string, upTo: string): Promise<void> {
  await db.query("UPDATE notifications SET read = true WHERE recipient_id = $1 AND NOT read AND sort_id <= $2", [recipient, upTo]);
}

/** A user's notification settings, every default filled in (Web Push reads `push_previews` here). */
export async function findNotificationSettings(db: Queryable, userId: string): Promise<NotificationSettings> {
  const [row] = await db.query<{ settings: unknown }>("SELECT settings FROM notification_settings WHERE user_id = $1", [userId]);
  return parseSettings(row?.settings);
}

/** Merges the changed keys into the stored settings; returns the stored object. */
export async function mergeSettings(db: Queryable, userId: string, patch: Record<string, boolean>): Promise<unknown> {
  const [row] = await db.query<{ settings: unknown }>(
    `INSERT INTO notification_settings (user_id, settings) VALUES ($1, $2::jsonb)
     ON CONFLICT (user_id) DO UPDATE SET settings = notification_settings.settings || EXCLUDED.settings
     RETURNING settings`,
    [userId, JSON.stringify(patch)],
  );
  return row?.settings;
}

/** The users with these (lower-cased) usernames who are on neither side of a block with the author: username → id. */
export async function findMentionable(db: Queryable, author: string, usernames: readonly string[]): Promise<Map<string, string>> {
  if (usernames.length === 0) return new Map();
  const rows = await db.query<{ id: string; username: string }>(
    `SELECT u.id, u.username FROM users u WHERE u.username = ANY($2::text[]) AND NOT ${blockedBetween("$1", "u.id")}`,
    [author, usernames],
  );
  return new Map(rows.map((r) => [r.username, r.id]));
}

/**
 * Deletes what an account received (its entries, its settings) and takes it out of everyone else's entries as an
 * actor (an entry left without actors goes). Returns the recipients whose unread count changed.
 */
export async function deleteAllOf(db: Queryable, userId: string): Promise<string[]> {
  await db.query("DELETE FROM notifications WHERE recipient_id = $1", [userId]);
  await db.query("DELETE FROM notification_settings WHERE user_id = $1", [userId]);
  const touched = await db.query<{ id: string }>(
    `WITH gone AS (DELETE FROM notification_actors WHERE actor_id = $1 RETURNING notification_id)
     UPDATE notifications n SET actors_count = n.actors_count - g.k
     FROM (SELECT notification_id, count(*)::int AS k FROM gone GROUP BY notification_id) g WHERE n.id = g.notification_id
     RETURNING n.id`,
    [userId],
  );
  const emptied = await db.query<{ recipient_id: string; read: boolean }>(
    "DELETE FROM notifications WHERE id = ANY($1::text[]) AND actors_count = 0 RETURNING recipient_id, read",
    [touched.map((t) => t.id)],
  );
  return [...new Set(emptied.filter((e) => !e.read).map((e) => e.recipient_id))];
}
