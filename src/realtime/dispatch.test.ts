import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { TelegraphClient } from "telegraph-client";
import { closeAll, connectAs, connectWithBootstrap, createUser, type TestUser } from "../../test/helpers/factories.ts";
import { startServer, type TestServer } from "../../test/helpers/server.ts";
import { AppError } from "../shared/errors.ts";
import { clientEvent } from "./event.ts";

// Events only this test declares, through the same table mechanism as every feature.
const testEvents = {
  explode: clientEvent({
    summary: "throws an unexpected error",
    args: z.tuple([]),
    data: z.null(),
    reply: "explodeFromServer",
    rate: "default",
    errors: [],
    example: { args: [], data: null },
    handler: async () => {
      throw new Error("database password is hunter2");
    },
  }),
  refuse: clientEvent({
    summary: "throws an AppError",
    args: z.tuple([]),
    data: z.null(),
    reply: undefined,
    rate: "default",
    errors: ["forbidden"],
    example: { args: [], data: null },
    handler: async () => {
      throw new AppError("forbidden", "Not for you.");
    },
  }),
  counted: clientEvent({
    summary: "counts its calls; no reply event",
    args: z.tuple([]),
    data: z.number(),
    reply: undefined,
    rate: "default",
    errors: [],
    example: { args: [], data: 1 },
    handler: async () => ++countedCalls,
  }),
};
let countedCalls = 0;

/** Sends a raw event with an acknowledgement and returns the reply envelope as the wire carries it. */
function raw(client: TelegraphClient, event: string, ...args: unknown[]): Promise<unknown> {
  return client.socket.timeout(3000).emitWithAck(event, ...args);
}

describe("the dispatcher and the reply convention", () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let client: TelegraphClient;

  beforeAll(async () => {
    server = await startServer({ env: { EVENT_RATE_LIMIT: "1000/10" }, extraEvents: testEvents });
    alice = await createUser(server, { name: "Alice" });
    bob = await createUser(server, { name: "Bob" });
  });
  afterEach(closeAll);
  afterAll(() => server.stop());

  const open = async () => (client = await connectAs(server, alice));

  it("answers through the acknowledgement with { ok: true, data }", async () => {
    await open();
    expect(await raw(client, "receiveUserProfile", bob.userId)).toEqual({
      ok: true,
      data: {
        user_id: bob.userId,
        name: "Bob",
        family: "User",
        username: bob.username,
        photo: null,
        biography: "",
        last_seen: null,
        online: false,
        isPrivate: false,
        isFollowed: false,
        isBlocked: false,
        mutual: false,
        followRequested: false,
        followsMe: false,
        followers_count: 0,
        following_count: 0,
        tweets_count: 0,
      },
    });
  });

  it("without an acknowledgement, emits the same data as the named reply event", async () => {
    await open();
    const acked = await client.api.receiveUserProfile(bob.userId);
    const reply = client.next("sendUserProfileFromServer");
    client.emit("receiveUserProfile", bob.userId);
    expect(await reply).toEqual(acked);
  });

  it("answers errors with { ok: false, error } or errorFromServer", async () => {
    await open();
    expect(await raw(client, "receiveUserProfile", "0123456789abcdef01234567")).toEqual({
      ok: false,
      error: { code: "not_found", message: "No such user." },
    });
    const pushed = client.next("errorFromServer");
    client.emit("receiveUserProfile", "0123456789abcdef01234567");
    expect(await pushed).toEqual({ event: "receiveUserProfile", code: "not_found", message: "No such user." });
  });

  it("answers a user who blocked me exactly as one who does not exist", async () => {
    await open();
    await server.db.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [bob.userId, alice.userId]);
    try {
      await expect(client.api.receiveUserProfile(bob.userId)).rejects.toMatchObject({ code: "not_found", message: "No such user." });
      // The one who blocked still sees the other.
      const bobClient = await connectAs(server, bob);
      expect((await bobClient.api.receiveUserProfile(alice.userId)).user_id).toBe(alice.userId);
    } finally {
      await server.db.query("DELETE FROM blocks WHERE blocker_id = $1", [bob.userId]);
    }
  });

  it("answers an unknown event with invalid_input, by errorFromServer or acknowledgement", async () => {
    await open();
    const pushed = client.next("errorFromServer");
    client.socket.emit("noSuchEvent", { a: 1 });
    expect(await pushed).toEqual({ event: "noSuchEvent", code: "invalid_input", message: 'Unknown event "noSuchEvent".' });
    expect(await raw(client, "noSuchEvent")).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(client.socket.connected).toBe(true);
  });

  it.each([
    ["a wrong type", ["receiveUserProfile", 42], /expected string/],
    ["a missing argument", ["receiveUserProfile"], /./],
    ["an extra argument", ["receiveUserProfile", "0123456789abcdef01234567", "extra"], /./],
    ["a malformed id", ["receiveUserProfile", "0123456789ABCDEF01234567"], /24-character lowercase hex id/],
    ["a short id", ["receiveUserProfile", "abc"], /24-character lowercase hex id/],
    ["an extra object field", ["ping", { echo: "hi", admin: true }], /Unrecognized key/],
    ["an oversized string", ["ping", { echo: "x".repeat(201) }], /at most 200 characters/],
    ["an empty string", ["ping", { echo: "   " }], /must not be empty/],
    ["null", ["ping", null], /./],
    ["an object where a string belongs", ["getTweet", { $ne: null }], /expected string/],
    ["a wrong key in a union's object branch", ["receiveUserProfile", { $ne: null }], /Unrecognized key/],
    ["a union's branch of neither type", ["receiveUserProfile", true], /^0: Invalid input: expected string/],
  ])("refuses %s with invalid_input and a readable message", async (_label, [event, ...args], message) => {
    await open();
    const reply = (await raw(client, event as string, ...args)) as { ok: boolean; error: { code: string; message: string } };
    expect(reply.ok).toBe(false);
    expect(reply.error.code).toBe("invalid_input");
    expect(reply.error.message).toMatch(message as RegExp);
    expect(client.socket.connected).toBe(true);
  });

  it("turns an unexpected exception into internal without leaking it or dropping the connection", async () => {
    await open();
    const reply = (await raw(client, "explode")) as { ok: boolean; error: { code: string; message: string } };
    expect(reply).toEqual({ ok: false, error: { code: "internal", message: "Something went wrong on the server." } });
    expect(JSON.stringify(reply)).not.toContain("hunter2");
    const pushed = client.next("errorFromServer");
    client.socket.emit("explode");
    expect(await pushed).toMatchObject({ event: "explode", code: "internal" });
    expect(await client.api.ping({ echo: "still here" })).toMatchObject({ echo: "still here" });
  });

  it("passes a handler's AppError through with its code and message", async () => {
    await open();
    expect(await raw(client, "refuse")).toEqual({ ok: false, error: { code: "forbidden", message: "Not for you." } });
  });

  it("stays silent on success without acknowledgement when the event has no reply event", async () => {
    // The bootstrap emits are in before recording starts.
    client = (await connectWithBootstrap(server, alice)).client;
    const seen: string[] = [];
    client.socket.onAny((event: string) => seen.push(event));
    const before = countedCalls;
    client.socket.emit("counted");
    client.socket.emit("ping", { echo: "after" });
    await client.next("pong");
    expect(countedCalls).toBe(before + 1);
    expect(seen).toEqual(["pong"]);
  });

  it("survives a binary payload and a deeply nested one", async () => {
    await open();
    expect(await raw(client, "ping", Buffer.alloc(1000))).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    let nested: unknown = "x";
    for (let i = 0; i < 500; i++) nested = { echo: nested };
    expect(await raw(client, "ping", nested)).toMatchObject({ ok: false, error: { code: "invalid_input" } });
  });
});

