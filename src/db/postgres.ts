import pg from "pg";
import { AppError } from "../shared/errors.ts";
import type { Db, Queryable } from "./db.ts";

// Counts and bigints come back as numbers, as they do from PGlite, so repos read both alike.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const MAX_ATTEMPTS = 3;
const isRetryable = (err: unknown) => ["40P01", "40001"].includes((err as { code?: string } | null)?.code ?? "");
// How long a query waits for a connection (a free one from the pool, or a new one to the server) before `unavailable`.
const CONNECT_TIMEOUT_MS = 10_000;

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
// 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now; class 08 is connection_exception.
const SERVER_CODES = new Set(["57P01", "57P02", "57P03"]);
const CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i;

/**
 * True when err says the server cannot be reached or dropped the connection (down, restarting, unreachable, pool
 * timed out): nothing is wrong with the statement, and it can be retried once the server is back.
 */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; errors?: unknown } | null;
  const code = typeof e?.code === "string" ? e.code : "";
  if (CONNECTION_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith("08")) return true;
  // Node's happy-eyeballs connect fails with an AggregateError of one error per address.
  if (Array.isArray(e?.errors) && e.errors.some(isConnectionError)) return true;
  return typeof e?.message === "string" && CONNECTION_MESSAGES.test(e.message);
}

/** The one place a lost database becomes `unavailable` for clients (HTTP 503) instead of `internal`. */
function mapConnectionError(err: unknown): unknown {
  if (!isConnectionError(err)) return err;
  const mapped = new AppError("unavailable", "The database is unavailable; retry shortly.");
  mapped.cause = err;
  return mapped;
}

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

/** A single client (one session: its transaction and snapshot) as a Queryable, for the operator commands. */
export function queryableOf(client: pg.ClientBase): Queryable {
  return { query: async <T>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rows as T[] };
}

/** A pool on a PostgreSQL server. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
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
      try {
        const result = await q.query(name ? { name, text: sql, values: params as unknown[] } : { text: sql, values: params as unknown[] });
        return result.rows as T[];
      } catch (err) {
        throw mapConnectionError(err);
      }
    },
  });
  const parsed = new URL(url);
  return {
    description: `PostgreSQL (${parsed.host}${parsed.pathname}${options.schema ? `, schema ${options.schema}` : ""})`,
    query: wrap(pool).query,
    concurrency: Math.max(1, Math.floor((options.max ?? 10) / 2)),
    async transaction(fn) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect().catch((err: unknown) => {
          throw mapConnectionError(err);
        });
        // A checked-out client has no error listener of the pool's: a connection lost between two statements of
        // the transaction would otherwise be an uncaught 'error' event, which ends the process.
        const onLost = () => undefined;
        client.on("error", onLost);
        let broken: Error | undefined;
        try {
          await client.query("BEGIN");
          const result = await fn(wrap(client));
          await client.query("COMMIT");
          return result;
        } catch (err) {
          if (isConnectionError(err) || (err instanceof AppError && isConnectionError(err.cause))) broken = err as Error;
          else await client.query("ROLLBACK").catch(() => undefined);
          // A deadlock or serialization failure rolled everything back: the whole transaction can run again.
          if (attempt < MAX_ATTEMPTS && isRetryable(err)) continue;
          // A commit whose answer was lost may have happened: the client retries with its client_id (idempotent).
          throw mapConnectionError(err);
        } finally {
          client.off("error", onLost);
          // A broken connection is destroyed rather than handed to the next caller.
          client.release(broken);
        }
      }
    },
    exec: async (sql) => {
      await pool.query(sql).catch((err: unknown) => {
        throw mapConnectionError(err);
      });
    },
    close: () => pool.end(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
