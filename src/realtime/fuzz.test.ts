import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TelegraphClient } from "telegraph-client";
import { arbitraryFor, junk, junkArgs, type FuzzPool } from "../../test/helpers/arbitraries.ts";
import { closeAll, connectAs, createUser, type TestUser } from "../../test/helpers/factories.ts";
import { makeImage, makePngBomb } from "../../test/helpers/images.ts";
import { startServer, type TestServer } from "../../test/helpers/server.ts";
import { clientEventTable } from "./protocol.ts";

// FUZZ_SEED replays a failing run (the failure message prints the seed); FUZZ_RUNS scales it (batches of BATCH calls).
const seed = process.env["FUZZ_SEED"] ? Number(process.env["FUZZ_SEED"]) : Date.now() ^ (Math.random() * 0x7fffffff);
const RUNS = Number(process.env["FUZZ_RUNS"] ?? 210);
const BATCH = 50;
// Not a timing assertion: a reply that never comes at all is the failure (a hung handler); generous on purpose.
const ACK_TIMEOUT_MS = 15_000;

interface Call {
  event: string;
  args: unknown[];
  ack: boolean;
}

interface Reply {
  ok?: unknown;
  error?: { code?: unknown };
}

const show = (value: unknown): string => {
  const text = JSON.stringify(value, (_k, v: unknown) =>
    typeof v === "function" ? "[function]" : Buffer.isBuffer(v) ? `[Buffer ${v.length}]` : v instanceof ArrayBuffer ? `[ArrayBuffer ${v.byteLength}]` : v,
  );
  return text && text.length > 400 ? `${text.slice(0, 400)}… (${text.length} chars)` : String(text);
};

