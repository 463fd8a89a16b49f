import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TelegraphClient } from "telegraph-client";
import { closeAll, connectAs, createUser, record, settle, type TestUser } from "../../../test/helpers/factories.ts";
import { startServer, type TestServer } from "../../../test/helpers/server.ts";
import { systemClock } from "../../shared/clock.ts";
import { UpdateLog } from "./log.ts";

type Page = { updates: { seq: number; event: string; data: Record<string, unknown> }[]; last_seq: number; complete: boolean };

describe("the update log and catch-up", () => {
  let server: TestServer;
  const opened: TelegraphClient[] = [];

  /** Connects with a lastSeq and resolves with the client and the first syncFromServer it gets. */
  async function reconnect(user: TestUser, lastSeq: number) {
    const client = new TelegraphClient(server.url, { accessToken: user.accessToken, reconnection: false, lastSeq });
    const events = record(client);
    const sync = client.next("syncFromServer");
    await client.open();
    opened.push(client);
    return { client, events, sync: (await sync) as Page | { reset: true; last_seq: number } };
  }
  const seqsOf = async (userId: string) =>
    (await server.db.query<{ seq: number }>("SELECT seq FROM updates WHERE user_id = $1 ORDER BY seq", [userId])).map((r) => Number(r.seq));
  const text = (to: string, body: string) => ({ to, context: { text: body } });

  beforeAll(async () => {
    server = await startServer({ env: { EVENT_RATE_LIMIT_WRITE: "10000/10", EVENT_RATE_LIMIT: "10000/10" } });
  });
  afterEach(() => {
    closeAll();
    for (const c of opened.splice(0)) c.close();
  });
  afterAll(() => server.stop());

  it("replays exactly the missed updates of every kind, in order, then live pushes follow without a gap", async () => {
    const alice = await createUser(server);
    const bob = await createUser(server);
    const aliceOther = await connectAs(server, alice);
    const bobClient = await connectAs(server, bob);
    const before = await aliceOther.api.newMessageFromClient(text(bob.userId, "before"));
    const lastSeq = before.seq!; // alice's device has processed everything up to here

    // Alice's phone is away. Everything below happens meanwhile.
    const fromBob = await bobClient.api.newMessageFromClient(text(alice.userId, "while away")); // 1 singleUnreadMsg
    const mine = await aliceOther.api.newMessageFromClient(text(bob.userId, "from my laptop")); // 2 singleSentMsg
    await aliceOther.api.editMessage({ id: mine.id, text: "edited on laptop" }); // 3 messageEdited
    await bobClient.api.markMessagesSeen({ with: alice.userId, up_to: mine.id }); // 4 messagesSeen (receipt)
    await aliceOther.api.markMessagesSeen({ with: bob.userId, up_to: fromBob.id }); // 5 messagesSeen (my other device)
    await bobClient.api.editMessage({ id: fromBob.id, text: "bob edited" }); // 6 messageEdited
    await aliceOther.api.deleteMessage({ id: mine.id, for_everyone: true }); // 7 messageDeleted
    await bobClient.api.ackUpdatesFromClient({ up_to: 1_000 }); // nothing new to deliver: everything from alice is seen

    const { client, events, sync } = await reconnect(alice, lastSeq);
    expect("reset" in sync).toBe(false);
    const page = sync as Page;
    expect(page.complete).toBe(true);
    expect(page.updates.map((u) => u.seq)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => lastSeq + n));
    expect(page.updates.map((u) => u.event)).toEqual([
      "singleUnreadMsgFromServer",
      "singleSentMsgFromServer",
      "messageEditedFromServer",
      "messagesSeenFromServer",
      "messagesSeenFromServer",
      "messageEditedFromServer",
      "messageDeletedFromServer",
    ]);
    expect(page.updates[0]!.data).toMatchObject({ id: fromBob.id, seq: lastSeq + 1, context: { text: "while away" } });
    expect(page.updates[3]!.data).toMatchObject({ by: bob.userId, with: alice.userId, up_to: mine.id });
    expect(page.updates[6]!.data).toEqual({ id: mine.id, seq: lastSeq + 7 });
    expect(page.last_seq).toBe(lastSeq + 7);
    expect(client.lastSeq).toBe(lastSeq + 7);
    // A device catching up gets no unread/chat-list bootstrap: the log replaces it.
    expect(events.of("allUnreadMsgFromServer")).toEqual([]);

    const live = client.next("singleUnreadMsgFromServer");
    await bobClient.api.newMessageFromClient(text(alice.userId, "now live"));
    expect((await live).seq).toBe(lastSeq + 8);
  });

  it("pages with limit, refuses a since ahead of the log, and resets a since older than the retention", async () => {
    const alice = await createUser(server);
    const bob = await createUser(server);
    const b = await connectAs(server, bob);
    for (let i = 0; i < 7; i++) await b.api.newMessageFromClient(text(alice.userId, `n${i}`));
    const a = await connectAs(server, alice);
    const first = (await a.api.getUpdates({ since: 0, limit: 3 })) as Page;
    expect([first.updates.map((u) => u.seq), first.complete, first.last_seq]).toEqual([[1, 2, 3], false, 7]);
    const second = (await a.api.getUpdates({ since: 3, limit: 3 })) as Page;
    expect([second.updates.map((u) => u.seq), second.complete]).toEqual([[4, 5, 6], false]);
    const third = (await a.api.getUpdates({ since: 6 })) as Page;
    expect([third.updates.map((u) => u.seq), third.complete]).toEqual([[7], true]);
    expect(await a.api.getUpdates({ since: 7 })).toEqual({ updates: [], last_seq: 7, complete: true });
    await expect(a.api.getUpdates({ since: 8 })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(a.api.getUpdates({ since: -1 })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(a.api.getUpdates({ since: 0, limit: 501 })).rejects.toMatchObject({ code: "invalid_input" });

    // Retention removed the oldest updates: a since before them must reload.
    await server.db.query("DELETE FROM updates WHERE user_id = $1 AND seq <= 4", [alice.userId]);
    expect(await a.api.getUpdates({ since: 2 })).toEqual({ reset: true, last_seq: 7 });
    expect(((await a.api.getUpdates({ since: 4 })) as Page).updates.map((u) => u.seq)).toEqual([5, 6, 7]);
    const { events, sync } = await reconnect(alice, 1);
    expect(sync).toEqual({ reset: true, last_seq: 7 });
    await settle();
    expect((events.of("allUnreadMsgFromServer")[0] as unknown[]).length).toBe(7);
  });

  it("gives one user unique, gap-free seqs when many senders write at once", async () => {
    const target = await createUser(server);
    const senders = await Promise.all(Array.from({ length: 8 }, () => createUser(server)));
    const clients = await Promise.all(senders.map((s) => connectAs(server, s)));
    await Promise.all(clients.flatMap((c) => Array.from({ length: 6 }, (_, i) => c.api.newMessageFromClient(text(target.userId, `x${i}`)))));
    expect(await seqsOf(target.userId)).toEqual(Array.from({ length: 48 }, (_, i) => i + 1));
  });

  it("never shows a device a seq twice or out of order while it catches up under live traffic", async () => {
    const alice = await createUser(server);
    const bob = await createUser(server);
    const b = await connectAs(server, bob);
    for (let i = 0; i < 5; i++) await b.api.newMessageFromClient(text(alice.userId, `old ${i}`));
    const seen: number[] = [];
    const client = new TelegraphClient(server.url, { accessToken: alice.accessToken, reconnection: false, lastSeq: 0 });
    client.socket.onAny((event: string, payload: { seq?: number; updates?: { seq: number }[] }) => {
      if (event === "syncFromServer") seen.push(...(payload.updates ?? []).map((u) => u.seq));
      else if (typeof payload?.seq === "number") seen.push(payload.seq);
    });
    const burst = Promise.all(Array.from({ length: 20 }, (_, i) => b.api.newMessageFromClient(text(alice.userId, `live ${i}`))));
    await client.open();
    opened.push(client);
    await burst;
    await settle(400);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it("sends delivery receipts once per advance, from a live acknowledgement or ackUpdatesFromClient, also across reconnects", async () => {
    const alice = await createUser(server);
    const bob = await createUser(server);
    const a = await connectAs(server, alice);
    const onA = record(a);

    // Bob's phone listens: the typed client acknowledges the push, which makes the message delivered.
    const phone = await connectAs(server, bob);
    phone.on("singleUnreadMsgFromServer", () => undefined);
    const first = a.next("messagesDeliveredFromServer");
    const m1 = await a.api.newMessageFromClient(text(bob.userId, "one"));
    expect(await first).toMatchObject({ by: bob.userId, with: alice.userId, up_to: m1.id, delivered_at: expect.any(String), seq: expect.any(Number) });
    const row = await server.db.query<{ delivered_at: Date | null }>("SELECT delivered_at FROM messages WHERE id = $1", [m1.id]);
    expect(row[0]?.delivered_at).toBeInstanceOf(Date);
    expect((await phone.api.getChatMessages(alice.userId))[0]?.delivered_at).toEqual(expect.any(String));
    phone.close();

    // A device without listeners confirms explicitly.
    const tablet = await connectAs(server, bob);
    const m2 = await a.api.newMessageFromClient(text(bob.userId, "two"));
    await settle();
    expect(await server.db.query("SELECT 1 FROM messages WHERE id = $1 AND delivered_at IS NULL", [m2.id])).toHaveLength(1);
    const second = a.next("messagesDeliveredFromServer");
    await tablet.api.ackUpdatesFromClient({ up_to: tablet.lastSeq! });
    expect(await second).toMatchObject({ by: bob.userId, up_to: m2.id });
    // The same watermark again: nothing new.
    await tablet.api.ackUpdatesFromClient({ up_to: tablet.lastSeq! });
    await settle();
    expect(onA.of("messagesDeliveredFromServer")).toHaveLength(2);

    // Alice goes away; bob's tablet receives two more; alice hears of it when she is back.
    const lastSeq = a.lastSeq!;
    a.close();
    const sender = await connectAs(server, alice);
    await sender.api.newMessageFromClient(text(bob.userId, "three"));
    const m4 = await sender.api.newMessageFromClient(text(bob.userId, "four"));
    sender.close();
    await settle();
    await tablet.api.ackUpdatesFromClient({ up_to: tablet.lastSeq! });
    const { sync } = await reconnect(alice, lastSeq);
    const receipts = (sync as Page).updates.filter((u) => u.event === "messagesDeliveredFromServer");
    expect(receipts.map((u) => u.data["up_to"])).toEqual([m4.id]);
  });

  it("confirms many recipients' acknowledgements together, one receipt per recipient and sender", async () => {
    const [alice, carol, bob, dave] = await Promise.all([createUser(server), createUser(server), createUser(server), createUser(server)]);
    const [a, c, b, d] = await Promise.all([connectAs(server, alice), connectAs(server, carol), connectAs(server, bob), connectAs(server, dave)]);
    const onA = record(a);
    const onC = record(c);
    const onB = record(b);
    for (const device of [b, d]) device.on("singleUnreadMsgFromServer", () => undefined);
    // Four messages in one burst: their acknowledgements arrive within one coalescing window.
    const [ab1, ab2, ad, cb] = await Promise.all([
      a.api.newMessageFromClient(text(bob.userId, "1")),
      a.api.newMessageFromClient(text(bob.userId, "2")),
      a.api.newMessageFromClient(text(dave.userId, "3")),
      c.api.newMessageFromClient(text(bob.userId, "4")),
    ]);
    await settle(400);
    const newest = [ab1, ab2].sort((x, y) => (x.id < y.id ? 1 : -1))[0]!;
    // The newest receipt each sender holds per recipient (a window boundary may split a burst, never lose one).
    const latest = (events: ReturnType<typeof record>) => {
      const byPair = new Map<string, string>();
      for (const r of events.of("messagesDeliveredFromServer") as Record<string, string>[]) byPair.set(`${r["by"]}>${r["with"]}`, r["up_to"]!);
      return Object.fromEntries(byPair);
    };
    expect(latest(onA)).toEqual({ [`${bob.userId}>${alice.userId}`]: newest.id, [`${dave.userId}>${alice.userId}`]: ad.id });
    expect(latest(onC)).toEqual({ [`${bob.userId}>${carol.userId}`]: cb.id });
    expect(onB.of("messagesDeliveredFromServer")).toEqual([]); // a recipient hears nothing of their own receipts
    const undelivered = await server.db.query("SELECT id FROM messages WHERE id = ANY($1::text[]) AND delivered_at IS NULL", [
      [ab1.id, ab2.id, ad.id, cb.id],
    ]);
    expect(undelivered).toEqual([]);
  });

  it("sweeps the log by age and by count per user", async () => {
    const alice = await createUser(server);
    const bob = await createUser(server);
    const b = await connectAs(server, bob);
    await Promise.all(Array.from({ length: 105 }, (_, i) => b.api.newMessageFromClient(text(alice.userId, `s${i}`))));
    const log = new UpdateLog(systemClock);
    await log.sweep(server.db, 86400, 100);
    expect(await seqsOf(alice.userId)).toEqual(Array.from({ length: 100 }, (_, i) => i + 6));
    await server.db.query("UPDATE updates SET created_at = now() - interval '2 days' WHERE user_id = $1 AND seq <= 50", [alice.userId]);
    await log.sweep(server.db, 86400, 100);
    expect((await seqsOf(alice.userId))[0]).toBe(51);
  });
});
