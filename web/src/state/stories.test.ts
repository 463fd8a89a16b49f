import { beforeEach, describe, expect, it } from "vitest";
import { addStory, clearStories, hasUnseen, markStorySeen, pruneExpiredStories, removeStory, replaceStories, startIndex, storyGroups, type Story } from "./stories.ts";

const ana = "a".repeat(24);
const bo = "b".repeat(24);
const later = "2999-01-01T00:00:00.000Z";
const story = (id: string, ownerId: string, extra: Partial<Story> = {}): Story => ({
  id,
  ownerId,
  owner: { user_id: ownerId, name: ownerId === ana ? "Ana" : "Bo", family: "", username: ownerId === ana ? "ana" : "bo", photo: null },
  added_at: "2026-12-03T10:00:00.000Z",
  expires_at: later,
  seen: false,
  ...extra,
});

describe("the stories store", () => {
  beforeEach(() => clearStories());

  it("groups the server's list by owner in its order, each owner's stories as sent", () => {
    replaceStories([story("1", bo), story("2", ana, { seen: true }), story("3", bo)]);
    expect([...storyGroups.value.keys()]).toEqual([bo, ana]);
    expect(storyGroups.value.get(bo)!.stories.map((s) => s.id)).toEqual(["1", "3"]);
    expect(hasUnseen(storyGroups.value.get(bo)!)).toBe(true);
    expect(hasUnseen(storyGroups.value.get(ana)!)).toBe(false);
  });

  it("keeps the identity of groups (and of the map) that did not change", () => {
    replaceStories([story("1", bo), story("2", ana)]);
    const before = storyGroups.value;
    const anaGroup = before.get(ana);
    replaceStories([story("1", bo), story("2", ana)]);
    expect(storyGroups.value).toBe(before);
    replaceStories([story("1", bo, { seen: true }), story("2", ana)]);
    expect(storyGroups.value).not.toBe(before);
    expect(storyGroups.value.get(ana)).toBe(anaGroup);
  });

  it("drops expired stories from the list and on prune", () => {
    replaceStories([story("1", bo, { expires_at: "2000-01-01T00:00:00.000Z" }), story("2", ana, { expires_at: "2026-12-03T12:00:00.000Z" })], Date.parse("2026-12-03T11:00:00.000Z"));
    expect([...storyGroups.value.keys()]).toEqual([ana]);
    expect(pruneExpiredStories(Date.parse("2026-12-03T11:30:00.000Z"))).toBe(false);
    expect(pruneExpiredStories(Date.parse("2026-12-03T12:30:00.000Z"))).toBe(true);
    expect(storyGroups.value.size).toBe(0);
  });

  it("puts an owner with a new story first, once", () => {
    replaceStories([story("1", bo), story("2", ana)]);
    addStory(story("3", ana));
    addStory(story("3", ana));
    expect([...storyGroups.value.keys()]).toEqual([ana, bo]);
    expect(storyGroups.value.get(ana)!.stories.map((s) => s.id)).toEqual(["2", "3"]);
  });

  it("marks a story seen and removes deleted ones; an owner without stories leaves", () => {
    replaceStories([story("1", bo), story("2", bo)]);
    markStorySeen(bo, "1");
    expect(startIndex(storyGroups.value.get(bo)!)).toBe(1);
    markStorySeen(bo, "2");
    expect(hasUnseen(storyGroups.value.get(bo)!)).toBe(false);
    expect(startIndex(storyGroups.value.get(bo)!)).toBe(0);
    const before = storyGroups.value;
    markStorySeen(bo, "2");
    removeStory(bo, "nope");
    expect(storyGroups.value).toBe(before);
    removeStory(bo, "1");
    expect(storyGroups.value.get(bo)!.stories.map((s) => s.id)).toEqual(["2"]);
    removeStory(bo, "2");
    expect(storyGroups.value.has(bo)).toBe(false);
  });

  it("is bounded: at most 100 stories per owner", () => {
    for (let i = 0; i < 120; i++) addStory(story(`s${i}`, ana));
    expect(storyGroups.value.get(ana)!.stories).toHaveLength(100);
    expect(storyGroups.value.get(ana)!.stories[0]!.id).toBe("s20");
  });
});
