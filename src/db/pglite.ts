import { mkdir, readdir } from "node:fs/promises";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { AppError } from "../shared/errors.ts";
import type { Db, Queryable } from "./db.ts";
import { dumpEmbedded } from "./pglite-dump.ts";

export interface EmbeddedOptions {
  /**
   * Called once when the database can no longer write (disk full, or a PANIC that stops PGlite: its later queries
   * would never answer). The server exits; what was committed stays on disk and is recovered at the next start.
   */
  onFatal?(err: Error): void;
}

/** True when err says the database cannot go on: the disk is full (53100), or PostgreSQL panicked. */
function isFatal(err: unknown): boolean {
  const e = err as { code?: unknown; severity?: unknown; message?: unknown } | null;
  return e?.code === "53100" || e?.severity === "PANIC" || (typeof e?.message === "string" && /No space left on device/.test(e.message));
}

/** The embedded database: real PostgreSQL compiled to WASM, persisted to dataDir (in memory when undefined). */
export async function openEmbedded(dataDir: string | undefined, options: EmbeddedOptions = {}): Promise<Db> {
  if (dataDir) await checkDataDir(dataDir);
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir);
  } catch (err) {
    throw new Error(
      `The embedded database in ${dataDir ?? "memory"} could not be opened (${err instanceof Error ? err.message : String(err)}): ` +
        "its files may be damaged, or the disk is full or read-only. Nothing was deleted; free some space or restore the directory from a backup, then start again.",
      { cause: err },
    );
  }
  let failed = false;
  const guard = <T>(work: Promise<T>): Promise<T> =>
    work.catch((err: unknown) => {
      if (!isFatal(err)) throw err;
      if (!failed) {
        failed = true;
        const message = err instanceof Error ? err.message : String(err);
        options.onFatal?.(new Error(`The embedded database in ${dataDir ?? "memory"} cannot write (${message}): free some space and start again; nothing committed was lost.`, { cause: err }));
      }
      throw new AppError("unavailable", "The database cannot write right now.");
    });
  const wrap = (q: PGlite | Transaction): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await guard(q.query<T>(sql, params as unknown[]));
      return result.rows;
    },
  });
  const root = wrap(pg);
  return {
    description: `embedded PGlite (${dataDir ?? "in memory"})`,
    concurrency: 1,
    query: root.query,
    transaction: (fn) => guard(pg.transaction((tx) => fn(wrap(tx)))),
    exec: async (sql) => {
      await guard(pg.exec(sql));
    },
    close: () => pg.close(),
    dumpSql: (inspect) => guard(dumpEmbedded(pg, (tx) => inspect(wrap(tx)))),
  };
}

/**
 * Creates the directory when missing. PGlite creates a new database in any directory without PG_VERSION, over whatever
 * is there: a directory that has files but no PG_VERSION (a damaged or wrong DATA_DIR) is refused instead.
 */
async function checkDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const entries = await readdir(dataDir);
  if (entries.length > 0 && !entries.includes("PG_VERSION")) {
    throw new Error(
      `The embedded database directory ${dataDir} has files but no PG_VERSION: it is not a database (or a damaged one). ` +
        "Nothing was changed; restore it from a backup, or move it away to start with an empty database.",
    );
  }
}
