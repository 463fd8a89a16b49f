import pg from "pg";
import type { Db, Queryable } from "./db.ts";

// Counts and bigints come back as numbers, as they do from PGlite, so repos read both alike.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const MAX_ATTEMPTS = 3;
const isRetryable = (err: unknown) => ["40P01", "40001"].includes((err as { code?: string } | null)?.code ?? "");

export interface PostgresOptions {
  /** Put every query in this schema (tests isolate runs this way). */
  schema?: string;
  max?: number;
}

/**
 * Every repo statement is a fixed text with parameters, so each becomes a named prepared statement: a connection
 * parses and plans it once instead of on every call (PostgreSQL keeps a custom plan where a generic one would be
 * worse). Bounded, in case some caller builds statement texts dynamically.
 */
class PreparedNames {
  private readonly names = new Map<string, string>();
  constructor(private readonly max = 500) {}

  nameOf(sql: string): string | undefined {
    let name = this.names.get(sql);
    if (name === undefined && this.names.size < this.max) {
      name = `telegraph_${this.names.size + 1}`;
      this.names.set(sql, name);
    }
    return name;
  }
}

/** A pool on a PostgreSQL server. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  await pool.query("SELECT 1");
  const statements = new PreparedNames();
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const name = statements.nameOf(sql);
      const result = await q.query(name ? { name, text: sql, values: params as unknown[] } : { text: sql, values: params as unknown[] });
      return result.rows as T[];
    },
  });
  const parsed = new URL(url);
  return {
    description: `PostgreSQL (${parsed.host}${parsed.pathname}${options.schema ? `, schema ${options.schema}` : ""})`,
    query: wrap(pool).query,
    concurrency: Math.max(1, Math.floor((options.max ?? 10) / 2)),
    async transaction(fn) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const result = await fn(wrap(client));
          await client.query("COMMIT");
          return result;
        } catch (err) {
          await client.query("ROLLBACK").catch(() => undefined);
          // A deadlock or serialization failure rolled everything back: the whole transaction can run again.
          if (attempt < MAX_ATTEMPTS && isRetryable(err)) continue;
          throw err;
        } finally {
          client.release();
        }
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
