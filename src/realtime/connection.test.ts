import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connect, TelegraphConnectError, TelegraphError } from "telegraph-client";
import { closeAll, connectAs, connectWithBootstrap, createUser, settle, type TestUser } from "../../test/helpers/factories.ts";
import { post } from "../../test/helpers/http.ts";
import { signForeign, unsignedToken } from "../../test/helpers/jwt.ts";
import { startServer, type TestServer } from "../../test/helpers/server.ts";
import type { ConnectionMiddleware } from "./middleware.ts";
import { middlewares } from "./middlewares.ts";
import { followersRoom, userRoom } from "./rooms.ts";
import { systemClock } from "../shared/clock.ts";
import { UpdateLog } from "../features/sync/log.ts";

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function refusal(server: TestServer, auth: Record<string, unknown>, extraHeaders?: Record<string, string>) {
  const attempt = connect(server.url, {
    accessToken: "",
    reconnection: false,
    auth,
    ...(extraHeaders ? { extraHeaders } : {}),
  } as never);
  const err = await attempt.then(
    (client) => {
      client.close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TelegraphConnectError);
  return err as TelegraphConnectError;
}

describe("authenticating a socket", () => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startServer();
    user = await createUser(server);
  });
  afterEach(closeAll);
  afterAll(() => server.stop());

  it("accepts auth.accessToken, auth.token and an Authorization header, and puts the user in socket.data", async () => {
    const a = await connectAs(server, user);
    expect(a.socket.connected).toBe(true);
    const sockets = await server.app.io.fetchSockets();
    expect(sockets.map((s) => s.data.user.user_id)).toContain(user.userId);

    const b = await connect(server.url, { accessToken: "", auth: { token: user.accessToken }, reconnection: false } as never);
    expect(b.socket.connected).toBe(true);
    b.close();
    const c = await connect(server.url, {
      accessToken: "",
      auth: {},
      extraHeaders: { authorization: `Bearer ${user.accessToken}` },
      reconnection: false,
    } as never);
    expect(c.socket.connected).toBe(true);
    c.close();
  });

  it("joins every device of a user to the user's own room", async () => {
    await connectAs(server, user);
    await connectAs(server, user);
    const inRoom = await server.app.io.in(user.userId).fetchSockets();
    expect(inRoom).toHaveLength(2);
  });

  it.each([
    ["a missing token", async () => ({})],
    ["an empty token", async () => ({ accessToken: "" })],
    ["a non-string token", async () => ({ accessToken: 12345 })],
    ["garbage", async () => ({ accessToken: "not.a.jwt" })],
    ["a tampered token", async (u: TestUser) => ({ accessToken: u.accessToken.slice(0, -2) + (u.accessToken.endsWith("A") ? "BB" : "AA") })],
    ["an alg:none token", async (u: TestUser) => ({ accessToken: unsignedToken({ user_id: u.userId, exp: nowSeconds() + 600 }) })],
    [
      "an expired token",
      async (u: TestUser, s: TestServer) => ({
        accessToken: await signForeign(s.jwtSecret, { user_id: u.userId }, { iat: nowSeconds() - 1000, exp: nowSeconds() - 10 }),
      }),
    ],
    [
      "a token signed with another secret",
      async (u: TestUser) => ({ accessToken: await signForeign("another secret that is long enough!!", { user_id: u.userId }) }),
    ],
    [
      "a token without iat or exp",
      async (u: TestUser, s: TestServer) => ({ accessToken: await signForeign(s.jwtSecret, { user_id: u.userId }, { iat: false }) }),
    ],
    [
      "a token whose user_id is not an id",
      async (_u: TestUser, s: TestServer) => ({ accessToken: await signForeign(s.jwtSecret, { user_id: "admin" }) }),
    ],
    [
      "a token of a user who does not exist",
      async (_u: TestUser, s: TestServer) => ({ accessToken: await signForeign(s.jwtSecret, { user_id: "0123456789abcdef01234567" }) }),
    ],
  ])("refuses %s with unauthenticated, naming the middleware", async (_label, makeAuth) => {
    const err = await refusal(server, await makeAuth(user, server));
    expect(err.message).toBe("authenticate");
    expect(err.code).toBe("unauthenticated");
    expect(err.middleware).toBe("authenticate");
  });

  it("accepts a token signed elsewhere with the same secret and payload { user_id } while it is unexpired", async () => {
    const token = await signForeign(server.jwtSecret, { user_id: user.userId });
    const client = await connectAs(server, { accessToken: token });
    const profile = await client.api.receiveUserProfile(user.userId);
    expect(profile.user_id).toBe(user.userId);
  });
});

