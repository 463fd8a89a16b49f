import type { Queryable } from "../../db/db.ts";
import type { AddFacts, GroupRole } from "./policy.ts";

export interface GroupRow {
  id: string;
  title: string;
  photo_id: string | null;
  owner_id: string;
  members_count: number;
  created_at: Date;
}

export interface MemberRow {
  user_id: string;
  role: GroupRole;
  joined_at: Date;
  /** The member's read mark: the newest message they have seen. */
  seen_up_to: string | null;
  name: string;
  family: string;
  username: string;
  photo_id: string | null;
}

export interface GroupMessageRow {
  id: string;
  group_id: string;
  sender_id: string;
  reply_to: string | null;
  text: string | null;
  image_id: string | null;
  client_id: string | null;
  sent_at: Date;
  edited_at: Date | null;
}

const GROUP = "g.id, g.title, g.photo_id, g.owner_id, g.members_count, g.created_at";
const MESSAGE = "m.id, m.group_id, m.sender_id, m.reply_to, m.text, m.image_id, m.client_id, m.sent_at, m.edited_at";

/**
 * Serialises every change to one group (members, roles, messages) until the transaction ends: the member limit holds
 * under concurrency, a removed member's send cannot slip in after the removal, and message ids increase in commit order.
 */
export async function lockGroup(db: Queryable, groupId: string): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`group:${groupId}`]);
}

export async function insertGroup(
  db: Queryable,
  group: { id: string; title: string; photo_id: string | null; owner_id: string; created_at: Date },
): Promise<void> {
  await db.query("INSERT INTO groups (id, title, photo_id, owner_id, created_at) VALUES ($1, $2, $3, $4, $5)", [
    group.id,
    group.title,
    group.photo_id,
    group.owner_id,
    group.created_at,
  ]);
}

export async function findGroup(db: Queryable, groupId: string): Promise<GroupRow | undefined> {
  const rows = await db.query<GroupRow>(`SELECT ${GROUP} FROM groups g WHERE g.id = $1`, [groupId]);
  return rows[0];
}

/** The user's role in the group, or undefined for one who is not a member. */
export async function findRole(db: Queryable, groupId: string, userId: string): Promise<GroupRole | undefined> {
  const rows = await db.query<{ role: GroupRole }>("SELECT role FROM group_members WHERE group_id = $1 AND user_id = $2", [groupId, userId]);
  return rows[0]?.role;
}

export async function findMembers(db: Queryable, groupId: string): Promise<MemberRow[]> {
  return db.query<MemberRow>(
    `SELECT gm.user_id, gm.role, gm.joined_at, gm.seen_up_to, u.name, u.family, u.username, u.photo_id
     FROM group_members gm JOIN users u ON u.id = gm.user_id
     WHERE gm.group_id = $1 ORDER BY gm.joined_at, gm.user_id`,
    [groupId],
  );
}

export async function findMemberIds(db: Queryable, groupId: string): Promise<string[]> {
  const rows = await db.query<{ user_id: string }>("SELECT user_id FROM group_members WHERE group_id = $1", [groupId]);
  return rows.map((r) => r.user_id);
}

/** Each user's group ids (sockets join their rooms on connect); several users in one query. */
export async function findGroupIdsOf(db: Queryable, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await db.query<{ user_id: string; group_id: string }>(
    "SELECT user_id, group_id FROM group_members WHERE user_id = ANY($1::text[])",
    [userIds],
  );
  const byUser = new Map<string, string[]>(userIds.map((id) => [id, []]));
  for (const row of rows) byUser.get(row.user_id)?.push(row.group_id);
  return byUser;
}

/** For each candidate, the facts that decide whether `adder` may add them (see policy.addRefusal). */
export async function findAddFacts(db: Queryable, groupId: string, adder: string, candidates: readonly string[]): Promise<Map<string, AddFacts>> {
  const rows = await db.query<AddFacts & { id: string }>(
    `SELECT c.id, u.id IS NOT NULL AS exists,
            EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = $1 AND gm.user_id = c.id) AS member,
            EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = c.id AND b.blocked_id = $2) OR (b.blocker_id = $2 AND b.blocked_id = c.id)) AS blocked,
            COALESCE(u.settings->>'group_invites', 'everyone') AS invites,
            EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = c.id AND f.followee_id = $2) AS follows_adder
     FROM unnest($3::text[]) AS c(id) LEFT JOIN users u ON u.id = c.id AND u.deleted_at IS NULL`,
    [groupId, adder, [...new Set(candidates)]],
  );
  return new Map(rows.map(({ id, ...facts }) => [id, facts]));
}