describe("per-user event rate limits", () => {
  let server: TestServer;
  afterEach(closeAll);
  beforeAll(async () => {
    server = await startServer({ env: { EVENT_RATE_LIMIT: "3/60" }, extraEvents: testEvents });
  });
  afterAll(() => server.stop());

  it("refuses calls over the budget with rate_limited, per user and per event, without running the handler", async () => {
    const carol = await createUser(server);
    const dave = await createUser(server);
    const client = await connectAs(server, carol);
    for (let i = 0; i < 3; i++) await client.api.ping({ echo: `${i}` });
    await expect(client.api.ping({ echo: "4" })).rejects.toMatchObject({ code: "rate_limited" });
    // Another event has its own budget, and so has another user.
    expect((await client.api.receiveUserProfile(dave.userId)).user_id).toBe(dave.userId);
    const other = await connectAs(server, dave);
    expect(await other.api.ping({ echo: "fine" })).toMatchObject({ echo: "fine" });
    // The handler does not run beyond the budget.
    const before = countedCalls;
    for (let i = 0; i < 5; i++) await client.socket.timeout(3000).emitWithAck("counted");
    expect(countedCalls).toBe(before + 3);
    // Without acknowledgement the refusal comes as errorFromServer.
    const pushed = client.next("errorFromServer");
    client.emit("ping");
    expect(await pushed).toMatchObject({ event: "ping", code: "rate_limited" });
  });
});

describe("metrics", () => {
  it("serves Prometheus metrics: sockets, events by outcome, latency, database queries", async () => {
    const server = await startServer();
    try {
      const user = await createUser(server);
      const client = await connectAs(server, user);
      await client.api.ping();
      await expect(client.api.receiveUserProfile("0123456789abcdef01234567")).rejects.toMatchObject({ code: "not_found" });
      const response = await fetch(`${server.url}/metrics`);
      expect(response.headers.get("content-type")).toContain("text/plain");
      const text = await response.text();
      expect(text).toMatch(/^telegraph_connected_sockets 1$/m);
      expect(text).toMatch(/^telegraph_events_total\{event="ping",outcome="ok"\} 1$/m);
      expect(text).toMatch(/^telegraph_events_total\{event="receiveUserProfile",outcome="not_found"\} 1$/m);
      expect(text).toMatch(/^telegraph_event_duration_seconds_count\{event="ping"\} 1$/m);
      expect(text).toMatch(/^telegraph_db_query_duration_seconds_count [1-9]\d*$/m);
    } finally {
      closeAll();
      await server.stop();
    }
  });
});
