import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TelegraphClient } from "telegraph-client";
import { closeAll, connectAs, createUser, record, settle, waitFor, type TestUser } from "../../../test/helpers/factories.ts";
import { makeImage } from "../../../test/helpers/images.ts";
import { startServer, type TestServer } from "../../../test/helpers/server.ts";

const MAX_MEMBERS = 5;

describe("group chats", () => {
  let server: TestServer;
  type Eight<T> = [T, T, T, T, T, T, T, T];
  // Typed as eight, whatever n: callers take the first n.
  const people = async (n: number) => (await Promise.all(Array.from({ length: n }, (_, i) => createUser(server, { name: `P${i}` })))) as Eight<TestUser>;
  const connectEach = async (...users: TestUser[]) => (await Promise.all(users.map((u) => connectAs(server, u)))) as Eight<TelegraphClient>;
  const refusalOf = (err: unknown) => (err as { code?: string }).code;
  const fetchStatus = async (url: string, user: TestUser) =>
    (await fetch(server.url + url, { headers: { authorization: `Bearer ${user.accessToken}` } })).status;

  beforeAll(async () => {
    server = await startServer({
      env: { EVENT_RATE_LIMIT_WRITE: "10000/10", EVENT_RATE_LIMIT: "10000/10", GROUP_MAX_MEMBERS: String(MAX_MEMBERS) },
    });
  });
  afterEach(closeAll);
  afterAll(() => server.stop());

  it("creates a group: the owner's answer, the added members' pushes, and what is stored", async () => {
    const [owner, ann, ben] = await people(3);
    const [o, a, b] = await connectEach(owner, ann, ben);
    const [addedA, addedB] = [a.next("addedToGroupFromServer"), b.next("addedToGroupFromServer")];
    const group = await o.api.createGroup({ title: "  Weekend hike ", members: [ann.userId, ben.userId, ann.userId] });
    expect(group).toMatchObject({ title: "Weekend hike", owner: owner.userId, role: "owner", members_count: 3, photo: null, refused: [] });
    expect(group.added.sort()).toEqual([ann.userId, ben.userId].sort());
    const [pushA, pushB] = [await addedA, await addedB];
    expect(pushA).toMatchObject({ group: { id: group.id, title: "Weekend hike", role: "member", members_count: 3 }, by: owner.userId, seq: expect.any(Number) });
    expect(pushB.group.id).toBe(group.id);
    const info = await a.api.getGroupInfo(group.id);
    expect(info.members.map((m) => [m.user_id, m.role]).sort()).toEqual(
      [[owner.userId, "owner"], [ann.userId, "member"], [ben.userId, "member"]].sort(),
    );
    const stored = await server.db.query<{ members_count: number }>("SELECT members_count FROM groups WHERE id = $1", [group.id]);
    expect(stored[0]!.members_count).toBe(3);
  });

  it("refuses per user: unknown, blocked either way, group_invites nobody / following, already in; adds the rest", async () => {
    const [owner, ok, blocker, blocked, closed, picky, fan] = await people(7);
    const [o, bl, cl, pk, fa] = await connectEach(owner, blocker, closed, picky, fan);
    await bl.api.toggleBlockUser(owner.userId);
    await o.api.toggleBlockUser(blocked.userId);
    await cl.api.updateProfile({ group_invites: "nobody" });
    await pk.api.updateProfile({ group_invites: "following" });
    await fa.api.updateProfile({ group_invites: "following" });
    await fa.api.followUser(owner.userId);
    expect((await pk.api.receiveUserProfile(picky.userId)).group_invites).toBe("following");
    const unknown = "0123456789abcdef01234567";
    const group = await o.api.createGroup({ title: "g", members: [ok.userId, blocker.userId, blocked.userId, closed.userId, picky.userId, fan.userId, unknown] });
    expect(group.added.sort()).toEqual([ok.userId, fan.userId].sort());
    expect(new Map(group.refused.map((r) => [r.user_id, r.reason]))).toEqual(
      new Map([
        [blocker.userId, "blocked"],
        [blocked.userId, "blocked"],
        [closed.userId, "privacy"],
        [picky.userId, "privacy"],
        [unknown, "not_found"],
      ]),
    );
    const again = await o.api.addGroupMembers({ group: group.id, members: [ok.userId] });
    expect(again).toEqual({ added: [], refused: [{ user_id: ok.userId, reason: "already_member" }] });
    expect((await o.api.getGroupInfo(group.id)).members_count).toBe(3);
  });

  it("never exceeds GROUP_MAX_MEMBERS, even when two admins add at once", async () => {
    const [owner, admin, ...rest] = await people(8);
    const [o, ad] = await connectEach(owner, admin);
    const group = await o.api.createGroup({ title: "full", members: [admin.userId] });
    await o.api.setGroupMemberRole({ group: group.id, user: admin.userId, role: "admin" });
    const [first, second] = await Promise.all([
      o.api.addGroupMembers({ group: group.id, members: rest.slice(0, 3).map((u) => u.userId) }),
      ad.api.addGroupMembers({ group: group.id, members: rest.slice(3, 6).map((u) => u.userId) }),
    ]);
    expect(first.added.length + second.added.length).toBe(MAX_MEMBERS - 2);
    expect([...first.refused, ...second.refused].every((r) => r.reason === "full")).toBe(true);
    const n = (await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM group_members WHERE group_id = $1", [group.id]))[0]!.n;
    expect(n).toBe(MAX_MEMBERS);
    expect((await o.api.getGroupInfo(group.id)).members_count).toBe(MAX_MEMBERS);
  });

  it("delivers a message to every member's devices (the sender's other ones too) after the commit, once per client_id", async () => {
    const [owner, ann, outsider] = await people(3);
    const o1 = await connectAs(server, owner);
    const o2 = await connectAs(server, owner);
    const a1 = await connectAs(server, ann);
    const out = await connectAs(server, outsider);
    const seenByOutsider = record(out);
    const seenByO1 = record(o1);
    const group = await o1.api.createGroup({ title: "chat", members: [ann.userId] });
    const [onA, onO2] = [a1.next("singleGroupMsgFromServer"), o2.next("singleGroupMsgFromServer")];
    const sent = await o1.api.newGroupMessageFromClient({ group: group.id, context: { text: " hello all " }, client_id: "g-1" });
    expect(sent).toMatchObject({ group: group.id, from: owner.userId, context: { text: "hello all", image: null }, client_id: "g-1", seq: expect.any(Number) });
    const [gotA, gotO2] = [await onA, await onO2];
    expect(gotA).toMatchObject({ id: sent.id, group: group.id, context: { text: "hello all" } });
    expect(gotO2.id).toBe(sent.id);
    expect(gotO2.seq).toBe(sent.seq);
    const retry = await o1.api.newGroupMessageFromClient({ group: group.id, context: { text: "hello all" }, client_id: "g-1" });
    expect(retry.id).toBe(sent.id);
    await settle();
    const stored = await server.db.query("SELECT id FROM group_messages WHERE group_id = $1", [group.id]);
    expect(stored).toHaveLength(1);
    expect(seenByOutsider.of("singleGroupMsgFromServer")).toEqual([]);
    expect(seenByO1.of("singleGroupMsgFromServer")).toEqual([]);
    expect((await a1.api.getGroupMessages({ group: group.id })).map((m) => m.id)).toEqual([sent.id]);
    await expect(out.api.getGroupMessages({ group: group.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(out.api.newGroupMessageFromClient({ group: group.id, context: { text: "hi" } })).rejects.toMatchObject({ code: "not_found" });
  });

  it("keeps commit order: ids increase, a member's other device gets every message in that order; pages by keyset", async () => {
    const [owner, ann] = await people(2);
    const o = await connectAs(server, owner);
    const o2 = await connectAs(server, owner);
    const a = await connectAs(server, ann);
    const onO2 = record(o2);
    const group = await o.api.createGroup({ title: "order", members: [ann.userId] });
    const sent = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? a : o).api.newGroupMessageFromClient({ group: group.id, context: { text: `m${i}` } })),
    );
    const ids = sent.map((m) => m.id).sort();
    await settle(300);
    const pushed = onO2.of("singleGroupMsgFromServer") as { id: string; seq: number }[];
    expect(pushed.map((m) => m.id)).toEqual(ids);
    expect(pushed.every((m, i) => i === 0 || m.seq > pushed[i - 1]!.seq)).toBe(true);
    const first = await o.api.getGroupMessages({ group: group.id, limit: 5 });
    const second = await o.api.getGroupMessages({ group: group.id, limit: 5, before: first.at(-1)!.id });
    const third = await o.api.getGroupMessages({ group: group.id, limit: 5, before: second.at(-1)!.id });
    expect([...first, ...second, ...third].map((m) => m.id)).toEqual([...ids].reverse());
  });

  it("group commit: concurrent sends from several members are acknowledged, stored and pushed once each, in order; a refused one fails alone", async () => {
    const [owner, ann, ben, outsider] = await people(4);
    const members = [owner, ann, ben];
    const senders = await connectEach(...members);
    // Each member's second device hears everyone's messages (a sender's own device is skipped for its own).
    const listeners = await connectEach(...members);
    const out = await connectAs(server, outsider);
    const outsiderHeard = record(out);
    const group = await senders[0].api.createGroup({ title: "burst", members: [ann.userId, ben.userId] });
    const heard = listeners.slice(0, 3).map(record);
    const PER_MEMBER = 10;
    const send = (i: number, clientId: string) =>
      senders[i]!.api.newGroupMessageFromClient({ group: group.id, context: { text: clientId }, client_id: clientId });
    const sends = members.flatMap((_, i) => [
      ...Array.from({ length: PER_MEMBER }, (_, j) => ({ i, clientId: `burst-${i}-${j}` })),
      // Retries racing their originals, very likely in the same batch.
      ...[0, 1, 2].map((j) => ({ i, clientId: `burst-${i}-${j}` })),
    ]);
    const refused = [0, 1, 2].map((j) =>
      out.api.newGroupMessageFromClient({ group: group.id, context: { text: "let me in" }, client_id: `burst-out-${j}` }).catch((e: unknown) => e),
    );
    const acks = await Promise.all(sends.map(({ i, clientId }) => send(i, clientId)));
    expect((await Promise.all(refused)).map(refusalOf)).toEqual(["not_found", "not_found", "not_found"]);

    // One ack per send; a retry answers its original's id and text.
    expect(acks).toHaveLength(sends.length);
    const idOf = new Map<string, string>();
    for (const [k, ack] of acks.entries()) {
      const { i, clientId } = sends[k]!;
      expect(ack).toMatchObject({ group: group.id, from: members[i]!.userId, client_id: clientId, context: { text: clientId } });
      const first = idOf.get(clientId);
      if (first) expect(ack.id).toBe(first);
      else idOf.set(clientId, ack.id);
    }
    const expected = [...idOf.values()].sort();
    expect(expected).toHaveLength(members.length * PER_MEMBER);
    const stored = await server.db.query<{ id: string }>("SELECT id FROM group_messages WHERE group_id = $1 ORDER BY id", [group.id]);
    expect(stored.map((r) => r.id)).toEqual(expected);
    expect(await server.db.query("SELECT 1 FROM group_messages WHERE sender_id = $1", [outsider.userId])).toHaveLength(0);

    // Every member's listening device gets each message once, in id order and seq order.
    const pushedTo = (h: ReturnType<typeof record>) => h.of("singleGroupMsgFromServer") as { id: string; seq: number }[];
    expect(await waitFor(async () => heard.every((h) => pushedTo(h).length >= expected.length), 10_000, 50)).toBe(true);
    await settle();
    for (const h of heard) {
      const pushed = pushedTo(h);
      expect(pushed.map((m) => m.id)).toEqual(expected);
      expect(pushed.every((m, k) => k === 0 || m.seq > pushed[k - 1]!.seq)).toBe(true);
    }
    // Logged once per member per message, and the outsider's log holds none.
    const logged = await server.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM updates WHERE event = 'singleGroupMsgFromServer' AND data->>'group' = $1",
      [group.id],
    );
    expect(logged[0]!.n).toBe(expected.length * members.length);
    expect(outsiderHeard.of("singleGroupMsgFromServer")).toEqual([]);
  });

  it("refuses invalid input with invalid_input and stores nothing", async () => {
    const [owner] = await people(1);
    const o = await connectAs(server, owner);
    const group = await o.api.createGroup({ title: "valid", members: [] });
    const bad: [string, unknown[]][] = [
      ["createGroup", [{ title: "   ", members: [] }]],
      ["createGroup", [{ title: "x".repeat(129) }]],
      ["createGroup", [{ title: "ok", members: ["not-an-id"] }]],
      ["updateGroup", [{ group: group.id }]],
      ["addGroupMembers", [{ group: group.id, members: [] }]],
      ["setGroupMemberRole", [{ group: group.id, user: owner.userId, role: "owner" }]],
      ["newGroupMessageFromClient", [{ group: group.id, context: {} }]],
      ["getGroupMessages", [{ group: group.id, limit: 101 }]],
      ["markGroupSeen", [{ group: group.id }]],
    ];
    for (const [event, args] of bad) {
      const reply = (await o.socket.timeout(5000).emitWithAck(event, ...args)) as { ok: boolean; error?: { code: string } };
      expect(reply, event).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    }
    const groups = await server.db.query("SELECT id FROM groups WHERE owner_id = $1", [owner.userId]);
    expect(groups).toHaveLength(1);
    expect(await server.db.query("SELECT 1 FROM group_messages WHERE group_id = $1", [group.id])).toHaveLength(0);
    expect((await o.api.getGroupInfo(group.id)).title).toBe("valid");
  });

  it("roles: admins add and remove members, only the owner changes roles, transfers or deletes; the owner leaves last", async () => {
    const [owner, admin, member, newcomer] = await people(4);
    const [o, ad, me] = await connectEach(owner, admin, member);
    const group = await o.api.createGroup({ title: "roles", members: [admin.userId, member.userId] });
    const update = me.next("groupUpdatedFromServer");
    await o.api.setGroupMemberRole({ group: group.id, user: admin.userId, role: "admin" });
    expect(await update).toMatchObject({ id: group.id, role: "member", members_count: 3 });
    expect(refusalOf(await me.api.updateGroup({ group: group.id, title: "mine" }).catch((e: unknown) => e))).toBe("forbidden");
    expect((await ad.api.updateGroup({ group: group.id, title: "renamed" })).title).toBe("renamed");
    expect(refusalOf(await ad.api.setGroupMemberRole({ group: group.id, user: member.userId, role: "admin" }).catch((e: unknown) => e))).toBe("forbidden");
    expect(refusalOf(await ad.api.removeGroupMember({ group: group.id, user: owner.userId }).catch((e: unknown) => e))).toBe("forbidden");
    expect(refusalOf(await o.api.leaveGroup(group.id).catch((e: unknown) => e))).toBe("forbidden");
    await ad.api.addGroupMembers({ group: group.id, members: [newcomer.userId] });
    await ad.api.removeGroupMember({ group: group.id, user: newcomer.userId });
    const transferred = await o.api.transferGroupOwnership({ group: group.id, user: member.userId });
    expect(transferred).toMatchObject({ owner: member.userId, role: "admin" });
    expect(refusalOf(await o.api.deleteGroup(group.id).catch((e: unknown) => e))).toBe("forbidden");
    await o.api.leaveGroup(group.id);
    const info = await me.api.getGroupInfo(group.id);
    expect(info.members.map((m) => [m.user_id, m.role]).sort()).toEqual([[admin.userId, "admin"], [member.userId, "owner"]].sort());
    const removed = ad.next("removedFromGroupFromServer");
    await me.api.deleteGroup(group.id);
    expect(await removed).toMatchObject({ group: group.id, by: member.userId });
    const n = (await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM group_messages WHERE group_id = $1", [group.id]))[0]!.n;
    expect(n).toBe(0);
    expect(refusalOf(await ad.api.getGroupInfo(group.id).catch((e: unknown) => e))).toBe("not_found");
  });

  it("a removed member loses the group: no more pushes, no history, no media", async () => {
    const [owner, ann] = await people(2);
    const o = await connectAs(server, owner);
    const a = await connectAs(server, ann);
    const group = await o.api.createGroup({ title: "media", members: [ann.userId] });
    const withImage = await o.api.newGroupMessageFromClient({ group: group.id, context: { image: await makeImage("png", 8, 8) } });
    const url = new URL(withImage.context.image!.url, server.url);
    expect(await fetchStatus(url.pathname + url.search, ann)).toBe(200);
    const removed = a.next("removedFromGroupFromServer");
    await o.api.removeGroupMember({ group: group.id, user: ann.userId });
    expect(await removed).toMatchObject({ group: group.id, by: owner.userId });
    const seenByA = record(a);
    await o.api.newGroupMessageFromClient({ group: group.id, context: { text: "after" } });
    await o.api.groupTypingFromClient(group.id);
    await settle(300);
    expect(seenByA.of("singleGroupMsgFromServer")).toEqual([]);
    expect(seenByA.of("groupTypingFromServer")).toEqual([]);
    expect(refusalOf(await a.api.getGroupMessages({ group: group.id }).catch((e: unknown) => e))).toBe("not_found");
    expect(await fetchStatus(url.pathname + url.search, ann)).toBe(404);
  });

  it("read marks reach every member; typing reaches the others, not those who blocked the typist", async () => {
    const [owner, ann, ben] = await people(3);
    const [o, a, b] = await connectEach(owner, ann, ben);
    const group = await o.api.createGroup({ title: "marks", members: [ann.userId, ben.userId] });
    const message = await o.api.newGroupMessageFromClient({ group: group.id, context: { text: "read me" } });
    const [seenO, seenB] = [o.next("groupSeenFromServer"), b.next("groupSeenFromServer")];
    await a.api.markGroupSeen({ group: group.id, up_to: message.id });
    expect(await seenO).toMatchObject({ group: group.id, by: ann.userId, up_to: message.id });
    expect((await seenB).up_to).toBe(message.id);
    // Group info carries each member's mark, so a client can tick my messages someone has seen.
    const marks = new Map((await b.api.getGroupInfo(group.id)).members.map((m) => [m.user_id, m.seen_up_to]));
    expect(marks).toEqual(new Map([[owner.userId, null], [ann.userId, message.id], [ben.userId, null]]));
    // The same mark again moves nothing and tells nobody.
    const quiet = record(o);
    await a.api.markGroupSeen({ group: group.id, up_to: message.id });
    await b.api.toggleBlockUser(ann.userId);
    const typingO = o.next("groupTypingFromServer");
    const seenByB = record(b);
    await a.api.groupTypingFromClient(group.id);
    expect(await typingO).toMatchObject({ group: group.id, user: ann.userId });
    await settle(300);
    expect(seenByB.of("groupTypingFromServer")).toEqual([]);
    expect(quiet.of("groupSeenFromServer")).toEqual([]);
  });

  it("edits and deletes: the sender edits, an admin deletes for everyone, anyone for themselves; readers for the sender only", async () => {
    const [owner, ann, ben] = await people(3);
    const [o, a, b] = await connectEach(owner, ann, ben);
    const group = await o.api.createGroup({ title: "edits", members: [ann.userId, ben.userId] });
    const byAnn = await a.api.newGroupMessageFromClient({ group: group.id, context: { text: "typo" } });
    expect(refusalOf(await o.api.editGroupMessage({ id: byAnn.id, text: "not mine" }).catch((e: unknown) => e))).toBe("forbidden");
    const editedOnB = b.next("groupMessageEditedFromServer");
    const edited = await a.api.editGroupMessage({ id: byAnn.id, text: "fixed" });
    expect(edited).toMatchObject({ id: byAnn.id, context: { text: "fixed" }, edited_at: expect.any(String) });
    expect(await editedOnB).toMatchObject({ id: byAnn.id, context: { text: "fixed" } });

    // Readers: ben reads, ann (the sender) sees him; others may not ask.
    await b.api.markGroupSeen({ group: group.id, up_to: byAnn.id });
    const readers = await a.api.getGroupMessageReaders(byAnn.id);
    expect(readers.map((r) => r.user.user_id)).toEqual([ben.userId]);
    expect(refusalOf(await b.api.getGroupMessageReaders(byAnn.id).catch((e: unknown) => e))).toBe("forbidden");

    // For me only: gone from my history, still in the others'.
    await b.api.deleteGroupMessage({ id: byAnn.id });
    expect((await b.api.getGroupMessages({ group: group.id })).map((m) => m.id)).toEqual([]);
    expect((await o.api.getGroupMessages({ group: group.id })).map((m) => m.id)).toEqual([byAnn.id]);
    // For everyone: a plain member may not delete another's, the owner (an admin) may.
    const byOwner = await o.api.newGroupMessageFromClient({ group: group.id, context: { text: "mine" } });
    expect(refusalOf(await b.api.deleteGroupMessage({ id: byOwner.id, for_everyone: true }).catch((e: unknown) => e))).toBe("forbidden");
    const deletedOnA = a.next("groupMessageDeletedFromServer");
    await o.api.deleteGroupMessage({ id: byAnn.id, for_everyone: true });
    expect(await deletedOnA).toMatchObject({ id: byAnn.id, group: group.id });
    expect(await server.db.query("SELECT 1 FROM group_messages WHERE id = $1", [byAnn.id])).toHaveLength(0);
  });

  it("lists direct chats and groups together, newest activity first, with unread counts; getChatList stays direct only", async () => {
    const [me, ann, ben] = await people(3);
    const [m, a, b] = await connectEach(me, ann, ben);
    const quiet = await b.api.createGroup({ title: "quiet", members: [me.userId] });
    await a.api.newMessageFromClient({ to: me.userId, context: { text: "direct" } });
    const busy = await a.api.createGroup({ title: "busy", members: [me.userId] });
    const one = await a.api.newGroupMessageFromClient({ group: busy.id, context: { text: "one" } });
    const two = await a.api.newGroupMessageFromClient({ group: busy.id, context: { text: "two" } });
    await m.api.newGroupMessageFromClient({ group: busy.id, context: { text: "mine" } });
    await m.api.markGroupSeen({ group: busy.id, up_to: one.id });
    const chats = await m.api.getChats();
    expect(chats.map((c) => (c.kind === "group" ? c.group.title : c.user.user_id))).toEqual(["busy", ann.userId, "quiet"]);
    const [first, second, third] = chats;
    // Two from Ann, one read; mine never counts.
    expect(first).toMatchObject({ kind: "group", unread_count: 1, last_message: { context: { text: "mine" } } });
    expect(second).toMatchObject({ kind: "direct", unread_count: 1 });
    expect(third).toMatchObject({ kind: "group", group: { id: quiet.id, role: "member" }, last_message: null, unread_count: 0 });
    expect(two.id > one.id).toBe(true);
    expect((await m.api.getChatList()).map((c) => c.user.user_id)).toEqual([ann.userId]);
  });

  it("a group photo: members fetch it, others are told it does not exist; admins change or remove it", async () => {
    const [owner, ann, outsider] = await people(3);
    const [o, a] = await connectEach(owner, ann);
    const group = await o.api.createGroup({ title: "photo", members: [ann.userId], photo: await makeImage("png", 40, 40) });
    expect(group.photo).toEqual(expect.any(String));
    const url = new URL(group.photo!, server.url);
    expect(await fetchStatus(url.pathname + url.search, ann)).toBe(200);
    expect(await fetchStatus(url.pathname + url.search, outsider)).toBe(404);
    expect(refusalOf(await a.api.updateGroup({ group: group.id, photo: null }).catch((e: unknown) => e))).toBe("forbidden");
    const updated = a.next("groupUpdatedFromServer");
    const cleared = await o.api.updateGroup({ group: group.id, photo: null });
    expect(cleared).toMatchObject({ title: "photo", photo: null });
    expect(await updated).toMatchObject({ id: group.id, photo: null, role: "member" });
    expect((await a.api.getGroupInfo(group.id)).photo).toBeNull();
  });

  it("replays group pushes on catch-up with lastSeq, membership changes included", async () => {
    const [owner, ann] = await people(2);
    const o = await connectAs(server, owner);
    const a = await connectAs(server, ann);
    const group = await o.api.createGroup({ title: "later", members: [] });
    const before = (await a.api.getUpdates({ since: 0 })).last_seq;
    a.close();
    await o.api.addGroupMembers({ group: group.id, members: [ann.userId] });
    const message = await o.api.newGroupMessageFromClient({ group: group.id, context: { text: "while you were away" } });
    const back = new TelegraphClient(server.url, { accessToken: ann.accessToken, reconnection: false, lastSeq: before });
    const sync = back.next("syncFromServer");
    await back.open();
    const page = await sync;
    back.close();
    expect("updates" in page && page.updates.map((u) => u.event)).toEqual(["addedToGroupFromServer", "singleGroupMsgFromServer"]);
    expect("updates" in page && page.updates[1]!.data).toMatchObject({ id: message.id });
  });
});
