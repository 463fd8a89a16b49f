import { z } from "zod";
import { presentSummary, UserSummaryShape } from "../people/presenter.ts";
import type { EntryRow } from "./repo.ts";
import { NotificationKindShape } from "./settings.ts";

/** How much of a tweet's or comment's text an entry carries. */
export const PREVIEW_LENGTH = 100;

const Preview = z.object({ id: z.string(), text: z.string().describe(`the first ${PREVIEW_LENGTH} characters of the text`) });

export const NotificationShape = z.object({
  id: z.string().describe("stable for the entry's life (a grouped entry keeps it as actors join)"),
  sort_id: z.string().describe("the order of the list, newest first; renewed when an actor joins (the entry moves to the top). The cursor of `before` and `up_to`"),
  kind: NotificationKindShape,
  actors: z.array(UserSummaryShape).describe("the latest actors, newest first, at most 3"),
  actors_count: z.number().int().describe("all the actors: \"A, B and (actors_count − 2) others\""),
  tweet: Preview.nullable().describe("the tweet liked, commented on or mentioning me (null for follows)"),
  comment: Preview.nullable().describe("the comment, reply or mentioning comment (null otherwise)"),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime().describe("when the latest actor joined"),
  read: z.boolean(),
});
export type Notification = z.infer<typeof NotificationShape>;

const preview = (text: string) => [...text].slice(0, PREVIEW_LENGTH).join("");

/** An entry as the wire shows it; its actors are already filtered (blocks) and ordered by the repo. */
export function presentNotification(row: EntryRow, mediaUrl: (id: string) => string): Notification {
  return {
    id: row.id,
    sort_id: row.sort_id,
    kind: NotificationKindShape.parse(row.kind),
    actors: row.actors.map((a) => presentSummary(a, mediaUrl)),
    actors_count: row.actors_count,
    tweet: row.tweet_id && row.tweet_text !== null ? { id: row.tweet_id, text: preview(row.tweet_text) } : null,
    comment: row.comment_id && row.comment_text !== null ? { id: row.comment_id, text: preview(row.comment_text) } : null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    read: row.read,
  };
}
