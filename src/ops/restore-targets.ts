import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import type { Config } from "../config.ts";
import type { Queryable } from "../db/db.ts";
import { openEmbedded } from "../db/pglite.ts";
import { holdDataDir } from "./control-socket.ts";
import { queryableOf } from "../db/postgres.ts";
import * as repo from "./repo.ts";

const run = promisify(execFile);

/** A restore that cannot go ahead; nothing in the target was changed. */
export class RestoreRefused extends Error {
  override name = "RestoreRefused";
}

/** Where a restore goes: an empty (or emptied) embedded DATA_DIR, or an empty (or emptied) PostgreSQL schema. */
export interface Target {
  description: string;
  load(name: string, dump: Buffer): Promise<void>;
  /** The restored database, for blobs (after load). */
  db(): Queryable;
  /** After a failure the target is emptied again (embedded; on PostgreSQL the load was one transaction). */
  close(failed: boolean): Promise<void>;
}

/** DATA_DIR/pgdata and DATA_DIR/media, held (no server may start meanwhile) and empty, or emptied with `force`. */
export async function embeddedTarget(config: Config, force: boolean, lines: string[]): Promise<Target> {
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

/** The connection's current schema, empty, or dropped and re-created with `force`. */
export async function postgresTarget(url: string, force: boolean, lines: string[]): Promise<Target> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = queryableOf(client);
  try {
    const schema = await repo.findCurrentSchema(q);
    const relations = await repo.countRelations(q);
    if (relations > 0 && !force) {
      throw new RestoreRefused(`schema ${schema} of ${redact(url)} is not empty (${relations} tables, views or sequences): restore into an empty database, or pass --force to drop the schema with everything in it first`);
    }
    if (relations > 0) {
      await repo.recreateSchema(q, pg.escapeIdentifier(schema));
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
