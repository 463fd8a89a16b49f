import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TelegraphClient } from "telegraph-client";
import { closeAll, connectAs, connectWithBootstrap, createUser, record, settle } from "../../../test/helpers/factories.ts";
import { makeImage } from "../../../test/helpers/images.ts";
import { startServer, type TestServer } from "../../../test/helpers/server.ts";

describe("tweets", () => {
  let server: TestServer;
  afterEach(closeAll);
  beforeAll(async () => {
    server = await startServer({ env: { EVENT_RATE_LIMIT_WRITE: "10000/10", EVENT_RATE_LIMIT: "10000/10" } });
  });
  afterAll(() => server.stop());

  const user = async (name = "T") => {
    const u = await createUser(server, { name });
    // The bootstrap (first feed page …) is in before anything is recorded.
    return { u, c: (await connectWithBootstrap(server, u)).client };
  };
  const count = async (sql: string, params: unknown[]) => (await server.db.query<{ n: number }>(sql, params))[0]!.n;

  it("posts from a string or an object with an image, keeps the text as written, and pushes to followers only", async () => {
    const { u: ann, c: annC } = await user("Ann");
    const { u: ben } = await user("Ben");
    const benPhone = await connectAs(server, ben);
    const benLaptop = await connectAs(server, ben);
    const { c: stranger } = await user("Sam");
    await benPhone.api.followUser(ann.userId);
    const [onPhone, onLaptop] = [benPhone.next("sendTweetToClientFromServer"), benLaptop.next("sendTweetToClientFromServer")];
    const strangerSaw = record(stranger);

    const first = await annC.api.addNewTweet("  Hello World, MiXeD Case  ");
    expect(first).toMatchObject({
      context: "Hello World, MiXeD Case",
      owner: { user_id: ann.userId, name: "Ann", username: ann.username },
      image: null,
      likes_count: 0,
      comments_count: 0,
      userLiked: false,
    });
    expect(await onPhone).toEqual([first]);
    expect(await onLaptop).toEqual([first]);
    const withImage = await annC.api.addNewTweet({ context: "pic", image: await makeImage("jpeg", 30, 20) });
    expect(withImage.image).toMatchObject({ type: "image/jpeg", width: 30, height: 20 });
    await settle();
    expect(strangerSaw.of("sendTweetToClientFromServer")).toEqual([]);
    expect(await count("SELECT count(*)::int AS n FROM tweets WHERE owner_id = $1 AND text = $2", [ann.userId, "Hello World, MiXeD Case"])).toBe(1);
  });

  it("sends the first page of the home feed on connect, and pages the feed and timelines stably", async () => {
    const { u: ann, c: annC } = await user();
    const { u: ben, c: benC } = await user();
    const { u: carol, c: carolC } = await user();
    await carolC.api.followUser(ann.userId);
    await carolC.api.followUser(ben.userId);
    const posted: string[] = [];
    for (let i = 0; i < 13; i++) posted.push((await (i % 2 ? benC : annC).api.addNewTweet(`t${i}`)).id);
    const newestFirst = [...posted].reverse();

    const first = await carolC.api.getHomeFeed({ limit: 5 });
    expect(first.map((t) => t.id)).toEqual(newestFirst.slice(0, 5));
    await Promise.all([annC.api.addNewTweet("late 1"), benC.api.addNewTweet("late 2")]);
    const second = await carolC.api.getHomeFeed({ before: first.at(-1)!.id, limit: 5 });
    expect(second.map((t) => t.id)).toEqual(newestFirst.slice(5, 10));
    expect(await carolC.api.getHomeFeed(1)).toHaveLength(15);
    expect(await carolC.api.getHomeFeed()).toHaveLength(15);
    // My own tweets are in my feed; those of people I do not follow are not.
    expect((await annC.api.getHomeFeed()).map((t) => t.owner.user_id).every((id) => id === ann.userId)).toBe(true);

    const timeline = await carolC.api.getTweetsOfAnUser({ userId: ann.userId, limit: 3 });
    expect(timeline.map((t) => t.context)).toEqual(["late 1", "t12", "t10"]);
    const next = await carolC.api.getTweetsOfAnUser({ userId: ann.userId, before: timeline.at(-1)!.id, limit: 3 });
    expect(next.map((t) => t.context)).toEqual(["t8", "t6", "t4"]);
    const byPage = await carolC.api.getTweetsOfAnUser(ann.userId, 1);
    expect(byPage).toHaveLength(8);
    expect(await carolC.api.getTweetsOfAnUser(ann.userId, 2)).toEqual([]);
    const reply = carolC.next("sendTweetToClientFromServer");
    carolC.emit("getTweetsOfAnUser", ann.userId, 1);
    expect(await reply).toEqual(byPage);

    // The bootstrap: a fresh connection gets the first feed page unasked.
    const fresh = new TelegraphClient(server.url, { accessToken: carol.accessToken, reconnection: false });
    const boot = fresh.next("sendTweetToClientFromServer");
    await fresh.open();
    expect((await boot).map((t) => t.id)).toEqual((await carolC.api.getHomeFeed()).map((t) => t.id));
    fresh.close();
  });

  it("pages the home feed exactly in id order, however unevenly the accounts posted", async () => {
    const reader = await user();
    const authors = await Promise.all([user(), user(), user(), user()]);
    for (const a of authors) await reader.c.api.followUser(a.u.userId);
    // Three accounts post a little, interleaved; then one posts a long run: the newest pages come from it alone.
    for (let i = 0; i < 12; i++) await authors[1 + (i % 3)]!.c.api.addNewTweet(`old ${i}`);
    for (let i = 0; i < 25; i++) await authors[0]!.c.api.addNewTweet(`run ${i}`);
    await reader.c.api.addNewTweet("mine");
    await authors[2]!.c.api.addNewTweet("latest");
    const owners = [reader.u.userId, ...authors.map((a) => a.u.userId)];
    const expected = (await server.db.query<{ id: string }>("SELECT id FROM tweets WHERE owner_id = ANY($1::text[]) ORDER BY id DESC", [owners])).map(
      (r) => r.id,
    );
    expect(expected).toHaveLength(39);

    const walked: string[] = [];
    for (let page = await reader.c.api.getHomeFeed({ limit: 7 }); page.length > 0; ) {
      walked.push(...page.map((t) => t.id));
      page = await reader.c.api.getHomeFeed({ before: page.at(-1)!.id, limit: 7 });
    }
    expect(walked).toEqual(expected);
    const byNumber = [...(await reader.c.api.getHomeFeed(1)), ...(await reader.c.api.getHomeFeed(2)), ...(await reader.c.api.getHomeFeed(3))];
    expect(byNumber.map((t) => t.id)).toEqual(expected);
  });

  it("gives one tweet as the feed shows it, to whoever may see it", async () => {
    const { u: ann, c: annC } = await user("Ann");
    const { c: benC } = await user("Ben");
    const tweet = await annC.api.addNewTweet({ context: "one of its own", image: await makeImage("png", 40, 30) });
    await benC.api.toggleTweetLike(tweet.id);
    const seen = await benC.api.getTweet(tweet.id);
    expect(seen).toEqual({ ...tweet, likes_count: 1, userLiked: true, image: { ...tweet.image!, url: expect.any(String) } });
    expect(await annC.api.getTweet(tweet.id)).toMatchObject({ id: tweet.id, owner: { user_id: ann.userId }, likes_count: 1, userLiked: false });
    await annC.api.deleteTweet(tweet.id);
    await expect(benC.api.getTweet(tweet.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("toggles likes exactly under concurrent toggles, with counts and userLiked", async () => {
    const { u: ann, c: annC } = await user();
    const { u: ben, c: benC } = await user();
    const benOther = await connectAs(server, ben);
    const tweet = await annC.api.addNewTweet("like me");
    expect(await benC.api.toggleTweetLike(tweet.id)).toBe(true);
    expect((await benC.api.getTweetsOfAnUser(ann.userId))[0]).toMatchObject({ likes_count: 1, userLiked: true });
    expect((await annC.api.getTweetsOfAnUser(ann.userId))[0]).toMatchObject({ likes_count: 1, userLiked: false });
    expect(await benOther.api.toggleTweetLike(tweet.id)).toBe(false);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? benC : benOther).api.toggleTweetLike(tweet.id)));
    expect(results.every((r) => typeof r === "boolean")).toBe(true);
    const likes = await count("SELECT count(*)::int AS n FROM tweet_likes WHERE tweet_id = $1", [tweet.id]);
    const counter = await count("SELECT likes_count AS n FROM tweets WHERE id = $1", [tweet.id]);
    expect(likes).toBeLessThanOrEqual(1);
    expect(counter).toBe(likes);
    const reply = benC.next("toggleTweetLikeFromServer");
    benC.emit("toggleTweetLike", tweet.id);
    expect(await reply).toBe(likes === 0);
  });

  it("tells the owner's devices and the liker's other devices the new count, and nobody else", async () => {
    const { u: ann, c: annC } = await user("Ann");
    const { u: ben, c: benC } = await user("Ben");
    const benOther = await connectAs(server, ben);
    const { c: carolC } = await user("Carol");
    await carolC.api.followUser(ann.userId);
    const tweet = await annC.api.addNewTweet("count me");
    const [annSaw, benSaw, otherSaw, carolSaw] = [record(annC), record(benC), record(benOther), record(carolC)];
    const toAnn = annC.next("tweetLikedFromServer");
    const toOther = benOther.next("tweetLikedFromServer");
    expect(await benC.api.toggleTweetLike(tweet.id)).toBe(true);
    expect(await toAnn).toEqual({ id: tweet.id, likes_count: 1, by: ben.userId, liked: true });
    expect(await toOther).toEqual({ id: tweet.id, likes_count: 1, by: ben.userId, liked: true });
    const unliked = annC.next("tweetLikedFromServer");
    expect(await benOther.api.toggleTweetLike(tweet.id)).toBe(false);
    expect(await unliked).toEqual({ id: tweet.id, likes_count: 0, by: ben.userId, liked: false });
    // My own like on my own tweet reaches only my other devices: the one that liked has the answer.
    expect(await annC.api.toggleTweetLike(tweet.id)).toBe(true);
    await settle();
    expect(annSaw.of("tweetLikedFromServer")).toHaveLength(2);
    expect(benSaw.of("tweetLikedFromServer")).toEqual([{ id: tweet.id, likes_count: 0, by: ben.userId, liked: false }]);
    expect(otherSaw.of("tweetLikedFromServer")).toHaveLength(1);
    expect(carolSaw.of("tweetLikedFromServer")).toEqual([]);
  });

  it("pushes new and deleted comments to the sockets watching the tweet, one tweet per socket, never across a block", async () => {
    const { c: annC } = await user("Ann");
    const { c: benC } = await user("Ben");
    const { u: cy, c: cyC } = await user("Cy");
    const { u: deeUser, c: dee } = await user("Dee");
    const cyOther = await connectAs(server, cy);
    const tweet = await annC.api.addNewTweet("watch me");
    const other = await annC.api.addNewTweet("another");
    expect(await cyC.api.watchTweetComments(tweet.id)).toEqual({ watching: tweet.id });
    expect(await dee.api.watchTweetComments(tweet.id)).toEqual({ watching: tweet.id });
    const [cySaw, cyOtherSaw, deeSaw, benSaw] = [record(cyC), record(cyOther), record(dee), record(benC)];

    const live = cyC.next("tweetCommentFromServer");
    const comment = await benC.api.addCommentToTweet(tweet.id, "first!");
    expect(await live).toEqual(comment);
    // Ben blocks Dee: his comments are hidden from her, live too. Cy's other device never watched.
    await benC.api.toggleBlockUser(deeUser.userId);
    const second = await benC.api.addCommentToTweet(tweet.id, "not for Dee");
    const gone = cyC.next("tweetCommentDeletedFromServer");
    await annC.api.deleteTweetComment(comment.id); // the tweet's owner may delete any comment on it
    expect(await gone).toEqual({ id: comment.id, tweetId: tweet.id });
    // Watching another tweet stops the first; null stops all.
    expect(await cyC.api.watchTweetComments(other.id)).toEqual({ watching: other.id });
    await benC.api.addCommentToTweet(tweet.id, "Cy moved on");
    const onOther = cyC.next("tweetCommentFromServer");
    const third = await benC.api.addCommentToTweet(other.id, "over here");
    expect(await onOther).toEqual(third);
    expect(await cyC.api.watchTweetComments(null)).toEqual({ watching: null });
    await benC.api.addCommentToTweet(other.id, "nobody watching");
    // Deleting a watched tweet tells its watchers, followers or not.
    expect(await dee.api.watchTweetComments(other.id)).toEqual({ watching: other.id });
    const deleted = dee.next("tweetDeletedFromServer");
    await annC.api.deleteTweet(other.id);
    expect(await deleted).toEqual({ id: other.id });
    await settle();

    expect(cySaw.of("tweetCommentFromServer").map((c) => (c as { id: string }).id)).toEqual([comment.id, second.id, third.id]);
    expect(deeSaw.of("tweetCommentFromServer").map((c) => (c as { id: string }).id)).toEqual([comment.id]);
    expect(deeSaw.of("tweetCommentDeletedFromServer")).toEqual([]); // Ben's comment: hidden from Dee since the block
    expect(cyOtherSaw.events.filter((e) => e.event.startsWith("tweetComment"))).toEqual([]);
    // The author's own socket has its answer; it was not watching.
    expect(benSaw.of("tweetCommentFromServer")).toEqual([]);
    await expect(cyC.api.watchTweetComments(other.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("comments: owner notified, replies within the tweet, pages by page and by cursor, delete permissions and counts", async () => {
    const { u: ann, c: annC } = await user();
    const { c: benC } = await user();
    const { c: carolC } = await user();
    const tweet = await annC.api.addNewTweet("discuss");
    const notified = annC.next("newCommentFromServer");
    const first = await benC.api.addCommentToTweet(tweet.id, "first!");
    expect(await notified).toMatchObject({ id: first.id, tweet_id: tweet.id, context: "first!", seq: expect.any(Number) });
    const reply = await carolC.api.addCommentToTweet(tweet.id, "reply", first.id);
    expect(reply.reply_to).toBe(first.id);
    const other = await annC.api.addNewTweet("other");
    await expect(carolC.api.addCommentToTweet(other.id, "wrong place", first.id)).rejects.toMatchObject({ code: "invalid_input" });
    const onAnn = record(annC);
    for (let i = 0; i < 21; i++) await annC.api.addCommentToTweet(tweet.id, `own ${i}`);
    await settle();
    expect(onAnn.of("newCommentFromServer")).toEqual([]); // not for my own comments

    const page1 = await carolC.api.getComments(tweet.id, 1);
    expect(page1.page).toBe(1);
    expect(page1.comments).toHaveLength(20);
    expect(page1.comments.slice(0, 2).map((c) => c.id)).toEqual([first.id, reply.id]);
    expect((await carolC.api.getComments(tweet.id, 2)).comments).toHaveLength(3);
    const after = await carolC.api.getComments({ tweetId: tweet.id, after: page1.comments[19]!.id, limit: 10 });
    expect(after).toMatchObject({ page: null });
    expect(after.comments.map((c) => c.id)).toEqual((await carolC.api.getComments(tweet.id, 2)).comments.map((c) => c.id));
    const pushed = carolC.next("recieveTweetCommentsFromServer");
    carolC.emit("getComments", tweet.id, 1);
    expect(await pushed).toEqual(page1);
    expect((await annC.api.getTweetsOfAnUser(ann.userId)).find((t) => t.id === tweet.id)?.comments_count).toBe(23);

    await expect(carolC.api.deleteTweetComment(first.id)).rejects.toMatchObject({ code: "forbidden" });
    expect(await benC.api.deleteTweetComment(first.id)).toEqual({ id: first.id }); // the author
    expect(await annC.api.deleteTweetComment(reply.id)).toEqual({ id: reply.id }); // the tweet's owner
    await expect(annC.api.deleteTweetComment(reply.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await annC.api.getTweetsOfAnUser(ann.userId)).find((t) => t.id === tweet.id)?.comments_count).toBe(21);
  });

  it("deletes a tweet (owner only) with its likes and comments, and tells followers", async () => {
    const { u: ann, c: annC } = await user();
    const { c: benC } = await user();
    await benC.api.followUser(ann.userId);
    const tweet = await annC.api.addNewTweet("short-lived");
    await benC.api.toggleTweetLike(tweet.id);
    await benC.api.addCommentToTweet(tweet.id, "hi");
    await expect(benC.api.deleteTweet(tweet.id)).rejects.toMatchObject({ code: "forbidden" });
    const told = benC.next("tweetDeletedFromServer");
    expect(await annC.api.deleteTweet(tweet.id)).toEqual({ id: tweet.id });
    expect(await told).toEqual({ id: tweet.id });
    expect(await count("SELECT count(*)::int AS n FROM tweet_likes WHERE tweet_id = $1", [tweet.id])).toBe(0);
    expect(await count("SELECT count(*)::int AS n FROM tweet_comments WHERE tweet_id = $1", [tweet.id])).toBe(0);
    expect((await benC.api.getHomeFeed()).map((t) => t.id)).not.toContain(tweet.id);
    await expect(benC.api.toggleTweetLike(tweet.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("answers comments and likes racing the tweet's deletion with not_found, never internal", async () => {
    const { c: annC } = await user();
    const { c: benC } = await user();
    for (let round = 0; round < 5; round++) {
      const tweet = await annC.api.addNewTweet(`doomed ${round}`);
      const calls = Array.from({ length: 10 }, (_, i) =>
        i % 2 ? benC.api.addCommentToTweet(tweet.id, `c${i}`) : benC.api.toggleTweetLike(tweet.id),
      );
      const outcomes = await Promise.allSettled([...calls.slice(0, 5), annC.api.deleteTweet(tweet.id), ...calls.slice(5)]);
      for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toMatchObject({ code: "not_found" });
    }
  });

  it("keeps a private account's tweets to its followers, and everything from a blocked pair", async () => {
    const { u: ann, c: annC } = await user();
    const { u: ben, c: benC } = await user();
    await annC.api.togglePublicityStatus();
    const tweet = await annC.api.addNewTweet({ context: "followers only", image: await makeImage("png", 8, 8) });
    await expect(benC.api.getTweetsOfAnUser(ann.userId)).rejects.toMatchObject({ code: "forbidden" });
    await expect(benC.api.toggleTweetLike(tweet.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(benC.api.getComments(tweet.id, 1)).rejects.toMatchObject({ code: "not_found" });
    await expect(benC.api.addCommentToTweet(tweet.id, "let me in")).rejects.toMatchObject({ code: "not_found" });
    const image = () => fetch(`${server.url}/media/${tweet.image!.id}`, { headers: { authorization: `Bearer ${ben.accessToken}` } });
    expect((await image()).status).toBe(404);

    await benC.api.followUser(ann.userId);
    await annC.api.answerFollowRequest({ userId: ben.userId, accept: true });
    expect((await benC.api.getTweetsOfAnUser(ann.userId)).map((t) => t.id)).toEqual([tweet.id]);
    expect((await image()).status).toBe(200);
    expect(await benC.api.toggleTweetLike(tweet.id)).toBe(true);

    await annC.api.toggleBlockUser(ben.userId);
    await expect(benC.api.getTweetsOfAnUser(ann.userId)).rejects.toMatchObject({ code: "not_found" });
    await expect(annC.api.getTweetsOfAnUser(ben.userId)).rejects.toMatchObject({ code: "not_found" });
    await expect(benC.api.toggleTweetLike(tweet.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await benC.api.getHomeFeed()).map((t) => t.id)).not.toContain(tweet.id);
    expect((await image()).status).toBe(404);
  });

  it.each([
    ["an empty tweet", "addNewTweet", ["   "]],
    ["a tweet over 280 characters", "addNewTweet", ["x".repeat(281)]],
    ["a tweet object with an unknown field", "addNewTweet", [{ context: "x", pinned: true }]],
    ["a number as tweet", "addNewTweet", [42]],
    ["a malformed tweet id", "toggleTweetLike", ["123"]],
    ["a page of 0", "getComments", ["0123456789abcdef01234567", 0]],
    ["a comment over 1000 characters", "addCommentToTweet", ["0123456789abcdef01234567", "c".repeat(1001)]],
    ["a malformed replyTo", "addCommentToTweet", ["0123456789abcdef01234567", "ok", "nope"]],
    ["a feed limit over 100", "getHomeFeed", [{ limit: 101 }]],
  ])("refuses %s with invalid_input and stores nothing", async (_label, event, args) => {
    const { u, c } = await user();
    const reply = (await c.socket.timeout(3000).emitWithAck(event, ...args)) as { ok: boolean; error: { code: string } };
    expect(reply).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(await count("SELECT count(*)::int AS n FROM tweets WHERE owner_id = $1", [u.userId])).toBe(0);
  });
});
