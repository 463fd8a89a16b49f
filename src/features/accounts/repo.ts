import type { Queryable } from "../../db/db.ts";

export interface UserRow {
  id: string;
  name: string;
  family: string;
  username: string;
  email: string;
  phone: string | null;
  password_hash: string;
  photo_id: string | null;
  biography: string;
  email_confirmed_at: Date | null;
  sessions_valid_after: Date;
  /** Set while a moderator has the account suspended: no login, refresh or connection. */
  suspended_at: Date | null;
}

const USER_COLUMNS =
  "id, name, family, username, email, phone, password_hash, photo_id, biography, email_confirmed_at, sessions_valid_after, suspended_at";

export interface NewUser {
  id: string;
  name: string;
  family: string;
  username: string;
  email: string;
  phone: string | null;
  passwordHash: string;
  emailConfirmedAt: Date | null;
}

/** Inserts a user; a taken username or email surfaces as a unique violation of users_username_key / users_email_key. */
export async function insertUser(db: Queryable, user: NewUser): Promise<void> {
  await db.query(
    `INSERT INTO users (id, name, family, username, email, phone, password_hash, email_confirmed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [user.id, user.name, user.family, user.username, user.email, user.phone, user.passwordHash, user.emailConfirmedAt],
  );
}

/** Which of email and username are taken already. */
export async function findTakenIdentity(
  db: Queryable,
  email: string,
  username: string,
): Promise<{ email: boolean; username: boolean }> {
  const rows = await db.query<{ email: string; username: string }>(
    "SELECT email, username FROM users WHERE email = $1 OR username = $2",
    [email, username],
  );
  return { email: rows.some((r) => r.email === email), username: rows.some((r) => r.username === username) };
}

/** The users among these ids that exist (one query for a batch of lookups). */
export async function findUsersByIds(db: Queryable, ids: readonly string[]): Promise<UserRow[]> {
  return db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ANY($1::text[])`, [ids]);
}

/** By username, or by email when the login contains "@"; both are stored lower-cased. */
export async function findUserByLogin(db: Queryable, login: string): Promise<UserRow | undefined> {
  const column = login.includes("@") ? "email" : "username";
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE ${column} = $1`, [login.toLowerCase()]);
  return rows[0];
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const rows = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE email = $1`, [email]);
  return rows[0];
}

export async function markEmailConfirmed(db: Queryable, userId: string): Promise<void> {
  await db.query("UPDATE users SET email_confirmed_at = COALESCE(email_confirmed_at, now()) WHERE id = $1", [userId]);
}

/** Sets a new password hash and makes every access token issued before `at` invalid. */
export async function updatePassword(db: Queryable, userId: string, passwordHash: string, at: Date): Promise<void> {
  await db.query("UPDATE users SET password_hash = $2, sessions_valid_after = $3 WHERE id = $1", [userId, passwordHash, at]);
}

/** Makes every access token issued before `at` invalid (logout everywhere). Tokens are compared with the server clock that issues them. */
export async function invalidateSessions(db: Queryable, userId: string, at: Date): Promise<void> {
  await db.query("UPDATE users SET sessions_valid_after = $2 WHERE id = $1", [userId, at]);
}

export type EmailTokenPurpose = "confirm_email" | "reset_password";

export async function insertEmailToken(
  db: Queryable,
  token: { hash: string; userId: string; purpose: EmailTokenPurpose; expiresAt: Date },
): Promise<void> {
  await db.query("INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)", [
    token.hash,
    token.userId,
    token.purpose,
    token.expiresAt,
  ]);
}

/** Marks an unused, unexpired token used and returns its user; undefined when there is no such token. Single use even under races. */
export async function consumeEmailToken(
  db: Queryable,
  hash: string,
  purpose: EmailTokenPurpose,
): Promise<string | undefined> {
  const rows = await db.query<{ user_id: string }>(
    `UPDATE email_tokens SET used_at = now()
     WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
     RETURNING user_id`,
    [hash, purpose],
  );
  return rows[0]?.user_id;
}

export interface RefreshTokenRow {
  id: string;
  user_id: string;
  family_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  /** When the login (password check) of this token's family happened; null for tokens from before it was kept. */
  logged_in_at: Date | null;
}

export async function insertRefreshToken(
  db: Queryable,
  token: { id: string; userId: string; familyId: string; hash: string; expiresAt: Date; loggedInAt: Date | null },
): Promise<void> {
  await db.query(
    "INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at, logged_in_at) VALUES ($1, $2, $3, $4, $5, $6)",
    [token.id, token.userId, token.familyId, token.hash, token.expiresAt, token.loggedInAt],
  );
}

export async function findRefreshToken(db: Queryable, hash: string): Promise<RefreshTokenRow | undefined> {
  const rows = await db.query<RefreshTokenRow>(
    "SELECT id, user_id, family_id, expires_at, used_at, revoked_at, logged_in_at FROM refresh_tokens WHERE token_hash = $1",
    [hash],
  );
  return rows[0];
}

/** Marks a token used if nobody did yet; false means it was already used (a replay or a race). */
export async function markRefreshTokenUsed(db: Queryable, id: string): Promise<boolean> {
  const rows = await db.query(
    "UPDATE refresh_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING id",
    [id],
  );
  return rows.length === 1;
}

export async function revokeRefreshFamily(db: Queryable, familyId: string): Promise<void> {
  await db.query("UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL", [familyId]);
}

export async function revokeUserRefreshTokens(db: Queryable, userId: string): Promise<void> {
  await db.query("UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL", [userId]);
}
