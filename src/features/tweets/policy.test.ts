import { describe, expect, it } from "vitest";
import { canDeleteComment, canDeleteTweet, canSeeTweets } from "./policy.ts";

const OWNER = "a".repeat(24);
const VIEWER = "b".repeat(24);
const access = (o: Partial<Parameters<typeof canSeeTweets>[1]> = {}) => ({ owner_id: OWNER, owner_private: false, i_follow: false, blocked: false, ...o });

describe("tweets policy", () => {
  it("shows tweets to the owner, anyone for a public account, followers for a private one, never across a block", () => {
    expect(canSeeTweets(OWNER, access({ owner_private: true }))).toBe(true);
    expect(canSeeTweets(VIEWER, access())).toBe(true);
    expect(canSeeTweets(VIEWER, access({ owner_private: true }))).toBe(false);
    expect(canSeeTweets(VIEWER, access({ owner_private: true, i_follow: true }))).toBe(true);
    expect(canSeeTweets(VIEWER, access({ blocked: true, i_follow: true }))).toBe(false);
  });

  it("lets the owner delete a tweet, and the author or the tweet's owner delete a comment", () => {
    expect([canDeleteTweet(OWNER, { owner_id: OWNER }), canDeleteTweet(VIEWER, { owner_id: OWNER })]).toEqual([true, false]);
    const tweet = { owner_id: OWNER };
    expect(canDeleteComment(VIEWER, { owner_id: VIEWER }, tweet)).toBe(true);
    expect(canDeleteComment(OWNER, { owner_id: VIEWER }, tweet)).toBe(true);
    expect(canDeleteComment("c".repeat(24), { owner_id: VIEWER }, tweet)).toBe(false);
  });
});
