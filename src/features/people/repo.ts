import type { Queryable } from "../../db/db.ts";

export interface ProfileRow {
  id: string;
  name: string;
  family: string;
  username: string;
  photo_id: string | null;
  biography: string;
  last_seen: Date | null;
}

export async function findProfile(db: Queryable, userId: string): Promise<ProfileRow | undefined> {
  const rows = await db.query<ProfileRow>(
    "SELECT id, name, family, username, photo_id, biography, last_seen FROM users WHERE id = $1",
    [userId],
  );
  return rows[0];
}

/** Block rows between two users, in both directions, in one query. */
export async function findBlocksBetween(
  db: Queryable,
  me: string,
  other: string,
): Promise<{ iBlocked: boolean; theyBlocked: boolean }> {
  const rows = await db.query<{ blocker_id: string }>(
    `SELECT blocker_id FROM blocks
     WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)`,
    [me, other],
  );
  return { iBlocked: rows.some((r) => r.blocker_id === me), theyBlocked: rows.some((r) => r.blocker_id === other) };
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
export async function updateProfile(db: Queryable, userId: string, changes: ProfileChanges): Promise<void> {
  const keys = EDITABLE.filter((key) => changes[key] !== undefined);
  if (keys.length === 0) return;
  // Column names come from the fixed list above, never from the client.
  const assignments = keys.map((key, i) => `${key} = $${i + 2}`).join(", ");
  await db.query(`UPDATE users SET ${assignments} WHERE id = $1`, [userId, ...keys.map((key) => changes[key])]);
}