/** Adds members (skipping any already in) and returns the ids added; the group's count follows. */
export async function addMembers(db: Queryable, groupId: string, members: readonly { user_id: string; role: GroupRole }[], at: Date): Promise<string[]> {
  if (members.length === 0) return [];
  const rows = await db.query<{ user_id: string }>(
    `WITH added AS (
       INSERT INTO group_members (group_id, user_id, role, joined_at)
       SELECT $1, m.user_id, m.role, $4 FROM unnest($2::text[], $3::text[]) AS m(user_id, role)
       ON CONFLICT DO NOTHING
       RETURNING user_id
     ), counted AS (
       UPDATE groups SET members_count = members_count + (SELECT count(*) FROM added) WHERE id = $1
     )
     SELECT user_id FROM added`,
    [groupId, members.map((m) => m.user_id), members.map((m) => m.role), at],
  );
  return rows.map((r) => r.user_id);
}

/** Removes a member; false when they were not one. */
export async function removeMember(db: Queryable, groupId: string, userId: string): Promise<boolean> {
  const rows = await db.query(
    `WITH removed AS (DELETE FROM group_members WHERE group_id = $1 AND user_id = $2 RETURNING user_id),
     counted AS (UPDATE groups SET members_count = members_count - (SELECT count(*) FROM removed) WHERE id = $1)
     SELECT user_id FROM removed`,
    [groupId, userId],
  );
  return rows.length > 0;
}

export async function setRole(db: Queryable, groupId: string, userId: string, role: GroupRole): Promise<void> {
  await db.query("UPDATE group_members SET role = $3 WHERE group_id = $1 AND user_id = $2", [groupId, userId, role]);
}

export async function setOwner(db: Queryable, groupId: string, ownerId: string): Promise<void> {
  await db.query("UPDATE groups SET owner_id = $2 WHERE id = $1", [groupId, ownerId]);
}

/** Changes the title and the photo; undefined leaves one as it is, a null photo removes it. */
export async function updateGroup(db: Queryable, groupId: string, change: { title?: string | undefined; photo_id?: string | null | undefined }): Promise<void> {
  await db.query(
    `UPDATE groups SET title = COALESCE($2, title), photo_id = CASE WHEN $3::boolean THEN $4 ELSE photo_id END WHERE id = $1`,
    [groupId, change.title ?? null, change.photo_id !== undefined, change.photo_id ?? null],
  );
}

export async function deleteGroup(db: Queryable, groupId: string): Promise<void> {
  await db.query("DELETE FROM groups WHERE id = $1", [groupId]);
}

/** A group message to store: its id is made by the database from the seconds and tail given (see sendGroupMessages). */
export type OutgoingGroupMessage = Pick<GroupMessageRow, "group_id" | "sender_id" | "reply_to" | "text" | "image_id" | "client_id"> & {
  /** The id's last 16 hex characters (this process's bytes and counter), increasing within a batch. */
  id_tail: string;
  /** What the log stores for every member: the presented message, without the id and reply_to the database decides. */
  payload: Record<string, unknown>;
};

/** What became of each message of a batch, by position; `refused` for a sender who is not a member. */
export type GroupSendOutcome =
  | { status: "stored"; row: GroupMessageRow; members: string[]; seqs: number[] }
  | { status: "duplicate"; original: GroupMessageRow }
  | { status: "refused" };

/**
 * Stores a batch of group messages and logs each for every member in one call, committed on its own (the database's
 * send_group_messages: the groups' locks, membership under them, ids increasing in commit order, the log).
 */
export async function sendGroupMessages(
  db: Queryable,
  batch: readonly OutgoingGroupMessage[],
  idSeconds: string,
  sentAt: Date,
): Promise<GroupSendOutcome[]> {
  const columns = (["group_id", "sender_id", "reply_to", "text", "image_id", "client_id"] as const).map((key) => batch.map((m) => m[key]));
  const rows = await db.query<GroupMessageRow & { n: number; stored: boolean; members: string[] | null; seqs: (number | string)[] | null }>(
    "SELECT * FROM send_group_messages($1::text[], $2, $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]::jsonb[], $10)",
    [batch.map((m) => m.id_tail), idSeconds, ...columns, batch.map((m) => JSON.stringify(m.payload)), sentAt],
  );
  const outcomes: GroupSendOutcome[] = batch.map(() => ({ status: "refused" }));
  for (const { n, stored, members, seqs, ...row } of rows) {
    outcomes[Number(n) - 1] = stored
      ? { status: "stored", row, members: members!, seqs: seqs!.map(Number) }
      : { status: "duplicate", original: row };
  }
  return outcomes;
}

