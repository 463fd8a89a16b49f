import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TelegraphClient } from "telegraph-client";
import { closeAll, connectAs, createUser, settle, type TestUser } from "../../test/helpers/factories.ts";
import { startServer, testClock, type TestServer } from "../../test/helpers/server.ts";

type Reply = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

/** The client's socket without the typed event map: a flooder sends whatever it likes. */
function rawSocket(client: TelegraphClient) {
  return client.socket as unknown as {
    emit(event: string, ...args: unknown[]): unknown;
    timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<Reply> };
  };
}

const ask = (client: TelegraphClient, event: string, ...args: unknown[]) => rawSocket(client).timeout(5000).emitWithAck(event, ...args);
const codeOf = (reply: Reply) => (reply.ok ? "ok" : reply.error.code);

/** Valid, invalid and undeclared events, in turn: what a broken or hostile client sends thousands of times a second. */
function junk(k: number, victim: string): [string, ...unknown[]] {
  switch (k % 4) {
    case 0:
      return ["ping"];
    case 1:
      return ["ping", { echo: 12345, extra: true }];
    case 2:
      return [`noSuchEvent${k}`, { k }];
    default:
      return ["newMessageFromClient", { to: victim, context: { text: `flood ${k}` } }];
  }
}

describe("a client flooding events", () => {
  const clock = testClock();
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      clock,
      env: { EVENT_RATE_LIMIT: "30/10", EVENT_RATE_LIMIT_WRITE: "20/10", ABUSE_DISCONNECT_AFTER: "3s" },
    });
  });
  afterEach(closeAll);
  // Delivery receipts of the last acknowledged pushes commit (and cross Redis) before the server stops.
  afterAll(async () => {
    await settle(300);
    await server.stop();
  });

  it("is refused before validation and before any database work, undeclared events included", async () => {
    const [flooderUser, victim] = await Promise.all([createUser(server), createUser(server)]);
    const flooder = await connectAs(server, flooderUser);
    // Undeclared names share one budget: the 31st is refused like any other call over budget.
    const unknown = await Promise.all(Array.from({ length: 40 }, (_, k) => ask(flooder, `junk${k}`)));
    expect(unknown.slice(0, 30).map(codeOf)).toEqual(Array(30).fill("invalid_input"));
    expect(unknown.slice(30).map(codeOf)).toEqual(Array(10).fill("rate_limited"));

    const sends = await Promise.all(
      Array.from({ length: 200 }, (_, k) => ask(flooder, "newMessageFromClient", { to: victim.userId, context: { text: `m${k}` } })),
    );
    expect(sends.filter((r) => r.ok)).toHaveLength(20);
    expect(sends.filter((r) => codeOf(r) === "rate_limited")).toHaveLength(180);
    // Over budget, even malformed input is answered rate_limited: it is refused before it is parsed.
    expect(codeOf(await ask(flooder, "newMessageFromClient", { to: "not an id", nonsense: true }))).toBe("rate_limited");
    const stored = await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE sender_id = $1", [flooderUser.userId]);
    expect(stored[0]!.n).toBe(20);
    expect(flooder.socket.connected).toBe(true); // no time has passed: refused, not yet disconnected
  });

  it("serves a burst within the budget in full and in order, beyond its pace too (paced, not refused)", async () => {
    const [writer, reader] = await Promise.all([createUser(server), createUser(server)]);
    const client = await connectAs(server, writer);
    // 15 at once: more than the pace of a 20/10 write budget (10 a second), fewer than the budget.
    const replies = await Promise.all(
      Array.from({ length: 15 }, (_, k) => ask(client, "newMessageFromClient", { to: reader.userId, context: { text: `b${k}` } })),
    );
    expect(replies.map(codeOf)).toEqual(Array(15).fill("ok"));
    const stored = await server.db.query<{ text: string }>("SELECT text FROM messages WHERE sender_id = $1 ORDER BY id", [writer.userId]);
    expect(stored.map((m) => m.text)).toEqual(Array.from({ length: 15 }, (_, k) => `b${k}`));
  });

  it("is disconnected with rate_limited after ABUSE_DISCONNECT_AFTER, while every other user is served", async () => {
    const flooderUser = await createUser(server);
    const users: TestUser[] = await Promise.all(Array.from({ length: 20 }, () => createUser(server)));
    const clients = await Promise.all(users.map((u) => connectAs(server, u)));
    const flooder = await connectAs(server, flooderUser);

    const received = clients.map(() => new Set<string>());
    clients.forEach((c, i) =>
      c.on("singleUnreadMsgFromServer", (m) => {
        if (m.context.text?.startsWith("u")) received[i]!.add(m.context.text); // not the flooder's
      }),
    );
    const errors: string[] = [];
    flooder.on("errorFromServer", (e) => errors.push(e.code));
    const reason = flooder.next("disconnectFromServer", { timeoutMs: 60_000 });
    const closed = new Promise<string>((resolve) => flooder.socket.once("disconnect", resolve));

    // Each user sends five messages to the next one while the flood runs.
    const perUser = 5;
    const traffic = Promise.all(
      clients.map(async (c, i) => {
        const replies = [];
        for (let n = 0; n < perUser; n++) {
          replies.push(await c.api.newMessageFromClient({ to: users[(i + 1) % users.length]!.userId, context: { text: `u${i}-${n}` } }));
        }
        return replies;
      }),
    );

    // Bursts of 1,000 events; between bursts the server's clock moves 500 ms, less than the quiet second that would
    // end a flood, so the flood lasts as long as the bursts do.
    let bursts = 0;
    while (flooder.socket.connected && bursts < 40) {
      const raw = rawSocket(flooder);
      for (let k = 0; k < 1000; k++) raw.emit(...junk(k, users[0]!.userId));
      // An acknowledged call after the burst: its reply comes once the server has seen the burst.
      await ask(flooder, "ping").catch(() => undefined);
      clock.advance(500);
      bursts++;
    }
    expect(await reason).toMatchObject({ code: "rate_limited" });
    expect(await closed).toBe("io server disconnect");
    expect(errors).toContain("rate_limited");
    expect(bursts).toBeGreaterThanOrEqual(6); // 3 s of the server's clock, 500 ms per burst

    const replies = await traffic;
    expect(replies.flat()).toHaveLength(users.length * perUser);
    await Promise.all(
      clients.map(async (c, i) => {
        const from = (i + users.length - 1) % users.length;
        while (received[i]!.size < perUser) await c.next("singleUnreadMsgFromServer");
        expect([...received[i]!].sort()).toEqual(Array.from({ length: perUser }, (_, n) => `u${from}-${n}`));
      }),
    );
  });
});
