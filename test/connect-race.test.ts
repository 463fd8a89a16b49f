import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TelegraphClient } from "telegraph-client";
import { testDatabaseUrl } from "./helpers/database.ts";
import { closeAll, connectAs, createUser, type TestUser } from "./helpers/factories.ts";
import { startServer, startTwoNodes, testRedisUrl, type TestServer, type TwoNodes } from "./helpers/server.ts";

const ROUNDS = 200;
const CROWD = 2;
const clustered = Boolean(testDatabaseUrl && testRedisUrl);

interface Received {
  event: string;
  payload: Record<string, unknown>;
}

/** Resolves when `done` holds, polling each turn of the event loop; fails with what was received after `ms`. */
async function until(done: () => boolean, ms: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * B connects the way the founding clients do (no lastSeq, listening to nothing before `connect`); the moment its
 * `connect` fires, A messages and follows B. Every round B must get the message once (in the bootstrap or live) and
 * the follow once, then a marker message: nothing logged after the connection was accepted is lost or doubled.
 */
/**
 * Who makes A act: A's client when B's `connect` fires, or A's server in the very turn B's connection is accepted;
 * and whether B connects as the founding clients do (no lastSeq) or resumes with the last seq it processed.
 */
interface Case {
  trigger: "client" | "server";
  resume: boolean;
}
const cases: Case[] = [
  { trigger: "client", resume: false },
  { trigger: "server", resume: false },
  { trigger: "server", resume: true },
];
const name = (c: Case) => `${c.trigger} acts, ${c.resume ? "with" : "without"} lastSeq`;

async function runRounds(
  servers: { forB: TestServer; forA: TestServer },
  people: { a: TestUser; b: TestUser; crowd: TestUser[] },
  aClient: TelegraphClient,
  { trigger, resume }: Case,
) {
  const { a, b } = people;
  const rows = await servers.forB.db.query<{ last_seq: string }>("SELECT last_seq FROM update_seq WHERE user_id = $1", [b.userId]);
  let lastSeq = Number(rows[0]?.last_seq ?? 0);
  const act = (text: string) =>
    trigger === "client"
      ? Promise.all([aClient.api.newMessageFromClient({ to: b.userId, context: { text } }), aClient.api.followUser(b.userId)])
      : Promise.all([
          servers.forA.app.services.messages.send({ userId: a.userId, socketId: "none" }, { to: b.userId, text }),
          servers.forA.app.services.graph.follow(a.userId, b.userId),
        ]);
  let acceptedTurn: ((text: string) => void) | undefined;
  const onAccepted = (socket: { data: { user: { user_id: string } } }) => {
    if (socket.data.user.user_id === b.userId) acceptedTurn?.("");
  };
  if (trigger === "server") servers.forB.app.io.on("connection", onAccepted);
  for (let round = 0; round < ROUNDS; round++) {
    const received: Received[] = [];
    // Others connecting at the same moment, as after a restart: the connect path's shared reads are busy.
    const crowd = people.crowd.map((user) => io(servers.forB.url, { auth: { accessToken: user.accessToken }, reconnection: false, forceNew: true }));
    const auth = resume ? { accessToken: b.accessToken, lastSeq } : { accessToken: b.accessToken };
    const socket: Socket = io(servers.forB.url, { auth, reconnection: false, forceNew: true });
    socket.onAny((event: string, payload: Record<string, unknown>) => received.push({ event, payload }));
    // A resuming client pages through the log until it is complete (the first round starts from 0: a long catch-up).
    socket.on("syncFromServer", (page: { complete?: boolean; updates?: { seq: number }[] }) => {
      if (page.complete === false) socket.emit("getUpdates", { since: page.updates!.at(-1)!.seq, limit: 500 });
    });
    const acted = new Promise<{ id: string }>((resolve, reject) => {
      const go = () => act(`round ${round}`).then(([message]) => resolve(message), reject);
      if (trigger === "server") acceptedTurn = go;
      else socket.once("connect", go);
      socket.once("connect_error", reject);
    });
    const sent = await acted;
    const marker = await aClient.api.newMessageFromClient({ to: b.userId, context: { text: `marker ${round}` } });
    // What the replay (syncFromServer) carried counts as received, as the client applies it like live updates.
    const replayed = received
      .filter((r) => r.event === "syncFromServer")
      .flatMap((r) => (r.payload["updates"] as { event: string; data: Record<string, unknown> }[] | undefined) ?? [])
      .map((u) => ({ event: u.event, payload: u.data }));
    const live = (event: string) => [...replayed, ...received].filter((r) => r.event === event).map((r) => r.payload);
    await until(
      () => live("singleUnreadMsgFromServer").some((m) => m["id"] === marker.id),
      10_000,
      () => `round ${round}: ${JSON.stringify(received.map((r) => r.event))}`,
    );
    const bootstrapIds = (live("allUnreadMsgFromServer")[0] as unknown as { id: string }[] | undefined)?.map((m) => m.id) ?? [];
    const liveIds = live("singleUnreadMsgFromServer").map((m) => m["id"]);
    const times = (id: string) => bootstrapIds.filter((x) => x === id).length + liveIds.filter((x) => x === id).length;
    expect({ round, message: times(sent.id), marker: times(marker.id), follows: live("newFollowerFromServer").length }).toEqual({
      round,
      message: 1,
      marker: 1,
      follows: 1,
    });
    // Every live update arrives in seq order.
    const seqs = [...replayed, ...received.filter((r) => r.event !== "syncFromServer")]
      .map((r) => r.payload["seq"])
      .filter((seq): seq is number => typeof seq === "number");
    expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
    lastSeq = Math.max(lastSeq, ...seqs);
    socket.disconnect();
    for (const other of crowd) other.disconnect();
    // Unfollowed, so the next round's follow is new.
    await aClient.api.unfollowUser(b.userId);
  }
  servers.forB.app.io.off("connection", onAccepted);
}

describe("updates in the first moments of a connection (one node)", () => {
  let server: TestServer;
  let a: TestUser;
  let b: TestUser;
  let crowd: TestUser[];

  beforeAll(async () => {
    server = await startServer({ env: { EVENT_RATE_LIMIT_WRITE: "100000/60", EVENT_RATE_LIMIT: "100000/60" } });
    [a, b] = [await createUser(server, { name: "A" }), await createUser(server, { name: "B" })];
    crowd = await Promise.all(Array.from({ length: CROWD }, () => createUser(server)));
  });
  afterAll(async () => {
    closeAll();
    await server.stop();
  });

  it.each(cases.map((c) => [name(c), c] as const))(`reach the device exactly once (%s), ${ROUNDS} rounds`, async (_name, c) => {
    const aClient = await connectAs(server, a);
    await runRounds({ forB: server, forA: server }, { a, b, crowd }, aClient, c);
  }, 240_000);
});

describe.skipIf(!clustered)("updates in the first moments of a connection (two nodes; needs TEST_DATABASE_URL and TEST_REDIS_URL)", () => {
  let first: TestServer;
  let second: TestServer;
  let nodes: TwoNodes;
  let a: TestUser;
  let b: TestUser;
  let crowd: TestUser[];

  beforeAll(async () => {
    const env = { EVENT_RATE_LIMIT_WRITE: "100000/60", EVENT_RATE_LIMIT: "100000/60" };
    nodes = await startTwoNodes("race", env);
    ({ first, second } = nodes);
    [a, b] = [await createUser(first, { name: "A" }), await createUser(first, { name: "B" })];
    crowd = await Promise.all(Array.from({ length: CROWD }, () => createUser(first)));
  });
  afterAll(async () => {
    closeAll();
    await nodes.stop();
  });

  it.each(cases.map((c) => [name(c), c] as const))(`reach a device on the other node exactly once (%s), ${ROUNDS} rounds`, async (_name, c) => {
    const aClient = await connectAs(second, a);
    await runRounds({ forB: first, forA: second }, { a, b, crowd }, aClient, c);
  }, 240_000);
});
