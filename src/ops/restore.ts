import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import type { Config } from "../config.ts";
import type { Queryable } from "../db/db.ts";
import { openEmbedded } from "../db/pglite.ts";
import { FileBlobStore } from "../features/media/blob-store.ts";
import { SECRET_FILES } from "./backup.ts";
import { holdDataDir } from "./control-socket.ts";
import { manifestProblem, manifestSchema, sha256, type Manifest } from "./manifest.ts";
import * as repo from "./repo.ts";
import { ArchiveError, readTar } from "./tar.ts";

const run = promisify(execFile);

/** A restore that cannot go ahead; nothing in the target was changed. */
export class RestoreRefused extends Error {
  override name = "RestoreRefused";
}

/**
 * Restores `file` into the configured target — DATA_DIR (embedded) or DATABASE_URL's current schema — which must be
 * empty; `force` empties it first (embedded: deletes DATA_DIR/pgdata and DATA_DIR/media; PostgreSQL: drops the schema
 * with everything in it and creates it again). The archive is read twice: once to check the manifest and every
 * checksum before anything is touched, then to restore. The next `npm start` migrates the result as usual.
 */
export async function restoreBackup(config: Config, file: string, options: { force: boolean }): Promise<{ manifest: Manifest; lines: string[] }> {
  const manifest = await verify(file);
  if (!config.databaseUrl && manifest.database.kind === "postgres") {
    throw new RestoreRefused("this backup is of a PostgreSQL database (pg_dump's format): restore it into PostgreSQL (set DATABASE_URL)");
  }
  const lines: string[] = [];
  const target = config.databaseUrl ? await postgresTarget(config.databaseUrl, options.force, lines) : await embeddedTarget(config, options.force, lines);
  const fileStore = new FileBlobStore(path.join(config.dataDir, "media"));
  let blobs = 0;
  let failed = true;
  try {
    for await (const entry of readTar(file)) {
      if (entry.name === manifest.database.file) {
        await target.load(entry.name, entry.data);
      } else if (entry.name.startsWith("media/")) {
        const key = entry.name.slice("media/".length);
        if (config.media.store === "postgres") await repo.insertBlobIfMissing(target.db(), key, entry.data);
        else await fileStore.put(key, entry.data);
        blobs++;
      } else if (entry.name.startsWith("secrets/")) {
        const name = entry.name.slice("secrets/".length);
        await mkdir(config.dataDir, { recursive: true });
        // A secret already in place (this machine's own) wins; JWT_SECRET / VAPID_* in the environment win over both.
        const wrote = await writeFile(path.join(config.dataDir, name), entry.data, { mode: 0o600, flag: "wx" }).then(() => true, () => false);
        if (wrote) lines.push(`restored ${name} into ${config.dataDir}`);
      }
    }
    // A backup of MEDIA_STORE=postgres restored where images are files: the blobs leave the table for DATA_DIR/media.
    if (manifest.media_store === "postgres" && config.media.store === "filesystem") {
      for (let after = "", page; (page = await repo.findBlobPage(target.db(), after, 100)).length; after = page[page.length - 1]!.key) {
        for (const blob of page) await fileStore.put(blob.key, blob.bytes);
        blobs += page.length;
      }
    }
    failed = false;
  } finally {
    await target.close(failed);
  }
  const c = manifest.counts;
  lines.push(
    `restored ${manifest.database.kind} backup of ${manifest.created_at} (Telegraph ${manifest.telegraph_version}, migration ${manifest.database.migration ?? "none"}) into ${target.description}`,
    `  ${c.users} users, ${c.messages} messages, ${c.tweets} tweets, ${c.media} media; ${blobs} image file(s) into the ${config.media.store} store`,
    "start Telegraph as usual: it applies any newer migrations",
  );
  return { manifest, lines };
}

/** First pass: the manifest parses, its format and migration are ones this code restores, and every checksum matches. */
async function verify(file: string): Promise<Manifest> {
  const actual = new Map<string, string>();
  let raw: Buffer | undefined;
  try {
    for await (const entry of readTar(file)) {
      if (entry.name === "manifest.json") raw = entry.data;
      else actual.set(entry.name, sha256(entry.data));
    }
  } catch (err) {
    if (err instanceof ArchiveError) throw new RestoreRefused(`${file}: ${err.message}`);
    throw err;
  }
  if (!raw) throw new RestoreRefused(`${file} has no manifest.json: not a Telegraph backup`);
  let manifest: Manifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(raw.toString("utf8")));
  } catch {
    throw new RestoreRefused(`${file}: its manifest.json is not a Telegraph backup manifest`);
  }
  const problem = manifestProblem(manifest, actual);
  if (problem) throw new RestoreRefused(`${file}: ${problem}`);
  for (const name of actual.keys()) {
    if (name.startsWith("media/") && !/^media\/[0-9a-f]{64}$/.test(name)) throw new RestoreRefused(`${file}: unexpected entry ${name}`);
    // Images are named by their hash: one whose bytes are not its name would be served in place of another.
    if (name.startsWith("media/") && actual.get(name) !== name.slice("media/".length)) throw new RestoreRefused(`${file}: ${name} does not match its hash`);
    if (name.startsWith("secrets/") && !SECRET_FILES.some((s) => name === `secrets/${s}`)) throw new RestoreRefused(`${file}: unexpected entry ${name}`);
  }
  return manifest;
}