export async function findByClientId(db: Queryable, senderId: string, clientId: string): Promise<GroupMessageRow | undefined> {
  const rows = await db.query<GroupMessageRow>(`SELECT ${MESSAGE} FROM group_messages m WHERE m.sender_id = $1 AND m.client_id = $2`, [senderId, clientId]);
  return rows[0];
}

/** A page of the group's messages as `viewer` sees them (without those they hid), newest first, before an id (keyset). */
export async function findMessagesPage(db: Queryable, groupId: string, viewer: string, before: string | undefined, limit: number): Promise<GroupMessageRow[]> {
  return db.query<GroupMessageRow>(
    `SELECT ${MESSAGE} FROM group_messages m
     WHERE m.group_id = $1 AND ($2::text IS NULL OR m.id < $2)
       AND NOT EXISTS (SELECT 1 FROM group_message_hidden h WHERE h.user_id = $4 AND h.message_id = m.id)
     ORDER BY m.id DESC LIMIT $3`,
    [groupId, before ?? null, limit, viewer],
  );
}

export async function findMessage(db: Queryable, id: string): Promise<GroupMessageRow | undefined> {
  const rows = await db.query<GroupMessageRow>(`SELECT ${MESSAGE} FROM group_messages m WHERE m.id = $1`, [id]);
  return rows[0];
}

/** A member's read mark (null: nothing seen yet); undefined when they are not a member. */
export async function findSeenUpTo(db: Queryable, groupId: string, userId: string): Promise<string | null | undefined> {
  const rows = await db.query<{ seen_up_to: string | null }>("SELECT seen_up_to FROM group_members WHERE group_id = $1 AND user_id = $2", [groupId, userId]);
  return rows[0] === undefined ? undefined : rows[0].seen_up_to;
}

export async function isHiddenFor(db: Queryable, userId: string, messageId: string): Promise<boolean> {
  return (await db.query("SELECT 1 FROM group_message_hidden WHERE user_id = $1 AND message_id = $2", [userId, messageId])).length > 0;
}

export async function updateMessageText(db: Queryable, id: string, text: string, editedAt: Date): Promise<GroupMessageRow | undefined> {
  const rows = await db.query<GroupMessageRow>(
    "UPDATE group_messages SET text = $2, edited_at = $3 WHERE id = $1 RETURNING id, group_id, sender_id, reply_to, text, image_id, client_id, sent_at, edited_at",
    [id, text, editedAt],
  );
  return rows[0];
}

export async function deleteMessage(db: Queryable, id: string): Promise<void> {
  await db.query("DELETE FROM group_messages WHERE id = $1", [id]);
}

