import type { Queryable } from "../../db/db.ts";
import { groupByUser } from "../../db/group.ts";
import type { RecipientRelation } from "./policy.ts";

export interface MessageRow {
  id: string;
  sender_id: string;
  recipient_id: string;
  reply_to: string | null;
  text: string | null;
  image_id: string | null;
  client_id: string | null;
  sent_at: Date;
  edited_at: Date | null;
  delivered_at: Date | null;
  seen_at: Date | null;
}

const COLUMNS = "id, sender_id, recipient_id, reply_to, text, image_id, client_id, sent_at, edited_at, delivered_at, seen_at";
const M_COLUMNS = COLUMNS.split(", ").map((c) => `m.${c}`).join(", ");

/** The conversation key: the two user ids in order, as the conversation index stores them. */
export function conversationKey(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

export type NewMessage = Pick<MessageRow, "id" | "sender_id" | "recipient_id" | "reply_to" | "text" | "image_id" | "client_id">;

/** Serialises writers of the same conversations (ids then increase in commit order). Keys are locked sorted: no deadlock. */
export async function lockConversations(db: Queryable, keys: readonly string[]): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(hashtext(k)) FROM (SELECT DISTINCT unnest($1::text[]) AS k ORDER BY 1) s", [
    keys.map((k) => `conversation:${k}`),
  ]);
}

/** The newest message id of each conversation given as "a:b" keys (a < b). */
export async function findLastIds(db: Queryable, keys: readonly string[]): Promise<Map<string, string>> {
  const rows = await db.query<{ k: string; last_id: string | null }>(
    `SELECT k, (SELECT max(m.id) FROM messages m
                WHERE LEAST(m.sender_id, m.recipient_id) = split_part(k, ':', 1)
                  AND GREATEST(m.sender_id, m.recipient_id) = split_part(k, ':', 2)) AS last_id
     FROM unnest($1::text[]) AS k`,
    [[...new Set(keys)]],
  );
  return new Map(rows.filter((r) => r.last_id).map((r) => [r.k, r.last_id!]));
}

/**
 * Inserts a batch of messages in one statement, and moves both participants' conversation rows forward.
 * Skipped, and so absent from the result: a message to a user who does not exist, one between a blocked pair, and a
 * retry whose (sender, client_id) is stored already. The recipient and block checks are part of this statement, so a
 * send costs no query of its own. A reply_to outside the conversation is stored as null.
 */
