import { randomBytes, createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../../../test/helpers/database.ts";
import { PgBlobStore } from "./pg-blob-store.ts";

const keyOf = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("the PostgreSQL blob store (embedded, or TEST_DATABASE_URL)", () => {
  let database: TestDatabase;
  let store: PgBlobStore;

  beforeAll(async () => {
    database = await openTestDatabase();
    store = new PgBlobStore(database.db);
  });
  afterAll(() => database.dispose());

  it("round-trips bytes as a Buffer, including zero bytes and every byte value", async () => {
    const bytes = Buffer.concat([Buffer.from([0, 255, 0, 1]), randomBytes(70_000), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);
    await database.db.transaction((tx) => store.put(keyOf(bytes), bytes, tx));
    const back = await store.get(keyOf(bytes));
    expect(Buffer.isBuffer(back)).toBe(true);
    expect(back!.equals(bytes)).toBe(true);
  });

  it("stores a key once: writing it again is harmless and keeps one row", async () => {
    const bytes = randomBytes(100);
    const key = keyOf(bytes);
    await database.db.transaction((tx) => store.put(key, bytes, tx));
    await database.db.transaction((tx) => store.put(key, bytes, tx));
    const rows = await database.db.query<{ n: number; size: number }>("SELECT count(*)::int AS n, max(size) AS size FROM blobs WHERE key = $1", [key]);
    expect(rows[0]).toEqual({ n: 1, size: 100 });
  });

  it("writes in the caller's transaction: nothing remains of a rolled-back write", async () => {
    const bytes = randomBytes(100);
    await expect(
      database.db.transaction(async (tx) => {
        await store.put(keyOf(bytes), bytes, tx);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await store.get(keyOf(bytes))).toBeNull();
  });

  it("answers null for a missing key, and deletes (a missing key too)", async () => {
    const bytes = randomBytes(10);
    await database.db.transaction((tx) => store.put(keyOf(bytes), bytes, tx));
    await database.db.transaction((tx) => store.delete(keyOf(bytes), tx));
    await database.db.transaction((tx) => store.delete(keyOf(bytes), tx));
    expect(await store.get(keyOf(bytes))).toBeNull();
  });

  it("refuses a key that is not a content address", async () => {
    await expect(database.db.transaction((tx) => store.put("../etc/passwd", Buffer.from("x"), tx))).rejects.toThrow();
  });
});
