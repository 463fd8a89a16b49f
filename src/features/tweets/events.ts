import { z } from "zod";
import { clientEvent, serverEvent } from "../../realtime/event.ts";
import { Id, PageNumber, Text } from "../../shared/schema.ts";
import { ImageInput } from "../media/intake.ts";
import { CommentShape, TweetShape } from "./presenter.ts";

// The hard cap; TWEET_MAX_LENGTH (280 by default) is applied by the service.
const TweetText = Text(4096);
const TweetId = Id.describe("tweetId");
const owner = { user_id: "62fbb1a596ac46dda02af592", name: "kia", family: "atri", username: "kiarashatri", photo: null };
const exampleTweet = {
  id: "63021602091fa84d91c8e9c1",
  owner,
  context: "im tweeting! brah",
  image: null,
  sent_at: "2022-08-17T17:15:37.718Z",
  likes_count: 1,
  comments_count: 0,
  userLiked: true,
  mentions: [],
};
const exampleComment = { id: "63021602091fa84d91c8e9c2", tweet_id: exampleTweet.id, owner, context: "nice", reply_to: null, sent_at: "2022-08-17T17:20:00.000Z", mentions: [] };
/** The length limit of a comment, also told to clients by `GET /limits`. */
export const COMMENT_MAX_LENGTH = 1000;
const CommentText = Text(COMMENT_MAX_LENGTH);
const PageQuery = { before: Id.optional(), limit: z.number().int().min(1).max(100).optional() };

export const tweetEvents = {
  addNewTweet: clientEvent({
    summary: "Post a tweet: a string, or `{ context, image? }`; 1–TWEET_MAX_LENGTH (280) characters after trimming, stored as written. My followers' devices get it as `sendTweetToClientFromServer`.",
    args: z.union([
      z.tuple([TweetText.describe("tweetContext")]),
      z.tuple([z.strictObject({ context: TweetText, image: ImageInput.optional() }).describe("tweet")]),
    ]),
    data: TweetShape,
    reply: "addNewTweetFromServer",
    rate: "write",
    errors: ["payload_too_large"],
    example: { args: ["im tweeting! brah"], data: { ...exampleTweet, likes_count: 0, userLiked: false } },
    handler: (ctx, [tweet]) =>
      typeof tweet === "string" ? ctx.services.tweets.post(ctx, tweet, undefined) : ctx.services.tweets.post(ctx, tweet.context, tweet.image),
  }),
  getTweet: clientEvent({
    summary: "One tweet (a link to it, a page of its own). `not_found` when it does not exist or I may not see it: deleted, across a block, or a private account's that I do not follow.",
    args: z.tuple([TweetId]),
    data: TweetShape,
    reply: "sendTweetFromServer",
    rate: "default",
    errors: ["not_found"],
    example: { args: [exampleTweet.id], data: exampleTweet },
    handler: (ctx, [tweetId]) => ctx.services.tweets.one(ctx.userId, tweetId),
  }),
  deleteTweet: clientEvent({
    summary: "Delete my tweet; its likes and comments go with it.",
    args: z.tuple([TweetId]),
    data: z.object({ id: z.string() }),
    reply: "tweetDeletedFromServer",
    rate: "write",
    errors: ["not_found", "forbidden"],
    example: { args: [exampleTweet.id], data: { id: exampleTweet.id } },
    handler: (ctx, [tweetId]) => ctx.services.tweets.delete(ctx, tweetId),
  }),
  toggleTweetLike: clientEvent({
    summary: "Like or unlike a tweet: `true` when I like it now. Concurrent toggles never double a like or make a count negative.",
    args: z.tuple([TweetId]),
    data: z.boolean(),
    reply: "toggleTweetLikeFromServer",
    rate: "write",
    errors: ["not_found"],
    example: { args: [exampleTweet.id], data: true },
    handler: (ctx, [tweetId]) => ctx.services.tweets.toggleLike(ctx, tweetId),
  }),
  getComments: clientEvent({
    summary: "A tweet's comments, oldest first, 20 per 1-based `skipPage` (offset: efficient for the first pages), or `{ tweetId, after?, limit? }` by comment id.",
    args: z.union([
      z.tuple([TweetId, PageNumber.describe("skipPage")]),
      z.tuple([TweetId]),
      z.tuple([z.strictObject({ tweetId: Id, after: Id.optional(), limit: z.number().int().min(1).max(100).optional() }).describe("query")]),
    ]),
    data: z.object({ tweetId: z.string(), page: z.number().int().nullable(), comments: z.array(CommentShape) }),
    reply: "recieveTweetCommentsFromServer",
    rate: "default",
    errors: ["not_found"],
    example: { args: [exampleTweet.id, 1], data: { tweetId: exampleTweet.id, page: 1, comments: [exampleComment] } },
    handler: (ctx, [first, page]) =>
      typeof first === "string"
        ? ctx.services.comments.list(ctx.userId, first, { page: page ?? 1 })
        : ctx.services.comments.list(ctx.userId, first.tweetId, { ...(first.after ? { after: first.after } : {}), ...(first.limit ? { limit: first.limit } : {}) }),
  }),
  addCommentToTweet: clientEvent({
    summary: "Comment on a tweet (1–1000 characters); `replyTo` must be a comment on the same tweet. The tweet's owner gets `newCommentFromServer`.",
    args: z.union([z.tuple([TweetId, CommentText.describe("context")]), z.tuple([TweetId, CommentText.describe("context"), Id.describe("replyTo")])]),
    data: CommentShape,
    reply: "addCommentToTweetFromServer",
    rate: "write",
    errors: ["not_found"],
    example: { args: [exampleTweet.id, "nice"], data: exampleComment },
    handler: (ctx, [tweetId, text, replyTo]) => ctx.services.comments.add(ctx, tweetId, text, replyTo),
  }),
  watchTweetComments: clientEvent({
    summary:
      "While a tweet's page is open: its new and deleted comments reach this socket live (`tweetCommentFromServer`, `tweetCommentDeletedFromServer`). One tweet per socket (watching another stops the first); `null` stops. Not kept across a reconnect: watch again.",
    args: z.tuple([TweetId.nullable()]),
    data: z.object({ watching: z.string().nullable() }),
    reply: "watchTweetCommentsFromServer",
    rate: "default",
    errors: ["not_found"],
    example: { args: [exampleTweet.id], data: { watching: exampleTweet.id } },
    handler: (ctx, [tweetId]) => ctx.services.comments.watch(ctx, tweetId),
  }),
  deleteTweetComment: clientEvent({
    summary: "Delete a comment: its author or the tweet's owner.",
    args: z.tuple([Id.describe("commentId")]),
    data: z.object({ id: z.string() }),
    reply: "deleteTweetCommentFromServer",
    rate: "write",
    errors: ["not_found", "forbidden"],
    example: { args: [exampleComment.id], data: { id: exampleComment.id } },
    handler: (ctx, [commentId]) => ctx.services.comments.delete(ctx.userId, commentId),
  }),
  getTweetsOfAnUser: clientEvent({
    summary: "A user's tweets, newest first, 20 per 1-based `skipPage`, or `{ userId, before?, limit? }` by tweet id. A private account: its followers only (`forbidden`); a blocked pair: `not_found`.",
    args: z.union([
      z.tuple([Id.describe("userId"), PageNumber.optional().describe("skipPage")]),
      z.tuple([z.strictObject({ userId: Id, ...PageQuery }).describe("query")]),
    ]),
    data: z.array(TweetShape),
    reply: "sendTweetToClientFromServer",
    rate: "default",
    errors: ["not_found", "forbidden"],
    example: { args: [owner.user_id, 1], data: [exampleTweet] },
    handler: (ctx, [first, page]) =>
      typeof first === "string"
        ? ctx.services.tweets.ofUser(ctx.userId, first, { page: page ?? 1 })
        : ctx.services.tweets.ofUser(ctx.userId, first.userId, first),
  }),
  getHomeFeed: clientEvent({
    summary: "Tweets of the people I follow and my own, newest first: a 1-based page of 20, or `{ before?, limit? }` by tweet id.",
    args: z.union([z.tuple([]), z.tuple([PageNumber.describe("skipPage")]), z.tuple([z.strictObject(PageQuery).describe("query")])]),
    data: z.array(TweetShape),
    reply: "sendTweetToClientFromServer",
    rate: "default",
    errors: [],
    example: { args: [], data: [exampleTweet] },
    handler: (ctx, [first]) =>
      ctx.services.tweets.homeFeed(ctx.userId, typeof first === "number" ? { page: first } : (first ?? {})),
  }),
};

