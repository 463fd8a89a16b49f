import { describe, expect, it } from "vitest";
import { presentNotification, PREVIEW_LENGTH } from "./presenter.ts";
import type { EntryRow } from "./repo.ts";

const row = (over: Partial<EntryRow> = {}): EntryRow => ({
  id: "a".repeat(24),
  sort_id: "b".repeat(24),
  kind: "like",
  tweet_id: "c".repeat(24),
  comment_id: null,
  actors_count: 5,
  read: false,
  created_at: new Date("2026-01-01T00:00:00Z"),
  updated_at: new Date("2026-01-01T00:01:00Z"),
  tweet_text: "😀".repeat(PREVIEW_LENGTH + 5),
  comment_text: null,
  actors: [{ id: "d".repeat(24), name: "Ann", family: "Lee", username: "ann", photo_id: "e".repeat(24) }],
  ...over,
});

describe("presentNotification", () => {
  it("previews the first characters (code points, not UTF-16 units), summaries with photo URLs, ISO times", () => {
    const n = presentNotification(row(), (id) => `/media/${id}`);
    expect([...n.tweet!.text].length).toBe(PREVIEW_LENGTH);
    expect(n.tweet!.text.startsWith("😀")).toBe(true);
    expect(n).toMatchObject({ kind: "like", actors_count: 5, comment: null, updated_at: "2026-01-01T00:01:00.000Z" });
    expect(n.actors).toEqual([{ user_id: "d".repeat(24), name: "Ann", family: "Lee", username: "ann", photo: `/media/${"e".repeat(24)}` }]);
  });

  it("a follow has no targets", () => {
    expect(presentNotification(row({ kind: "follow", tweet_id: null, tweet_text: null }), String)).toMatchObject({ tweet: null, comment: null });
  });
});
