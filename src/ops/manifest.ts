import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { z } from "zod";

/** Bumped when the archive's layout changes; a restore refuses a format it does not know. */
export const BACKUP_FORMAT_VERSION = 1;

export const manifestSchema = z.object({
  format: z.literal("telegraph-backup"),
  format_version: z.number().int(),
  telegraph_version: z.string(),
  created_at: z.string(),
  database: z.object({
    /** embedded: `database.sql` (plain SQL from PGlite); postgres: `database.pgdump` (pg_dump's custom format). */
    kind: z.enum(["embedded", "postgres"]),
    server_version: z.string(),
    /** The last migration applied when the snapshot was taken. */
    migration: z.string().nullable(),
    file: z.enum(["database.sql", "database.pgdump"]),
  }),
  media_store: z.enum(["filesystem", "postgres"]),
  counts: z.object({ users: z.number(), messages: z.number(), tweets: z.number(), media: z.number(), blobs: z.number() }),
  /** SHA-256 (hex) of every other entry of the archive. */
  checksums: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});

export type Manifest = z.infer<typeof manifestSchema>;

export const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

const root = new URL("../../", import.meta.url);

/** This code's version (package.json). */
export function telegraphVersion(): string {
  return (JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { version: string }).version;
}

/** The newest migration this code has. */
export function latestMigration(): string {
  const files = readdirSync(new URL("src/db/migrations/", root)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  return files[files.length - 1] ?? "";
}

/**
 * Why this code cannot restore the backup, or null: an unknown format, a migration newer than this code's (restore
 * with the newer Telegraph that made it), or a missing entry or checksum mismatch (a damaged archive).
 */
export function manifestProblem(manifest: Manifest, actual: ReadonlyMap<string, string>): string | null {
  if (manifest.format_version !== BACKUP_FORMAT_VERSION) {
    return `backup format ${manifest.format_version} is not supported by this Telegraph (it reads format ${BACKUP_FORMAT_VERSION})`;
  }
  const latest = latestMigration();
  if (manifest.database.migration !== null && manifest.database.migration > latest) {
    return `the backup's database is at migration ${manifest.database.migration}, newer than this Telegraph's ${latest}: restore it with Telegraph ${manifest.telegraph_version} or later`;
  }
  for (const [name, expected] of Object.entries(manifest.checksums)) {
    const found = actual.get(name);
    if (found === undefined) return `the archive lacks ${name}, which its manifest lists: it is damaged or incomplete`;
    if (found !== expected) return `checksum mismatch for ${name}: the archive is damaged`;
  }
  if (!(manifest.database.file in manifest.checksums)) return `the manifest lists no ${manifest.database.file}`;
  for (const name of actual.keys()) {
    if (!(name in manifest.checksums)) return `the archive holds ${name}, which its manifest does not list: it is damaged or was altered`;
  }
  return null;
}
