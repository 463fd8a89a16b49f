import { describe, expect, it } from "vitest";
import { backoffMs } from "./backoff.ts";

describe("backoffMs", () => {
  it("doubles from the base after each failure and stops at the cap", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, 100, 1000))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("stays finite for absurd attempt counts", () => {
    expect(backoffMs(10_000, 5000, 3_600_000)).toBe(3_600_000);
    expect(backoffMs(0, 5000, 3_600_000)).toBe(5000);
  });
});
