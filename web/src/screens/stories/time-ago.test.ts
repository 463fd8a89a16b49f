import { describe, expect, it } from "vitest";
import { timeAgo } from "./time-ago.ts";

describe("timeAgo", () => {
  const now = Date.parse("2026-12-03T12:00:00.000Z");
  it("says now, minutes and hours", () => {
    expect(timeAgo("2026-12-03T11:59:30.000Z", now)).toBe("now");
    expect(timeAgo("2026-12-03T11:55:00.000Z", now)).toBe("5 min ago");
    expect(timeAgo("2026-12-03T09:00:00.000Z", now)).toBe("3 h ago");
  });
});
