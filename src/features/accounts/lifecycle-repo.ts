import type { Queryable } from "../../db/db.ts";

/** The live (not deleted) account, locked until the transaction ends so two deletions of it cannot interleave. */
export async function lockLiveAccount(db: Queryable, userId: string): Promise<{ id: string; username: string } | undefined> {
  const rows = await db.query<{ id: string; username: string }>(
    "SELECT id, username FROM users WHERE id = $1 AND deleted_at IS NULL FOR UPDATE",
    [userId],
  );
  return rows[0];
}

/** What checking a deletion needs: the password hash of a live account. */
export async function findLiveAccountHash(db: Queryable, userId: string): Promise<string | undefined> {
  const rows = await db.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE id = $1 AND deleted_at IS NULL", [userId]);
  return rows[0]?.password_hash;
}

/**
 * Turns the account into its tombstone: every personal field is emptied (an empty password hash matches no password),
 * the username and email are replaced by unique placeholders, it holds no role (a deleted admin is not counted as one)
 * and no suspension, and every token issued before `at` stops working.
 */
export async function writeTombstone(
  db: Queryable,
  userId: string,
  tombstone: { name: string; username: string; email: string },
  at: Date,
): Promise<void> {
  await db.query(
    `UPDATE users SET name = $2, family = '', username = $3, email = $4, phone = NULL, password_hash = '', photo_id = NULL,
            biography = '', is_private = false, settings = '{}', last_seen = NULL, email_confirmed_at = NULL,
            role = 'user', suspended_at = NULL, suspension_reason = NULL, deleted_at = $5, sessions_valid_after = $5
     WHERE id = $1`,
    [userId, tombstone.name, tombstone.username, tombstone.email, at],
  );
}

/**
 * Keeps a username from being taken for `seconds` (a later deletion of the same name extends it). Counted on the
 * database's clock, like the trigger that enforces it, so nodes with skewed clocks agree.
 */
export async function quarantineUsername(db: Queryable, username: string, seconds: number): Promise<void> {
  await db.query(
    `INSERT INTO username_quarantine (username, until) VALUES ($1, now() + make_interval(secs => $2))
     ON CONFLICT (username) DO UPDATE SET until = GREATEST(username_quarantine.until, EXCLUDED.until)`,
    [username, seconds],
  );
}

/** Deletes every refresh and email token of the account. */
export async function deleteTokensOf(db: Queryable, userId: string): Promise<void> {
  await db.query("DELETE FROM refresh_tokens WHERE user_id = $1", [userId]);
  await db.query("DELETE FROM email_tokens WHERE user_id = $1", [userId]);
}

/** The account's own fields for its export (the profile line). */
export async function findAccountForExport(db: Queryable, userId: string) {
  const rows = await db.query<{
    id: string;
    name: string;
    family: string;
    username: string;
    email: string;
    phone: string | null;
    biography: string;
    photo_id: string | null;
    is_private: boolean;
    registered_at: Date;
  }>(
    `SELECT id, name, family, username, email, phone, biography, photo_id, is_private, registered_at
     FROM users WHERE id = $1 AND deleted_at IS NULL`,
    [userId],
  );
  return rows[0];
}
