import { isForeignKeyViolation, type Db } from "../../db/db.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import type { MediaService } from "../media/service.ts";
import type { Cause, NotificationsService } from "../notifications/service.ts";
import { update, type UpdateDelivery, type UpdateLog } from "../sync/log.ts";
import { canDeleteComment } from "./policy.ts";
import { presentComment, type Comment } from "./presenter.ts";
import * as repo from "./repo.ts";
import type { TweetsService } from "./service.ts";
import type { Publisher } from "../../realtime/publish.ts";
import type { PushPayloads } from "../../realtime/protocol.ts";
import { TWEET_ROOM_PREFIX, tweetRoom } from "../../realtime/rooms.ts";

export const COMMENTS_PAGE = 20;

/** Comments on tweets: as visible as their tweet; the tweet's owner hears of new ones through the update log. */
export class CommentsService {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      media: MediaService;
      tweets: TweetsService;
      updates: UpdateLog;
      feed: UpdateDelivery;
      publisher: Publisher;
      notifications: NotificationsService;
    },
  ) {}

  private readonly mediaUrl = (id: string) => this.deps.media.url(id);

  /** This socket's screen shows the tweet's comments: new and deleted ones reach it live (null: none any more). */
  async watch(actor: { userId: string; socketId: string }, tweetId: string | null): Promise<{ watching: string | null }> {
    if (tweetId) await this.deps.tweets.visible(actor.userId, tweetId);
    this.deps.publisher.watch(actor.socketId, TWEET_ROOM_PREFIX, tweetId ? tweetRoom(tweetId) : null);
    return { watching: tweetId };
  }

  /**
   * Comments (its mentions resolved); the tweet's owner hears of it through the log, and is notified with the author
   * of the comment replied to and the people mentioned, in the same transaction.
   */
  async add(actor: { userId: string; socketId: string }, tweetId: string, text: string, replyTo: string | undefined): Promise<Comment> {
    const userId = actor.userId;
    const { db, tweets, updates, feed, notifications } = this.deps;
    const access = await tweets.visible(userId, tweetId);
    let repliedTo: string | null = null;
    if (replyTo) {
      const target = await repo.findComment(db, replyTo);
      if (!target || target.tweet_id !== tweetId) throw new AppError("invalid_input", "replyTo is not a comment on this tweet.");
      repliedTo = target.owner_id;
    }
    const mentions = await notifications.resolveMentions(db, userId, text);
    const { comment, logged } = await onVanished(db.transaction(async (tx) => {
      const row = await repo.insertComment(tx, {
        id: newId(this.deps.clock.now()),
        tweet_id: tweetId,
        owner_id: userId,
        reply_to: replyTo ?? null,
        text,
        sent_at: new Date(this.deps.clock.now()),
        mentions,
      });
      const presented = presentComment(row, this.mediaUrl);
      const items = access.owner_id === userId ? [] : [update(access.owner_id, "newCommentFromServer", presented)];
      const causes = commentCauses(row.id, userId, { id: tweetId, owner: access.owner_id }, repliedTo, mentions.map((m) => m.user_id));
      return { comment: presented, logged: [...(await updates.record(tx, items)), ...(await notifications.notify(tx, causes))] };
    }));
    feed.deliver(logged);
    await this.tellWatchers(tweetId, userId, access.owner_id, "tweetCommentFromServer", comment, actor.socketId);
    return comment;
  }

  /** Comments oldest first: a 1-based page of 20, or after a comment id. */
  async list(userId: string, tweetId: string, query: { page?: number; after?: string; limit?: number }) {
    await this.deps.tweets.visible(userId, tweetId);
    const limit = query.limit ?? COMMENTS_PAGE;
    const rows = await repo.findComments(this.deps.db, userId, tweetId, {
      ...(query.after ? { after: query.after } : {}),
      offset: query.after ? 0 : ((query.page ?? 1) - 1) * limit,
      limit,
    });
    return { tweetId, page: query.after ? null : (query.page ?? 1), comments: rows.map((r) => presentComment(r, this.mediaUrl)) };
  }

  /** One comment, if the viewer may see it (its tweet, and an author who did not block them and is not suspended). */
  async one(viewerId: string, commentId: string): Promise<Comment> {
    const row = await repo.findVisibleComment(this.deps.db, viewerId, commentId);
    if (!row) throw new AppError("not_found", "No such comment.");
    await this.deps.tweets.visible(viewerId, row.tweet_id);
    return presentComment(row, this.mediaUrl);
  }

  /** Deletes a comment whoever wrote it (moderation); the tweet's watchers are told. False: gone already. */
  async remove(commentId: string): Promise<boolean> {
    const comment = await repo.findComment(this.deps.db, commentId);
    if (!comment) return false;
    const owner = await repo.findTweetOwner(this.deps.db, comment.tweet_id);
    if (!(await this.deps.db.transaction((tx) => repo.deleteComment(tx, comment)))) return false;
    if (owner) await this.tellWatchers(comment.tweet_id, comment.owner_id, owner, "tweetCommentDeletedFromServer", { id: commentId, tweetId: comment.tweet_id });
    return true;
  }

  /** The comment's author or the tweet's owner removes it. */
  async delete(userId: string, commentId: string): Promise<{ id: string }> {
    const comment = await repo.findComment(this.deps.db, commentId);
    if (!comment) throw new AppError("not_found", "No such comment.");
    const access = await this.deps.tweets.visible(userId, comment.tweet_id);
    if (!canDeleteComment(userId, comment, access)) throw new AppError("forbidden", "Only the author or the tweet's owner can delete a comment.");
    await this.deps.db.transaction((tx) => repo.deleteComment(tx, comment));
    await this.tellWatchers(comment.tweet_id, comment.owner_id, access.owner_id, "tweetCommentDeletedFromServer", { id: commentId, tweetId: comment.tweet_id });
    return { id: commentId };
  }

  /** Pushes to the sockets watching the tweet, except those who may not see the comment (blocks). */
  private async tellWatchers<K extends "tweetCommentFromServer" | "tweetCommentDeletedFromServer">(
    tweetId: string,
    author: string,
    owner: string,
    event: K,
    payload: PushPayloads[K],
    exceptSocket?: string,
  ): Promise<void> {
    const hidden = await repo.findHiddenFrom(this.deps.db, author, owner);
    this.deps.publisher.toRoom(tweetRoom(tweetId), event, payload, { exceptUsers: hidden, ...(exceptSocket ? { exceptSocket } : {}) });
  }
}

