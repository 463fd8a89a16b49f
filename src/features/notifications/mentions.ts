import { z } from "zod";

/** A resolved `@username` in a tweet's or comment's text. */
export const MentionShape = z.object({
  user_id: z.string(),
  username: z.string(),
  start: z.number().int().describe("offset of the `@` in the text, in UTF-16 code units (what JavaScript strings index by)"),
  end: z.number().int().describe("offset just past the username, in UTF-16 code units (exclusive)"),
});
export type Mention = z.infer<typeof MentionShape>;

export const MentionsShape = z
  .array(MentionShape)
  .describe("the `@username`s of the text that named an existing user when it was posted (not blocked either way), in text order");

/** At most this many distinct usernames are resolved per post (one query, whatever the text). */
export const MAX_MENTIONED = 20;

/** A candidate `@username` in a text, before resolution. */
export interface MentionCandidate {
  username: string;
  start: number;
  end: number;
}

// An `@` not preceded by a username character or another `@` (so not an email address), then a whole username
// (the same alphabet and length as registration accepts).
const MENTION = /(?<![A-Za-z0-9_@])@([A-Za-z0-9_]{3,32})(?![A-Za-z0-9_@])/g;

/** Every `@username` in the text, in order, with its UTF-16 offsets and the username lower-cased (as stored). */
export function findMentionCandidates(text: string): MentionCandidate[] {
  return [...text.matchAll(MENTION)].map((m) => ({ username: m[1]!.toLowerCase(), start: m.index, end: m.index + m[0].length }));
}

/** The candidates whose username resolved, with the user's id; the rest stay plain text. */
export function resolveCandidates(candidates: readonly MentionCandidate[], users: ReadonlyMap<string, string>): Mention[] {
  return candidates.flatMap((c) => {
    const userId = users.get(c.username);
    return userId ? [{ user_id: userId, username: c.username, start: c.start, end: c.end }] : [];
  });
}

/** A stored mentions column (jsonb), checked; anything malformed reads as no mentions. */
export function parseMentions(value: unknown): Mention[] {
  const parsed = MentionsShape.safeParse(value);
  return parsed.success ? parsed.data : [];
}
