import type { PGlite, Transaction } from "@electric-sql/pglite";
import { pgDump } from "@electric-sql/pglite-tools/pg_dump";

/**
 * A plain-SQL dump (pg_dump compiled to WASM, `--inserts`, no owners or grants) of the embedded database, consistent
 * while the server keeps writing (`inspect` sees the very state dumped), and restorable into PGlite (`exec`) and into a PostgreSQL server alike.
 *
 * Why the dance: PGlite has one session. pg_dump talks to it through the raw protocol, which takes none of PGlite's
 * locks, so a dump started between two statements of an application transaction would run *inside* it. Holding a
 * transaction (PGlite's transaction mutex) keeps every other query and transaction of this process queued meanwhile;
 * its BEGIN is committed at once so pg_dump can open its own REPEATABLE READ transaction, and the session is put back
 * afterwards: pg_dump leaves its read-only transaction open and the search_path emptied when it exits, because the
 * session outlives it.
 */
export async function dumpEmbedded<T>(pg: PGlite, inspect: (tx: Transaction) => Promise<T>): Promise<{ sql: string; inspected: T }> {
  return pg.transaction(async (tx) => {
    const inspected = await inspect(tx);
    const searchPath = (await tx.query<{ search_path: string }>("SHOW search_path")).rows[0]?.search_path ?? "public";
    await tx.exec("COMMIT");
    try {
      const file = await pgDump({ pg: sessionOf(pg, tx), args: ["--no-owner", "--no-privileges"] });
      return { sql: await file.text(), inspected };
    } finally {
      await tx.exec("ROLLBACK");
      await tx.exec(`SET search_path TO ${searchPath}`);
      await tx.exec("DEALLOCATE ALL");
      // transaction() commits when the callback returns: give it the transaction it expects.
      await tx.exec("BEGIN");
    }
  });
}

/**
 * The PGlite instance as pgDump sees it: its own `query`/`exec` calls go through the transaction we hold (the public
 * ones would wait for it forever); everything else is the instance itself, bound so its private fields work.
 */
function sessionOf(pg: PGlite, tx: Transaction): PGlite {
  return new Proxy(pg, {
    get(target, property) {
      if (property === "query") return tx.query;
      if (property === "exec") return tx.exec;
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
