import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TelegraphClient } from "telegraph-client";
import { testDatabaseUrl } from "../../../test/helpers/database.ts";
import { closeAll, connectAs, createUser, settle, waitFor, type TestUser } from "../../../test/helpers/factories.ts";
import { post } from "../../../test/helpers/http.ts";
import { makeImage } from "../../../test/helpers/images.ts";
import { signForeign } from "../../../test/helpers/jwt.ts";
import { startServer, startTwoNodes, testClock, testRedisUrl, type TestServer, type TwoNodes } from "../../../test/helpers/server.ts";

const QUARANTINE_SECONDS = 2;

/** DELETE /account with a bearer token and a JSON body. */
async function deleteAccount(server: TestServer, token: string | undefined, body: unknown) {
  const response = await fetch(`${server.url}/account`, {
    method: "DELETE",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const disconnected = (client: TelegraphClient) =>
  new Promise<void>((resolve) => (client.socket.connected ? client.socket.once("disconnect", () => resolve()) : resolve()));

describe("DELETE /account", () => {
  let server: TestServer;
  const clock = testClock();
  const count = async (sql: string, params: unknown[]) => (await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0]!.n;

  beforeAll(async () => {
    server = await startServer({
      clock,
      env: { USERNAME_QUARANTINE: `${QUARANTINE_SECONDS}s`, MEDIA_ORPHAN_GRACE: "1s", EVENT_RATE_LIMIT_WRITE: "10000/10" },
    });
  });
  afterEach(closeAll);
  afterAll(() => server.stop());

  it("refuses without a token, with a stale token or a wrong password, and changes nothing", async () => {
    const alice = await createUser(server);
    expect((await deleteAccount(server, undefined, { password: alice.password })).body).toMatchObject({ code: "unauthenticated" });
    expect(await deleteAccount(server, alice.accessToken, {})).toMatchObject({ status: 400, body: { code: "invalid_input" } });
    const wrong = await deleteAccount(server, alice.accessToken, { password: "not the password" });
    expect(wrong).toMatchObject({ status: 403, body: { code: "forbidden" } });
    // Signed elsewhere (no login time), valid for another 10 minutes.
    const nowSeconds = Math.floor(clock.now() / 1000);
    const stale = await signForeign(server.jwtSecret, { user_id: alice.userId }, { iat: nowSeconds - 360, exp: nowSeconds + 600 });
    expect((await post(server.url, "/verify_token", { ACCESS_TOKEN: stale })).body).toEqual({ verify: true });
    expect(await deleteAccount(server, stale, { password: alice.password })).toMatchObject({ status: 401, body: { code: "reauth_required" } });
    // A refresh gives a new token, not a new login: 6 minutes after the login it is refused as well.
    clock.advance(6 * 60_000);
    const refreshed = await post(server.url, "/token/refresh", { refresh_token: alice.refreshToken });
    const renewed = refreshed.body["access_token"] as string;
    expect((await post(server.url, "/verify_token", { ACCESS_TOKEN: renewed })).body).toEqual({ verify: true });
    expect(await deleteAccount(server, renewed, { password: alice.password })).toMatchObject({ status: 401, body: { code: "reauth_required" } });
    expect(await count("users WHERE id = $1 AND deleted_at IS NULL", [alice.userId])).toBe(1);
    expect((await post(server.url, "/login", { username: alice.username, password: alice.password })).status).toBe(200);
  });

  it("limits wrong passwords per account as failed logins are (LOGIN_RATE_LIMIT_ACCOUNT, 5 by default)", async () => {
    const alice = await createUser(server);
    for (let i = 0; i < 5; i++) expect((await deleteAccount(server, alice.accessToken, { password: `wrong ${i}` })).status).toBe(403);
    expect(await deleteAccount(server, alice.accessToken, { password: alice.password })).toMatchObject({ status: 429, body: { code: "rate_limited" } });
    expect(await count("users WHERE id = $1 AND deleted_at IS NULL", [alice.userId])).toBe(1);
  });

  it("removes everything the account owns, corrects others' counters and lists, keeps DMs readable from \"Deleted account\"", async () => {
    const [alice, bob, carol, dave] = (await Promise.all(["Alice", "Bob", "Carol", "Dave"].map((name) => createUser(server, { name })))) as [TestUser, TestUser, TestUser, TestUser];
    const [a, b, c] = (await Promise.all([alice, bob, carol].map((u) => connectAs(server, u)))) as [TelegraphClient, TelegraphClient, TelegraphClient];
    await a.api.updateProfile({ photo: await makeImage("png", 40, 40) });
    const aliceTweet = await a.api.addNewTweet({ context: "alice's tweet", image: await makeImage("png", 30, 20) });
    await a.api.addNewStory(await makeImage("jpeg", 20, 20));
    const bobTweet = await b.api.addNewTweet("bob's tweet");
    await a.api.toggleTweetLike(bobTweet.id);
    await a.api.addCommentToTweet(bobTweet.id, "nice");
    await b.api.toggleTweetLike(aliceTweet.id);
    await a.api.followUser(bob.userId);
    await c.api.followUser(alice.userId);
    await a.api.toggleBlockUser(dave.userId);
    const dmImage = await makeImage("png", 24, 24);
    const fromAlice = await a.api.newMessageFromClient({ to: bob.userId, context: { text: "bye bob", image: dmImage } });
    await b.api.newMessageFromClient({ to: alice.userId, context: { text: "bye alice" } });
    // Carol is the oldest admin of Alice's group; Alice's other group has no one else.
    const shared = await a.api.createGroup({ title: "shared", members: [bob.userId, carol.userId] });
    await a.api.setGroupMemberRole({ group: shared.id, user: carol.userId, role: "admin" });
    const lonely = await a.api.createGroup({ title: "lonely", members: [] });
    await server.db.query("INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth) VALUES ($1, $2, 'k', 'a')", [
      `https://push.example.net/${randomBytes(4).toString("hex")}`,
      alice.userId,
    ]);
    expect((await b.api.getTweet(bobTweet.id)).likes_count).toBe(1);
    expect((await b.api.getNotifications({})).notifications.some((n) => n.kind === "like")).toBe(true);
    const mediaOfAlice = (await server.db.query<{ id: string }>("SELECT id FROM media WHERE owner_id = $1", [alice.userId])).map((m) => m.id);
    expect(mediaOfAlice).toHaveLength(4);

    const dropped = disconnected(a);
    const bobHears = b.next("tweetLikedFromServer");
    const bobIsTold = b.next("accountDeletedFromServer");
    expect(await deleteAccount(server, alice.accessToken, { password: alice.password })).toEqual({ status: 200, body: { response: "account_deleted" } });
    await dropped;
    expect(await bobHears).toMatchObject({ id: bobTweet.id, likes_count: 0, liked: false });
    // Alice's chat partner is told live, through his log; Carol, who never wrote to her, is not.
    expect(await bobIsTold).toMatchObject({ user_id: alice.userId, name: "Deleted account", seq: expect.any(Number) });
    expect(await count("updates WHERE user_id = $1 AND event = 'accountDeletedFromServer'", [carol.userId])).toBe(0);

    // Everything it owned is gone.
    for (const [table, column] of [
      ["tweets", "owner_id"], ["tweet_likes", "user_id"], ["tweet_comments", "owner_id"], ["stories", "owner_id"], ["follows", "follower_id"],
      ["follows", "followee_id"], ["blocks", "blocker_id"], ["push_subscriptions", "user_id"], ["refresh_tokens", "user_id"],
      ["group_members", "user_id"], ["notification_actors", "actor_id"], ["notifications", "recipient_id"], ["conversations", "user_id"], ["updates", "user_id"],
    ] as const) {
      expect(await count(`${table} WHERE ${column} = $1`, [alice.userId]), `${table}.${column}`).toBe(0);
    }
    // The row is a tombstone with nothing personal left.
    const [row] = await server.db.query("SELECT name, family, email, phone, password_hash, photo_id, biography, role, deleted_at FROM users WHERE id = $1", [alice.userId]);
    expect(row).toMatchObject({ name: "Deleted account", family: "", email: `${alice.userId}@deleted.invalid`, phone: null, password_hash: "", photo_id: null, biography: "", role: "user" });
    expect(row!["deleted_at"]).toBeInstanceOf(Date);
    // Others' counters and lists follow.
    const bobsView = await b.api.getTweet(bobTweet.id);
    expect([bobsView.likes_count, bobsView.comments_count]).toEqual([0, 0]);
    expect((await b.api.receiveUserProfile(bob.userId)).followers_count).toBe(0);
    expect((await b.api.getFollowerListRequest(bob.userId)).followers).toEqual([]);
    expect((await c.api.receiveUserProfile(carol.userId)).following_count).toBe(0);
    expect((await b.api.getNotifications({})).notifications.some((n) => n.kind === "like")).toBe(false);
    await expect(b.api.getTweet(aliceTweet.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await b.api.receiveUserProfile(alice.userId)).toMatchObject({ name: "Deleted account", username: "", photo: null, biography: "", last_seen: null, followers_count: 0, tweets_count: 0 });
    expect(await b.api.searchUsers({ query: "deleted" })).toEqual([]);
    // The partner still reads the conversation, from "Deleted account", and the chat list shows it.
    const history = await b.api.getChatMessages(alice.userId);
    expect(history.map((m) => m.context.text).sort()).toEqual(["bye alice", "bye bob"]);
    const chats = await b.api.getChatList();
    expect(chats.find((chat) => chat.user.user_id === alice.userId)?.user).toEqual({ user_id: alice.userId, name: "Deleted account", family: "", username: "", photo: null });
    await expect(b.api.newMessageFromClient({ to: alice.userId, context: { text: "anyone?" } })).rejects.toMatchObject({ code: "not_found" });
    await expect(b.api.followUser(alice.userId)).rejects.toMatchObject({ code: "not_found" });
    await expect(b.api.toggleBlockUser(alice.userId)).rejects.toMatchObject({ code: "not_found" });
    // Groups: the oldest admin owns the shared group now; the group where it was alone is gone.
    const info = await c.api.getGroupInfo(shared.id);
    expect([info.owner, info.members_count, info.role]).toEqual([carol.userId, 2, "owner"]);
    expect(await count("groups WHERE id = $1", [lonely.id])).toBe(0);
    expect((await c.api.addGroupMembers({ group: shared.id, members: [alice.userId] })).refused).toEqual([{ user_id: alice.userId, reason: "not_found" }]);
    // Login fails like a wrong password, and the old tokens are refused.
    const login = await post(server.url, "/login", { username: alice.username, password: alice.password });
    expect(login).toMatchObject({ status: 401, body: { authenticated: "invalid_credentials" } });
    expect((await post(server.url, "/login", { username: alice.email, password: alice.password })).status).toBe(401);
    expect((await post(server.url, "/verify_token", { ACCESS_TOKEN: alice.accessToken })).body).toEqual({ verify: false });
    expect((await post(server.url, "/token/refresh", { refresh_token: alice.refreshToken })).status).toBe(401);

    // The media sweep removes the images nothing refers to any more; the one in the DM stays for Bob.
    clock.advance(2000);
    await server.app.services.media.sweep();
    const left = (await server.db.query<{ id: string }>("SELECT id FROM media WHERE id = ANY($1::text[])", [mediaOfAlice])).map((m) => m.id);
    expect(left).toEqual([fromAlice.context.image!.id]);
    const image = await fetch(`${server.url}/media/${fromAlice.context.image!.id}`, { headers: { authorization: `Bearer ${bob.accessToken}` } });
    expect(image.status).toBe(200);
  });

  it("quarantines the username for USERNAME_QUARANTINE, then frees it", async () => {
    const alice = await createUser(server);
    const carol = await createUser(server);
    const c = await connectAs(server, carol);
    expect((await deleteAccount(server, alice.accessToken, { password: alice.password })).status).toBe(200);
    const again = { name: "New", username: alice.username, email: `new-${alice.email}`, password: "another password" };
    expect((await post(server.url, "/register", again)).body).toEqual({ response: "username_exists" });
    await expect(c.api.updateProfile({ username: alice.username })).rejects.toMatchObject({ code: "conflict" });
    // The email is free at once.
    expect((await post(server.url, "/register", { ...again, username: `x${alice.username}`.slice(0, 32), email: alice.email })).status).toBe(201);
    await settle(QUARANTINE_SECONDS * 1000 + 200);
    expect((await post(server.url, "/register", again)).status).toBe(201);
  });

  it("answers a second deletion of the same account (a racing request) as unauthenticated", async () => {
    const alice: TestUser = await createUser(server);
    const [first, second] = await Promise.all([
      deleteAccount(server, alice.accessToken, { password: alice.password }),
      deleteAccount(server, alice.accessToken, { password: alice.password }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 401]);
  });
});

describe.skipIf(!testDatabaseUrl || !testRedisUrl)("DELETE /account in a cluster", () => {
  let first: TestServer;
  let second: TestServer;
  let nodes: TwoNodes;

  beforeAll(async () => {
    nodes = await startTwoNodes("delete");
    ({ first, second } = nodes);
  });
  afterEach(closeAll);
  afterAll(async () => {
    await nodes.stop();
  });

  it("drops the account's sockets on the other node", async () => {
    const alice = await createUser(first);
    const onSecond = await connectAs(second, alice);
    const dropped = disconnected(onSecond);
    expect((await deleteAccount(first, alice.accessToken, { password: alice.password })).status).toBe(200);
    expect(await Promise.race([dropped.then(() => true), settle(3000).then(() => false)])).toBe(true);
    expect(await waitFor(async () => !onSecond.socket.connected, 1000)).toBe(true);
  });
});
