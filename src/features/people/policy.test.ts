import { describe, expect, it } from "vitest";
import { canSeeProfile } from "./policy.ts";

describe("people policy", () => {
  it("hides a profile from the people its owner blocked, and only from them", () => {
    expect(canSeeProfile({ iBlocked: false, theyBlocked: false })).toBe(true);
    expect(canSeeProfile({ iBlocked: true, theyBlocked: false })).toBe(true);
    expect(canSeeProfile({ iBlocked: false, theyBlocked: true })).toBe(false);
    expect(canSeeProfile({ iBlocked: true, theyBlocked: true })).toBe(false);
  });
});
