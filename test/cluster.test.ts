import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, TelegraphClient, TelegraphError } from "telegraph-client";
import { testDatabaseUrl } from "./helpers/database.ts";
import { newRegistration, settle } from "./helpers/factories.ts";
import { post } from "./helpers/http.ts";
import { makeImage } from "./helpers/images.ts";
import { startNode, withSearchPath, type NodeProcess } from "./helpers/process.ts";
import { testRedisUrl } from "./helpers/server.ts";

const PRESENCE_TTL_SECONDS = 2;

/** Three Telegraph processes on loopback sharing one PostgreSQL schema, one Redis prefix and one DATA_DIR. */
describe.skipIf(!testDatabaseUrl || !testRedisUrl)("a cluster of three nodes on PostgreSQL and Redis", () => {
  const schema = `t_cluster_${randomBytes(4).toString("hex")}`;
  const prefix = `tc-${randomBytes(4).toString("hex")}`;
  let dataDir = "";
  let env: Record<string, string> = {};
  let nodes: NodeProcess[] = [];
  const clients: TelegraphClient[] = [];

  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: testDatabaseUrl });
    await client.connect();
    try {
      return (await client.query(sql)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  const register = async (name = "C") => {
    const reg = newRegistration({ name });
    await post(nodes[0]!.url, "/register", reg);
    const login = await post(nodes[0]!.url, "/login", { username: reg.username, password: reg.password });
    return { id: login.body["user_id"] as string, token: login.body["access_token"] as string };
  };
  const on = async (node: number, user: { token: string }) => {
    const client = await connect(nodes[node]!.url, { accessToken: user.token, reconnection: false, requestTimeout: 4000 });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    await admin(`CREATE SCHEMA ${schema}`);
    dataDir = await mkdtemp(path.join(tmpdir(), "telegraph-cluster-"));
    env = {
      DATABASE_URL: withSearchPath(testDatabaseUrl!, schema),
      REDIS_URL: testRedisUrl!,
      REDIS_PREFIX: prefix,
      JWT_SECRET: randomBytes(32).toString("hex"),
      DATA_DIR: dataDir,
      EMAIL_CONFIRMATION: "off",
      PRESENCE_TTL: `${PRESENCE_TTL_SECONDS}s`,
      EVENT_RATE_LIMIT: "6/60",
      EVENT_RATE_LIMIT_WRITE: "1000/10",
      LOGIN_RATE_LIMIT_ADDRESS: "1000/60",
    };
    // The first node migrates the schema; the others find it done.
    nodes = [await startNode({ ...env, NODE_ID: "n1" })];
    nodes.push(...(await Promise.all([startNode({ ...env, NODE_ID: "n2" }), startNode({ ...env, NODE_ID: "n3" })])));
  }, 90_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    for (const node of nodes) node.child.kill("SIGKILL");
    await Promise.all(nodes.map((n) => n.exited));
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    const redis = new Redis(testRedisUrl!);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("groups likes from two other nodes into one live notification, and a read on a third node clears the badge", async () => {
    const ann = await register("Ann");
    const ben = await register("Ben");
    const cy = await register("Cy");
    const [a, a2, b, c] = [await on(0, ann), await on(2, ann), await on(1, ben), await on(2, cy)];
    const tweet = await a.api.addNewTweet("liked across the cluster");
    const first = a.next("newNotificationFromServer");
    await b.api.toggleTweetLike(tweet.id);
    const one = await first;
    expect(one).toMatchObject({ kind: "like", actors_count: 1, tweet: { id: tweet.id }, unread_count: 1 });
    const second = a.next("newNotificationFromServer");
    await c.api.toggleTweetLike(tweet.id);
    const grouped = await second;
    expect(grouped).toMatchObject({ id: one.id, actors_count: 2, unread_count: 1 });
    // Both actors (in which order within one second depends on the nodes' ids).
    expect(grouped.actors.map((u) => u.user_id).sort()).toEqual([ben.id, cy.id].sort());
    expect(grouped.seq).toBeGreaterThan(one.seq!);
    const cleared = a.next("notificationsCountFromServer");
    await a2.api.markNotificationsRead({ up_to: grouped.sort_id });
    expect(await cleared).toMatchObject({ unread_count: 0 });
    const page = await (await on(1, ann)).api.getNotifications();
    expect(page.notifications.map((n) => [n.id, n.actors_count, n.read])).toEqual([[one.id, 2, true]]);
  });

  it("delivers a message across nodes live, and the read receipt and typing cross back", async () => {
    const alice = await register("Alice");
    const bob = await register("Bob");
    const a = await on(0, alice);
    const b = await on(2, bob);
    const arrived = b.next("singleUnreadMsgFromServer");
    const sent = await a.api.newMessageFromClient({ to: bob.id, context: { text: "across the cluster" } });
    expect(await arrived).toMatchObject({ id: sent.id, context: { text: "across the cluster" } });
    const receipt = a.next("messagesSeenFromServer");
    await b.api.markMessagesSeen({ with: alice.id, up_to: sent.id });
    expect(await receipt).toMatchObject({ by: bob.id, up_to: sent.id });
    const typing = b.next("typingFromServer");
    await a.api.typingFromClient({ to: bob.id });
    expect(await typing).toMatchObject({ from: alice.id });
  });

  it("runs a group whose members are on three nodes; a removal on one node cuts the member off on another", async () => {
    const [owner, ann, ben] = [await register("Owner"), await register("Ann"), await register("Ben")];
    const o = await on(0, owner);
    const a = await on(1, ann);
    const b = await on(2, ben);
    const group = await o.api.createGroup({ title: "three nodes", members: [ann.id, ben.id] });
    const [toA, toB] = [a.next("singleGroupMsgFromServer"), b.next("singleGroupMsgFromServer")];
    const first = await o.api.newGroupMessageFromClient({ group: group.id, context: { text: "hello nodes" } });
    expect((await toA).id).toBe(first.id);
    expect((await toB).id).toBe(first.id);
    // The group room was joined on every node when the group was created: typing crosses nodes.
    const typing = a.next("groupTypingFromServer");
    await b.api.groupTypingFromClient(group.id);
    expect(await typing).toMatchObject({ group: group.id, user: ben.id });
    const removed = a.next("removedFromGroupFromServer");
    await o.api.removeGroupMember({ group: group.id, user: ann.id });
    expect(await removed).toMatchObject({ group: group.id, by: owner.id });
    const seenByA: string[] = [];
    a.on("singleGroupMsgFromServer", () => seenByA.push("message"));
    a.on("groupTypingFromServer", () => seenByA.push("typing"));
    const toBAgain = b.next("singleGroupMsgFromServer");
    const second = await o.api.newGroupMessageFromClient({ group: group.id, context: { text: "without Ann" } });
    expect((await toBAgain).id).toBe(second.id);
    await settle(300);
    expect(seenByA).toEqual([]);
    await expect(a.api.newGroupMessageFromClient({ group: group.id, context: { text: "still here?" } })).rejects.toMatchObject({ code: "not_found" });
  });

  it("fans tweets, stories and follow requests out to every node, wherever the follower is connected", async () => {
    const star = await register("Star");
    const fans = await Promise.all([register("F1"), register("F2"), register("F3")]);
    const starClient = await on(1, star);
    const fanClients = await Promise.all(fans.map((fan, i) => on(i, fan)));
    // Each fan follows through a socket on another node than the one its listening socket is on.
    for (const [i, fan] of fans.entries()) {
      const elsewhere = await on((i + 1) % 3, fan);
      expect(await elsewhere.api.followUser(star.id)).toEqual({ status: "following" });
    }
    await settle(300); // room joins travel to the other nodes through Redis
    const tweets = fanClients.map((c) => c.next("sendTweetToClientFromServer"));
    const tweet = await starClient.api.addNewTweet("hello, everyone on every node");
    for (const got of await Promise.all(tweets)) expect(got).toEqual([tweet]);
    const stories = fanClients.map((c) => c.next("newStoryFromServer"));
    const story = await starClient.api.addNewStory(await makeImage("png", 10, 10));
    for (const got of await Promise.all(stories)) expect(got).toMatchObject({ id: story.id, seen: false });

    await starClient.api.togglePublicityStatus();
    const requester = await register("Req");
    const request = starClient.next("newFollowRequest");
    const requesterClient = await on(2, requester);
    expect(await requesterClient.api.followUser(star.id)).toEqual({ status: "requested" });
    expect(await request).toMatchObject({ user_id: requester.id });
  });

  it("stores, acknowledges and delivers once each message of a conversation written from two nodes at once", async () => {
    const PAIRS = 4;
    const EACH = 40;
    const pairs = await Promise.all(Array.from({ length: PAIRS }, async () => [await register("X"), await register("Y")] as const));
    const sides = await Promise.all(pairs.map(async ([x, y]) => [await on(0, x), await on(1, y)] as const));
    const received = new Map<string, string[]>();
    for (const [i, [x, y]] of pairs.entries()) {
      for (const [user, client] of [[x, sides[i]![0]], [y, sides[i]![1]]] as const) {
        received.set(user.id, []);
        client.on("singleUnreadMsgFromServer", (m) => received.get(user.id)!.push(m.id));
      }
    }
    const sends = pairs.flatMap(([x, y], i) =>
      Array.from({ length: EACH }, (_, k) => [
        sides[i]![0].api.newMessageFromClient({ to: y.id, context: { text: `x${k}` }, client_id: `x-${k}` }),
        sides[i]![1].api.newMessageFromClient({ to: x.id, context: { text: `y${k}` }, client_id: `y-${k}` }),
      ]).flat(),
    );
    const acked = await Promise.all(sends);
    expect(new Set(acked.map((m) => m.id)).size).toBe(PAIRS * EACH * 2);
    const ids = pairs.flat().map((u) => `'${u.id}'`).join(",");
    const [stored] = await admin(
      `SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, count(DISTINCT (sender_id, client_id))::int AS clients
       FROM ${schema}.messages WHERE sender_id IN (${ids})`,
    );
    expect(stored).toEqual({ n: PAIRS * EACH * 2, ids: PAIRS * EACH * 2, clients: PAIRS * EACH * 2 });
    const deadline = Date.now() + 15_000;
    const total = () => [...received.values()].reduce((sum, list) => sum + list.length, 0);
    while (total() < PAIRS * EACH * 2 && Date.now() < deadline) await settle(50);
    await settle(300);
    for (const [x, y] of pairs) {
      for (const [from, to] of [[x, y], [y, x]] as const) {
        const expected = acked.filter((m) => m.from === from.id).map((m) => m.id).sort();
        expect([...received.get(to.id)!].sort()).toEqual(expected);
      }
    }
  }, 60_000);

  it("holds a rate limit across nodes: bursting through two nodes does not double the allowance", async () => {
    const user = await register();
    const [one, two] = [await on(0, user), await on(1, user)];
    const results = await Promise.allSettled([...Array.from({ length: 4 }, () => one.api.ping()), ...Array.from({ length: 4 }, () => two.api.ping())]);
    const limited = results.filter((r) => r.status === "rejected" && (r.reason as TelegraphError).code === "rate_limited");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(6);
    expect(limited).toHaveLength(2);
  });

  it("keeps a user with devices on two nodes online until both disconnect", async () => {
    const user = await register();
    const watcher = await on(2, await register());
    const d1 = await on(0, user);
    const d2 = await on(1, user);
    await settle(300); // presence is written right after the connection is accepted
    expect((await watcher.api.requestLastSeen([user.id]))[0]).toMatchObject({ online: true });
    d1.close();
    await settle(300);
    expect((await watcher.api.requestLastSeen([user.id]))[0]).toMatchObject({ online: true, lastSeen: null });
    d2.close();
    await settle(300);
    const after = (await watcher.api.requestLastSeen([user.id]))[0]!;
    expect(after.online).toBe(false);
    expect(after.lastSeen).not.toBeNull();
  });

  it("reports the users of a node killed with SIGKILL offline, with last_seen, within the presence TTL", async () => {
    const victim = await register("Victim");
    const watcher = await on(2, await register());
    await on(1, victim);
    await settle(300);
    expect((await watcher.api.requestLastSeen([victim.id]))[0]).toMatchObject({ online: true });
    nodes[1]!.child.kill("SIGKILL");
    await nodes[1]!.exited;
    const killedAt = Date.now();
    // Polled sparingly: requestLastSeen has its own budget (EVENT_RATE_LIMIT here is 6 a minute).
    await settle(PRESENCE_TTL_SECONDS * 1000);
    let state = (await watcher.api.requestLastSeen([victim.id]))[0]!;
    while ((state.online || state.lastSeen === null) && Date.now() - killedAt < (PRESENCE_TTL_SECONDS * 2 + 2) * 1000) {
      await settle(1000);
      state = (await watcher.api.requestLastSeen([victim.id]))[0]!;
    }
    expect(state.online).toBe(false);
    expect(state.lastSeen).not.toBeNull();
    expect(Date.now() - killedAt).toBeLessThan((PRESENCE_TTL_SECONDS * 2 + 2) * 1000);
  });

  it("shuts one node down gracefully under load: every acknowledged message is stored once and reaches its recipient", async () => {
    const sender = await register("Sender");
    const recipient = await register("Recipient");
    const inbox = await on(2, recipient);
    const received: string[] = [];
    inbox.on("singleUnreadMsgFromServer", (m) => received.push(m.id));

    const total = 40;
    const acked = new Map<string, string>(); // client_id → message id
    let client = await on(0, sender);
    let switched = false;
    const sendAll = async () => {
      for (let i = 0; i < total; i++) {
        const clientId = `graceful-${i}`;
        for (;;) {
          try {
            const message = await client.api.newMessageFromClient({ to: recipient.id, context: { text: `#${i}` }, client_id: clientId });
            acked.set(clientId, message.id);
            break;
          } catch {
            // The node is going away: continue on another one, retrying with the same client_id.
            if (!switched) {
              switched = true;
              client = await on(2, sender);
            }
            await settle(50);
          }
        }
      }
    };
    const sending = sendAll();
    await settle(150);
    nodes[0]!.child.kill("SIGTERM");
    await sending;
    expect(await nodes[0]!.exited).toBe(0);
    expect(switched).toBe(true);

    const rows = await admin(`SELECT client_id, count(*)::int AS n FROM ${schema}.messages WHERE sender_id = '${sender.id}' GROUP BY client_id`);
    expect(rows).toHaveLength(total);
    expect(rows.every((r) => r["n"] === 1)).toBe(true);
    await settle(500);
    expect(new Set(received).size).toBe(received.length);
    expect(new Set(received)).toEqual(new Set(acked.values()));
  });
});
