import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connect, TelegraphClient } from "telegraph-client";
import { adminQuery, testDatabaseUrl } from "./helpers/database.ts";
import { newRegistration } from "./helpers/factories.ts";
import { post } from "./helpers/http.ts";
import { freePort, startNode, withSearchPath } from "./helpers/process.ts";

const startProcess = async (dataDir: string, port: number, secret: string, databaseUrl?: string) =>
  (
    await startNode(
      { DATA_DIR: dataDir, JWT_SECRET: secret, EMAIL_CONFIRMATION: "off", ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
      port,
    )
  ).child;

describe("a server killed right after a commit", { timeout: 60_000 }, () => {
  const dirs: string[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    for (const cleanup of cleanups) await cleanup();
  });

  it("loses nothing: the recipient gets the acknowledged message through catch-up after the restart", async () => {
    // On a PostgreSQL server the process gets a schema of its own, through the connection string's options.
    const schema = testDatabaseUrl ? `t_crash_${randomBytes(4).toString("hex")}` : undefined;
    if (schema) await adminQuery(`CREATE SCHEMA ${schema}`);
    const databaseUrl = schema ? withSearchPath(testDatabaseUrl!, schema) : undefined;
    cleanups.push(async () => {
      if (schema) await adminQuery(`DROP SCHEMA ${schema} CASCADE`);
    });
    const dataDir = await mkdtemp(path.join(tmpdir(), "telegraph-crash-"));
    dirs.push(dataDir);
    const port = await freePort();
    const secret = randomBytes(32).toString("hex");
    const base = `http://127.0.0.1:${port}`;
    let child = await startProcess(dataDir, port, secret, databaseUrl);
    const register = async () => {
      const reg = newRegistration();
      await post(base, "/register", reg);
      const login = await post(base, "/login", { username: reg.username, password: reg.password });
      return { id: login.body["user_id"] as string, token: login.body["access_token"] as string };
    };
    const alice = await register();
    const bob = await register();

    // Bob's device has processed everything so far, then drops off.
    const bobDevice = new TelegraphClient(base, { accessToken: bob.token, reconnection: false, lastSeq: 0 });
    await bobDevice.open();
    const lastSeq = bobDevice.lastSeq ?? 0;
    bobDevice.close();

    const sender = await connect(base, { accessToken: alice.token, reconnection: false });
    const sent = await sender.api.newMessageFromClient({ to: bob.id, context: { text: "survives a crash" } } as never);
    // Acknowledged means committed: kill the process without any chance to clean up or push.
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    sender.close();

    child = await startProcess(dataDir, port, secret, databaseUrl);
    try {
      const back = new TelegraphClient(base, { accessToken: bob.token, reconnection: false, lastSeq });
      const sync = back.next("syncFromServer");
      await back.open();
      const page = (await sync) as unknown as { updates: { seq: number; event: string; data: { id: string } }[]; complete: boolean };
      expect(page.complete).toBe(true);
      expect(page.updates.map((u) => [u.event, u.data.id])).toEqual([["singleUnreadMsgFromServer", sent.id]]);
      expect(page.updates[0]!.seq).toBe(lastSeq + 1);
      back.close();
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  });
});
