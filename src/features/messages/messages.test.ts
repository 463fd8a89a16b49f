import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TelegraphClient } from "telegraph-client";
import { closeAll, connectAs, connectWithBootstrap, createUser, record, settle, type TestUser } from "../../../test/helpers/factories.ts";
import { makeImage } from "../../../test/helpers/images.ts";
import { startServer, type TestServer } from "../../../test/helpers/server.ts";

/** A payload without its update-log seq (which differs per receiver). */
const noSeq = <T extends object>(value: T) => {
  const { seq: _seq, ...rest } = value as T & { seq?: number };
  return rest;
};

describe("direct messages", () => {
  let server: TestServer;
  const users: TestUser[] = [];
  const pair = async () => {
    const a = await createUser(server, { name: "A" });
    const b = await createUser(server, { name: "B" });
    users.push(a, b);
    return [a, b] as const;
  };
  const rows = async (where: string, params: unknown[]) =>
    server.db.query<{ id: string; text: string | null; seen_at: Date | null }>(`SELECT id, text, seen_at FROM messages WHERE ${where} ORDER BY id`, params);
  const text = (to: string, body: string, extra: Record<string, unknown> = {}) => ({ to, context: { text: body }, ...extra });

  beforeAll(async () => {
    server = await startServer({ env: { EVENT_RATE_LIMIT_WRITE: "10000/10", EVENT_RATE_LIMIT: "10000/10", MESSAGES_UNREAD_CAP: "3" } });
  });
  afterEach(closeAll);
  afterAll(() => server.stop());

  it("delivers live to every device of the recipient and to the sender's other devices, after the commit", async () => {
    const [alice, bob] = await pair();
    const a1 = await connectAs(server, alice);
    const a2 = await connectAs(server, alice);
    const b1 = await connectAs(server, bob);
    const b2 = await connectAs(server, bob);
    const seenByA1 = record(a1);
    const [onB1, onB2, onA2] = [b1.next("singleUnreadMsgFromServer"), b2.next("singleUnreadMsgFromServer"), a2.next("singleSentMsgFromServer")];

    const sent = await a1.api.newMessageFromClient(text(bob.userId, "  hello bob  "));
    expect(sent).toMatchObject({ from: alice.userId, to: bob.userId, reply_to: null, context: { text: "hello bob", image: null }, seen_at: null, edited_at: null, client_id: null });
    expect(await rows("id = $1", [sent.id])).toHaveLength(1);
    const [gotB1, gotB2, gotA2] = [await onB1, await onB2, await onA2];
    expect(noSeq(gotB1)).toEqual(noSeq(sent));
    expect(gotB2).toEqual(gotB1);
    expect(noSeq(gotA2)).toEqual(noSeq(sent));
    // Each receiver's seq is its own log position; the sender's reply carries the sender's.
    expect(gotA2.seq).toBe(sent.seq);
    expect(gotB1.seq).toEqual(expect.any(Number));
    await settle();
    expect(seenByA1.of("singleSentMsgFromServer")).toEqual([]);
    expect(seenByA1.of("singleUnreadMsgFromServer")).toEqual([]);
  });

  it("without an acknowledgement, answers the sender with singleSentMsgFromServer", async () => {
    const [alice, bob] = await pair();
    const a1 = await connectAs(server, alice);
    const reply = a1.next("singleSentMsgFromServer");
    a1.emit("newMessageFromClient", text(bob.userId, "no ack"));
    expect(await reply).toMatchObject({ from: alice.userId, context: { text: "no ack" } });
  });

  it("keeps messages for an offline user until the next connect: unread list (capped, oldest first) and chat list", async () => {
    const [alice, bob] = await pair();
    const a = await connectAs(server, alice);
    const sent = [];
    for (let i = 1; i <= 5; i++) sent.push(await a.api.newMessageFromClient(text(bob.userId, `m${i}`)));
    const { unread, chatList } = await connectWithBootstrap(server, bob);
    expect(unread.map((m) => m.context.text)).toEqual(["m3", "m4", "m5"]);
    expect(chatList).toEqual([
      {
        user: { user_id: alice.userId, name: "A", family: "User", username: alice.username, photo: null },
        last_message: noSeq(sent[4]!),
        unread_count: 5,
      },
    ]);
    const mine = await connectWithBootstrap(server, alice);
    expect(mine.unread).toEqual([]);
    expect(mine.chatList[0]).toMatchObject({ user: { user_id: bob.userId }, unread_count: 0, last_message: { id: sent[4]!.id } });
  });

  it("lists conversations most recent first", async () => {
    const [alice, bob] = await pair();
    const carol = await createUser(server);
    const a = await connectAs(server, alice);
    await a.api.newMessageFromClient(text(bob.userId, "to bob"));
    await a.api.newMessageFromClient(text(carol.userId, "to carol"));
    expect((await a.api.getChatList()).map((c) => c.user.user_id)).toEqual([carol.userId, bob.userId]);
    const b = await connectAs(server, bob);
    await b.api.newMessageFromClient(text(alice.userId, "back to alice"));
    expect((await a.api.getChatList()).map((c) => c.user.user_id)).toEqual([bob.userId, carol.userId]);
  });

  it("sends read receipts to the sender's devices and the reader's other devices", async () => {
    const [alice, bob] = await pair();
    const a = await connectAs(server, alice);
    const m1 = await a.api.newMessageFromClient(text(bob.userId, "one"));
    const m2 = await a.api.newMessageFromClient(text(bob.userId, "two"));
    const m3 = await a.api.newMessageFromClient(text(bob.userId, "three"));
    const b1 = await connectAs(server, bob);
    const b2 = await connectAs(server, bob);
    const [receipt, badge] = [a.next("messagesSeenFromServer"), b2.next("messagesSeenFromServer")];
    const onB1 = record(b1);
    const result = await b1.api.markMessagesSeen({ with: alice.userId, up_to: m2.id });
    expect(result.count).toBe(2);
    const expected = { by: bob.userId, with: alice.userId, up_to: m2.id, seen_at: result.seen_at };
    expect(await receipt).toEqual({ ...expected, seq: expect.any(Number) });
    expect(await badge).toEqual({ ...expected, seq: expect.any(Number) });
    const stored = await rows("id = ANY($1::text[])", [[m1.id, m2.id, m3.id]]);
    expect(stored.map((r) => r.seen_at !== null)).toEqual([true, true, false]);
    // Nothing new to mark: nothing is pushed.
    const quiet = record(a);
    expect((await b1.api.markMessagesSeen({ with: alice.userId, up_to: m2.id })).count).toBe(0);
    await settle();
    expect(quiet.of("messagesSeenFromServer")).toEqual([]);
    expect(onB1.of("messagesSeenFromServer")).toEqual([]);
    expect((await b1.api.getChatList())[0]?.unread_count).toBe(1);
  });

  it("pages history by `before`, stable while new messages arrive, and by 1-based page", async () => {
    const [alice, bob] = await pair();
    const a = await connectAs(server, alice);
    const b = await connectAs(server, bob);
    const sent = [];
    for (let i = 0; i < 12; i++) sent.push(await (i % 2 ? b : a).api.newMessageFromClient(text(i % 2 ? alice.userId : bob.userId, `#${i}`)));
    const newestFirst = sent.map((m) => m.id).reverse();

    const first = await a.api.getChatMessages({ with: bob.userId, limit: 5 });
    expect(first.map((m) => m.id)).toEqual(newestFirst.slice(0, 5));
    await Promise.all([0, 1, 2].map((i) => b.api.newMessageFromClient(text(alice.userId, `late ${i}`))));
    const second = await a.api.getChatMessages({ with: bob.userId, before: first.at(-1)!.id, limit: 5 });
    expect(second.map((m) => m.id)).toEqual(newestFirst.slice(5, 10));
    const third = await b.api.getChatMessages({ with: alice.userId, before: second.at(-1)!.id });
    expect(third.map((m) => m.id)).toEqual(newestFirst.slice(10));

    const pageOne = await a.api.getChatMessages(bob.userId);
    expect(pageOne).toHaveLength(15);
    expect(await a.api.getChatMessages(bob.userId, 2)).toEqual([]);
    const reply = a.next("sendChatMessages");
    a.emit("getChatMessages", bob.userId, 1);
    expect(await reply).toEqual(pageOne);
  });

  it("makes a retry with the same client_id return the original: one row, one notification", async () => {
    const [alice, bob] = await pair();
    const a = await connectAs(server, alice);
    const b = await connectAs(server, bob);
    const onB = record(b);
    const first = await a.api.newMessageFromClient(text(bob.userId, "once", { client_id: "retry-1" }));
    const again = await a.api.newMessageFromClient(text(bob.userId, "once", { client_id: "retry-1" }));
    const both = await Promise.all([
      a.api.newMessageFromClient(text(bob.userId, "race", { client_id: "retry-2" })),
      a.api.newMessageFromClient(text(bob.userId, "race", { client_id: "retry-2" })),
    ]);
    expect(noSeq(again)).toEqual(noSeq(first));
    expect(noSeq(both[0])).toEqual(noSeq(both[1]));
    expect(first.client_id).toBe("retry-1");
    expect(await rows("sender_id = $1", [alice.userId])).toHaveLength(2);
    await settle();
    expect(onB.of("singleUnreadMsgFromServer").map((m) => (m as { id: string }).id)).toEqual([first.id, both[0].id]);
    // Another sender may use the same client_id.
    const fromBob = await b.api.newMessageFromClient(text(alice.userId, "mine", { client_id: "retry-1" }));
    expect(fromBob.id).not.toBe(first.id);
  });

  it("refuses messages between a blocked pair, either way, and stores nothing", async () => {
    const [alice, bob] = await pair();
    const a = await connectAs(server, alice);
    const b = await connectAs(server, bob);
    await server.db.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [bob.userId, alice.userId]);
    // Alice, whom Bob blocked, is told Bob does not exist; Bob is told he cannot (he knows he blocked her).
    await expect(a.api.newMessageFromClient(text(bob.userId, "hi"))).rejects.toMatchObject({ code: "not_found" });
    await expect(b.api.newMessageFromClient(text(alice.userId, "hi"))).rejects.toMatchObject({ code: "forbidden" });
    expect(await rows("sender_id = ANY($1::text[])", [[alice.userId, bob.userId]])).toEqual([]);
  });

  it("accepts reply_to only within the same conversation", async () => {
    const [alice, bob] = await pair();
    const carol = await createUser(server);
    const a = await connectAs(server, alice);
    const c = await connectAs(server, carol);
    const original = await a.api.newMessageFromClient(text(bob.userId, "original"));
    const reply = await a.api.newMessageFromClient(text(bob.userId, "reply", { reply_to: original.id }));
    expect(reply.reply_to).toBe(original.id);
    await expect(c.api.newMessageFromClient(text(alice.userId, "sneaky", { reply_to: original.id }))).rejects.toMatchObject({
      code: "invalid_input",
    });
    expect(await rows("sender_id = $1", [carol.userId])).toEqual([]);
  });

  it("lets the sender edit, tells both people's devices, and refuses everyone else", async () => {
    const [alice, bob] = await pair();
    const carol = await createUser(server);
    const a1 = await connectAs(server, alice);
    const a2 = await connectAs(server, alice);
    const b = await connectAs(server, bob);
    const c = await connectAs(server, carol);
    const m = await a1.api.newMessageFromClient(text(bob.userId, "typo"));
    const [onB, onA2] = [b.next("messageEditedFromServer"), a2.next("messageEditedFromServer")];
    const edited = await a1.api.editMessage({ id: m.id, text: "fixed" });
    expect(edited).toMatchObject({ id: m.id, context: { text: "fixed" }, edited_at: expect.any(String) });
    expect(noSeq(await onB)).toEqual(edited);
    expect(noSeq(await onA2)).toEqual(edited);
    await expect(b.api.editMessage({ id: m.id, text: "hijack" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(c.api.editMessage({ id: m.id, text: "hijack" })).rejects.toMatchObject({ code: "not_found" });
    expect((await rows("id = $1", [m.id]))[0]?.text).toBe("fixed");
  });

  it("deletes for me only (my devices hear of it) or, for the sender, for everyone", async () => {
    const [alice, bob] = await pair();
    const a1 = await connectAs(server, alice);
    const a2 = await connectAs(server, alice);
    const b = await connectAs(server, bob);
    const keep = await a1.api.newMessageFromClient(text(bob.userId, "keep"));
    const mine = await a1.api.newMessageFromClient(text(bob.userId, "hide for me"));
    const onB = record(b);
    const onA2 = a2.next("messageDeletedFromServer");
    expect(await a1.api.deleteMessage({ id: mine.id })).toEqual({ id: mine.id });
    expect(noSeq(await onA2)).toEqual({ id: mine.id });
    expect((await a1.api.getChatMessages(bob.userId)).map((m) => m.id)).toEqual([keep.id]);
    expect((await b.api.getChatMessages(alice.userId)).map((m) => m.id)).toEqual([mine.id, keep.id]);
    expect((await a1.api.getChatList())[0]?.last_message.id).toBe(keep.id);
    await settle();
    expect(onB.of("messageDeletedFromServer")).toEqual([]);

    const gone = await a1.api.newMessageFromClient(text(bob.userId, "oops"));
    await expect(b.api.deleteMessage({ id: gone.id, for_everyone: true })).rejects.toMatchObject({ code: "forbidden" });
    const [toB, toA2] = [b.next("messageDeletedFromServer"), a2.next("messageDeletedFromServer")];
    await a1.api.deleteMessage({ id: gone.id, for_everyone: true });
    expect(noSeq(await toB)).toEqual({ id: gone.id });
    expect(noSeq(await toA2)).toEqual({ id: gone.id });
    expect(await rows("id = $1", [gone.id])).toEqual([]);
    expect((await b.api.getChatList())[0]?.last_message.id).toBe(mine.id);
    await expect(a1.api.deleteMessage({ id: gone.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(a1.api.deleteMessage({ id: mine.id })).rejects.toMatchObject({ code: "not_found" });
  });

  it("shows typing briefly, at most once per 2 s per conversation, and never across a block", async () => {
    const [alice, bob] = await pair();
    const a = await connectAs(server, alice);
    const b = await connectAs(server, bob);
    const onB = record(b);
    const before = Date.now();
    expect(await a.api.typingFromClient({ to: bob.userId })).toBeNull();
    await a.api.typingFromClient({ to: bob.userId });
    await settle();
    const typing = onB.of("typingFromServer") as { from: string; until: string }[];
    expect(typing).toHaveLength(1);
    expect(typing[0]!.from).toBe(alice.userId);
    expect(Date.parse(typing[0]!.until) - before).toBeGreaterThanOrEqual(5000);
    expect(Date.parse(typing[0]!.until) - before).toBeLessThan(8000);
    expect((await server.db.query("SELECT 1 FROM messages WHERE sender_id = $1", [alice.userId])).length).toBe(0);

    await server.db.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [bob.userId, alice.userId]);
    const onA = record(a);
    await b.api.typingFromClient({ to: alice.userId });
    await settle();
    expect(onA.of("typingFromServer")).toEqual([]);
  });

  it("carries images through the media path, visible to the two people only", async () => {
    const [alice, bob] = await pair();
    const carol = await createUser(server);
    const a = await connectAs(server, alice);
    const b = await connectAs(server, bob);
    const onB = b.next("singleUnreadMsgFromServer");
    const sent = await a.api.newMessageFromClient({ to: bob.userId, context: { image: await makeImage("png", 20, 10) } });
    expect(sent.context).toEqual({ text: null, image: { id: expect.any(String), url: expect.stringMatching(/^\/media\//), type: "image/png", width: 20, height: 10 } });
    expect((await onB).context.image?.id).toBe(sent.context.image!.id);
    const get = (token: string) => fetch(`${server.url}/media/${sent.context.image!.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await get(bob.accessToken)).status).toBe(200);
    expect((await get(carol.accessToken)).status).toBe(404);
    const history = await b.api.getChatMessages(alice.userId);
    expect(history[0]?.context.image).toMatchObject({ id: sent.context.image!.id, width: 20, height: 10 });
  });

  it("keeps each conversation in commit order: ids increase and devices receive them in that order", async () => {
    const [alice, bob] = await pair();
    const a = await connectAs(server, alice);
    const b = await connectAs(server, bob);
    const received: string[] = [];
    b.on("singleUnreadMsgFromServer", (m) => received.push(m.id));
    const sent = await Promise.all(Array.from({ length: 30 }, (_, i) => a.api.newMessageFromClient(text(bob.userId, `burst ${i}`))));
    await settle(300);
    const ids = sent.map((m) => m.id);
    expect(new Set(ids).size).toBe(30);
    expect(received).toEqual([...ids].sort());
    expect((await rows("sender_id = $1", [alice.userId])).map((r) => r.id)).toEqual([...ids].sort());
  });

  it.each([
    ["a missing recipient", { context: { text: "x" } }],
    ["no text and no image", { to: "0123456789abcdef01234567", context: {} }],
    ["blank text only", { to: "0123456789abcdef01234567", context: { text: "   " } }],
    ["text over 4096 characters", { to: "0123456789abcdef01234567", context: { text: "x".repeat(4097) } }],
    ["an unknown field", { to: "0123456789abcdef01234567", context: { text: "x" }, priority: "high" }],
    ["an unknown context field", { to: "0123456789abcdef01234567", context: { text: "x", html: "<b>" } }],
    ["a malformed recipient id", { to: "bob", context: { text: "x" } }],
    ["a malformed reply_to", { to: "0123456789abcdef01234567", reply_to: 7, context: { text: "x" } }],
    ["a client_id over 64 characters", { to: "0123456789abcdef01234567", context: { text: "x" }, client_id: "c".repeat(65) }],
    ["a non-object", "hello"],
  ])("refuses %s with invalid_input and stores nothing", async (_label, payload) => {
    const [alice] = await pair();
    const a = await connectAs(server, alice);
    const reply = (await a.socket.timeout(3000).emitWithAck("newMessageFromClient", payload)) as { ok: boolean; error: { code: string } };
    expect(reply).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(await rows("sender_id = $1", [alice.userId])).toEqual([]);
  });

  it("refuses messaging myself (invalid_input) and an unknown user (not_found)", async () => {
    const [alice] = await pair();
    const a: TelegraphClient = await connectAs(server, alice);
    await expect(a.api.newMessageFromClient(text(alice.userId, "me"))).rejects.toMatchObject({ code: "invalid_input" });
    await expect(a.api.newMessageFromClient(text("0123456789abcdef01234567", "ghost"))).rejects.toMatchObject({ code: "not_found" });
    await expect(a.api.getChatMessages("0123456789abcdef01234567")).rejects.toMatchObject({ code: "not_found" });
    await expect(a.api.markMessagesSeen({ with: "nope", up_to: "0123456789abcdef01234567" } as never)).rejects.toMatchObject({
      code: "invalid_input",
    });
    expect(await rows("sender_id = $1", [alice.userId])).toEqual([]);
  });
});
