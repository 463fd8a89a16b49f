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

/** A message to store: its id is made by the database from the seconds and tail given (see sendMessages). */
export type OutgoingMessage = Omit<NewMessage, "id"> & {
  /** The id's last 16 hex characters (this process's bytes and counter), increasing within a batch. */
  id_tail: string;
  /** What the log stores for both people: the presented message, without the id and reply_to the database decides. */
  payload: Record<string, unknown>;
};

/** What became of each message of a batch, by position. */
export type SendOutcome =
  | { stored: true; row: MessageRow; recipient_seq: number; sender_seq: number }
  | { stored: false; original: MessageRow | undefined };

/**
 * Stores a batch of messages and logs each for both people in one call, committed on its own (the database's
 * send_messages: conversation locks, ids increasing in commit order, the block and recipient checks, the chat list
 * rows and the log). Refused (no original): a recipient who does not exist, or a block. A retry of a stored
 * (sender, client_id) is not stored again and answers the original.
 */
export async function sendMessages(db: Queryable, batch: readonly OutgoingMessage[], idSeconds: string, sentAt: Date): Promise<SendOutcome[]> {
  const column = <K extends keyof OutgoingMessage>(key: K) => batch.map((m) => m[key]);
  const rows = await db.query<MessageRow & { n: number; stored: boolean; recipient_seq: number | null; sender_seq: number | null }>(
    "SELECT * FROM send_messages($1::text[], $2, $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]::jsonb[], $10)",
    [
      column("id_tail"),
      idSeconds,
      column("sender_id"),
      column("recipient_id"),
      column("reply_to"),
      column("text"),
      column("image_id"),
      column("client_id"),
      batch.map((m) => JSON.stringify(m.payload)),
      sentAt,
    ],
  );
  const outcomes: SendOutcome[] = batch.map(() => ({ stored: false, original: undefined }));
  for (const { n, stored, recipient_seq, sender_seq, ...row } of rows) {
    outcomes[Number(n) - 1] = stored
      ? { stored: true, row, recipient_seq: Number(recipient_seq), sender_seq: Number(sender_seq) }
      : { stored: false, original: row };
  }
  return outcomes;
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

/** Which of these users are suspended (through the small users_suspended_idx): direct messages to them are refused. */
export async function findSuspended(db: Queryable, ids: readonly string[]): Promise<string[]> {
  const rows = await db.query<{ id: string }>("SELECT id FROM users WHERE id = ANY($1::text[]) AND suspended_at IS NOT NULL", [ids]);
  return rows.map((r) => r.id);
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

/** Deletes a departing account's side of its conversations (its chat list) and what it hid; the messages stay. */
export async function deleteOwnSideOf(db: Queryable, userId: string): Promise<string[]> {
  await db.query("DELETE FROM message_hidden WHERE user_id = $1", [userId]);
  const rows = await db.query<{ other_id: string }>("DELETE FROM conversations WHERE user_id = $1 RETURNING other_id", [userId]);
  return rows.map((r) => r.other_id);
}

/** The people an account has conversations with, by keyset on their id (the export). */
export async function findPartners(db: Queryable, userId: string, after: string | null, limit: number): Promise<string[]> {
  const rows = await db.query<{ other_id: string }>(
    "SELECT other_id FROM conversations WHERE user_id = $1 AND ($2::text IS NULL OR other_id > $2) ORDER BY user_id, other_id LIMIT $3",
    [userId, after, limit],
  );
  return rows.map((r) => r.other_id);
}