/** A failure names the call and how to replay the run, without fast-check's dump of the whole batch. */
async function replayable<T>(details: fc.RunDetails<T>): Promise<void> {
  if (!details.failed) return;
  throw new Error(`fuzzing failed; replay with FUZZ_SEED=${details.seed} (path ${details.counterexamplePath}): ${String(details.errorInstance)}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("socket fuzzing: no input breaks the server", () => {
  let server: TestServer;
  let fuzzer: TestUser;
  let client: TelegraphClient;
  let pool: FuzzPool;
  let carol: TelegraphClient;
  let dave: TelegraphClient;
  let daveUser: TestUser;
  const pushedErrors: { event?: unknown; code?: unknown; message?: unknown }[] = [];
  const drops: string[] = [];

  beforeAll(async () => {
    server = await startServer({ env: { EVENT_RATE_LIMIT: "100000000/1", EVENT_RATE_LIMIT_WRITE: "100000000/1" } });
    fuzzer = await createUser(server, { name: "Fuzz" });
    const bob = await createUser(server, { name: "Bob" });
    const eve = await createUser(server, { name: "Eve" });
    const carolUser = await createUser(server, { name: "Carol" });
    daveUser = await createUser(server, { name: "Dave" });

    const png = await makeImage("png", 8, 6);
    const gif = await makeImage("gif", 4, 4);
    // Other people's things: a tweet, a comment, a story, messages between them, and a private account's tweet.
    const bobClient = await connectAs(server, bob);
    const eveClient = await connectAs(server, eve);
    const bobTweet = await bobClient.api.addNewTweet("bob's tweet");
    const bobComment = await bobClient.api.addCommentToTweet(bobTweet.id, "bob's comment");
    const bobStory = await bobClient.api.addNewStory(png.toString("base64"));
    const bobToEve = await bobClient.api.newMessageFromClient({ to: eve.userId, context: { text: "private" } });
    const bobToFuzzer = await bobClient.api.newMessageFromClient({ to: fuzzer.userId, context: { text: "hi fuzz" } });
    await eveClient.api.togglePublicityStatus();
    const eveTweet = await eveClient.api.addNewTweet("eve's private tweet");
    const eveStory = await eveClient.api.addNewStory(gif);
    // The fuzzer's own things, so that edits and deletes also succeed sometimes.
    client = await connectAs(server, fuzzer);
    const ownTweet = await client.api.addNewTweet("my tweet");
    const ownComment = await client.api.addCommentToTweet(bobTweet.id, "my comment");
    const ownMessage = await client.api.newMessageFromClient({ to: bob.userId, context: { text: "mine" } });
    const ownStory = await client.api.addNewStory(png);
    bobClient.close();
    eveClient.close();

    pool = {
      ids: {
        users: [fuzzer, bob, eve, carolUser].map((u) => u.userId),
        tweets: [bobTweet, eveTweet, ownTweet].map((t) => t.id),
        comments: [bobComment.id, ownComment.id],
        messages: [bobToEve, bobToFuzzer, ownMessage].map((m) => m.id),
        stories: [bobStory, eveStory, ownStory].map((s) => s.id),
      },
      images: [
        png,
        gif,
        await makeImage("jpeg", 5, 5),
        makePngBomb(60_000, 60_000),
        png.subarray(0, 40),
        Buffer.from("GIF89a not really"),
        Buffer.alloc(0),
        Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0]),
      ],
    };
    client.socket.on("errorFromServer", (payload: { event?: unknown; code?: unknown; message?: unknown }) => pushedErrors.push(payload));
    client.socket.on("disconnect", (reason) => drops.push(reason));

    carol = await connectAs(server, carolUser);
    dave = await connectAs(server, daveUser);
  });

  afterAll(async () => {
    closeAll();
    await server?.stop();
  });

  /** Every client event handled so far on the server, whatever its outcome. */
  const handled = async () => (await server.app.metrics.events.get()).values.reduce((sum, v) => sum + v.value, 0);
  const internalsCounted = async () =>
    (await server.app.metrics.events.get()).values.filter((v) => v.labels["outcome"] === "internal").map((v) => `${v.labels["event"]}×${v.value}`);

  // Carol and Dave talk while the fuzzer works: each round trip is a send and its push on the other side.
  let roundTrips = 0;
  let roundTripEvents = 0;
  const roundTrip = async () => {
    const text = `round trip ${roundTrips}`;
    const arrived = dave.next("singleUnreadMsgFromServer", { accept: (m) => m.context.text === text, timeoutMs: ACK_TIMEOUT_MS });
    roundTripEvents++;
    const sent = await carol.api.newMessageFromClient({ to: daveUser.userId, context: { text } });
    expect((await arrived).id).toBe(sent.id);
    roundTrips++;
  };

  it("refuses a string holding U+0000 anywhere with invalid_input (the first thing the fuzzer found: PostgreSQL cannot store it)", async () => {
    const calls: [string, unknown[]][] = [
      ["newMessageFromClient", [{ to: daveUser.userId, context: { text: "a\u0000b" } }]],
      ["addNewTweet", ["\u0000"]],
      ["searchUsers", [{ query: "x\u0000" }]],
      ["updateProfile", [{ biography: "bio\u0000" }]],
      ["newMessageFromClient", [{ to: daveUser.userId, context: { text: "ok" }, client_id: "c\u0000" }]],
    ];
    for (const [event, args] of calls) {
      const reply = (await client.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, ...args)) as Reply & { error?: { message?: string } };
      expect(reply.error, event).toMatchObject({ code: "invalid_input", message: expect.stringContaining("U+0000") });
    }
  });

  it("refuses a lone UTF-16 surrogate with invalid_input and stores nothing (FUZZ_SEED=146621429: jsonb refused the log payload)", async () => {
    const before = await client.api.getChatMessages({ with: daveUser.userId });
    const calls: [string, unknown[]][] = [
      ["newMessageFromClient", [{ to: daveUser.userId, context: { text: "ok" }, client_id: "\udfffx" }]],
      ["newMessageFromClient", [{ to: daveUser.userId, context: { text: "half \ud83d" } }]],
      ["addNewTweet", ["\udc00 tweet"]],
      ["updateProfile", [{ biography: "bio \ud800" }]],
    ];
    for (const [event, args] of calls) {
      const reply = (await client.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, ...args)) as Reply & { error?: { message?: string } };
      expect(reply.error, event).toMatchObject({ code: "invalid_input", message: expect.stringContaining("lone surrogate") });
    }
    // A whole pair (an emoji) is valid text.
    const sent = await client.api.newMessageFromClient({ to: daveUser.userId, context: { text: "ok \ud83d\ude00" } });
    expect(sent.context.text).toBe("ok 😀");
    expect((await client.api.getChatMessages({ with: daveUser.userId })).length).toBe(before.length + 1);
  });

  it("answers raw packets socket.io-client would refuse to send; a reserved event name drops only its own connection", async () => {
    type Raw = { packet(p: { type: number; nsp: string; data: unknown[] }): void };
    const errorsBefore = pushedErrors.length;
    const names: unknown[] = ["error", "constructor", 0, 42, -1, 1e21];
    for (const name of names) (client.socket as unknown as Raw).packet({ type: 2, nsp: "/", data: [name, { to: daveUser.userId }] });
    await client.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("ping");
    expect(pushedErrors.slice(errorsBefore).map((e) => e.code)).toEqual(names.map(() => "invalid_input"));
    expect(client.socket.connected).toBe(true);
    // socket.io's own decoder closes a connection that sends a reserved name (a protocol violation) before any of our code.
    for (const name of ["disconnect", "disconnecting", "connect", "newListener", "removeListener"]) {
      const rogue = await connectAs(server, fuzzer);
      const closed = new Promise((resolve) => rogue.socket.once("disconnect", resolve));
      (rogue.socket as unknown as Raw).packet({ type: 2, nsp: "/", data: [name] });
      await closed;
    }
    expect(client.socket.connected).toBe(true);
    expect((await client.api.ping({ echo: "fine" })).echo).toBe("fine");
    await roundTrip();
    expect(drops).toEqual([]);
  });

  it(`answers ${RUNS * BATCH} generated calls across every event without an internal error or a dropped connection`, { timeout: 120_000 }, async () => {
    const events = Object.entries(clientEventTable);
    const callFor = ([event, def]: (typeof events)[number]): fc.Arbitrary<Call> => {
      const valid = arbitraryFor(def.args, pool) as fc.Arbitrary<unknown[]>;
      return fc.record({
        event: fc.constant(event),
        args: fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: junkArgs(valid) }),
        ack: fc.boolean(),
      });
    };
    const unknownEvent: fc.Arbitrary<Call> = fc.record({
      event: fc.oneof(
        fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "errorFromServer", "pong", "", "getchatlist", "x".repeat(5000)),
        fc.string({ maxLength: 20 }).filter((name) => !Object.hasOwn(clientEventTable, name) && !RESERVED.has(name)),
      ),
      args: fc.array(junk, { maxLength: 3 }),
      ack: fc.boolean(),
    });
    const call = fc.oneof(...events.map(callFor), unknownEvent);

    let sent = 0;
    let done = false;
    const talking = (async () => {
      while (!done) {
        await roundTrip();
        await sleep(100);
      }
    })();

    try {
      await fc.assert(
        fc.asyncProperty(fc.array(call, { minLength: BATCH, maxLength: BATCH }), async (calls) => {
          const base = (await handled()) - roundTripEvents;
          const errorsBefore = pushedErrors.length;
          let declared = 0;
          const replies = calls.map(async (c) => {
            if (Object.hasOwn(clientEventTable, c.event)) declared++;
            sent++;
            if (!c.ack) {
              client.socket.emit(c.event, ...c.args);
              return;
            }
            const reply = (await client.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(c.event, ...c.args)) as Reply;
            if (typeof reply !== "object" || reply === null || typeof reply.ok !== "boolean") {
              throw new Error(`${c.event}(${show(c.args)}) answered outside the envelope: ${show(reply)}`);
            }
            if (reply.ok === false && reply.error?.code === "internal") throw new Error(`${c.event}(${show(c.args)}) answered internal`);
          });
          await Promise.all(replies);
          // Calls without an acknowledgement: wait until the server has handled them all, then a ping flushes their errors.
          while ((await handled()) - roundTripEvents < base + declared) await sleep(5);
          await client.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("ping");
          const internal = pushedErrors.slice(errorsBefore).filter((e) => e.code === "internal");
          if (internal.length) {
            const suspects = calls.filter((c) => !c.ack && internal.some((e) => e.event === c.event));
            throw new Error(`errorFromServer internal for ${internal.map((e) => String(e.event)).join(", ")}: ${suspects.map((c) => `${c.event}(${show(c.args)})`).join(" | ")}`);
          }
          if (!client.socket.connected) throw new Error(`the fuzzing connection was dropped: ${drops.join(", ")}`);
        }),
        { seed, numRuns: RUNS, endOnFailure: true, asyncReporter: replayable },
      );
    } finally {
      done = true;
      await talking;
    }

    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(await internalsCounted()).toEqual([]);
    expect(drops).toEqual([]);
    expect(client.socket.connected).toBe(true);
    // After the storm: the other users' session still works, and so do HTTP and the fuzzer's own connection.
    await roundTrip();
    expect(roundTrips).toBeGreaterThan(1);
    expect((await client.api.ping({ echo: "still here" })).echo).toBe("still here");
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

/** Names socket.io-client refuses to emit. */
const RESERVED = new Set(["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]);
