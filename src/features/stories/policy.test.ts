import { describe, expect, it } from "vitest";
import { canSeeStory, isStoryOwner } from "./policy.ts";
import { orderForBar, type Story } from "./presenter.ts";

const OWNER = "a".repeat(24);
const VIEWER = "b".repeat(24);
const NOW = Date.parse("2026-11-25T12:00:00Z");
const story = (o: Partial<Parameters<typeof canSeeStory>[1]> = {}) => ({ owner_id: OWNER, expires_at: new Date(NOW + 1000), i_follow: false, blocked: false, ...o });

describe("stories policy", () => {
  it("shows a story to its owner and followers until it expires, never across a block", () => {
    expect(canSeeStory(OWNER, story(), NOW)).toBe(true);
    expect(canSeeStory(VIEWER, story(), NOW)).toBe(false);
    expect(canSeeStory(VIEWER, story({ i_follow: true }), NOW)).toBe(true);
    expect(canSeeStory(VIEWER, story({ i_follow: true, blocked: true }), NOW)).toBe(false);
    expect(canSeeStory(VIEWER, story({ i_follow: true, expires_at: new Date(NOW) }), NOW)).toBe(false);
    expect(canSeeStory(OWNER, story({ expires_at: new Date(NOW - 1) }), NOW)).toBe(false);
    expect([isStoryOwner(OWNER, { owner_id: OWNER }), isStoryOwner(VIEWER, { owner_id: OWNER })]).toEqual([true, false]);
  });

  it("orders the bar by unseen owners first, then newest story, each owner's stories oldest first", () => {
    const s = (id: string, ownerId: string, minute: number, seen: boolean): Story => ({
      id,
      ownerId,
      owner: { user_id: ownerId, name: "", family: "", username: "", photo: null },
      added_at: new Date(NOW + minute * 60_000).toISOString(),
      expires_at: new Date(NOW + 86_400_000).toISOString(),
      seen,
    });
    const list = [s("x1", "X", 1, true), s("y1", "Y", 2, false), s("z1", "Z", 5, true), s("y2", "Y", 0, true), s("w1", "W", 3, false)];
    expect(orderForBar(list).map((x) => x.id)).toEqual(["w1", "y2", "y1", "z1", "x1"]);
  });
});