/**
 * Who hears of a comment, once each: the author of the comment replied to (`reply`), else the tweet's owner
 * (`comment`), then the people mentioned. Deleting the comment deletes these notifications (foreign keys).
 */
function commentCauses(commentId: string, author: string, tweet: { id: string; owner: string }, repliedTo: string | null, mentioned: readonly string[]): Cause[] {
  const causes: Cause[] = [];
  const told = new Set<string>([author]);
  const add = (recipient: string, kind: Cause["kind"]) => {
    if (told.has(recipient)) return;
    told.add(recipient);
    causes.push({ recipient, actor: author, kind, tweet, comment_id: commentId });
  };
  if (repliedTo) add(repliedTo, "reply");
  add(tweet.owner, "comment");
  for (const userId of mentioned) add(userId, "mention");
  return causes;
}

/**
 * The tweet (or the comment replied to) was deleted between the visibility check and the insert: the foreign key
 * refuses the row, and the caller hears what it would have heard a moment later.
 */
function onVanished<T>(work: Promise<T>): Promise<T> {
  return work.catch((err: unknown) => {
    if (!isForeignKeyViolation(err)) throw err;
    throw (err as { constraint?: string }).constraint?.includes("reply_to")
      ? new AppError("invalid_input", "replyTo is not a comment on this tweet.")
      : new AppError("not_found", "No such tweet.");
  });
}
