import { describe, expect, it } from "vitest";
import { mergeMessages, removeMessage } from "./merge.ts";

const m = (id: string, sec: number, text = id) => ({ id, sent_at: new Date(sec * 1000).toISOString(), text });

describe("mergeMessages", () => {
  it("merges an older page before the current one, without duplicates", () => {
    const current = [m("c", 3), m("d", 4)];
    const merged = mergeMessages(current, [m("a", 1), m("b", 2), m("c", 3)], (x, y) => x.text === y.text);
    expect(merged.map((x) => x.id)).toEqual(["a", "b", "c", "d"]);
  });
  it("returns the same array when nothing changed", () => {
    const current = [m("a", 1)];
    expect(mergeMessages(current, [m("a", 1)], (x, y) => x.text === y.text)).toBe(current);
    expect(mergeMessages(current, [])).toBe(current);
  });
  it("replaces an edited copy", () => {
    const merged = mergeMessages([m("a", 1, "old")], [m("a", 1, "new")], (x, y) => x.text === y.text);
    expect(merged[0]?.text).toBe("new");
  });
  it("removes by id", () => {
    const current = [m("a", 1), m("b", 2)];
    expect(removeMessage(current, "a").map((x) => x.id)).toEqual(["b"]);
    expect(removeMessage(current, "z")).toBe(current);
  });
});
