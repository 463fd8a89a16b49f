import { describe, expect, it } from "vitest";
import { dayKey, groupByDay } from "./days.ts";

describe("groupByDay", () => {
  const now = new Date(2026, 11, 3, 12, 0);
  const at = (d: number, h: number) => new Date(2026, 11, d, h, 0).toISOString();
  it("puts one separator before each new local day", () => {
    const items = [
      { id: "a", sent_at: at(1, 9) },
      { id: "b", sent_at: at(1, 22) },
      { id: "c", sent_at: at(2, 8) },
      { id: "d", sent_at: at(3, 8) },
    ];
    const grouped = groupByDay(items, now);
    expect(grouped.map((g) => (g.kind === "day" ? g.label : g.item.id))).toEqual([expect.any(String), "a", "b", "Yesterday", "c", "Today", "d"]);
  });
  it("keys days by local date", () => {
    expect(dayKey(new Date(2026, 0, 5, 23, 59).toISOString())).toBe("2026-01-05");
  });
});
