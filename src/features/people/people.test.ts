import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TelegraphClient } from "telegraph-client";
import { closeAll, connectAs, createUser, record, settle } from "../../../test/helpers/factories.ts";
import { startServer, type TestServer } from "../../../test/helpers/server.ts";
import { followersRoom } from "../../realtime/rooms.ts";

describe("people: profiles, follows, blocks, search and presence", () => {
  let server: TestServer;
  afterEach(closeAll);
  beforeAll(async () => {
    server = await startServer({ env: { EVENT_RATE_LIMIT_WRITE: "10000/10", EVENT_RATE_LIMIT: "10000/10" } });
  });
  afterAll(() => server.stop());

  const two = async () => {
    const a = await createUser(server, { name: "Ann" });
    const b = await createUser(server, { name: "Ben" });
    return { a, b, ca: await connectAs(server, a), cb: await connectAs(server, b) };
  };
  const inRoom = async (room: string) => (await server.app.io.in(room).fetchSockets()).map((s) => s.data.user.user_id);
  const makePrivate = async (client: TelegraphClient) => expect(await client.api.togglePublicityStatus()).toEqual({ isPrivate: true });

  it("follows a public account at once: flags, counts, a logged newFollowerFromServer, and the followers room", async () => {
    const { a, b, ca, cb } = await two();
    const pushed = cb.next("newFollowerFromServer");
    expect(await ca.api.followUser(b.userId)).toEqual({ status: "following" });
    expect(await pushed).toMatchObject({ user_id: a.userId, name: "Ann", username: a.username, seq: expect.any(Number) });
    expect(await inRoom(followersRoom(b.userId))).toEqual([a.userId]);
    expect(await ca.api.receiveUserProfile(b.userId)).toMatchObject({ isFollowed: true, mutual: false, followers_count: 1, following_count: 0 });
    await cb.api.followUser(a.userId);
    expect(await ca.api.receiveUserProfile(b.userId)).toMatchObject({ isFollowed: true, mutual: true, following_count: 1 });
    expect(await ca.api.followUser(b.userId)).toEqual({ status: "following" }); // again: nothing changes
    expect(await ca.api.unfollowUser(b.userId)).toEqual({ status: "unfollowed" });
    expect(await inRoom(followersRoom(b.userId))).toEqual([]);
    expect(await ca.api.unfollowUser(b.userId)).toEqual({ status: "not_following" });
    // A new connection joins the rooms of everyone its user follows.
    await ca.api.followUser(b.userId);
    const later = await connectAs(server, a);
    expect((await inRoom(followersRoom(b.userId))).filter((id) => id === a.userId)).toHaveLength(2);
    later.close();
  });

  it("asks a private account: request, list, reject, withdraw, accept", async () => {
    const { a, b, ca, cb } = await two();
    const carol = await createUser(server);
    const cc = await connectAs(server, carol);
    await makePrivate(cb);
    const request = cb.next("newFollowRequest");
    expect(await ca.api.followUser(b.userId)).toEqual({ status: "requested" });
    expect(await request).toMatchObject({ user_id: a.userId });
    expect(await ca.api.receiveUserProfile(b.userId)).toMatchObject({ isPrivate: true, isFollowed: false, followRequested: true });
    await cc.api.followUser(b.userId);
    const list = await cb.api.getFollowRequestList();
    expect(list.map((r) => r.user_id)).toEqual([carol.userId, a.userId]);
    expect(list[0]).toMatchObject({ requested_at: expect.any(String), username: carol.username });

    const rejected = cc.next("followRequestAnsweredFromServer");
    expect(await cb.api.answerFollowRequest({ userId: carol.userId, accept: false })).toEqual({ userId: carol.userId, accepted: false });
    expect(await rejected).toMatchObject({ userId: b.userId, accepted: false });
    const withdrawn = cb.next("followRequestWithdrawnFromServer");
    expect(await ca.api.unfollowUser(b.userId)).toEqual({ status: "request_withdrawn" });
    expect(await withdrawn).toEqual({ userId: a.userId, seq: expect.any(Number) });
    expect(await cb.api.getFollowRequestList()).toEqual([]);
    // Withdrawing what is not there (again) tells nobody anything.
    const heard = record(cb);
    expect(await ca.api.unfollowUser(b.userId)).toEqual({ status: "not_following" });
    await settle();
    expect(heard.of("followRequestWithdrawnFromServer")).toEqual([]);
    await expect(cb.api.answerFollowRequest({ userId: a.userId, accept: true })).rejects.toMatchObject({ code: "not_found" });

    await ca.api.followUser(b.userId);
    const accepted = ca.next("followRequestAnsweredFromServer");
    await cb.api.answerFollowRequest({ userId: a.userId, accept: true });
    expect(await accepted).toMatchObject({ userId: b.userId, accepted: true });
    expect(await inRoom(followersRoom(b.userId))).toEqual([a.userId]);
    expect(await ca.api.receiveUserProfile(b.userId)).toMatchObject({ isFollowed: true, followRequested: false });
  });

  it("going public accepts every pending request; publicity status is readable", async () => {
    const { a, b, ca, cb } = await two();
    await makePrivate(cb);
    await ca.api.followUser(b.userId);
    expect(await ca.api.getPublicityStatus(b.userId)).toEqual({ userId: b.userId, isPrivate: true });
    expect(await cb.api.getPublicityStatus()).toEqual({ userId: b.userId, isPrivate: true });
    const accepted = ca.next("followRequestAnsweredFromServer");
    expect(await cb.api.togglePublicityStatus()).toEqual({ isPrivate: false });
    expect(await accepted).toMatchObject({ userId: b.userId, accepted: true });
    expect((await cb.api.getFollowerListRequest(b.userId)).followers.map((f) => f.user_id)).toEqual([a.userId]);
    expect(await inRoom(followersRoom(b.userId))).toEqual([a.userId]);
  });

  it("shows a private account's lists to itself and its followers only, and nothing across a block", async () => {
    const { a, b, ca, cb } = await two();
    const carol = await createUser(server);
    const cc = await connectAs(server, carol);
    await cb.api.followUser(carol.userId);
    await makePrivate(cb);
    await expect(ca.api.getFollowingListRequest(b.userId)).rejects.toMatchObject({ code: "forbidden" });
    await expect(ca.api.getFollowerListRequest(b.userId)).rejects.toMatchObject({ code: "forbidden" });
    expect(await cb.api.getFollowingListRequest(b.userId)).toEqual({ userId: b.userId, following: [expect.objectContaining({ user_id: carol.userId })] });
    await ca.api.followUser(b.userId);
    await cb.api.answerFollowRequest({ userId: a.userId, accept: true });
    expect((await ca.api.getFollowingListRequest(b.userId, 1)).following.map((f) => f.user_id)).toEqual([carol.userId]);
    expect(await ca.api.getFollowingListRequest(b.userId, 2)).toEqual({ userId: b.userId, following: [] });
    const reply = ca.next("SendFollowerListFromServer");
    ca.emit("getFollowerListRequest", b.userId);
    expect((await reply).followers.map((f) => f.user_id)).toEqual([a.userId]);
    await cc.api.toggleBlockUser(a.userId);
    await expect(ca.api.getFollowingListRequest(carol.userId)).rejects.toMatchObject({ code: "not_found" });
    await expect(cc.api.getFollowerListRequest(a.userId)).rejects.toMatchObject({ code: "not_found" });
  });

  it("blocks: removes follows and requests both ways, hides everything from the blocked user, and unblocks", async () => {
    const { a, b, ca, cb } = await two();
    await ca.api.followUser(b.userId);
    await cb.api.followUser(a.userId);
    const removedForA = ca.next("followRemovedFromServer");
    expect(await cb.api.toggleBlockUser(a.userId)).toEqual({ blocked: true });
    expect(await removedForA).toMatchObject({ seq: expect.any(Number) });
    expect(await inRoom(followersRoom(b.userId))).toEqual([]);
    expect(await inRoom(followersRoom(a.userId))).toEqual([]);
    const counts = await server.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM follows WHERE follower_id = ANY($1::text[]) AND followee_id = ANY($1::text[])",
      [[a.userId, b.userId]],
    );
    expect(counts[0]!.n).toBe(0);

    await expect(ca.api.receiveUserProfile(b.userId)).rejects.toMatchObject({ code: "not_found" });
    // Refused as if b did not exist: the answer does not reveal the block.
    await expect(ca.api.followUser(b.userId)).rejects.toMatchObject({ code: "not_found" });
    await expect(ca.api.newMessageFromClient({ to: b.userId, context: { text: "hi" } })).rejects.toMatchObject({ code: "not_found" });
    await expect(ca.api.getPublicityStatus(b.userId)).rejects.toMatchObject({ code: "not_found" });
    expect(await ca.api.requestLastSeen([b.userId])).toEqual([{ userId: b.userId, lastSeen: null, online: false }]);
    expect((await ca.api.searchUsers({ query: b.username })).map((u) => u.user_id)).not.toContain(b.userId);
    // The blocker still sees the blocked user, marked as blocked.
    expect(await cb.api.receiveUserProfile(a.userId)).toMatchObject({ isBlocked: true, isFollowed: false });
    const blockList = await cb.api.getBlockListRequest();
    expect(blockList).toEqual([expect.objectContaining({ user_id: a.userId, blocked_at: expect.any(String) })]);
    const reply = cb.next("getBlockListFromServer");
    cb.emit("getBlockListRequest");
    expect(await reply).toEqual(blockList);

    expect(await cb.api.toggleBlockUser(a.userId)).toEqual({ blocked: false });
    expect((await ca.api.receiveUserProfile(b.userId)).user_id).toBe(b.userId);
    expect(await cb.api.getBlockListRequest()).toEqual([]);
    await expect(cb.api.toggleBlockUser(b.userId)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(cb.api.toggleBlockUser("0123456789abcdef01234567")).rejects.toMatchObject({ code: "not_found" });
  });

  it("removes a pending request when either side blocks", async () => {
    const { b, ca, cb } = await two();
    await makePrivate(cb);
    await ca.api.followUser(b.userId);
    await ca.api.toggleBlockUser(b.userId);
    expect(await cb.api.getFollowRequestList()).toEqual([]);
  });

  it("finds a profile by username in any case, says whether they follow me, and hides it across a block like an unknown name", async () => {
    const { a, b, ca, cb } = await two();
    expect(await ca.api.receiveUserProfile({ username: b.username.toUpperCase() })).toMatchObject({ user_id: b.userId, followsMe: false, isFollowed: false });
    await cb.api.followUser(a.userId);
    expect(await ca.api.receiveUserProfile({ username: b.username })).toMatchObject({ user_id: b.userId, followsMe: true, mutual: false });
    expect(await cb.api.receiveUserProfile(a.userId)).toMatchObject({ followsMe: false, isFollowed: true });
    await expect(ca.api.receiveUserProfile({ username: "nobody_here_at_all" })).rejects.toMatchObject({ code: "not_found" });
    await cb.api.toggleBlockUser(a.userId);
    await expect(ca.api.receiveUserProfile({ username: b.username })).rejects.toMatchObject({ code: "not_found", message: "No such user." });
    // The blocker still sees whom they blocked, by name as by id.
    expect(await cb.api.receiveUserProfile({ username: a.username })).toMatchObject({ user_id: a.userId, isBlocked: true, followsMe: false });
    await expect(ca.api.receiveUserProfile({ username: "" })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(ca.api.receiveUserProfile({ username: b.username, extra: 1 } as never)).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("refuses following myself or an unknown user", async () => {
    const { a, ca } = await two();
    await expect(ca.api.followUser(a.userId)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(ca.api.followUser("0123456789abcdef01234567")).rejects.toMatchObject({ code: "not_found" });
  });

  it("searches by prefix of username, name or family, best matches first, limited, case-insensitive", async () => {
    const tag = `q${Date.now().toString(36)}`;
    const exact = await createUser(server, { username: tag, name: "Zed" });
    const longer = await createUser(server, { username: `${tag}_longer`, name: "Amy" });
    const byName = await createUser(server, { username: `x_${tag}`, name: `${tag.toUpperCase()}ina` });
    const byFamily = await createUser(server, { username: `y_${tag}`, name: "Kim", family: `${tag}son` });
    const me = await createUser(server);
    const client = await connectAs(server, me);
    const found = await client.api.searchUsers({ query: tag.toUpperCase() });
    expect(found.map((u) => u.user_id)).toEqual([exact.userId, longer.userId, byName.userId, byFamily.userId]);
    expect(await client.api.searchUsers({ query: tag, limit: 2 })).toHaveLength(2);
    expect(await client.api.searchUsers({ query: "%" })).toEqual([]); // LIKE wildcards are literal
    const blocker = await connectAs(server, longer);
    await blocker.api.toggleBlockUser(me.userId);
    expect((await client.api.searchUsers({ query: tag })).map((u) => u.user_id)).not.toContain(longer.userId);
    await expect(client.api.searchUsers({ query: "" })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(client.api.searchUsers({ query: "a", limit: 51 })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("counts a user online while any device is connected, and stores last_seen after the last one leaves", async () => {
    const a = await createUser(server);
    const b = await createUser(server);
    const ca = await connectAs(server, a);
    const laptop = await connectAs(server, b);
    const phone = await connectAs(server, b);
    expect(await ca.api.requestLastSeen([b.userId, "0123456789abcdef01234567", b.userId])).toEqual([
      { userId: b.userId, lastSeen: null, online: true },
      { userId: "0123456789abcdef01234567", lastSeen: null, online: false },
      { userId: b.userId, lastSeen: null, online: true },
    ]);
    phone.close();
    await settle(300);
    expect((await ca.api.requestLastSeen([b.userId]))[0]).toEqual({ userId: b.userId, lastSeen: null, online: true });
    laptop.close();
    await settle(300);
    const [after] = await ca.api.requestLastSeen([b.userId]);
    expect(after!.online).toBe(false);
    expect(Date.parse(after!.lastSeen!)).toBeGreaterThan(Date.now() - 10_000);
    expect((await ca.api.receiveUserProfile(b.userId)).last_seen).toBe(after!.lastSeen);
  });

  it("hides last seen by each visibility setting, both ways", async () => {
    const { a, b, ca, cb } = await two();
    const lastSeenOfB = async () => (await ca.api.requestLastSeen([b.userId]))[0]!;
    expect((await lastSeenOfB()).online).toBe(true);
    await cb.api.updateProfile({ last_seen_visibility: "nobody" });
    expect(await lastSeenOfB()).toEqual({ userId: b.userId, lastSeen: null, online: false });
    expect(await ca.api.receiveUserProfile(b.userId)).toMatchObject({ last_seen: null, online: false });
    // B hides theirs, so B cannot see A's either.
    expect((await cb.api.requestLastSeen([a.userId]))[0]).toMatchObject({ online: false });
    await cb.api.updateProfile({ last_seen_visibility: "followers" });
    expect((await lastSeenOfB()).online).toBe(false);
    await ca.api.followUser(b.userId);
    expect((await lastSeenOfB()).online).toBe(true);
    // B's "followers" setting lets only B's followers see B, and B sees only those its setting lets see B.
    expect((await cb.api.requestLastSeen([a.userId]))[0]).toMatchObject({ online: true });
    await cb.api.followUser(a.userId);
    expect((await cb.api.requestLastSeen([a.userId]))[0]).toMatchObject({ online: true });
    expect((await cb.api.receiveUserProfile(b.userId)).last_seen_visibility).toBe("followers");
    expect((await ca.api.receiveUserProfile(b.userId)).last_seen_visibility).toBeUndefined();
  });

  it("updates the profile, refuses a taken username with conflict, and validates every field", async () => {
    const { a, b, ca } = await two();
    const updated = await ca.api.updateProfile({ name: "Annie", family: "Lee", biography: "hello", phone: "+1 555 0100" });
    expect(updated).toMatchObject({ name: "Annie", family: "Lee", biography: "hello", user_id: a.userId });
    await expect(ca.api.updateProfile({ username: b.username.toUpperCase() })).rejects.toMatchObject({ code: "conflict" });
    for (const bad of [{ username: "x" }, { name: "" }, { biography: "b".repeat(501) }, { phone: "call me" }, { last_seen_visibility: "some" }, { admin: true }]) {
      await expect(ca.api.updateProfile(bad as never)).rejects.toMatchObject({ code: "invalid_input" });
    }
    expect(await ca.api.receiveUserProfile(a.userId)).toMatchObject({ name: "Annie", username: a.username });
  });

  it("refuses malformed ids and arguments with invalid_input", async () => {
    const { ca } = await two();
    await expect(ca.api.followUser("nope" as never)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(ca.api.requestLastSeen([] as never)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(ca.api.requestLastSeen(Array.from({ length: 501 }, () => "0123456789abcdef01234567"))).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(ca.api.getFollowingListRequest("0123456789abcdef01234567", 0)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(ca.api.answerFollowRequest({ userId: "0123456789abcdef01234567" } as never)).rejects.toMatchObject({ code: "invalid_input" });
  });
});