describe("a burst of simultaneous connections", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(closeAll);
  afterAll(() => server.stop());

  // Their user, following and seq reads are batched: each connection must still get exactly its own.
  it("admits each as its own user, with its own rooms and its own place in the update log", async () => {
    const users = await Promise.all(Array.from({ length: 12 }, () => createUser(server)));
    const setup = await Promise.all(users.map((u) => connectAs(server, u)));
    await Promise.all(setup.map((client, i) => client.api.followUser(users[(i + 1) % users.length]!.userId)));
    await Promise.all(setup.map((client, i) => client.api.addNewTweet(`t${i}`)));
    // Each user's log gets i + 1 entries, so every user has a different newest seq.
    for (const [i, u] of users.entries()) {
      for (let n = 0; n <= i; n++) await setup[(i + 1) % users.length]!.api.newMessageFromClient({ to: u.userId, context: { text: `m${n}` } });
    }
    closeAll();
    await settle(300); // delivery receipts of the setup land in the senders' logs
    const stranger = await signForeign(server.jwtSecret, { user_id: "0123456789abcdef01234567" });

    const burst = await Promise.allSettled([
      ...users.map((u) => connectWithBootstrap(server, u)),
      connectAs(server, { accessToken: stranger }),
    ]);
    expect(burst.at(-1)?.status).toBe("rejected");
    const lastSeqs = new Map(
      (await server.db.query<{ user_id: string; last_seq: number }>("SELECT user_id, last_seq FROM update_seq")).map((r) => [r.user_id, Number(r.last_seq)]),
    );
    expect(new Set(users.map((u) => lastSeqs.get(u.userId))).size).toBeGreaterThan(6); // the users' positions differ
    const sockets = new Map((await server.app.io.fetchSockets()).map((s) => [s.id, s]));
    for (const [i, result] of burst.slice(0, -1).entries()) {
      expect(result.status).toBe("fulfilled");
      const { client, unread, chatList } = (result as PromiseFulfilledResult<Awaited<ReturnType<typeof connectWithBootstrap>>>).value;
      const socket = sockets.get(client.socket.id!)!;
      const sender = users[(i + 1) % users.length]!.userId;
      // Its own bootstrap: i + 1 unread messages, all from the next user; conversations with the next and the previous.
      const previous = users[(i + users.length - 1) % users.length]!.userId;
      expect(unread.map((m) => [m.from, m.context.text])).toEqual(Array.from({ length: i + 1 }, (_, n) => [sender, `m${n}`]));
      expect(chatList.map((c) => [c.user.user_id, c.unread_count]).sort()).toEqual([[sender, i + 1], [previous, 0]].sort());
      expect(socket.data.user.user_id).toBe(users[i]!.userId);
      expect([...socket.rooms].sort()).toEqual([socket.id, userRoom(users[i]!.userId), followersRoom(users[(i + 1) % users.length]!.userId)].sort());
      // Live delivery starts after the newest seq this user had when the device connected.
      expect(socket.data.feed.cursor).toBe(lastSeqs.get(users[i]!.userId));
    }
    // Reads made in the same turn share one query for sure: each caller still gets its own answer.
    const { sessions, graph } = server.app.services;
    const admitted = await Promise.all([...users.map((u) => sessions.authenticate(u.accessToken)), sessions.authenticate(stranger)]);
    expect(admitted.map((a) => a?.userId)).toEqual([...users.map((u) => u.userId), undefined]);
    const following = await Promise.all(users.map((u) => graph.followingIds(u.userId)));
    expect(following).toEqual(users.map((_, i) => [users[(i + 1) % users.length]!.userId]));
    const { messages, stories, tweets } = server.app.services;
    const unreadCounts = await Promise.all(users.map(async (u) => (await messages.unread(u.userId)).length));
    expect(unreadCounts).toEqual(users.map((_, i) => i + 1));
    const firstPages = await Promise.all(users.map(async (u) => (await tweets.firstHomePage(u.userId)).map((t) => t.context).sort()));
    expect(firstPages).toEqual(users.map((_, i) => [`t${i}`, `t${(i + 1) % users.length}`].sort()));
    expect(await Promise.all(users.map((u) => stories.following(u.userId)))).toEqual(users.map(() => []));
    const seqs = await new UpdateLog(systemClock).lastSeqs(server.db, [...users.map((u) => u.userId), "0123456789abcdef01234567"]);
    expect([...seqs.values()]).toEqual([...users.map((u) => lastSeqs.get(u.userId)), 0]);
  });
});