interface Target {
  description: string;
  load(name: string, dump: Buffer): Promise<void>;
  /** The restored database, for blobs (after load). */
  db(): Queryable;
  /** After a failure the target is emptied again (embedded; on PostgreSQL the load was one transaction). */
  close(failed: boolean): Promise<void>;
}

async function embeddedTarget(config: Config, force: boolean, lines: string[]): Promise<Target> {
  const pgdata = path.join(config.dataDir, "pgdata");
  const media = path.join(config.dataDir, "media");
  await mkdir(config.dataDir, { recursive: true });
  const lock = await holdDataDir(config.dataDir, "npm run restore");
  if (!lock) throw new RestoreRefused(`a Telegraph server (or another command) is using ${config.dataDir}: stop it before restoring (even with --force)`);
  try {
    return await openEmbeddedTarget(pgdata, media, force, lines, lock);
  } catch (err) {
    await lock.close();
    throw err;
  }
}

async function openEmbeddedTarget(pgdata: string, media: string, force: boolean, lines: string[], lock: { close(): Promise<void> }): Promise<Target> {
  const nonEmpty: string[] = [];
  for (const dir of [pgdata, media]) if (await hasFiles(dir)) nonEmpty.push(dir);
  if (nonEmpty.length && !force) {
    throw new RestoreRefused(`${nonEmpty.join(" and ")} ${nonEmpty.length > 1 ? "are" : "is"} not empty: restore into an empty DATA_DIR, or pass --force to delete ${nonEmpty.length > 1 ? "them" : "it"} first`);
  }
  for (const dir of nonEmpty) {
    await rm(dir, { recursive: true, force: true });
    lines.push(`--force: deleted ${dir}`);
  }
  const db = await openEmbedded(pgdata);
  return {
    description: `the embedded database in ${pgdata}`,
    load: (_name, dump) => db.exec(dump.toString("utf8")),
    db: () => db,
    async close(failed) {
      await db.close();
      if (failed) for (const dir of [pgdata, media]) await rm(dir, { recursive: true, force: true });
      await lock.close();
    },
  };
}

async function hasFiles(dir: string): Promise<boolean> {
  return (await readdir(dir).catch(() => [])).length > 0;
}

async function postgresTarget(url: string, force: boolean, lines: string[]): Promise<Target> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q: Queryable = { query: async <T>(sql: string, params?: readonly unknown[]) => (await client.query(sql, params as unknown[])).rows as T[] };
  try {
    const schema = await repo.findCurrentSchema(q);
    const relations = await repo.countRelations(q);
    if (relations > 0 && !force) {
      throw new RestoreRefused(`schema ${schema} of ${redact(url)} is not empty (${relations} tables, views or sequences): restore into an empty database, or pass --force to drop the schema with everything in it first`);
    }
    if (relations > 0) {
      await client.query(`DROP SCHEMA ${pg.escapeIdentifier(schema)} CASCADE`);
      await client.query(`CREATE SCHEMA ${pg.escapeIdentifier(schema)}`);
      lines.push(`--force: dropped and re-created schema ${schema}`);
    }
    const server = await repo.findServerVersion(q);
    return {
      description: `schema ${schema} of ${redact(url)}`,
      async load(name, dump) {
        if (name === "database.sql") {
          // A dump of the embedded database names everything public.*; PGlite's pg_dump is newer than most servers.
          if (schema !== "public") throw new RestoreRefused(`a backup of the embedded database restores into schema public, not ${schema}`);
          let sql = dump.toString("utf8");
          if (server.num < 170000) sql = sql.replace(/^SET transaction_timeout = 0;$/m, "");
          await client.query(`BEGIN;\n${sql}\nCOMMIT;`);
          await client.query("SET search_path TO DEFAULT");
          return;
        }
        await pgRestore(url, dump);
      },
      db: () => q,
      close: () => client.end(),
    };
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}

async function pgRestore(url: string, dump: Buffer): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "telegraph-restore-"));
  try {
    const file = path.join(dir, "database.pgdump");
    await writeFile(file, dump, { mode: 0o600 });
    // The dump holds its schema's CREATE SCHEMA (it was taken with --schema); the target schema exists already.
    const { stdout } = await run("pg_restore", ["--list", file], { maxBuffer: 64 * 1024 * 1024 });
    const list = path.join(dir, "restore.list");
    await writeFile(list, stdout.split("\n").filter((line) => !/^\d+; \d+ \d+ SCHEMA - /.test(line)).join("\n"));
    await run("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", `--use-list=${list}`, `--dbname=${url}`, file]);
  } catch (err) {
    const e = err as { code?: unknown; stderr?: unknown };
    if (e.code === "ENOENT") throw new Error("pg_restore was not found on PATH: install PostgreSQL's client tools");
    throw new Error(`pg_restore failed: ${String(e.stderr ?? err).trim()}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
