/** What repos see of a database: parameterised queries, the same on PGlite and on a PostgreSQL server. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  /**
   * Runs fn in one transaction: committed when it resolves, rolled back when it throws. After a deadlock or a
   * serialization failure fn runs again, so its effects outside the database must be idempotent.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /** "embedded (…/data/pgdata)" or "postgres (host/db)", for the start-up line. */
  readonly description: string;
  /** How many transactions can usefully run at once (1 on the single-connection embedded database). */
  readonly concurrency: number;
  /**
   * The embedded database only: a consistent plain-SQL dump of it, taken while this process keeps using it (backups;
   * the running server holds PGlite's files, so nothing else can read them). `inspect` runs on the same state just
   * before the dump, nothing else running in between (a manifest's counts).
   */
  dumpSql?<T>(inspect: (q: Queryable) => Promise<T>): Promise<{ sql: string; inspected: T }>;
  /** Connection pool use, where there is a pool (the PostgreSQL server driver). */
  poolStats?(): { total: number; idle: number; waiting: number };
}

/** PostgreSQL error fields that repos map to domain errors. */
export interface PgError {
  code?: string;
  constraint?: string;
}

/** True when err is a unique violation, optionally of the named constraint or index. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as PgError | null;
  return e?.code === "23505" && (constraint === undefined || e.constraint === constraint);
}

/** True when err is a foreign-key violation. */
export function isForeignKeyViolation(err: unknown): boolean {
  return (err as PgError | null)?.code === "23503";
}

/** True when the database answers a trivial query. */
export async function pingDatabase(db: Queryable): Promise<boolean> {
  try {
    await db.query("SELECT 1");
    return true;
  } catch {
    return false;
  }
}
