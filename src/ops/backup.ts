import { execFile } from "node:child_process";
import { mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import type { Config } from "../config.ts";
import type { Db, Queryable } from "../db/db.ts";
import { FileBlobStore } from "../features/media/blob-store.ts";
import { BACKUP_FORMAT_VERSION, sha256, telegraphVersion, type Manifest } from "./manifest.ts";
import { queryableOf } from "../db/postgres.ts";
import * as repo from "./repo.ts";
import { TarWriter } from "./tar.ts";

const run = promisify(execFile);

/** Files of DATA_DIR a restore needs besides the database: without them every session and push subscription breaks. */
export const SECRET_FILES = ["jwt-secret", "vapid.json"] as const;

interface Snapshot {
  file: Manifest["database"]["file"];
  dump: Buffer;
  facts: { counts: repo.Counts; migration: string | null; server: string; hashes: string[] };
}

const inspect = async (q: Queryable): Promise<Snapshot["facts"]> => ({
  counts: await repo.countContent(q),
  migration: await repo.findMigrationLevel(q),
  server: (await repo.findServerVersion(q)).version,
  hashes: await repo.findMediaHashes(q),
});

/**
 * Writes one archive: the database's snapshot, then the media it references (files are content-addressed and never
 * change, so copying them after the dump finds every blob the dump names), the secrets of DATA_DIR, and manifest.json
 * last. Written under a temporary name and renamed, so `file` is either a whole backup or absent.
 */
export async function createBackup(ctx: { config: Config; db: Db }, file: string): Promise<{ manifest: Manifest; warnings: string[] }> {
  const { config } = ctx;
  const snapshot = config.databaseUrl ? await dumpPostgres(config.databaseUrl) : await dumpEmbedded(ctx.db);
  const partial = `${file}.partial`;
  const tar = new TarWriter(partial);
  const checksums: Record<string, string> = {};
  const add = async (name: string, data: Buffer) => {
    checksums[name] = sha256(data);
    await tar.add(name, data);
  };
  const warnings: string[] = [];
  try {
    await add(snapshot.file, snapshot.dump);
    let blobs = snapshot.facts.counts.blobs;
    if (config.media.store === "filesystem") {
      const store = new FileBlobStore(path.join(config.dataDir, "media"));
      blobs = 0;
      let missing = 0;
      for (const key of snapshot.facts.hashes.sort()) {
        const bytes = await store.get(key);
        if (bytes) {
          await add(`media/${key}`, bytes);
          blobs++;
        } else missing++;
      }
      if (missing) warnings.push(`${missing} image file(s) the database refers to were missing from ${path.join(config.dataDir, "media")}`);
    }
    for (const name of SECRET_FILES) {
      const bytes = await readFile(path.join(config.dataDir, name)).catch(() => null);
      if (bytes) await add(`secrets/${name}`, bytes);
    }
    const manifest: Manifest = {
      format: "telegraph-backup",
      format_version: BACKUP_FORMAT_VERSION,
      telegraph_version: telegraphVersion(),
      created_at: new Date().toISOString(),
      database: { kind: config.databaseUrl ? "postgres" : "embedded", server_version: snapshot.facts.server, migration: snapshot.facts.migration, file: snapshot.file },
      media_store: config.media.store,
      counts: { ...snapshot.facts.counts, blobs },
      checksums,
    };
    await tar.add("manifest.json", Buffer.from(JSON.stringify(manifest, null, 2) + "\n"));
    await tar.close();
    await rename(partial, file);
    return { manifest, warnings };
  } catch (err) {
    await tar.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw err;
  }
}

async function dumpEmbedded(db: Db): Promise<Snapshot> {
  if (!db.dumpSql) throw new Error("this database cannot dump itself (not the embedded one)");
  const { sql, inspected } = await db.dumpSql(inspect);
  return { file: "database.sql", dump: Buffer.from(sql), facts: inspected };
}

/**
 * pg_dump's custom format, taken in a snapshot exported by a REPEATABLE READ transaction that also reads the
 * manifest's figures: counts and dump see the same committed state. Only the schema Telegraph uses is dumped.
 */
async function dumpPostgres(url: string): Promise<Snapshot> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const dir = await mkdtemp(path.join(tmpdir(), "telegraph-backup-"));
  try {
    const q = queryableOf(client);
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const snapshot = await repo.exportSnapshot(q);
    const facts = await inspect(q);
    const schema = await repo.findCurrentSchema(q);
    const out = path.join(dir, "database.pgdump");
    try {
      await run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", `--snapshot=${snapshot}`, `--schema=${schema}`, `--file=${out}`, `--dbname=${url}`]);
    } catch (err) {
      const e = err as { code?: unknown; stderr?: unknown };
      if (e.code === "ENOENT") throw new Error("pg_dump was not found on PATH: install PostgreSQL's client tools (the same major version as the server, or newer)");
      throw new Error(`pg_dump failed: ${String(e.stderr ?? err).trim()}`);
    }
    await client.query("COMMIT");
    return { file: "database.pgdump", dump: await readFile(out), facts };
  } finally {
    await client.end().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
