import { describe, expect, it } from "vitest";
import { canSeeLastSeen, canSeeProfile, followOutcome, listAccess, visibilityAllows, type Relation } from "./policy.ts";

const ME = "a".repeat(24);
const THEM = "b".repeat(24);
const rel = (overrides: Partial<Relation> = {}): Relation => ({
  exists: true,
  is_private: false,
  i_follow: false,
  i_blocked: false,
  they_blocked: false,
  ...overrides,
});

describe("people policy", () => {
  it("hides a profile from the people its owner blocked, and only from them", () => {
    expect(canSeeProfile({ they_blocked: false })).toBe(true);
    expect(canSeeProfile({ they_blocked: true })).toBe(false);
  });

  it("shows lists to the owner, to anyone for a public account, to followers for a private one, never across a block", () => {
    expect(listAccess(ME, ME, rel({ is_private: true }))).toBe("ok");
    expect(listAccess(ME, THEM, rel())).toBe("ok");
    expect(listAccess(ME, THEM, rel({ is_private: true }))).toBe("forbidden");
    expect(listAccess(ME, THEM, rel({ is_private: true, i_follow: true }))).toBe("ok");
    expect(listAccess(ME, THEM, rel({ i_blocked: true }))).toBe("not_found");
    expect(listAccess(ME, THEM, rel({ they_blocked: true }))).toBe("not_found");
    expect(listAccess(ME, THEM, rel({ exists: false }))).toBe("not_found");
  });

  it("decides what following does", () => {
    expect(followOutcome(ME, ME, rel())).toBe("self");
    expect(followOutcome(ME, THEM, rel({ exists: false }))).toBe("not_found");
    expect(followOutcome(ME, THEM, rel({ they_blocked: true }))).toBe("not_found");
    expect(followOutcome(ME, THEM, rel({ i_blocked: true }))).toBe("blocked");
    expect(followOutcome(ME, THEM, rel({ i_follow: true }))).toBe("already");
    expect(followOutcome(ME, THEM, rel())).toBe("following");
    expect(followOutcome(ME, THEM, rel({ is_private: true }))).toBe("requested");
  });

  it("shows last seen only both ways, Telegram's way", () => {
    expect(visibilityAllows("everyone", false)).toBe(true);
    expect(visibilityAllows("followers", false)).toBe(false);
    expect(visibilityAllows("followers", true)).toBe(true);
    expect(visibilityAllows("nobody", true)).toBe(false);
    const facts = { id: THEM, visibility: "everyone" as const, i_follow_them: false, they_follow_me: false, they_blocked_me: false };
    expect(canSeeLastSeen(ME, facts, "everyone")).toBe(true);
    expect(canSeeLastSeen(ME, facts, "nobody")).toBe(false); // I hide mine: I cannot see theirs
    expect(canSeeLastSeen(ME, { ...facts, visibility: "followers" }, "everyone")).toBe(false);
    expect(canSeeLastSeen(ME, { ...facts, visibility: "followers", i_follow_them: true }, "everyone")).toBe(true);
    expect(canSeeLastSeen(ME, facts, "followers")).toBe(false);
    expect(canSeeLastSeen(ME, { ...facts, they_follow_me: true }, "followers")).toBe(true);
    expect(canSeeLastSeen(ME, { ...facts, they_blocked_me: true }, "everyone")).toBe(false);
    // My own, whatever my setting.
    expect(canSeeLastSeen(ME, { ...facts, id: ME, visibility: "nobody" }, "nobody")).toBe(true);
  });
});