describe("the connection middleware chain", () => {
  const calls: string[] = [];
  const recordFirst: ConnectionMiddleware = function recordFirst() {
    calls.push("recordFirst");
    return true;
  };
  const refuseGuests: ConnectionMiddleware = function refuseGuests(socket) {
    calls.push("refuseGuests");
    return (socket.handshake.auth as { guest?: boolean }).guest !== true;
  };
  const explode: ConnectionMiddleware = async function explode(socket) {
    calls.push("explode");
    if ((socket.handshake.auth as { explode?: boolean }).explode) throw new Error("boom");
    return true;
  };
  const recordLast: ConnectionMiddleware = function recordLast() {
    calls.push("recordLast");
    return true;
  };
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startServer({ middlewares: [recordFirst, ...middlewares, refuseGuests, explode, recordLast] });
    user = await createUser(server);
  });
  afterEach(() => {
    closeAll();
    calls.length = 0;
  });
  afterAll(() => server.stop());

  it("runs every middleware in order when each returns true", async () => {
    await connectAs(server, user);
    expect(calls).toEqual(["recordFirst", "refuseGuests", "explode", "recordLast"]);
  });

  it("stops at a middleware that returns false; the client's connect_error names it", async () => {
    const err = await refusal(server, { accessToken: user.accessToken, guest: true });
    expect(err.message).toBe("refuseGuests");
    expect(err.code).toBe("forbidden");
    expect(calls).toEqual(["recordFirst", "refuseGuests"]);
  });

  it("refuses with internal when a middleware throws, and keeps serving others", async () => {
    const err = await refusal(server, { accessToken: user.accessToken, explode: true });
    expect(err.message).toBe("internal");
    expect(err.code).toBe("internal");
    expect(err.middleware).toBe("explode");
    expect(calls).not.toContain("recordLast");
    const client = await connectAs(server, user);
    expect(client.socket.connected).toBe(true);
  });

  it("refuses before the later middlewares run when authentication fails", async () => {
    const err = await refusal(server, { accessToken: "bad" });
    expect(err.middleware).toBe("authenticate");
    expect(calls).toEqual(["recordFirst"]);
  });
});

describe("a socket does not outlive its token", () => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startServer({ env: { ACCESS_TOKEN_TTL: "1s", TOKEN_EXPIRY_GRACE: "1s" } });
    user = await createUser(server);
  });
  afterEach(closeAll);
  afterAll(() => server.stop());

  // Expires in one to two seconds: never already expired when the connection is made.
  const shortLived = () => signForeign(server.jwtSecret, { user_id: user.userId }, { exp: nowSeconds() + 2 });

  it("warns with tokenExpiredFromServer, then disconnects after the grace period", async () => {
    const client = await connectAs(server, { accessToken: await shortLived() });
    const warned = await client.next("tokenExpiredFromServer", { timeoutMs: 4000 });
    // The session's own access tokens expire the same way (ACCESS_TOKEN_TTL=1s here).
    const login = await post(server.url, "/login", { username: user.username, password: user.password });
    expect(login.body["expires_in"]).toBe(1);
    expect(warned.grace_seconds).toBe(1);
    const reason = await new Promise((resolve) => client.socket.once("disconnect", resolve));
    expect(reason).toBe("io server disconnect");
  });

  it("stays connected when the client sends a fresh token within the grace period", async () => {
    const client = await connectAs(server, { accessToken: await shortLived() });
    await client.next("tokenExpiredFromServer", { timeoutMs: 4000 });
    const longLived = await signForeign(server.jwtSecret, { user_id: user.userId }, { exp: nowSeconds() + 600 });
    const renewed = await client.api.refreshTokenFromClient({ accessToken: longLived });
    expect(Date.parse(renewed.expires_at)).toBeGreaterThan(Date.now() + 500_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(client.socket.connected).toBe(true);
    expect(await client.api.ping()).toMatchObject({ echo: null });
  });

  it("refuses a fresh token of another user, or an invalid one", async () => {
    const other = await createUser(server);
    const longLived = await signForeign(server.jwtSecret, { user_id: user.userId }, { exp: nowSeconds() + 600 });
    const client = await connectAs(server, { accessToken: longLived });
    const foreign = await signForeign(server.jwtSecret, { user_id: other.userId }, { exp: nowSeconds() + 600 });
    await expect(client.api.refreshTokenFromClient({ accessToken: foreign })).rejects.toMatchObject({ code: "forbidden" });
    await expect(client.api.refreshTokenFromClient({ accessToken: "junk" })).rejects.toBeInstanceOf(TelegraphError);
    await expect(client.api.refreshTokenFromClient({ accessToken: "junk" })).rejects.toMatchObject({ code: "unauthenticated" });
  });
});