export async function insertMessages(db: Queryable, batch: readonly NewMessage[], sentAt: Date): Promise<MessageRow[]> {
  const column = <K extends keyof NewMessage>(key: K) => batch.map((m) => m[key]);
  return db.query<MessageRow>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         WITH ORDINALITY AS i(id, sender_id, recipient_id, reply_to, text, image_id, client_id, n)
     ),
     inserted AS (
       INSERT INTO messages (id, sender_id, recipient_id, reply_to, text, image_id, client_id, sent_at)
       SELECT i.id, i.sender_id, i.recipient_id,
              (SELECT r.id FROM messages r WHERE r.id = i.reply_to
                 AND LEAST(r.sender_id, r.recipient_id) = LEAST(i.sender_id, i.recipient_id)
                 AND GREATEST(r.sender_id, r.recipient_id) = GREATEST(i.sender_id, i.recipient_id)),
              i.text, i.image_id, i.client_id, $8
       FROM input i
       WHERE EXISTS (SELECT 1 FROM users r WHERE r.id = i.recipient_id)
         AND NOT EXISTS (SELECT 1 FROM blocks b
                         WHERE (b.blocker_id = i.sender_id AND b.blocked_id = i.recipient_id)
                            OR (b.blocker_id = i.recipient_id AND b.blocked_id = i.sender_id))
       ORDER BY i.n
       ON CONFLICT (sender_id, client_id) WHERE client_id IS NOT NULL DO NOTHING
       RETURNING ${COLUMNS}
     ),
     sides AS (
       SELECT sender_id AS user_id, recipient_id AS other_id, id FROM inserted
       UNION ALL
       SELECT recipient_id, sender_id, id FROM inserted
     ),
     conversations_moved AS (
       INSERT INTO conversations (user_id, other_id, last_message_id)
       SELECT user_id, other_id, max(id) FROM sides GROUP BY user_id, other_id
       ON CONFLICT (user_id, other_id) DO UPDATE
         SET last_message_id = GREATEST(conversations.last_message_id, EXCLUDED.last_message_id)
     )
     SELECT * FROM inserted ORDER BY id`,
    [
      column("id"),
      column("sender_id"),
      column("recipient_id"),
      column("reply_to"),
      column("text"),
      column("image_id"),
      column("client_id"),
      sentAt,
    ],
  );
}

/** Messages already stored under these (sender, client_id) pairs: the originals of retried sends. */
export async function findByClientIds(
  db: Queryable,
  pairs: readonly { sender_id: string; client_id: string }[],
): Promise<MessageRow[]> {
  if (pairs.length === 0) return [];
  return db.query<MessageRow>(
    `SELECT ${M_COLUMNS} FROM messages m
     JOIN unnest($1::text[], $2::text[]) AS p(sender_id, client_id)
       ON m.sender_id = p.sender_id AND m.client_id = p.client_id`,
    [pairs.map((p) => p.sender_id), pairs.map((p) => p.client_id)],
  );
}

export async function findMessage(db: Queryable, id: string): Promise<MessageRow | undefined> {
  const rows = await db.query<MessageRow>(`SELECT ${COLUMNS} FROM messages WHERE id = $1`, [id]);
  return rows[0];
}

/** Whether the user hid this message for themselves. */
export async function isHiddenFor(db: Queryable, userId: string, messageId: string): Promise<boolean> {
  const rows = await db.query("SELECT 1 FROM message_hidden WHERE user_id = $1 AND message_id = $2", [userId, messageId]);
  return rows.length > 0;
}

/** A page of the conversation between `me` and `other`, newest first, without what `me` hid. */
export async function findConversationPage(
  db: Queryable,
  me: string,
  other: string,
  page: { before?: string; offset: number; limit: number },
): Promise<MessageRow[]> {
  const [a, b] = conversationKey(me, other);
  return db.query<MessageRow>(
    `SELECT ${M_COLUMNS} FROM messages m
     WHERE LEAST(m.sender_id, m.recipient_id) = $1 AND GREATEST(m.sender_id, m.recipient_id) = $2
       AND ($3::text IS NULL OR m.id < $3)
       AND NOT EXISTS (SELECT 1 FROM message_hidden h WHERE h.user_id = $4 AND h.message_id = m.id)
     ORDER BY LEAST(m.sender_id, m.recipient_id), GREATEST(m.sender_id, m.recipient_id), m.id DESC
     LIMIT $5 OFFSET $6`,
    [a, b, page.before ?? null, me, page.limit, page.offset],
  );
}

/**
 * Each user's unseen incoming messages, the newest `cap`, oldest first; several users in one query (connections
 * arriving together).
 */
export async function findUnreadOf(db: Queryable, users: readonly string[], cap: number): Promise<Map<string, MessageRow[]>> {
  const rows = await db.query<MessageRow & { for_user: string }>(
    `SELECT r.me AS for_user, m.* FROM unnest($1::text[]) AS r(me)
     CROSS JOIN LATERAL (
       SELECT ${M_COLUMNS} FROM messages m
       WHERE m.recipient_id = r.me AND m.seen_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM message_hidden h WHERE h.user_id = r.me AND h.message_id = m.id)
       ORDER BY m.id DESC LIMIT $2
     ) m
     ORDER BY r.me, m.id`,
    [users, cap],
  );
  return groupByUser(users, rows);
}

export interface ChatListRow {
  other_id: string;
  name: string;
  family: string;
  username: string;
  photo_id: string | null;
  unread_count: number;
  /** When the first block between the two began, if any (a read receipt after it is not shown). */
  blocked_since: Date | null;
  message: MessageRow;
}

/**
 * Each user's conversations, most recent first, with the partner, the last visible message and the unread count;
 * several users in one query (connections arriving together).
 */
export async function findChatListOf(db: Queryable, users: readonly string[], limit: number): Promise<Map<string, ChatListRow[]>> {
  const rows = await db.query<Omit<ChatListRow, "message"> & MessageRow & { for_user: string }>(
    `SELECT r.me AS for_user, c.* FROM unnest($1::text[]) AS r(me)
     CROSS JOIN LATERAL (
       SELECT c.other_id, u.name, u.family, u.username, u.photo_id, COALESCE(unread.n, 0)::int AS unread_count,
              (SELECT min(b.created_at) FROM blocks b WHERE (b.blocker_id = r.me AND b.blocked_id = c.other_id)
                                                       OR (b.blocker_id = c.other_id AND b.blocked_id = r.me)) AS blocked_since,
              ${M_COLUMNS}
       FROM conversations c
       JOIN messages m ON m.id = c.last_message_id
       JOIN users u ON u.id = c.other_id
       LEFT JOIN (
         SELECT x.sender_id, count(*) AS n FROM messages x
         WHERE x.recipient_id = r.me AND x.seen_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM message_hidden h WHERE h.user_id = r.me AND h.message_id = x.id)
         GROUP BY x.sender_id
       ) unread ON unread.sender_id = c.other_id
       WHERE c.user_id = r.me
       ORDER BY c.last_message_id DESC
       LIMIT $2
     ) c
     ORDER BY r.me, c.id DESC`,
    [users, limit],
  );
  return groupByUser(users, rows, ({ other_id, name, family, username, photo_id, unread_count, blocked_since, ...message }) => ({
    other_id,
    name,
    family,
    username,
    photo_id,
    unread_count,
    blocked_since,
    message,
  }));
}

/** Marks these (recipient, message) pairs as delivered (those not yet); returns the ones that changed. */
export async function markDelivered(
  db: Queryable,
  pairs: readonly { recipient_id: string; id: string }[],
  deliveredAt: Date,
): Promise<{ id: string; sender_id: string; recipient_id: string }[]> {
  if (pairs.length === 0) return [];
  return db.query(
    `UPDATE messages m SET delivered_at = $3
     FROM unnest($1::text[], $2::text[]) AS p(recipient_id, id)
     WHERE m.id = p.id AND m.recipient_id = p.recipient_id AND m.delivered_at IS NULL
     RETURNING m.id, m.sender_id, m.recipient_id`,
    [pairs.map((p) => p.recipient_id), pairs.map((p) => p.id), deliveredAt],
  );
}

/** Marks `with`'s unseen messages to me up to and including `upTo` as seen; returns how many changed. */
export async function markSeen(db: Queryable, me: string, withId: string, upTo: string, seenAt: Date): Promise<number> {
  const rows = await db.query(
    `UPDATE messages SET seen_at = $4, delivered_at = COALESCE(delivered_at, $4)
     WHERE recipient_id = $1 AND sender_id = $2 AND id <= $3 AND seen_at IS NULL
     RETURNING id`,
    [me, withId, upTo, seenAt],
  );
  return rows.length;
}

export async function updateText(db: Queryable, id: string, text: string, editedAt: Date): Promise<MessageRow | undefined> {
  const rows = await db.query<MessageRow>(`UPDATE messages SET text = $2, edited_at = $3 WHERE id = $1 RETURNING ${COLUMNS}`, [
    id,
    text,
    editedAt,
  ]);
  return rows[0];
}

export async function hideFor(db: Queryable, userId: string, messageId: string): Promise<void> {
  await db.query("INSERT INTO message_hidden (user_id, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [userId, messageId]);
}

export async function deleteMessage(db: Queryable, id: string): Promise<void> {
  await db.query("DELETE FROM messages WHERE id = $1", [id]);
}

/** Points each given user's conversation row at the newest message they can still see. */
export async function refreshLastMessage(db: Queryable, userIds: readonly string[], a: string, b: string): Promise<void> {
  await db.query(
    `UPDATE conversations c SET last_message_id = (
       SELECT max(m.id) FROM messages m
       WHERE LEAST(m.sender_id, m.recipient_id) = $2 AND GREATEST(m.sender_id, m.recipient_id) = $3
         AND NOT EXISTS (SELECT 1 FROM message_hidden h WHERE h.user_id = c.user_id AND h.message_id = m.id))
     WHERE c.user_id = ANY($1::text[]) AND c.other_id = CASE WHEN c.user_id = $2 THEN $3 ELSE $2 END`,
    [userIds, a, b],
  );
}

/** Whether a user exists, and the blocks between the two either way, in one query. */
export async function findRecipientRelation(db: Queryable, sender: string, recipient: string): Promise<RecipientRelation> {
  const rows = await db.query<RecipientRelation>(
    `SELECT EXISTS (SELECT 1 FROM users WHERE id = $2) AS exists,
            EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = $2) AS i_blocked,
            EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $2 AND blocked_id = $1) AS they_blocked,
            (SELECT min(created_at) FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)) AS blocked_since`,
    [sender, recipient],
  );
  return rows[0]!;
}
