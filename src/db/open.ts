import path from "node:path";
import type { Db } from "./db.ts";
import { openEmbedded, type EmbeddedOptions } from "./pglite.ts";
import { openPostgres } from "./postgres.ts";

/** DATABASE_URL set: that PostgreSQL server; unset: the embedded database under DATA_DIR/pgdata. */
export function openDatabase(options: { databaseUrl: string | undefined; dataDir: string }, embedded: EmbeddedOptions = {}): Promise<Db> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : openEmbedded(path.join(options.dataDir, "pgdata"), embedded);
}
