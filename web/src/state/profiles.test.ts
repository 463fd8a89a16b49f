import { beforeEach, describe, expect, it } from "vitest";
import {
  canSeeContent,
  clearProfiles,
  followState,
  idOfUsername,
  markUnavailable,
  mergeTweetPage,
  prependTweets,
  patchProfile,
  profiles,
  putProfile,
  putTweets,
  profileTweets,
  unavailable,
  type Profile,
} from "./profiles.ts";
import type { Tweet } from "./types.ts";

const me = "a".repeat(24);
const them = "b".repeat(24);

const profile = (extra: Partial<Profile> = {}): Profile => ({
  user_id: them,
  name: "Cee",
  family: "Private",
  username: "cee",
  photo: null,
  biography: "",
  last_seen: null,
  online: false,
  isPrivate: true,
  isFollowed: false,
  isBlocked: false,
  mutual: false,
  followsMe: false,
  followRequested: false,
  followers_count: 0,
  following_count: 0,
  tweets_count: 1,
  ...extra,
});

const tweet = (n: number): Tweet => ({
  id: n.toString(16).padStart(24, "0"),
  owner: { user_id: them, name: "Cee", family: "", username: "cee", photo: null },
  context: `post ${n}`,
  image: null,
  sent_at: new Date(1_700_000_000_000 + n * 1000).toISOString(),
  likes_count: 0,
  comments_count: 0,
  userLiked: false,
  mentions: [],
});

describe("profiles store", () => {
  beforeEach(() => clearProfiles());

  it("says which follow button shows", () => {
    expect(followState(profile())).toBe("follow");
    expect(followState(profile({ followRequested: true }))).toBe("requested");
    expect(followState(profile({ isFollowed: true }))).toBe("following");
  });

  it("shows a private account's posts to its followers and its owner only", () => {
    expect(canSeeContent(profile(), me)).toBe(false);
    expect(canSeeContent(profile({ isFollowed: true }), me)).toBe(true);
    expect(canSeeContent(profile({ isPrivate: false }), me)).toBe(true);
    expect(canSeeContent(profile({ isPrivate: false, isBlocked: true }), me)).toBe(false);
    expect(canSeeContent(profile({ user_id: me }), me)).toBe(true);
  });

  it("keeps profiles by id, skips copies that change nothing, patches in place, remembers the username", () => {
    putProfile(profile());
    const first = profiles.value;
    putProfile(profile());
    expect(profiles.value).toBe(first);
    expect(idOfUsername("CEE")).toBe(them);
    patchProfile(them, { followRequested: true });
    expect(profiles.value.get(them)?.followRequested).toBe(true);
    const patched = profiles.value;
    patchProfile(them, { followRequested: true });
    expect(profiles.value).toBe(patched);
    patchProfile("c".repeat(24), { isFollowed: true });
    expect(profiles.value.has("c".repeat(24))).toBe(false);
  });

  it("keeps at most 200 profiles", () => {
    for (let i = 0; i < 210; i++) putProfile(profile({ user_id: i.toString(16).padStart(24, "0"), username: `u${i}` }));
    expect(profiles.value.size).toBe(200);
    expect(profiles.value.has("0".repeat(24))).toBe(false);
  });

  it("forgets a profile the server no longer shows, until it shows it again", () => {
    putProfile(profile());
    putTweets(them, { tweets: [tweet(1)], end: true });
    markUnavailable(them);
    expect(profiles.value.has(them)).toBe(false);
    expect(profileTweets.value.has(them)).toBe(false);
    expect(unavailable.value.has(them)).toBe(true);
    putProfile(profile());
    expect(unavailable.value.has(them)).toBe(false);
  });

  it("merges pages of posts newest first without duplicates and knows the end", () => {
    const first = mergeTweetPage(undefined, [tweet(5), tweet(4), tweet(3)], 3, true);
    expect(first.end).toBe(false);
    const second = mergeTweetPage(first, [tweet(3), tweet(2)], 3, false);
    expect(second.tweets.map((t) => t.context)).toEqual(["post 5", "post 4", "post 3", "post 2"]);
    expect(second.end).toBe(true);
    // A fresh first page replaces what was there (a deleted post goes).
    const fresh = mergeTweetPage(second, [tweet(6), tweet(5)], 3, true);
    expect(fresh.tweets.map((t) => t.context)).toEqual(["post 6", "post 5"]);
    expect(fresh.end).toBe(true);
  });

  it("puts live posts on top without changing whether older ones remain", () => {
    const first = mergeTweetPage(undefined, [tweet(5), tweet(4)], 2, true);
    const live = prependTweets(first, [tweet(7), tweet(5)]);
    expect(live.tweets.map((t) => t.context)).toEqual(["post 7", "post 5", "post 4"]);
    expect(live.end).toBe(false);
  });

});
