import type { Socket as NetSocket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connect, TelegraphConnectError, type TelegraphClient } from "telegraph-client";
import WebSocket from "ws";
import { closeAll, connectAs, createUser, type TestUser } from "../../test/helpers/factories.ts";
import { startServer, type TestServer } from "../../test/helpers/server.ts";
import { userRoom } from "./rooms.ts";
import type { TelegraphSocket } from "./socket.ts";

/** The server side of a user's connection on this node. */
function serverSocketOf(server: TestServer, userId: string): TelegraphSocket {
  const socket = [...server.app.io.of("/").sockets.values()].find((s) => s.data.user?.user_id === userId);
  if (!socket) throw new Error(`no socket of ${userId}`);
  return socket;
}

describe("connections per user (MAX_SOCKETS_PER_USER)", () => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startServer({ env: { MAX_SOCKETS_PER_USER: "3" } });
    user = await createUser(server);
  });
  afterEach(closeAll);
  afterAll(() => server.stop());

  it("disconnects the oldest when one more connects, telling it why first", async () => {
    const devices: TelegraphClient[] = [];
    for (let i = 0; i < 3; i++) devices.push(await connectAs(server, user));
    const reason = devices[0]!.next("disconnectFromServer");
    const closed = new Promise<string>((resolve) => devices[0]!.socket.once("disconnect", resolve));
    const others = devices.slice(1).map((d) => {
      const pushes: unknown[] = [];
      d.on("disconnectFromServer", (p) => pushes.push(p));
      return pushes;
    });

    const newest = await connectAs(server, user);
    expect(await reason).toMatchObject({ code: "too_many_sockets" });
    expect(await closed).toBe("io server disconnect");
    expect(newest.socket.connected).toBe(true);
    expect(await newest.api.ping()).toMatchObject({ echo: null });
    for (const d of devices.slice(1)) expect(d.socket.connected).toBe(true);
    expect(others.flat()).toEqual([]);
    expect(await server.app.io.in(userRoom(user.userId)).fetchSockets()).toHaveLength(3);
  });

  it("counts each user apart", async () => {
    const other = await createUser(server);
    for (let i = 0; i < 3; i++) await connectAs(server, user);
    const theirs = await Promise.all([connectAs(server, other), connectAs(server, other), connectAs(server, other)]);
    expect(theirs.every((c) => c.socket.connected)).toBe(true);
    expect(await server.app.io.in(userRoom(user.userId)).fetchSockets()).toHaveLength(3);
    expect(await server.app.io.in(userRoom(other.userId)).fetchSockets()).toHaveLength(3);
  });
});

describe("handshakes per address (HANDSHAKE_RATE_LIMIT)", () => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startServer({ env: { HANDSHAKE_RATE_LIMIT: "5/600" } });
    user = await createUser(server);
  });
  afterEach(closeAll);
  afterAll(() => server.stop());

  it("refuses connections beyond the budget with connect_error rate_limited, before authentication", async () => {
    for (let i = 0; i < 4; i++) await connectAs(server, user);
    // A bad token spends the budget too: the limit runs before the token is looked at.
    await expect(connect(server.url, { accessToken: "garbage", reconnection: false })).rejects.toMatchObject({ code: "unauthenticated" });
    const refused = await connect(server.url, { accessToken: user.accessToken, reconnection: false }).then(
      (c) => {
        c.close();
        return null;
      },
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TelegraphConnectError);
    expect(refused).toMatchObject({ code: "rate_limited", middleware: "limitHandshakes" });
  });
});

/** Completes the Socket.IO handshake over a bare WebSocket, then stops reading from the TCP socket. */
async function pausedReader(server: TestServer, accessToken: string): Promise<WebSocket> {
  const ws = new WebSocket(`${server.url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`);
  await new Promise<void>((resolve, reject) => {
    ws.on("message", (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith("0{")) ws.send(`40${JSON.stringify({ accessToken })}`);
      else if (text.startsWith("40")) resolve();
      else if (text.startsWith("44")) reject(new Error(text));
    });
    ws.once("error", reject);
  });
  (ws as unknown as { _socket: NetSocket })._socket.pause();
  return ws;
}

describe("a client that stops reading (MAX_SOCKET_BUFFER)", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ env: { MAX_SOCKET_BUFFER: "1048576", EVENT_RATE_LIMIT_WRITE: "100000/10" } });
  });
  afterEach(closeAll);
  afterAll(() => server.stop());

  it("is disconnected once what waits for it passes the cap; others are served and every message is stored", async () => {
    const [stuck, sender, bystander] = await Promise.all([createUser(server), createUser(server), createUser(server)]);
    const ws = await pausedReader(server, stuck.accessToken);
    const stuckSocket = serverSocketOf(server, stuck.userId);
    let reason: string | undefined;
    const dropped = new Promise<string>((resolve) => stuckSocket.once("disconnect", resolve)).then((r) => (reason = r));
    const from = await connectAs(server, sender);
    const watcher = await connectAs(server, bystander);

    const text = "x".repeat(4000);
    let sent = 0;
    // Until the server gives up on it; the kernel's socket buffers take the first few megabytes.
    while (reason === undefined && sent < 20_000) {
      await Promise.all(Array.from({ length: 20 }, () => from.api.newMessageFromClient({ to: stuck.userId, context: { text } })));
      sent += 20;
    }
    await dropped;
    expect(reason).toBe("forced close");
    expect(server.app.io.of("/").sockets.has(stuckSocket.id)).toBe(false);

    // Everyone else is still served.
    const delivered = watcher.next("singleUnreadMsgFromServer");
    await from.api.newMessageFromClient({ to: bystander.userId, context: { text: "still here" } });
    expect((await delivered).context.text).toBe("still here");

    // Every message was stored, and is in the stuck user's update log for when it catches up.
    const [messages] = await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE recipient_id = $1", [stuck.userId]);
    expect(messages!.n).toBe(sent);
    const [logged] = await server.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM updates WHERE user_id = $1 AND event = 'singleUnreadMsgFromServer'",
      [stuck.userId],
    );
    expect(logged!.n).toBe(sent);
    ws.terminate();
  });
});
