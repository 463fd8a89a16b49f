import { describe, expect, it } from "vitest";
import { findMentionCandidates, parseMentions, resolveCandidates } from "./mentions.ts";

describe("mentions", () => {
  it("finds whole @usernames with UTF-16 offsets, lower-cased, never inside an email address or a longer word", () => {
    const text = "😀 @Ann_1, x@ben.com @cat! @@dan @ab @e_very_long_username_that_is_too_long_x";
    expect(findMentionCandidates(text)).toEqual([
      { username: "ann_1", start: 3, end: 9 },
      { username: "cat", start: 21, end: 25 },
    ]);
    expect(text.slice(3, 9)).toBe("@Ann_1");
  });

  it("keeps the candidates that resolved", () => {
    const found = resolveCandidates(findMentionCandidates("@ann @bob @ann"), new Map([["ann", "a".repeat(24)]]));
    expect(found.map((m) => [m.username, m.start])).toEqual([
      ["ann", 0],
      ["ann", 10],
    ]);
  });

  it("reads a malformed stored column as no mentions", () => {
    expect(parseMentions([{ user_id: 1 }])).toEqual([]);
    expect(parseMentions(null)).toEqual([]);
  });
});
