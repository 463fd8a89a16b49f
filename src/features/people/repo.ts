import type { Queryable } from "../../db/db.ts";
import type { Role } from "../moderation/policy.ts";

export type LastSeenVisibility = "everyone" | "followers" | "nobody";
/** Who may add me to groups: anyone, only people I follow, or nobody. */
export type GroupInvites = "everyone" | "following" | "nobody";

export interface ProfileRow {
  id: string;
  name: string;
  family: string;
  username: string;
  photo_id: string | null;
  biography: string;
  last_seen: Date | null;
  is_private: boolean;
  last_seen_visibility: LastSeenVisibility;
  group_invites: GroupInvites;
  role: Role;
  followers_count: number;
  following_count: number;
  tweets_count: number;
}

const VISIBILITY = "COALESCE(settings->>'last_seen_visibility', 'everyone')";

/** A profile with its counts, in one query. */
export async function findProfile(db: Queryable, userId: string): Promise<ProfileRow | undefined> {
  const rows = await db.query<ProfileRow>(
    `SELECT id, name, family, username, photo_id, biography, last_seen, is_private,
            ${VISIBILITY} AS last_seen_visibility,
            COALESCE(settings->>'group_invites', 'everyone') AS group_invites, role,
            (SELECT count(*)::int FROM follows WHERE followee_id = u.id) AS followers_count,
            (SELECT count(*)::int FROM follows WHERE follower_id = u.id) AS following_count,
            (SELECT count(*)::int FROM tweets WHERE owner_id = u.id) AS tweets_count
     FROM users u WHERE id = $1`,
    [userId],
  );
  return rows[0];
}

/** The id of the account with this (lower-cased) username, through its unique index. */
export async function findUserIdByUsername(db: Queryable, username: string): Promise<string | undefined> {
  const rows = await db.query<{ id: string }>(`SELECT id FROM users WHERE username = $1`, [username]);
  return rows[0]?.id;
}

/** My own last-seen visibility setting. */
export async function findVisibility(db: Queryable, userId: string): Promise<LastSeenVisibility> {
  const rows = await db.query<{ v: LastSeenVisibility }>(`SELECT ${VISIBILITY} AS v FROM users WHERE id = $1`, [userId]);
  return rows[0]?.v ?? "everyone";
}

export interface ProfileChanges {
  name?: string;
  family?: string;
  username?: string;
  biography?: string;
  phone?: string | null;
  photo_id?: string | null;
}

const EDITABLE = ["name", "family", "username", "biography", "phone", "photo_id"] as const;

/** Applies the given changes (only those keys); a taken username surfaces as a unique violation of users_username_key. */
export async function updateProfile(
  db: Queryable,
  userId: string,
  changes: ProfileChanges,
  settings: { last_seen_visibility?: LastSeenVisibility | undefined; group_invites?: GroupInvites | undefined } = {},
): Promise<void> {
  const keys = EDITABLE.filter((key) => changes[key] !== undefined);
  const values: unknown[] = keys.map((key) => changes[key]);
  // Column names come from the fixed list above, never from the client.
  const assignments = keys.map((key, i) => `${key} = $${i + 2}`);
  const chosen = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  if (Object.keys(chosen).length > 0) {
    values.push(JSON.stringify(chosen));
    assignments.push(`settings = settings || $${values.length + 1}::jsonb`);
  }
  if (assignments.length === 0) return;
  await db.query(`UPDATE users SET ${assignments.join(", ")} WHERE id = $1`, [userId, ...values]);
}

export interface SearchRow {
  id: string;
  name: string;
  family: string;
  username: string;
  photo_id: string | null;
}

/** Prefix match on username, name or family, case-insensitive; exact and username matches first; never those who blocked me. */
export function searchUsers(db: Queryable, viewer: string, query: string, limit: number): Promise<SearchRow[]> {
  const prefix = query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`) + "%";
  return db.query<SearchRow>(
    `SELECT u.id, u.name, u.family, u.username, u.photo_id FROM users u
     WHERE (u.username LIKE $2 ESCAPE '\\' OR lower(u.name) LIKE $2 ESCAPE '\\' OR lower(u.family) LIKE $2 ESCAPE '\\')
       AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = u.id AND b.blocked_id = $1)
       AND u.deleted_at IS NULL
     ORDER BY (u.username = $3) DESC, (u.username LIKE $2 ESCAPE '\\') DESC, length(u.username), u.username
     LIMIT $4`,
    [viewer, prefix, query.toLowerCase(), limit],
  );
}

/** What deciding whether I may see each user's last seen depends on, for many users in one query. */
export interface PresenceFactsRow {
  id: string;
  last_seen: Date | null;
  visibility: LastSeenVisibility;
  they_follow_me: boolean;
  i_follow_them: boolean;
  they_blocked_me: boolean;
}

export function findPresenceFacts(db: Queryable, viewer: string, ids: readonly string[]): Promise<PresenceFactsRow[]> {
  return db.query<PresenceFactsRow>(
    `SELECT u.id, u.last_seen, ${VISIBILITY} AS visibility,
            EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = u.id AND f.followee_id = $1) AS they_follow_me,
            EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.followee_id = u.id) AS i_follow_them,
            EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = u.id AND b.blocked_id = $1) AS they_blocked_me
     FROM users u WHERE u.id = ANY($2::text[])`,
    [viewer, ids],
  );
}

export async function setLastSeen(db: Queryable, userId: string, at: Date): Promise<void> {
  // A deleted account keeps no trace of when it was last online (its sockets close after the deletion).
  await db.query("UPDATE users SET last_seen = $2 WHERE id = $1 AND deleted_at IS NULL", [userId, at]);
}
