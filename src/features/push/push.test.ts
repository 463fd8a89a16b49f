import { randomBytes } from "node:crypto";
import webpush from "web-push";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connectAs, createUser, settle, waitFor, type TestUser } from "../../../test/helpers/factories.ts";
import { http } from "../../../test/helpers/http.ts";
import { pushAgent, startPushService } from "../../../test/helpers/push-service.ts";
import { startServer, testRedisUrl, type TestServer } from "../../../test/helpers/server.ts";
import { testDatabaseUrl } from "../../../test/helpers/database.ts";
import { preview } from "./payload.ts";

type PushService = Awaited<ReturnType<typeof startPushService>>;

const env = { PUSH_PRIVATE_ENDPOINTS: "allow", PUSH_DELAY: "1s", OUTBOX_POLL_MS: "50", OUTBOX_BACKOFF_BASE_MS: "100", OUTBOX_BACKOFF_MAX: "1s", EVENT_RATE_LIMIT_WRITE: "10000/10" };

/** Registers a new subscription of the push service for the user, from a device that then disconnects. */
async function subscribeOffline(server: TestServer, pushes: PushService, user: TestUser) {
  const sub = pushes.subscribe();
  const device = await connectAs(server, user);
  expect(await device.api.registerPushSubscription({ endpoint: sub.endpoint, keys: sub.keys })).toEqual({ endpoint: sub.endpoint });
  device.close();
  await settle(100); // presence forgets the device
  return sub;
}

const pushesTo = (pushes: PushService, path: string) => pushes.received.filter((p) => p.path === path);

