import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TelegraphClient } from "telegraph-client";
import { closeAll, connectAs, createUser, record, settle, type TestUser } from "../../../test/helpers/factories.ts";
import { startServer, type TestServer } from "../../../test/helpers/server.ts";

describe("notifications and mentions", () => {
  let server: TestServer;
  const opened: TelegraphClient[] = [];
  const people = async (n: number) => Promise.all(Array.from({ length: n }, (_, i) => createUser(server, { name: `P${i}` })));
  const connectEach = (...users: TestUser[]) => Promise.all(users.map((u) => connectAs(server, u)));
  const feed = async (c: TelegraphClient) => (await c.api.getNotifications()).notifications;
  const summary = (n: { kind: string; actors: { user_id: string }[]; actors_count: number; tweet: { id: string } | null; comment: { id: string } | null }) => ({
    kind: n.kind,
    actors: n.actors.map((a) => a.user_id),
    count: n.actors_count,
    tweet: n.tweet?.id ?? null,
    comment: n.comment?.id ?? null,
  });
  const refusalOf = async (p: Promise<unknown>) => p.then(() => "accepted", (err: unknown) => (err as { code?: string }).code);

  beforeAll(async () => {
    server = await startServer({ env: { EVENT_RATE_LIMIT_WRITE: "10000/10", EVENT_RATE_LIMIT: "10000/10" } });
  });
  afterEach(() => {
    closeAll();
    for (const c of opened.splice(0)) c.close();
  });
  afterAll(() => server.stop());

  it("notifies of every kind: follow, follow_request, follow_accepted, like, comment, reply, mention", async () => {
    const [ann, ben, cat, dan] = await people(4);
    const [a, b, c, d] = await connectEach(ann!, ben!, cat!, dan!);
    await c!.api.togglePublicityStatus();
    await b!.api.followUser(ann!.userId);
    await a!.api.followUser(cat!.userId);
    expect((await feed(c!)).map(summary)).toEqual([{ kind: "follow_request", actors: [ann!.userId], count: 1, tweet: null, comment: null }]);
    const tweet = await a!.api.addNewTweet("my tweet");
    await b!.api.toggleTweetLike(tweet.id);
    const comment = await b!.api.addCommentToTweet(tweet.id, "nice one");
    const bensTweet = await b!.api.addNewTweet("ben's");
    const mine = await a!.api.addCommentToTweet(bensTweet.id, "ann here");
    const reply = await d!.api.addCommentToTweet(bensTweet.id, "dan answers", mine.id);
    const mention = await d!.api.addNewTweet(`hello @${ann!.username}`);
    const kinds = (await feed(a!)).map(summary);
    expect(kinds).toEqual([
      { kind: "mention", actors: [dan!.userId], count: 1, tweet: mention.id, comment: null },
      { kind: "reply", actors: [dan!.userId], count: 1, tweet: bensTweet.id, comment: reply.id },
      { kind: "comment", actors: [ben!.userId], count: 1, tweet: tweet.id, comment: comment.id },
      { kind: "like", actors: [ben!.userId], count: 1, tweet: tweet.id, comment: null },
      { kind: "follow", actors: [ben!.userId], count: 1, tweet: null, comment: null },
    ]);
    // Ben, the tweet's owner, hears of both comments on his tweet as comments, and Dan's reply is to Ann only.
    expect((await feed(b!)).map((n) => [n.kind, n.comment?.id])).toEqual([
      ["comment", reply.id],
      ["comment", mine.id],
    ]);
    const [first] = await feed(a!);
    expect(first).toMatchObject({ read: false, tweet: { text: `hello @${ann!.username}` }, actors: [{ user_id: dan!.userId, username: dan!.username }] });
    expect((await a!.api.getNotifications()).unread_count).toBe(5);
  });

  it("follow_accepted when a private account accepts, and when it goes public", async () => {
    const [ann, cat, eve] = await people(3);
    const [a, c, e] = await connectEach(ann!, cat!, eve!);
    await c!.api.togglePublicityStatus();
    await a!.api.followUser(cat!.userId);
    await e!.api.followUser(cat!.userId);
    await c!.api.answerFollowRequest({ userId: ann!.userId, accept: true });
    expect((await feed(a!)).map(summary)).toEqual([{ kind: "follow_accepted", actors: [cat!.userId], count: 1, tweet: null, comment: null }]);
    await c!.api.togglePublicityStatus();
    expect((await feed(e!)).map((n) => n.kind)).toEqual(["follow_accepted"]);
  });

  it("groups likes of one tweet and follows while unread; after read marks a new like starts a new entry", async () => {
    const [ann, ben, cat, dan, eve] = await people(5);
    const [a, b, c, d, e] = await connectEach(ann!, ben!, cat!, dan!, eve!);
    const tweet = await a!.api.addNewTweet("like me");
    const other = await a!.api.addNewTweet("and me");
    for (const client of [b!, c!, d!]) await client.api.toggleTweetLike(tweet.id);
    await b!.api.toggleTweetLike(other.id);
    for (const client of [b!, c!, d!]) await client.api.followUser(ann!.userId);
    const page = await a!.api.getNotifications();
    expect(page.notifications.map(summary)).toEqual([
      { kind: "follow", actors: [dan!.userId, cat!.userId, ben!.userId], count: 3, tweet: null, comment: null },
      { kind: "like", actors: [ben!.userId], count: 1, tweet: other.id, comment: null },
      { kind: "like", actors: [dan!.userId, cat!.userId, ben!.userId], count: 3, tweet: tweet.id, comment: null },
    ]);
    expect(page.unread_count).toBe(3);
    // A fourth like: the latest three actors, the count of all, and the entry moves to the top with the same id.
    const before = page.notifications[2]!;
    await e!.api.toggleTweetLike(tweet.id);
    const [top] = await feed(a!);
    expect(summary(top!)).toEqual({ kind: "like", actors: [eve!.userId, dan!.userId, cat!.userId], count: 4, tweet: tweet.id, comment: null });
    expect(top!.id).toBe(before.id);
    expect(top!.sort_id > before.sort_id).toBe(true);

    expect(await a!.api.markNotificationsRead({ up_to: top!.sort_id })).toEqual({ unread_count: 0 });
    expect((await feed(a!)).every((n) => n.read)).toBe(true);
    await e!.api.toggleTweetLike(other.id);
    const after = await a!.api.getNotifications();
    expect(after.unread_count).toBe(1);
    expect(after.notifications.map((n) => [n.kind, n.tweet?.id, n.actors_count, n.read])).toEqual([
      ["like", other.id, 1, false],
      ["like", tweet.id, 4, true],
      ["follow", undefined, 3, true],
      ["like", other.id, 1, true],
    ]);
  });

  it("pages newest first by sort_id, at most 50", async () => {
    const [ann, ...fans] = await people(6);
    const clients = await connectEach(...fans);
    const a = await connectAs(server, ann!);
    const tweets = [];
    for (let i = 0; i < 5; i++) tweets.push(await a.api.addNewTweet(`t${i}`));
    for (const [i, c] of clients.entries()) await c.api.toggleTweetLike(tweets[i]!.id);
    const first = await a.api.getNotifications({ limit: 2 });
    const second = await a.api.getNotifications({ limit: 2, before: first.notifications[1]!.sort_id });
    const rest = await a.api.getNotifications({ before: second.notifications[1]!.sort_id });
    expect([...first.notifications, ...second.notifications, ...rest.notifications].map((n) => n.tweet!.id)).toEqual(tweets.map((t) => t.id).reverse());
    expect(await refusalOf(a.api.getNotifications({ limit: 51 }))).toBe("invalid_input");
    expect(await refusalOf(a.api.markNotificationsRead({ up_to: "nope" }))).toBe("invalid_input");
    expect(await refusalOf(a.api.updateNotificationSettings({ loud: true } as never))).toBe("invalid_input");
  });

  it("undoes: an unlike decrements, the last one removes; an unfollow or a withdrawn request removes; a deleted comment takes its notifications", async () => {
    const [ann, ben, cat, dan] = await people(4);
    const [a, b, c, d] = await connectEach(ann!, ben!, cat!, dan!);
    const tweet = await a!.api.addNewTweet("undo me");
    await b!.api.toggleTweetLike(tweet.id);
    await c!.api.toggleTweetLike(tweet.id);
    await b!.api.toggleTweetLike(tweet.id);
    expect((await feed(a!)).map(summary)).toEqual([{ kind: "like", actors: [cat!.userId], count: 1, tweet: tweet.id, comment: null }]);
    const recount = a!.next("notificationsCountFromServer");
    await c!.api.toggleTweetLike(tweet.id);
    expect(await recount).toMatchObject({ unread_count: 0, seq: expect.any(Number) }); // the badge follows the undo
    expect(await feed(a!)).toEqual([]);

    await b!.api.followUser(ann!.userId);
    await c!.api.followUser(ann!.userId);
    await b!.api.unfollowUser(ann!.userId);
    expect((await feed(a!)).map(summary)).toEqual([{ kind: "follow", actors: [cat!.userId], count: 1, tweet: null, comment: null }]);
    await c!.api.unfollowUser(ann!.userId);
    await d!.api.togglePublicityStatus();
    await a!.api.followUser(dan!.userId);
    expect((await feed(d!)).map((n) => n.kind)).toEqual(["follow_request"]);
    await a!.api.unfollowUser(dan!.userId);
    expect(await feed(d!)).toEqual([]);

    const comment = await b!.api.addCommentToTweet(tweet.id, `hi @${cat!.username}`);
    const reply = await c!.api.addCommentToTweet(tweet.id, "answer", comment.id);
    expect((await feed(b!)).map((n) => n.kind)).toEqual(["reply"]);
    expect((await feed(c!)).map((n) => n.kind)).toEqual(["mention"]);
    expect((await feed(a!)).map((n) => n.kind)).toEqual(["comment", "comment"]);
    await c!.api.deleteTweetComment(reply.id);
    await a!.api.deleteTweetComment(comment.id);
    expect([await feed(a!), await feed(b!), await feed(c!)]).toEqual([[], [], []]);
    expect((await a!.api.getNotifications()).unread_count).toBe(0);
  });

  it("counts unread on connect, pushes live with seq, replays after a disconnect, and tells my other devices of read marks", async () => {
    const [ann, ben, cat] = await people(3);
    const [b, c] = await connectEach(ben!, cat!);
    const tweet = await (await connectAs(server, ann!)).api.addNewTweet("count me");
    await b!.api.toggleTweetLike(tweet.id);

    const fresh = new TelegraphClient(server.url, { accessToken: ann!.accessToken, reconnection: false });
    const count = fresh.next("notificationsCountFromServer");
    await fresh.open();
    opened.push(fresh);
    expect(await count).toEqual({ unread_count: 1 });

    const other = await connectAs(server, ann!);
    const live = fresh.next("newNotificationFromServer");
    await c!.api.toggleTweetLike(tweet.id);
    const pushed = await live;
    expect(pushed).toMatchObject({ kind: "like", actors_count: 2, unread_count: 1, tweet: { id: tweet.id }, seq: expect.any(Number) });
    expect(pushed.actors.map((u) => u.user_id)).toEqual([cat!.userId, ben!.userId]);

    const lastSeq = pushed.seq!;
    fresh.close();
    const dan = await createUser(server);
    await (await connectAs(server, dan)).api.followUser(ann!.userId);
    const back = new TelegraphClient(server.url, { accessToken: ann!.accessToken, reconnection: false, lastSeq });
    const events = record(back);
    const sync = back.next("syncFromServer");
    await back.open();
    opened.push(back);
    const page = (await sync) as { updates: { seq: number; event: string; data: Record<string, unknown> }[] };
    const replayed = page.updates.filter((u) => u.event === "newNotificationFromServer");
    expect(replayed.map((u) => [u.data["kind"], u.seq > lastSeq, u.data["unread_count"]])).toEqual([["follow", true, 2]]);
    await settle();
    expect(events.of("notificationsCountFromServer")).toEqual([]); // the log replaced the bootstrap count

    const told = back.next("notificationsCountFromServer");
    const quiet = record(other);
    const [top] = await feed(other);
    await other.api.markNotificationsRead({ up_to: top!.sort_id });
    expect(await told).toMatchObject({ unread_count: 0, seq: expect.any(Number) });
    await settle();
    expect(quiet.of("notificationsCountFromServer")).toEqual([]);
  });

  it("nothing across a block, either way: not written, and older entries gone or hidden", async () => {
    const [ann, ben, cat, dan] = await people(4);
    const [a, b, c, d] = await connectEach(ann!, ben!, cat!, dan!);
    const tweet = await a!.api.addNewTweet("ann's");
    await b!.api.toggleTweetLike(tweet.id);
    await b!.api.followUser(ann!.userId);
    expect((await feed(a!)).length).toBe(2);
    await a!.api.toggleBlockUser(ben!.userId);
    expect(await feed(a!)).toEqual([]);
    // Blocked by the mentioned user, or blocking them: the mention is not resolved, nothing is written.
    await b!.api.addNewTweet(`@${ann!.username} are you there`);
    await c!.api.toggleBlockUser(ann!.userId);
    const blocked = await a!.api.addNewTweet(`@${cat!.username} hi`);
    expect(blocked.mentions).toEqual([]);
    expect(await feed(a!)).toEqual([]);
    expect(await feed(c!)).toEqual([]);
    // Cat mentions a fourth person in a comment on Dan's public tweet: told. Once they block Dan (the tweet's owner, not
    // the actor), the tweet is hidden from them and so is the entry; unblocking shows it again.
    const dans = await d!.api.addNewTweet("dan's");
    const ann2 = await createUser(server);
    const x = await connectAs(server, ann2);
    await c!.api.addCommentToTweet(dans.id, `look @${ann2.username}`);
    expect((await feed(x)).map((n) => n.kind)).toEqual(["mention"]);
    await x.api.toggleBlockUser(dan!.userId);
    expect(await x.api.getNotifications()).toEqual({ notifications: [], unread_count: 0 });
    await x.api.toggleBlockUser(dan!.userId);
    expect((await feed(x)).map((n) => n.kind)).toEqual(["mention"]);
  });

  it("settings: defaults, a kind off writes nothing, mentions from people I do not follow off", async () => {
    const [ann, ben, cat] = await people(3);
    const [a, b, c] = await connectEach(ann!, ben!, cat!);
    const defaults = await a!.api.getNotificationSettings();
    expect(defaults).toEqual({
      follow: true,
      follow_request: true,
      follow_accepted: true,
      like: true,
      comment: true,
      reply: true,
      mention: true,
      mentions_from_non_followed: true,
      push_previews: true,
    });
    expect(await a!.api.updateNotificationSettings({ like: false, mentions_from_non_followed: false })).toEqual({
      ...defaults,
      like: false,
      mentions_from_non_followed: false,
    });
    expect(await a!.api.updateNotificationSettings({ push_previews: false })).toMatchObject({ like: false, push_previews: false });
    const tweet = await a!.api.addNewTweet("quiet");
    await b!.api.toggleTweetLike(tweet.id);
    await b!.api.addNewTweet(`@${ann!.username} from a stranger`);
    await a!.api.followUser(cat!.userId);
    const fromFriend = await c!.api.addNewTweet(`@${ann!.username} from a friend`);
    await b!.api.addCommentToTweet(tweet.id, "still a comment");
    expect((await feed(a!)).map((n) => [n.kind, n.tweet?.id])).toEqual([
      ["comment", tweet.id],
      ["mention", fromFriend.id],
    ]);
    expect(await a!.api.getNotificationSettings()).toMatchObject({ like: false, push_previews: false, follow: true });
  });

  it("mentions: resolved once per post with UTF-16 offsets, in every tweet and comment shape; not notified where the tweet is invisible", async () => {
    const [ann, ben, cat, pry] = await people(4);
    const [a, b, c, p] = await connectEach(ann!, ben!, cat!, pry!);
    await a!.api.followUser(ben!.userId);
    const text = `😀 @${ben!.username.toUpperCase()}, @${cat!.username} and @nobody_here mail x@${ben!.username} @${ben!.username}`;
    const feedPush = a!.next("sendTweetToClientFromServer");
    const tweet = await b!.api.addNewTweet(text);
    const at = (name: string, from = 0) => text.indexOf(`@${name}`, from);
    const expected = [
      { user_id: ben!.userId, username: ben!.username, start: 3, end: 3 + 1 + ben!.username.length },
      { user_id: cat!.userId, username: cat!.username, start: at(cat!.username), end: at(cat!.username) + 1 + cat!.username.length },
      { user_id: ben!.userId, username: ben!.username, start: text.lastIndexOf("@"), end: text.length },
    ];
    expect(tweet.mentions).toEqual(expected);
    expect(text.slice(expected[1]!.start, expected[1]!.end)).toBe(`@${cat!.username}`);
    expect((await feedPush)[0]!.mentions).toEqual(expected);
    expect((await a!.api.getTweet(tweet.id)).mentions).toEqual(expected);
    expect((await a!.api.getHomeFeed()).find((t) => t.id === tweet.id)!.mentions).toEqual(expected);
    expect((await a!.api.getTweetsOfAnUser(ben!.userId))[0]!.mentions).toEqual(expected);
    expect((await feed(c!)).map((n) => [n.kind, n.tweet?.id])).toEqual([["mention", tweet.id]]);
    expect((await feed(b!)).map((n) => n.kind)).toEqual(["follow"]); // mentioning oneself tells nobody

    const commentPush = b!.next("newCommentFromServer");
    const comment = await a!.api.addCommentToTweet(tweet.id, `@${cat!.username} see`);
    const commentMentions = [{ user_id: cat!.userId, username: cat!.username, start: 0, end: 1 + cat!.username.length }];
    expect(comment.mentions).toEqual(commentMentions);
    expect((await commentPush).mentions).toEqual(commentMentions);
    expect((await c!.api.getComments(tweet.id, 1)).comments[0]!.mentions).toEqual(commentMentions);
    expect((await feed(c!)).map((n) => [n.kind, n.comment?.id ?? null])).toEqual([
      ["mention", comment.id],
      ["mention", null],
    ]);

    // A private account's tweet: resolved (it links), but the mentioned who does not follow it is not told.
    await p!.api.togglePublicityStatus();
    await c!.api.followUser(pry!.userId);
    await p!.api.answerFollowRequest({ userId: cat!.userId, accept: true });
    const hidden = await p!.api.addNewTweet(`@${ann!.username} @${cat!.username} psst`);
    expect(hidden.mentions.map((m) => m.user_id)).toEqual([ann!.userId, cat!.userId]);
    expect((await feed(a!)).filter((n) => n.kind === "mention")).toEqual([]);
    expect((await feed(c!))[0]).toMatchObject({ kind: "mention", tweet: { id: hidden.id } });
  });
});
