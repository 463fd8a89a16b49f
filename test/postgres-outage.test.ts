import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TelegraphConnectError, TelegraphError, type TelegraphClient } from "telegraph-client";
import { closeAll, connectAs, createUser, settle, type TestUser, waitFor } from "./helpers/factories.ts";
import { http, post } from "./helpers/http.ts";
import { findPostgresBin, ownPostgresRequired, startOwnPostgres, type OwnPostgres } from "./helpers/own-postgres.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

const bin = findPostgresBin();
const skip = !bin && !ownPostgresRequired;
const title = skip
  ? "a node whose PostgreSQL goes away (skipped: no initdb/pg_ctl in /usr/lib/postgresql/*/bin or on PATH)"
  : "a node whose PostgreSQL goes away";

/** The error code a request failed with (it must fail). */
async function failureOf(request: Promise<unknown>): Promise<string> {
  const err = await request.then(
    () => new Error("the request succeeded"),
    (e: unknown) => e,
  );
  return err instanceof TelegraphError || err instanceof TelegraphConnectError ? String(err.code) : String(err);
}

describe.skipIf(skip)(title, () => {
  let pg: OwnPostgres | undefined;
  let server: TestServer | undefined;
  let alice: TestUser;
  let bob: TestUser;
  let a: TelegraphClient;
  let b: TelegraphClient;

  beforeAll(async () => {
    // In CI a missing PostgreSQL is a failure, not a skip.
    if (!bin) throw new Error("initdb and pg_ctl not found (/usr/lib/postgresql/*/bin or PATH): this test needs a PostgreSQL of its own");
    pg = await startOwnPostgres(bin);
    server = await startServer({ databaseUrl: pg.url, env: { EVENT_RATE_LIMIT_WRITE: "100000/10" } });
    alice = await createUser(server);
    bob = await createUser(server);
    a = await connectAs(server, alice);
    b = await connectAs(server, bob);
  }, 60_000);

  afterAll(async () => {
    closeAll();
    if (pg && server) {
      await pg.start().catch(() => undefined); // running again, so the schema can be dropped
      await server.stop();
    }
    await pg?.dispose();
  });

  const ready = async () => (await http(server!.url, "GET", "/readyz")).status === 200;
  const send = (client: TelegraphClient, to: TestUser, clientId: string) =>
    client.api.newMessageFromClient({ to: to.userId, context: { text: clientId }, client_id: clientId });

  it("answers unavailable while it is down, keeps the sockets, and recovers with every acknowledged message", async () => {
    const acknowledged: string[] = [];
    for (let i = 0; i < 5; i++) {
      await send(a, bob, `before-${i}`);
      acknowledged.push(`before-${i}`);
    }
    expect(await ready()).toBe(true);

    await pg!.stop();
    expect(await waitFor(async () => !(await ready()), 10_000)).toBe(true);
    expect((await http(server!.url, "GET", "/readyz")).body).toEqual({ status: "unavailable" });

    // Events that need the database answer unavailable, not internal; the others still work.
    const refused = ["during-0", "during-1", "during-2"];
    for (const clientId of refused) expect(await failureOf(send(a, bob, clientId))).toBe("unavailable");
    expect(await failureOf(b.api.getChatList())).toBe("unavailable");
    expect(await failureOf(a.api.getChatMessages({ with: bob.userId }))).toBe("unavailable");
    expect(await a.api.ping({ echo: "still here" })).toMatchObject({ echo: "still here" });
    // HTTP answers 503 with the same code.
    const login = await post(server!.url, "/login", { username: alice.username, password: alice.password });
    expect(login.status).toBe(503);
    expect(login.body).toMatchObject({ code: "unavailable" });
    // A new connection is refused cleanly; the open ones stay open.
    expect(await failureOf(connectAs(server!, alice))).toBe("unavailable");
    expect(a.socket.connected && b.socket.connected).toBe(true);

    await pg!.start();
    expect(await waitFor(ready, 15_000)).toBe(true);
    // The pool reconnects and the writer resumes: a send after the outage is stored and delivered live.
    const arrived = b.next("singleUnreadMsgFromServer");
    const after = await send(a, bob, "after-0");
    acknowledged.push("after-0");
    expect((await arrived).id).toBe(after.id);
    expect(await connectAs(server!, alice)).toBeDefined();

    // Every acknowledged message is there exactly once; the refused ones were not half-written.
    const rows = await server!.db.query<{ client_id: string; copies: number }>(
      "SELECT client_id, count(*)::int AS copies FROM messages WHERE sender_id = $1 GROUP BY client_id ORDER BY client_id",
      [alice.userId],
    );
    expect(rows).toEqual([...acknowledged].sort().map((client_id) => ({ client_id, copies: 1 })));
    const history = await b.api.getChatMessages({ with: alice.userId });
    expect(history.map((m) => m.context.text).sort()).toEqual([...acknowledged].sort());
  });

  it("survives a stop in the middle of sends: acknowledged ones stored once, none twice", async () => {
    const acknowledged = new Set<string>();
    const refused = new Set<string>();
    const codes = new Set<string>();
    let running = true;
    let n = 0;
    const sender = async (client: TelegraphClient, to: TestUser, tag: string) => {
      while (running) {
        const clientId = `${tag}-${n++}`;
        const code = await send(client, to, clientId).then(
          () => "ok",
          (e: unknown) => (e instanceof TelegraphError ? e.code : String(e)),
        );
        if (code === "ok") acknowledged.add(clientId);
        else {
          codes.add(code);
          refused.add(clientId);
        }
        if (code !== "ok") await settle(20);
      }
    };
    // Several senders on both sockets, so transactions are in flight when the server goes.
    const load = Promise.all([sender(a, bob, "la"), sender(a, bob, "lb"), sender(b, alice, "lc"), sender(b, alice, "ld")]);
    expect(await waitFor(async () => acknowledged.size >= 40, 10_000)).toBe(true);
    await pg!.stop();
    expect(await waitFor(async () => refused.size >= 8, 10_000)).toBe(true);
    await pg!.start();
    const resumed = acknowledged.size;
    expect(await waitFor(async () => acknowledged.size >= resumed + 20, 15_000)).toBe(true);
    running = false;
    await load;
    expect([...codes]).toEqual(["unavailable"]);
    expect(a.socket.connected && b.socket.connected).toBe(true);

    const rows = await server!.db.query<{ client_id: string; copies: number }>(
      "SELECT client_id, count(*)::int AS copies FROM messages WHERE client_id LIKE 'l%' GROUP BY client_id",
    );
    const copies = new Map(rows.map((r) => [r.client_id, r.copies]));
    for (const clientId of acknowledged) expect(copies.get(clientId), clientId).toBe(1);
    expect(rows.every((r) => r.copies === 1)).toBe(true);
    // A refused send is absent, except one whose commit happened just before its answer was lost (a retry with the
    // same client_id returns it): never more than the sends in flight at the stop.
    expect([...refused].filter((id) => copies.has(id)).length).toBeLessThanOrEqual(4);
  });
});
