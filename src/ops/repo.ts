import type { Queryable } from "../db/db.ts";

/** What a backup's manifest counts, read from one snapshot. */
export interface Counts {
  users: number;
  messages: number;
  tweets: number;
  media: number;
  blobs: number;
}

const n = (value: unknown) => Number(value ?? 0);

/** Row counts of the data a backup carries (direct and group messages together). */
export async function countContent(q: Queryable): Promise<Counts> {
  const [row] = await q.query(
    `SELECT (SELECT count(*) FROM users) AS users,
            (SELECT count(*) FROM messages) + (SELECT count(*) FROM group_messages) AS messages,
            (SELECT count(*) FROM tweets) AS tweets,
            (SELECT count(*) FROM media) AS media,
            (SELECT count(*) FROM blobs) AS blobs`,
  );
  return { users: n(row?.["users"]), messages: n(row?.["messages"]), tweets: n(row?.["tweets"]), media: n(row?.["media"]), blobs: n(row?.["blobs"]) };
}

/** The last migration applied (names sort in order), or null on a database never migrated. */
export async function findMigrationLevel(q: Queryable): Promise<string | null> {
  const [exists] = await q.query<{ found: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS found");
  if (!exists?.found) return null;
  const [row] = await q.query<{ name: string | null }>("SELECT max(name) AS name FROM schema_migrations");
  return row?.name ?? null;
}

/** The server's version string, e.g. "17.5" (PGlite) or "15.20 (Debian …)". */
export async function findServerVersion(q: Queryable): Promise<{ version: string; num: number }> {
  const [row] = await q.query<{ version: string; num: string }>(
    "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num",
  );
  return { version: row?.version ?? "unknown", num: Number(row?.num ?? 0) };
}

/** How many tables, views and sequences the current schema holds (0: an empty target for a restore). */
export async function countRelations(q: Queryable): Promise<number> {
  const [row] = await q.query(
    "SELECT count(*) AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'v', 'S', 'm', 'p')",
  );
  return n(row?.["n"]);
}

/** The schema restores go into (the connection's search_path). */
export async function findCurrentSchema(q: Queryable): Promise<string> {
  const [row] = await q.query<{ name: string }>("SELECT current_schema() AS name");
  return row?.name ?? "public";
}

/** The keys of media rows (the blobs a restore must find). */
export async function findMediaHashes(q: Queryable): Promise<string[]> {
  return (await q.query<{ sha256: string }>("SELECT DISTINCT sha256 FROM media")).map((r) => r.sha256);
}

/** Stores a blob restored from a filesystem-store backup into a database using MEDIA_STORE=postgres. */
export async function insertBlobIfMissing(q: Queryable, key: string, bytes: Buffer): Promise<void> {
  await q.query("INSERT INTO blobs (key, bytes, size) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING", [key, bytes, bytes.length]);
}

/** The figures of `npm run admin -- stats` that the database knows. */
export async function findStats(q: Queryable, since: Date): Promise<{ users: number; messagesToday: number; databaseBytes: number; mediaBytes: number }> {
  const [row] = await q.query(
    `SELECT (SELECT count(*) FROM users) AS users,
            (SELECT count(*) FROM messages WHERE sent_at >= $1) + (SELECT count(*) FROM group_messages WHERE sent_at >= $1) AS today,
            pg_database_size(current_database()) AS db_bytes,
            (SELECT coalesce(sum(size), 0) FROM (SELECT DISTINCT ON (sha256) size FROM media) AS blobs) AS media_bytes`,
    [since],
  );
  return { users: n(row?.["users"]), messagesToday: n(row?.["today"]), databaseBytes: n(row?.["db_bytes"]), mediaBytes: n(row?.["media_bytes"]) };
}

/** Blobs of the `blobs` table in key order after `afterKey`, a page at a time (writing them out as files). */
export async function findBlobPage(q: Queryable, afterKey: string, limit: number): Promise<{ key: string; bytes: Buffer }[]> {
  const rows = await q.query<{ key: string; bytes: Uint8Array }>("SELECT key, bytes FROM blobs WHERE key > $1 ORDER BY key LIMIT $2", [afterKey, limit]);
  return rows.map((r) => ({ key: r.key, bytes: Buffer.isBuffer(r.bytes) ? r.bytes : Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength) }));
}

/** Exports the calling transaction's snapshot, so pg_dump (--snapshot) sees exactly what this transaction sees. */
export async function exportSnapshot(q: Queryable): Promise<string> {
  const rows = await q.query<{ id: string }>("SELECT pg_export_snapshot() AS id");
  return rows[0]!.id;
}

/** Drops a schema with everything in it and creates it again, empty (restore --force). */
export async function recreateSchema(q: Queryable, quotedSchema: string): Promise<void> {
  await q.query(`DROP SCHEMA ${quotedSchema} CASCADE`);
  await q.query(`CREATE SCHEMA ${quotedSchema}`);
}
