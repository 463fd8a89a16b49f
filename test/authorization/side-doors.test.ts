import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connectAs, settle } from "../helpers/factories.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { inbox, UNKNOWN_ID, World, type Person } from "./world.ts";

/**
 * What the direct calls refuse must not leak through the side: someone who blocked me is invisible to me in other
 * people's lists, in comments and among my story's viewers; a read receipt does not cross a block; and a refusal
 * answers exactly as if the person did not exist. Each case also checks that an unrelated person still sees the
 * hidden one, so the test fails if the thing is simply missing for everyone.
 */
describe("nothing leaks through side doors", () => {
  let server: TestServer;
  let world: World;
  beforeAll(async () => {
    server = await startServer({ env: { EVENT_RATE_LIMIT: "100000/10", EVENT_RATE_LIMIT_WRITE: "100000/10" } });
    world = new World(server, { advance: () => undefined });
  });
  afterAll(async () => {
    closeAll();
    await server.stop();
  });

  /** Me, the person who blocked me, and a bystander who has no block with anyone. */
  async function blockedByOne(): Promise<{ me: Person; blocker: Person; bystander: Person }> {
    const [me, blocker, bystander] = await Promise.all([world.person("Me"), world.person("Blocker"), world.person("Bystander")]);
    await blocker.client.api.toggleBlockUser(me.id);
    return { me, blocker, bystander };
  }

  const ids = (users: readonly { user_id: string }[]) => users.map((u) => u.user_id);

  it("hides someone who blocked me from a third person's followers and following lists", async () => {
    const { me, blocker, bystander } = await blockedByOne();
    const third = await world.person("Third");
    await blocker.client.api.followUser(third.id);
    await third.client.api.followUser(blocker.id);

    expect(ids((await me.client.api.getFollowerListRequest(third.id)).followers)).not.toContain(blocker.id);
    expect(ids((await me.client.api.getFollowingListRequest(third.id)).following)).not.toContain(blocker.id);
    expect(ids((await bystander.client.api.getFollowerListRequest(third.id)).followers)).toContain(blocker.id);
    expect(ids((await bystander.client.api.getFollowingListRequest(third.id)).following)).toContain(blocker.id);
  });

  it("hides the comments of someone who blocked me on a third person's tweet", async () => {
    const { me, blocker, bystander } = await blockedByOne();
    const third = await world.person("Third");
    const tweet = await world.tweet(third);
    const hidden = await blocker.client.api.addCommentToTweet(tweet.id, "you cannot see this");
    const shown = await bystander.client.api.addCommentToTweet(tweet.id, "everyone sees this");

    const mine = (await me.client.api.getComments(tweet.id)).comments.map((c) => c.id);
    expect(mine).toEqual([shown.id]);
    const theirs = (await bystander.client.api.getComments(tweet.id)).comments.map((c) => c.id);
    expect(theirs).toEqual([hidden.id, shown.id]);
    // The keyset form hides them too.
    expect((await me.client.api.getComments({ tweetId: tweet.id, after: UNKNOWN_ID.replace(/./g, "0") })).comments.map((c) => c.id)).toEqual([
      shown.id,
    ]);
  });

  it("hides a viewer of my story once they blocked me", async () => {
    const [me, viewer, other] = await Promise.all([world.person("Me"), world.person("Viewer"), world.person("Other")]);
    await viewer.client.api.followUser(me.id);
    await other.client.api.followUser(me.id);
    const story = await world.story(me);
    await viewer.client.api.getStoryPhoto({ ownerId: me.id, storyId: story.id });
    await other.client.api.getStoryPhoto({ ownerId: me.id, storyId: story.id });
    expect(ids(await me.client.api.getStoryViewers(story.id)).sort()).toEqual([viewer.id, other.id].sort());

    await viewer.client.api.toggleBlockUser(me.id);
    expect(ids(await me.client.api.getStoryViewers(story.id))).toEqual([other.id]);
  });

  it("does not carry a read receipt across a block, live, in the history or in the chat list", async () => {
    const { me, blocker } = await blockedByOne();
    // Unblocked for a moment: a message written before the block, read after it.
    await blocker.client.api.toggleBlockUser(me.id);
    const message = await world.message(me, blocker, "read me");
    await blocker.client.api.toggleBlockUser(me.id);
    const myPushes = inbox(me.client);
    const blockersOtherDevice = inbox(await connectAs(server, blocker.user));

    const { count } = await blocker.client.api.markMessagesSeen({ with: me.id, up_to: message.id });
    expect(count).toBe(1);
    await settle();
    expect(await myPushes.of("messagesSeenFromServer")).toEqual([]);
    // The reader's other devices hear of it, and their unread count is cleared.
    expect(await blockersOtherDevice.of("messagesSeenFromServer")).toHaveLength(1);
    const blockersChat = (await blocker.client.api.getChatList()).find((c) => c.user.user_id === me.id);
    expect(blockersChat?.unread_count).toBe(0);

    const [inHistory] = await me.client.api.getChatMessages(blocker.id);
    expect(inHistory).toMatchObject({ id: message.id, seen_at: null });
    const myChat = (await me.client.api.getChatList()).find((c) => c.user.user_id === blocker.id);
    expect(myChat?.last_message).toMatchObject({ id: message.id, seen_at: null });
  });

  it("still shows a read receipt when there is no block (so the previous case can fail)", async () => {
    const [me, friend] = await Promise.all([world.person("Me"), world.person("Friend")]);
    const message = await world.message(me, friend, "read me");
    const myPushes = inbox(me.client);
    await friend.client.api.markMessagesSeen({ with: me.id, up_to: message.id });
    expect(await myPushes.of("messagesSeenFromServer")).toHaveLength(1);
    const [inHistory] = await me.client.api.getChatMessages(friend.id);
    expect(inHistory?.seen_at).not.toBeNull();
  });

  it("sends no typing indicator across a block, either way", async () => {
    const { me, blocker, bystander } = await blockedByOne();
    const mine = inbox(me.client);
    const blockers = inbox(blocker.client);
    const bystanders = inbox(bystander.client);
    await blocker.client.api.typingFromClient({ to: me.id });
    await me.client.api.typingFromClient({ to: blocker.id });
    await me.client.api.typingFromClient({ to: bystander.id });
    await settle();
    expect(await mine.of("typingFromServer")).toEqual([]);
    expect(await blockers.of("typingFromServer")).toEqual([]);
    expect(await bystanders.of("typingFromServer")).toHaveLength(1);
  });

  it("answers every direct call about someone who blocked me exactly as about nobody", async () => {
    const { me, blocker } = await blockedByOne();
    const answer = async (call: () => Promise<unknown>) => {
      try {
        return { ok: await call() };
      } catch (err) {
        return { code: (err as { code?: string }).code };
      }
    };
    const calls = (target: string) => [
      () => me.client.api.receiveUserProfile(target),
      () => me.client.api.followUser(target),
      () => me.client.api.newMessageFromClient({ to: target, context: { text: "hi" } }),
      () => me.client.api.getPublicityStatus(target),
      () => me.client.api.getFollowerListRequest(target),
      () => me.client.api.getFollowingListRequest(target),
      () => me.client.api.getTweetsOfAnUser(target),
    ];
    const aboutBlocker = await Promise.all(calls(blocker.id).map(answer));
    const aboutNobody = await Promise.all(calls(UNKNOWN_ID).map(answer));
    expect(aboutBlocker).toEqual(aboutNobody);
    expect(aboutNobody.every((a) => "code" in a && a.code === "not_found")).toBe(true);
    // Presence and search say nothing either.
    expect(await me.client.api.requestLastSeen([blocker.id])).toEqual([{ userId: blocker.id, lastSeen: null, online: false }]);
    expect(ids(await me.client.api.searchUsers({ query: blocker.user.username }))).not.toContain(blocker.id);
  });

  it("keeps the tweets of someone who blocked me out of my home feed and their media out of my reach", async () => {
    const [me, author] = await Promise.all([world.person("Me"), world.person("Author")]);
    await me.client.api.followUser(author.id);
    const tweet = await world.tweetWithImage(author);
    expect((await me.client.api.getHomeFeed()).map((t: { id: string }) => t.id)).toContain(tweet.id);
    const url = `${server.url}/media/${tweet.mediaId}`;
    const auth = { authorization: `Bearer ${me.user.accessToken}` };
    expect((await fetch(url, { headers: auth })).status).toBe(200);

    await author.client.api.toggleBlockUser(me.id);
    expect((await me.client.api.getHomeFeed()).map((t: { id: string }) => t.id)).not.toContain(tweet.id);
    expect((await fetch(url, { headers: auth })).status).toBe(404);
  });
});
