import { describe, expect, it } from "vitest";
import { ID_PATTERN, idTime, newId } from "./ids.ts";

describe("ids", () => {
  it("are 24 lowercase hex characters, unique and ordered by time", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => newId(1_700_000_000_000 + i * 1000));
    expect(ids.every((id) => ID_PATTERN.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(idTime(ids[0]!).getTime()).toBe(1_700_000_000_000);
  });
});
