import { z } from "zod";
import { MediaRefShape, type MediaRef } from "../media/presenter.ts";
import { MentionsShape, parseMentions } from "../notifications/mentions.ts";
import { presentSummary, UserSummaryShape } from "../people/presenter.ts";
import type { CommentRow, TweetRow } from "./repo.ts";

export const TweetShape = z.object({
  id: z.string(),
  owner: UserSummaryShape,
  context: z.string().describe("the text, as written"),
  image: MediaRefShape.nullable(),
  sent_at: z.iso.datetime(),
  likes_count: z.number().int(),
  comments_count: z.number().int(),
  userLiked: z.boolean(),
  mentions: MentionsShape,
});
export type Tweet = z.infer<typeof TweetShape>;

export const CommentShape = z.object({
  id: z.string(),
  tweet_id: z.string(),
  owner: UserSummaryShape,
  context: z.string(),
  reply_to: z.string().nullable(),
  sent_at: z.iso.datetime(),
  mentions: MentionsShape,
});
export type Comment = z.infer<typeof CommentShape>;

export function presentTweet(row: TweetRow, images: ReadonlyMap<string, MediaRef>, mediaUrl: (id: string) => string): Tweet {
  return {
    id: row.id,
    owner: presentSummary({ ...row, id: row.owner_id }, mediaUrl),
    context: row.text,
    image: row.image_id ? (images.get(row.image_id) ?? null) : null,
    sent_at: row.sent_at.toISOString(),
    likes_count: row.likes_count,
    comments_count: row.comments_count,
    userLiked: row.user_liked,
    mentions: parseMentions(row.mentions),
  };
}

export function presentComment(row: CommentRow, mediaUrl: (id: string) => string): Comment {
  return {
    id: row.id,
    tweet_id: row.tweet_id,
    owner: presentSummary({ ...row, id: row.owner_id }, mediaUrl),
    context: row.text,
    reply_to: row.reply_to,
    sent_at: row.sent_at.toISOString(),
    mentions: parseMentions(row.mentions),
  };
}
