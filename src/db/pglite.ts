import { mkdir, readdir } from "node:fs/promises";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import type { Db, Queryable } from "./db.ts";

/** The embedded database: real PostgreSQL compiled to WASM, persisted to dataDir (in memory when undefined). */
export async function openEmbedded(dataDir: string | undefined): Promise<Db> {
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
  const wrap = (q: PGlite | Transaction): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const result = await q.query<T>(sql, params as unknown[]);
      return result.rows;
    },
  });
  const root = wrap(pg);
  return {
    description: `embedded PGlite (${dataDir ?? "in memory"})`,
    concurrency: 1,
    query: root.query,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    exec: async (sql) => {
      await pg.exec(sql);
    },
    close: () => pg.close(),
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
