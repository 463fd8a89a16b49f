import { describe, expect, it } from "vitest";
import type { Story, StoryGroup } from "../../state/stories.ts";
import { nextPosition, prevPosition, settlePosition } from "./navigation.ts";

const group = (ownerId: string, seen: boolean[]): StoryGroup => ({
  ownerId,
  owner: { user_id: ownerId, name: ownerId, family: "", username: ownerId, photo: null },
  stories: seen.map(
    (s, i): Story => ({
      id: `${ownerId}${i}`,
      ownerId,
      owner: { user_id: ownerId, name: ownerId, family: "", username: ownerId, photo: null },
      added_at: "2026-12-03T10:00:00.000Z",
      expires_at: "2999-01-01T00:00:00.000Z",
      seen: s,
    }),
  ),
});
const groups = new Map([
  ["a", group("a", [false, false])],
  ["b", group("b", [true, false])],
  ["c", group("c", [true])],
]);
const order = ["a", "b", "c"];

describe("story viewer navigation", () => {
  it("goes through one person's stories, then to the next person's first unseen one, then ends", () => {
    expect(nextPosition(order, groups, { ownerId: "a", index: 0 })).toEqual({ ownerId: "a", index: 1 });
    expect(nextPosition(order, groups, { ownerId: "a", index: 1 })).toEqual({ ownerId: "b", index: 1 });
    expect(nextPosition(order, groups, { ownerId: "b", index: 1 })).toEqual({ ownerId: "c", index: 0 });
    expect(nextPosition(order, groups, { ownerId: "c", index: 0 })).toBeNull();
  });

  it("goes back to the previous person's last story, and stays at the very first", () => {
    expect(prevPosition(order, groups, { ownerId: "b", index: 1 })).toEqual({ ownerId: "b", index: 0 });
    expect(prevPosition(order, groups, { ownerId: "b", index: 0 })).toEqual({ ownerId: "a", index: 1 });
    const first = { ownerId: "a", index: 0 };
    expect(prevPosition(order, groups, first)).toBe(first);
  });

  it("settles after the store changed: clamped, else the next person, else closed", () => {
    const at = { ownerId: "a", index: 1 };
    expect(settlePosition(order, groups, at)).toBe(at);
    const fewer = new Map(groups).set("a", group("a", [false]));
    expect(settlePosition(order, fewer, at)).toEqual({ ownerId: "a", index: 0 });
    const gone = new Map(groups);
    gone.delete("a");
    expect(settlePosition(order, gone, at)).toEqual({ ownerId: "b", index: 1 });
    expect(settlePosition(["a"], gone, at)).toBeNull();
  });
});
