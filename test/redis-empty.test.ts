import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, TelegraphError, type TelegraphClient } from "telegraph-client";
import { testDatabaseUrl } from "./helpers/database.ts";
import { newRegistration, settle, waitFor } from "./helpers/factories.ts";
import { http, post } from "./helpers/http.ts";
import { findPostgresBin, startOwnPostgres, type OwnPostgres } from "./helpers/own-postgres.ts";
import { hasRedisServer, killOwnRedis, startOwnRedis } from "./helpers/own-redis.ts";
import { freePort, startNode, withSearchPath, type NodeProcess } from "./helpers/process.ts";

// Two nodes need a shared PostgreSQL: TEST_DATABASE_URL's, or one of the test's own.
const pgBin = testDatabaseUrl ? undefined : findPostgresBin();
const skip = !hasRedisServer || (!testDatabaseUrl && !pgBin);
const title = skip
  ? "two nodes whose Redis comes back empty (skipped: needs redis-server on PATH and PostgreSQL binaries or TEST_DATABASE_URL)"
  : "two nodes whose Redis comes back empty, under load";

interface Update {
  seq: number;
  event: string;
  data: { id?: string };
}

describe.skipIf(skip)(title, () => {
  const schema = `t_redis_empty_${randomBytes(4).toString("hex")}`;
  let ownPg: OwnPostgres | undefined;
  let databaseUrl = "";
  let redis: ChildProcess | undefined;
  let redisPort = 0;
  let dataDir = "";
  let nodes: NodeProcess[] = [];
  const clients: TelegraphClient[] = [];

  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  const register = async () => {
    const reg = newRegistration();
    await post(nodes[0]!.url, "/register", reg);
    const login = await post(nodes[0]!.url, "/login", { username: reg.username, password: reg.password });
    return { id: login.body["user_id"] as string, token: login.body["access_token"] as string };
  };
  const on = async (node: number, user: { token: string }, lastSeq?: number) => {
    const client = await connect(nodes[node]!.url, {
      accessToken: user.token,
      reconnection: false,
      requestTimeout: 4000,
      ...(lastSeq !== undefined ? { lastSeq } : {}),
    });
    clients.push(client);
    return client;
  };
  const allReady = async () => (await Promise.all(nodes.map((n) => http(n.url, "GET", "/readyz")))).every((r) => r.status === 200);

  beforeAll(async () => {
    if (pgBin) ownPg = await startOwnPostgres(pgBin);
    const base = testDatabaseUrl ?? ownPg!.url;
    databaseUrl = base;
    await admin(`CREATE SCHEMA ${schema}`);
    redisPort = await freePort();
    redis = await startOwnRedis(redisPort);
    dataDir = await mkdtemp(path.join(tmpdir(), "telegraph-redis-empty-"));
    const env = {
      DATABASE_URL: withSearchPath(base, schema),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      REDIS_PREFIX: `tre-${randomBytes(4).toString("hex")}`,
      JWT_SECRET: randomBytes(32).toString("hex"),
      DATA_DIR: dataDir,
      EMAIL_CONFIRMATION: "off",
      PRESENCE_TTL: "2s",
      EVENT_RATE_LIMIT: "8/60",
      EVENT_RATE_LIMIT_WRITE: "100000/10",
      LOGIN_RATE_LIMIT_ADDRESS: "1000/60",
    };
    nodes = [await startNode({ ...env, NODE_ID: "e1" })];
    nodes.push(await startNode({ ...env, NODE_ID: "e2" }));
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    for (const node of nodes) node.child.kill("SIGKILL");
    await Promise.all(nodes.map((n) => n.exited));
    if (redis) await killOwnRedis(redis);
    if (databaseUrl) await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await ownPg?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("recovers presence, rate limits and cross-node delivery, and loses no acknowledged message", async () => {
    const alice = await register();
    const bob = await register();
    const a = await on(0, alice);
    const b = await on(1, bob);
    const seqBefore = { a: a.lastSeq ?? 0, b: b.lastSeq ?? 0 };
    const liveAtB = new Set<string>();
    const liveAtA = new Set<string>();
    b.on("singleUnreadMsgFromServer", (m) => liveAtB.add(m.id));
    a.on("singleUnreadMsgFromServer", (m) => liveAtA.add(m.id));

    // Load: both users send to each other across the nodes, continuously, until told to stop.
    const acked = new Map<string, { id: string; to: string }>();
    let running = true;
    let n = 0;
    const sender = async (client: TelegraphClient, to: string, tag: string) => {
      while (running) {
        const clientId = `${tag}-${n++}`;
        try {
          const sent = await client.api.newMessageFromClient({ to, context: { text: clientId }, client_id: clientId });
          acked.set(clientId, { id: sent.id, to });
        } catch (err) {
          // Refused sends are fine (not acknowledged); anything but a protocol error is not.
          if (!(err instanceof TelegraphError)) throw err;
        }
        await settle(10);
      }
    };
    const load = Promise.all([sender(a, bob.id, "a"), sender(b, alice.id, "b")]);
    expect(await waitFor(async () => acked.size >= 20, 10_000)).toBe(true);

    await killOwnRedis(redis!);
    expect(await waitFor(async () => !(await allReady()), 10_000)).toBe(true);
    const ackedBeforeRestart = acked.size;
    expect(await waitFor(async () => acked.size >= ackedBeforeRestart + 10, 10_000)).toBe(true);

    redis = await startOwnRedis(redisPort); // empty: no RDB, no AOF
    expect(await waitFor(allReady, 15_000)).toBe(true);

    // Presence: each node claims its users again, so each sees the other's user online.
    expect(await waitFor(async () => (await a.api.requestLastSeen([bob.id]))[0]?.online === true, 10_000)).toBe(true);
    expect(await waitFor(async () => (await b.api.requestLastSeen([alice.id]))[0]?.online === true, 10_000)).toBe(true);
    // Cross-node delivery: a message sent now on one node arrives live on the other.
    const liveAgain = async () => {
      const sent = await a.api.newMessageFromClient({ to: bob.id, context: { text: "probe" } });
      return waitFor(async () => liveAtB.has(sent.id), 1000);
    };
    expect(await waitFor(liveAgain, 15_000)).toBe(true);
    running = false;
    await load;

    // Rate limits are shared again: a fresh user's pings count across both nodes (8 a minute in all).
    const carol = await register();
    const c1 = await on(0, carol);
    const c2 = await on(1, carol);
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      for (const client of [c1, c2]) {
        outcomes.push(await client.api.ping({ echo: "x" }).then(() => "ok", (e: unknown) => (e instanceof TelegraphError ? e.code : String(e))));
      }
    }
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(8);
    expect(outcomes.filter((o) => o !== "ok").every((o) => o === "rate_limited")).toBe(true);

    // Every acknowledged message is stored exactly once.
    const rows = await admin(`SELECT client_id, count(*)::int AS copies FROM ${schema}.messages WHERE client_id IS NOT NULL GROUP BY client_id`);
    const copies = new Map(rows.map((r) => [r["client_id"] as string, r["copies"] as number]));
    for (const clientId of acked.keys()) expect(copies.get(clientId), clientId).toBe(1);

    // And reached its recipient, live or through catch-up from before the outage.
    const catchUp = async (user: { token: string }, since: number) => {
      const client = await on(0, user, since);
      const ids = new Set<string>();
      for (let from = since; ; ) {
        const page = (await client.api.getUpdates({ since: from, limit: 500 })) as unknown as { updates: Update[]; complete: boolean };
        for (const u of page.updates) if (u.event === "singleUnreadMsgFromServer" && u.data.id) ids.add(u.data.id);
        if (page.complete || page.updates.length === 0) break;
        from = page.updates.at(-1)!.seq;
      }
      return ids;
    };
    const [caughtB, caughtA] = await Promise.all([catchUp(bob, seqBefore.b), catchUp(alice, seqBefore.a)]);
    expect(acked.size).toBeGreaterThan(ackedBeforeRestart + 10);
    const missing = [...acked.values()].filter(({ id, to }) =>
      to === bob.id ? !liveAtB.has(id) && !caughtB.has(id) : !liveAtA.has(id) && !caughtA.has(id),
    );
    expect(missing).toEqual([]);
  }, 60_000);
});
