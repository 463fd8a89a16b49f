import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Db } from "../../src/db/db.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openEmbedded } from "../../src/db/pglite.ts";
import { openPostgres } from "../../src/db/postgres.ts";

/** The PostgreSQL server the suites run against when TEST_DATABASE_URL is set (CI); unset: the embedded database. */
export const testDatabaseUrl = process.env["TEST_DATABASE_URL"] || undefined;

export interface TestDatabase {
  db: Db;
  /** The PostgreSQL schema of this run, when on a server. */
  schema: string | undefined;
  /** Closes it and, on a server, drops the run's schema unless `keep` (a restart test reopens it). */
  dispose(options?: { keep?: boolean }): Promise<void>;
}

/**
 * A fresh, migrated database: an isolated schema on TEST_DATABASE_URL's server, or an embedded one
 * (in memory, or in dataDir when given so a restart can reopen it). `url` names another server (a test's own).
 */
export async function openTestDatabase(options: { dataDir?: string; schema?: string; url?: string } = {}): Promise<TestDatabase> {
  const url = options.url ?? testDatabaseUrl;
  if (!url) {
    const db = await openEmbedded(options.dataDir);
    await migrate(db);
    return { db, schema: undefined, dispose: () => db.close() };
  }
  const schema = options.schema ?? `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await admin.end();
  }
  const db = await openPostgres(url, { schema, max: 5 });
  await migrate(db);
  return {
    db,
    schema,
    async dispose({ keep = false } = {}) {
      await db.close();
      if (keep) return;
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

/** One statement on TEST_DATABASE_URL's server outside any run's schema (creating or dropping a test's schema). */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