describe("Web Push against a push service of the test's own", () => {
  let server: TestServer;
  let pushes: PushService;

  beforeAll(async () => {
    pushes = await startPushService();
    server = await startServer({ env, pushAgent: pushAgent() });
  });
  afterEach(closeAll);
  afterAll(async () => {
    await server.stop();
    await pushes.close();
  });

  it("pushes a direct message to a user with no device connected: VAPID-signed, encrypted, small and useful", async () => {
    const [alice, bob] = [await createUser(server, { name: "Alice", family: "Liddell" }), await createUser(server)];
    const sub = await subscribeOffline(server, pushes, bob);
    const a = await connectAs(server, alice);
    await a.api.newMessageFromClient({ to: bob.userId, context: { text: "are you there?" } });

    expect(await waitFor(async () => pushesTo(pushes, sub.path).length > 0, 5000, 20)).toBe(true);
    const [push] = pushesTo(pushes, sub.path);
    expect(push!.payload).toEqual({ kind: "message", title: "Alice Liddell", body: "are you there?", url: `/chat/${alice.userId}`, tag: `/chat/${alice.userId}` });
    const key = await http(server.url, "GET", "/push/vapid_public_key");
    expect(key).toMatchObject({ status: 200, body: { public_key: push!.vapidKey } });
    expect(push!.jwt).toMatchObject({ aud: pushes.origin, sub: expect.stringMatching(/^(mailto:|https:)/) });
    expect(pushes.rejected).toEqual([]);
  });

  it("pushes content-free when the user turned previews off (updateNotificationSettings push_previews: false)", async () => {
    const [alice, bob] = [await createUser(server, { name: "Secret", family: "Sender" }), await createUser(server)];
    const sub = await subscribeOffline(server, pushes, bob);
    const b = await connectAs(server, bob);
    await b.api.updateNotificationSettings({ push_previews: false });
    b.close();
    await settle(100);
    const a = await connectAs(server, alice);
    await a.api.newMessageFromClient({ to: bob.userId, context: { text: "the launch codes" } });
    expect(await waitFor(async () => pushesTo(pushes, sub.path).length > 0, 5000, 20)).toBe(true);
    const { payload } = pushesTo(pushes, sub.path)[0]!;
    expect(payload).toEqual({ kind: "message", title: "Telegraph", body: "New message", url: "/", tag: "message" });
    expect(JSON.stringify(payload)).not.toMatch(/Secret|launch|chat/);
  });

  it("pushes a notification (a follow) to a user with no device connected, leading to the follower's profile", async () => {
    const [alice, bob] = [await createUser(server, { name: "Alice", family: "Follower" }), await createUser(server)];
    const sub = await subscribeOffline(server, pushes, bob);
    const a = await connectAs(server, alice);
    await a.api.followUser(bob.userId);
    expect(await waitFor(async () => pushesTo(pushes, sub.path).length > 0, 5000, 20)).toBe(true);
    expect(pushesTo(pushes, sub.path)[0]!.payload).toEqual({
      kind: "notification",
      title: "Alice Follower",
      body: "followed you",
      url: `/@${alice.username.toLowerCase()}`,
      tag: `/@${alice.username.toLowerCase()}`,
    });
  });

  it("does not push a message seen within PUSH_DELAY, and pushes the next one", async () => {
    const [alice, bob] = [await createUser(server), await createUser(server)];
    const sub = await subscribeOffline(server, pushes, bob);
    const a = await connectAs(server, alice);
    const first = await a.api.newMessageFromClient({ to: bob.userId, context: { text: "seen at once" } });
    const b = await connectAs(server, bob);
    await b.api.markMessagesSeen({ with: alice.userId, up_to: first.id });
    b.close();
    await settle(1500);
    expect(pushesTo(pushes, sub.path)).toEqual([]);

    await a.api.newMessageFromClient({ to: bob.userId, context: { text: "not seen" } });
    expect(await waitFor(async () => pushesTo(pushes, sub.path).length > 0, 5000, 20)).toBe(true);
    await settle(300);
    expect(pushesTo(pushes, sub.path).map((p) => p.payload["body"])).toEqual(["not seen"]);
  });

  it("does not push to a user with a device connected", async () => {
    const [alice, bob] = [await createUser(server), await createUser(server)];
    const sub = await subscribeOffline(server, pushes, bob);
    await connectAs(server, bob);
    const a = await connectAs(server, alice);
    await a.api.newMessageFromClient({ to: bob.userId, context: { text: "you are online" } });
    await settle(1500);
    expect(pushes.requests.filter((p) => p === sub.path)).toEqual([]);
  });

  it("pushes group messages to members with no device connected, opening the group", async () => {
    const [owner, ann] = [await createUser(server, { name: "Olga", family: "" }), await createUser(server)];
    const sub = await subscribeOffline(server, pushes, ann);
    const o = await connectAs(server, owner);
    const group = await o.api.createGroup({ title: "Hike", members: [ann.userId] });
    await o.api.newGroupMessageFromClient({ group: group.id, context: { text: "x".repeat(150) } });
    expect(await waitFor(async () => pushesTo(pushes, sub.path).length > 0, 5000, 20)).toBe(true);
    expect(pushesTo(pushes, sub.path)[0]!.payload).toMatchObject({ title: "Olga in Hike", body: `${"x".repeat(99)}…`, url: `/group/${group.id}` });
  });

  it("removes the subscription when the push service answers 410, and sends nothing more to it", async () => {
    const [alice, bob] = [await createUser(server), await createUser(server)];
    const sub = await subscribeOffline(server, pushes, bob);
    pushes.answers.push(410);
    const a = await connectAs(server, alice);
    await a.api.newMessageFromClient({ to: bob.userId, context: { text: "gone" } });
    const rows = () => server.db.query("SELECT 1 FROM push_subscriptions WHERE endpoint = $1", [sub.endpoint]);
    expect(await waitFor(async () => (await rows()).length === 0, 5000, 20)).toBe(true);
    await a.api.newMessageFromClient({ to: bob.userId, context: { text: "still gone" } });
    await settle(1500);
    expect(pushes.requests.filter((p) => p === sub.path)).toHaveLength(1);
    expect(await server.db.query("SELECT 1 FROM jobs WHERE kind = 'push'")).toEqual([]);
  });

  it("never pushes to a private or local address unless PUSH_PRIVATE_ENDPOINTS=allow: the subscription is removed", async () => {
    const strict = await startServer({ env: { ...env, PUSH_PRIVATE_ENDPOINTS: "deny" }, pushAgent: pushAgent() });
    try {
      const [alice, bob] = [await createUser(strict), await createUser(strict)];
      const sub = await subscribeOffline(strict, pushes, bob);
      const a = await connectAs(strict, alice);
      await a.api.newMessageFromClient({ to: bob.userId, context: { text: "inside the network?" } });
      const rows = () => strict.db.query("SELECT 1 FROM push_subscriptions WHERE endpoint = $1", [sub.endpoint]);
      expect(await waitFor(async () => (await rows()).length === 0, 5000, 20)).toBe(true);
      expect(pushes.requests.filter((p) => p === sub.path)).toEqual([]);
    } finally {
      await strict.stop();
    }
  });

  it("retries with the outbox's backoff when the push service answers 500", async () => {
    const [alice, bob] = [await createUser(server), await createUser(server)];
    const sub = await subscribeOffline(server, pushes, bob);
    pushes.answers.push(500);
    const a = await connectAs(server, alice);
    await a.api.newMessageFromClient({ to: bob.userId, context: { text: "try again" } });
    expect(await waitFor(async () => pushesTo(pushes, sub.path).length > 0, 5000, 20)).toBe(true);
    expect(pushes.requests.filter((p) => p === sub.path)).toHaveLength(2);
    expect(pushesTo(pushes, sub.path).map((p) => p.payload["body"])).toEqual(["try again"]);
    expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/telegraph_outbox_failures_total\{kind="push"\} [1-9]/);
  });

  it("unregisters a subscription, leaves another user's alone, and drops them all on logout everywhere", async () => {
    const [alice, bob] = [await createUser(server), await createUser(server)];
    const mine = await subscribeOffline(server, pushes, alice);
    const other = await subscribeOffline(server, pushes, alice);
    const theirs = await subscribeOffline(server, pushes, bob);
    const a = await connectAs(server, alice);
    expect(await a.api.unregisterPushSubscription({ endpoint: theirs.endpoint })).toEqual({ endpoint: theirs.endpoint });
    await a.api.unregisterPushSubscription({ endpoint: mine.endpoint });
    const endpoints = async () => (await server.db.query<{ endpoint: string }>("SELECT endpoint FROM push_subscriptions WHERE endpoint = ANY($1::text[])", [[mine.endpoint, other.endpoint, theirs.endpoint]])).map((r) => r.endpoint).sort();
    expect(await endpoints()).toEqual([other.endpoint, theirs.endpoint].sort());
    await http(server.url, "POST", "/logout", { refresh_token: alice.refreshToken, everywhere: true });
    expect(await endpoints()).toEqual([theirs.endpoint]);
  });

  it("removes this device's subscription when its login ends (POST /logout with push_endpoint)", async () => {
    const bob = await createUser(server);
    const [phone, laptop] = [await subscribeOffline(server, pushes, bob), await subscribeOffline(server, pushes, bob)];
    await http(server.url, "POST", "/logout", { refresh_token: bob.refreshToken, push_endpoint: phone.endpoint });
    const rows = await server.db.query<{ endpoint: string }>("SELECT endpoint FROM push_subscriptions WHERE user_id = $1", [bob.userId]);
    expect(rows.map((r) => r.endpoint)).toEqual([laptop.endpoint]);
  });

  it("refuses a subscription that is not an https endpoint with base64url keys", async () => {
    const bob = await createUser(server);
    const b = await connectAs(server, bob);
    const keys = pushes.subscribe().keys;
    for (const bad of [{ endpoint: "http://push.example.net/x", keys }, { endpoint: "https://push.example.net/x", keys: { ...keys, auth: "not base64!" } }, { endpoint: "https://push.example.net/x" }]) {
      await expect(b.api.registerPushSubscription(bad as never)).rejects.toMatchObject({ code: "invalid_input" });
    }
  });
});