export const tweetPushes = {
  sendTweetToClientFromServer: serverEvent({
    summary:
      "Right after a connection is accepted: the first page of my home feed. Later, an array holding one new tweet of someone I follow (or mine, from another device). Also the reply of `getHomeFeed` and `getTweetsOfAnUser`.",
    payload: z.array(TweetShape),
    example: [exampleTweet],
    onConnect: ({ userId, services }) => services.tweets.firstHomePage(userId),
  }),
  tweetDeletedFromServer: serverEvent({
    summary: "A tweet of someone I follow (or mine) was deleted: drop it from the lists.",
    payload: z.object({ id: z.string() }),
    example: { id: exampleTweet.id },
  }),
  tweetLikedFromServer: serverEvent({
    summary:
      "Someone liked or unliked my tweet, or I did on another device: its new `likes_count`, who (`by`) and whether they like it now. Live only (not replayed): a reconnecting client reads counts with the tweets.",
    payload: z.object({ id: z.string(), likes_count: z.number().int(), by: z.string(), liked: z.boolean() }),
    example: { id: exampleTweet.id, likes_count: 4, by: owner.user_id, liked: true },
  }),
  tweetCommentFromServer: serverEvent({
    summary: "A new comment on the tweet this socket watches (`watchTweetComments`); not logged, not replayed.",
    payload: CommentShape,
    example: exampleComment,
  }),
  tweetCommentDeletedFromServer: serverEvent({
    summary: "A comment on the tweet this socket watches was deleted.",
    payload: z.object({ id: z.string(), tweetId: z.string() }),
    example: { id: exampleComment.id, tweetId: exampleTweet.id },
  }),
  newCommentFromServer: serverEvent({
    summary: "Someone commented on my tweet.",
    payload: CommentShape.extend({ seq: z.number().int().optional() }),
    example: { ...exampleComment, seq: 9 },
  }),
};
