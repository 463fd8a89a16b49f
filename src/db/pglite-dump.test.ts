import { describe, expect, it } from "vitest";
import { openEmbedded } from "./pglite.ts";

describe("the embedded database's dump", () => {
  it("is one consistent state while transactions keep writing, and leaves the session as it was", async () => {
    const db = await openEmbedded(undefined);
    await db.exec("CREATE TABLE pairs (id serial PRIMARY KEY, half int NOT NULL)");
    // Each transaction writes two rows with a pause between them: a dump taken between the two would see one.
    let writing = true;
    let committed = 0;
    const writer = (async () => {
      while (writing) {
        await db.transaction(async (tx) => {
          await tx.query("INSERT INTO pairs (half) VALUES (1)");
          await new Promise((resolve) => setTimeout(resolve, 1));
          await tx.query("INSERT INTO pairs (half) VALUES (2)");
        });
        committed++;
      }
    })();
    while (committed < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    const { sql, inspected } = await db.dumpSql!(async (q) => (await q.query<{ n: number }>("SELECT count(*)::int AS n FROM pairs"))[0]!.n);
    const afterDump = committed;
    while (committed < afterDump + 3) await new Promise((resolve) => setTimeout(resolve, 5));
    writing = false;
    await writer;

    // The session goes on as before: writable, its search_path back.
    await db.query("INSERT INTO pairs (half) VALUES (1), (2)");
    expect(await db.query("SHOW search_path")).toEqual([{ search_path: "public" }]);

    const restored = await openEmbedded(undefined);
    await restored.exec(sql);
    const [row] = await restored.query<{ ones: number; twos: number }>(
      "SELECT count(*) FILTER (WHERE half = 1)::int AS ones, count(*) FILTER (WHERE half = 2)::int AS twos FROM public.pairs",
    );
    expect(row!.ones).toBe(row!.twos);
    expect(row!.ones + row!.twos).toBe(inspected);
    expect(inspected).toBeGreaterThanOrEqual(10);
    await Promise.all([db.close(), restored.close()]);
  }, 30_000);
});