describe("push previews", () => {
  it("cuts a preview at 100 characters on code points, and says Photo for an image alone", () => {
    expect(preview("😀".repeat(120), false)).toBe(`${"😀".repeat(99)}…`);
    expect(preview(null, true)).toBe("Photo");
    expect(preview("  two\n lines ", false)).toBe("two lines");
  });
});

describe.skipIf(!testDatabaseUrl || !testRedisUrl)("Web Push in a cluster (needs TEST_DATABASE_URL and TEST_REDIS_URL)", () => {
  it("does not push to a user whose device is connected to another node; pushes once it has gone", async () => {
    const pushes = await startPushService();
    const vapid = webpush.generateVAPIDKeys();
    const shared = { ...env, VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey, VAPID_SUBJECT: "mailto:ops@example.com" };
    const redisPrefix = `t-push-${randomBytes(4).toString("hex")}`;
    const one = await startServer({ env: shared, redisPrefix, pushAgent: pushAgent() });
    const two = await startServer({ env: shared, redisPrefix, pushAgent: pushAgent(), jwtSecret: one.jwtSecret, ...(one.schema ? { schema: one.schema } : {}) });
    try {
      const [alice, bob] = [await createUser(one), await createUser(one)];
      const sub = await subscribeOffline(one, pushes, bob);
      const b = await connectAs(two, bob);
      const a = await connectAs(one, alice);
      await a.api.newMessageFromClient({ to: bob.userId, context: { text: "online elsewhere" } });
      await settle(1500);
      expect(pushes.requests.filter((p) => p === sub.path)).toEqual([]);

      b.close();
      await settle(200);
      await a.api.newMessageFromClient({ to: bob.userId, context: { text: "now offline" } });
      expect(await waitFor(async () => pushesTo(pushes, sub.path).length > 0, 5000, 20)).toBe(true);
      await settle(300);
      expect(pushesTo(pushes, sub.path).map((p) => p.payload["body"])).toEqual(["now offline"]);
      expect(pushesTo(pushes, sub.path)[0]!.vapidKey).toBe(vapid.publicKey);
    } finally {
      closeAll();
      await two.stop({ keepDatabase: true });
      await one.stop();
      await pushes.close();
    }
  });
});
