import { beforeEach, describe, expect, it } from "vitest";
import { clearTweets, commentsByTweet, goneTweets, patchTweet, removeComment, removeTweet, tweets, upsertComments, upsertTweets } from "./tweets.ts";
import type { Comment, Tweet } from "./types.ts";
import { threadOf } from "../screens/tweet/thread.ts";
import { relativeTime } from "../components/tweet-format.ts";

const owner = { user_id: "a".repeat(24), name: "Ann", family: "Lee", username: "ann", photo: null };
const tweet = (id: string, extra: Partial<Tweet> = {}): Tweet => ({
  id,
  owner,
  context: "hi",
  image: null,
  sent_at: "2026-01-01T00:00:00.000Z",
  likes_count: 0,
  comments_count: 0,
  userLiked: false,
  mentions: [],
  ...extra,
});
const comment = (id: string, replyTo: string | null = null, tweetId = "t1"): Comment => ({
  id,
  tweet_id: tweetId,
  owner,
  context: `comment ${id}`,
  reply_to: replyTo,
  sent_at: "2026-01-01T00:00:00.000Z",
  mentions: [],
});

describe("the tweets store", () => {
  beforeEach(() => clearTweets());

  it("skips updates that change nothing and applies those that do", () => {
    upsertTweets([tweet("t1")]);
    const before = tweets.value;
    upsertTweets([tweet("t1")]);
    expect(tweets.value).toBe(before);
    upsertTweets([tweet("t1", { likes_count: 2 })]);
    expect(tweets.value.get("t1")?.likes_count).toBe(2);
    patchTweet("t1", { userLiked: true, likes_count: 3 });
    expect(tweets.value.get("t1")).toMatchObject({ userLiked: true, likes_count: 3 });
    const patched = tweets.value;
    patchTweet("t1", { userLiked: true });
    expect(tweets.value).toBe(patched);
  });

  it("is bounded", () => {
    upsertTweets(Array.from({ length: 1_100 }, (_, i) => tweet(`x${i}`)));
    expect(tweets.value.size).toBe(1_000);
    expect(tweets.value.has("x1099")).toBe(true);
    expect(tweets.value.has("x0")).toBe(false);
  });

  it("remembers a deleted tweet so every list drops it", () => {
    upsertTweets([tweet("t1")]);
    removeTweet("t1");
    expect(tweets.value.has("t1")).toBe(false);
    expect(goneTweets.value.has("t1")).toBe(true);
  });

  it("merges comments by id, oldest first, and keeps replies of a deleted comment as top-level ones", () => {
    upsertComments("t1", [comment("c2"), comment("c1")]);
    upsertComments("t1", [comment("c2"), comment("c3", "c1"), comment("z9", null, "other")]);
    expect(commentsByTweet.value.get("t1")?.map((c) => c.id)).toEqual(["c1", "c2", "c3"]);
    removeComment("t1", "c1");
    expect(commentsByTweet.value.get("t1")).toEqual([comment("c2"), comment("c3")]);
  });
});

describe("a comment thread", () => {
  it("nests replies one level under their top comment, replies to replies included", () => {
    const groups = threadOf([comment("c1"), comment("c2"), comment("c3", "c1"), comment("c4", "c3"), comment("c5", "missing")]);
    expect(groups.map((g) => [g.comment.id, g.replies.map((r) => r.id)])).toEqual([
      ["c1", ["c3", "c4"]],
      ["c2", []],
      ["c5", []],
    ]);
  });
});

describe("relative time", () => {
  it("says now, minutes, hours, days, then the date", () => {
    const t = Date.parse("2026-03-10T12:00:00Z");
    expect(relativeTime(t, t + 20_000)).toBe("now");
    expect(relativeTime(t, t + 5 * 60_000)).toBe("5m");
    expect(relativeTime(t, t + 3 * 3_600_000)).toBe("3h");
    expect(relativeTime(t, t + 2 * 86_400_000)).toBe("2d");
    expect(relativeTime(t, t + 30 * 86_400_000)).toMatch(/Mar/);
  });
});