export async function hideMessage(db: Queryable, userId: string, id: string): Promise<void> {
  await db.query("INSERT INTO group_message_hidden (user_id, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [userId, id]);
}

/** The members other than its sender whose read mark passed the message, with when it first did; earliest first. */
export async function findReaders(db: Queryable, message: GroupMessageRow): Promise<(Omit<MemberRow, "role" | "joined_at"> & { seen_at: Date })[]> {
  return db.query(
    `SELECT s.user_id, min(s.seen_at) AS seen_at, u.name, u.family, u.username, u.photo_id
     FROM group_seen s
     JOIN group_members gm ON gm.group_id = s.group_id AND gm.user_id = s.user_id
     JOIN users u ON u.id = s.user_id
     WHERE s.group_id = $1 AND s.up_to >= $2 AND s.user_id <> $3
     GROUP BY s.user_id, u.name, u.family, u.username, u.photo_id
     ORDER BY min(s.seen_at), s.user_id`,
    [message.group_id, message.id, message.sender_id],
  );
}

/** Moves a member's read mark forward to `upTo` (a message of the group); false when it was there already or beyond. */
export async function advanceSeen(db: Queryable, groupId: string, userId: string, upTo: string, seenAt: Date): Promise<boolean> {
  const rows = await db.query(
    `WITH moved AS (
       UPDATE group_members SET seen_up_to = $3::text
       WHERE group_id = $1::text AND user_id = $2::text AND (seen_up_to IS NULL OR seen_up_to < $3::text)
         AND EXISTS (SELECT 1 FROM group_messages m WHERE m.id = $3::text AND m.group_id = $1::text)
       RETURNING user_id
     ), logged AS (
       INSERT INTO group_seen (group_id, user_id, up_to, seen_at) SELECT $1::text, user_id, $3::text, $4 FROM moved
     )
     SELECT user_id FROM moved`,
    [groupId, userId, upTo, seenAt],
  );
  return rows.length > 0;
}

/** Among the group's members, those who blocked `userId` (they do not see that user's typing). */
export async function findBlockersAmong(db: Queryable, groupId: string, userId: string): Promise<string[]> {
  const rows = await db.query<{ blocker_id: string }>(
    `SELECT b.blocker_id FROM blocks b JOIN group_members gm ON gm.group_id = $1 AND gm.user_id = b.blocker_id
     WHERE b.blocked_id = $2`,
    [groupId, userId],
  );
  return rows.map((r) => r.blocker_id);
}

export interface GroupChatRow extends GroupRow {
  role: GroupRole;
  unread_count: number;
  last: GroupMessageRow | null;
}

/**
 * My groups for the chat list, most recent activity first (the last message I can see, or the group's creation):
 * each with my role, that message and how many messages of others arrived after my read mark.
 */
export async function findGroupChats(db: Queryable, userId: string, limit: number): Promise<GroupChatRow[]> {
  const rows = await db.query<GroupRow & { role: GroupRole; unread_count: number } & { [K in keyof GroupMessageRow as `m_${K}`]: GroupMessageRow[K] | null }>(
    `SELECT ${GROUP}, gm.role,
            (SELECT count(*)::int FROM group_messages x
             WHERE x.group_id = g.id AND x.sender_id <> $1 AND (gm.seen_up_to IS NULL OR x.id > gm.seen_up_to)
               AND NOT EXISTS (SELECT 1 FROM group_message_hidden h WHERE h.user_id = $1 AND h.message_id = x.id)) AS unread_count,
            lm.id AS m_id, lm.group_id AS m_group_id, lm.sender_id AS m_sender_id, lm.reply_to AS m_reply_to, lm.text AS m_text,
            lm.image_id AS m_image_id, lm.client_id AS m_client_id, lm.sent_at AS m_sent_at, lm.edited_at AS m_edited_at
     FROM group_members gm
     JOIN groups g ON g.id = gm.group_id
     LEFT JOIN LATERAL (
       SELECT ${MESSAGE} FROM group_messages m
       WHERE m.group_id = g.id AND NOT EXISTS (SELECT 1 FROM group_message_hidden h WHERE h.user_id = $1 AND h.message_id = m.id)
       ORDER BY m.id DESC LIMIT 1
     ) lm ON true
     WHERE gm.user_id = $1
     ORDER BY COALESCE(lm.id, g.id) DESC
     LIMIT $2`,
    [userId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    photo_id: r.photo_id,
    owner_id: r.owner_id,
    members_count: r.members_count,
    created_at: r.created_at,
    role: r.role,
    unread_count: r.unread_count,
    last: r.m_id
      ? {
          id: r.m_id,
          group_id: r.m_group_id!,
          sender_id: r.m_sender_id!,
          reply_to: r.m_reply_to,
          text: r.m_text,
          image_id: r.m_image_id,
          client_id: r.m_client_id,
          sent_at: r.m_sent_at!,
          edited_at: r.m_edited_at,
        }
      : null,
  }));
}

/** Who takes a group over from an owner who leaves for good: the longest-standing admin, else the longest-standing member. */
export async function findSuccessor(db: Queryable, groupId: string, leaving: string): Promise<string | undefined> {
  const rows = await db.query<{ user_id: string }>(
    `SELECT user_id FROM group_members WHERE group_id = $1 AND user_id <> $2
     ORDER BY (role = 'admin') DESC, joined_at, user_id LIMIT 1`,
    [groupId, leaving],
  );
  return rows[0]?.user_id;
}

/** Deletes what a departing account kept per group message: what it hid and its read marks. */
export async function deleteMessageMarksOf(db: Queryable, userId: string): Promise<void> {
  await db.query("DELETE FROM group_message_hidden WHERE user_id = $1", [userId]);
  await db.query("DELETE FROM group_seen WHERE user_id = $1", [userId]);
}
