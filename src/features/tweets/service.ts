import { isForeignKeyViolation, type Db, type Queryable } from "../../db/db.ts";
import type { Publisher } from "../../realtime/publish.ts";
import { followersRoom, tweetRoom } from "../../realtime/rooms.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import type { MediaService } from "../media/service.ts";
import type { NotificationsService } from "../notifications/service.ts";
import { canDeleteTweet, canSeeTweets } from "./policy.ts";
import { presentComment, presentTweet, type Comment, type Tweet } from "./presenter.ts";
import type { AfterErasure } from "../../shared/tombstone.ts";
import * as repo from "./repo.ts";
import type { TweetRow } from "./repo.ts";
import { BatchLoader } from "../../shared/batch.ts";

export const TWEETS_PAGE = 20;

export interface TweetsDeps {
  db: Db;
  maxLength: number;
  clock: Clock;
  media: MediaService;
  publisher: Publisher;
  notifications: NotificationsService;
}

export interface PageQuery {
  before?: string | undefined;
  page?: number | undefined;
  limit?: number | undefined;
}

/** Tweets, likes, timelines and the home feed. New tweets reach followers through their room, not a query each. */
export class TweetsService {
  constructor(private readonly deps: TweetsDeps) {}

  // The first page is read by every connection's bootstrap: connections arriving together share the query.
  private readonly firstPageOf = new BatchLoader<string, TweetRow[]>((ids) => repo.findHomeFeedOf(this.deps.db, ids, pageOf({})));

  private readonly mediaUrl = (id: string) => this.deps.media.url(id);

  /**
   * Stores a tweet (text as written, optional image, its resolved mentions) and pushes it to my followers' devices;
   * the people mentioned who may see it are notified in the same transaction.
   */
  async post(actor: { userId: string; socketId: string }, text: string, image: Buffer | undefined): Promise<Tweet> {
    if ([...text].length > this.deps.maxLength) throw new AppError("invalid_input", `A tweet has at most ${this.deps.maxLength} characters.`);
    const { db, notifications } = this.deps;
    const ref = image ? await this.deps.media.storeImage(actor.userId, image, "tweet") : null;
    const id = newId(this.deps.clock.now());
    const mentions = await notifications.resolveMentions(db, actor.userId, text);
    const logged = await db.transaction(async (tx) => {
      await repo.insertTweet(tx, { id, owner_id: actor.userId, text, image_id: ref?.id ?? null, sent_at: new Date(this.deps.clock.now()), mentions });
      const tweet = { id, owner: actor.userId };
      return notifications.notify(tx, mentions.map((m) => ({ recipient: m.user_id, actor: actor.userId, kind: "mention" as const, tweet })));
    });
    notifications.deliver(logged);
    const [tweet] = await this.present([(await repo.findTweet(this.deps.db, actor.userId, id))!]);
    this.deps.publisher.toRoom(followersRoom(actor.userId), "sendTweetToClientFromServer", [tweet!]);
    this.deps.publisher.toUsers([actor.userId], "sendTweetToClientFromServer", [tweet!], { exceptSocket: actor.socketId });
    return tweet!;
  }

  /** Deletes my tweet; its likes and comments go with it, and followers' devices are told. */
  async delete(actor: { userId: string; socketId: string }, tweetId: string): Promise<{ id: string }> {
    const access = await this.visible(actor.userId, tweetId);
    if (!canDeleteTweet(actor.userId, access)) throw new AppError("forbidden", "Only the owner can delete a tweet.");
    // A transaction, so a deadlock with a like or comment racing it (the cascade reaches their notifications) is retried.
    await this.deps.db.transaction((tx) => repo.deleteTweet(tx, tweetId));
    // Followers, and whoever has its page open (one emit: a follower watching it hears it once).
    this.deps.publisher.toRoom([followersRoom(actor.userId), tweetRoom(tweetId)], "tweetDeletedFromServer", { id: tweetId }, { exceptUsers: [actor.userId] });
    this.deps.publisher.toUsers([actor.userId], "tweetDeletedFromServer", { id: tweetId }, { exceptSocket: actor.socketId });
    return { id: tweetId };
  }

  /** Deletes a tweet whoever owns it (moderation); followers, watchers and the owner's devices are told. False: gone already. */
  async remove(tweetId: string): Promise<boolean> {
    const owner = await this.deps.db.transaction((tx) => repo.deleteTweetReturningOwner(tx, tweetId));
    if (!owner) return false;
    this.deps.publisher.toRoom([followersRoom(owner), tweetRoom(tweetId)], "tweetDeletedFromServer", { id: tweetId }, { exceptUsers: [owner] });
    this.deps.publisher.toUsers([owner], "tweetDeletedFromServer", { id: tweetId });
    return true;
  }

  /** One tweet, if the viewer may see it. */
  async one(viewerId: string, tweetId: string): Promise<Tweet> {
    await this.visible(viewerId, tweetId);
    const row = await repo.findTweet(this.deps.db, viewerId, tweetId);
    if (!row) throw new AppError("not_found", "No such tweet.");
    const [tweet] = await this.present([row]);
    return tweet!;
  }

  /** Likes or unlikes; true when I like it now. The owner's devices and my other ones are told the new count. */
  async toggleLike(actor: { userId: string; socketId: string }, tweetId: string): Promise<boolean> {
    const access = await this.visible(actor.userId, tweetId);
    const { notifications } = this.deps;
    const { liked, likes_count, logged } = await this.deps.db
      .transaction(async (tx) => {
        const toggled = await repo.toggleLike(tx, tweetId, actor.userId);
        const cause = { recipient: access.owner_id, actor: actor.userId, kind: "like" as const, tweet: { id: tweetId, owner: access.owner_id } };
        if (toggled.liked) return { ...toggled, logged: await notifications.notify(tx, [cause]) };
        return { ...toggled, logged: await notifications.withdraw(tx, { recipient: access.owner_id, actor: actor.userId, kinds: ["like"], tweet_id: tweetId }) };
      })
      .catch((err: unknown) => {
        // Deleted since it was found visible: its likes went with it.
        throw isForeignKeyViolation(err) ? new AppError("not_found", "No such tweet.") : err;
      });
    notifications.deliver(logged);
    const payload = { id: tweetId, likes_count, by: actor.userId, liked };
    this.deps.publisher.toUsers([...new Set([access.owner_id, actor.userId])], "tweetLikedFromServer", payload, { exceptSocket: actor.socketId });
    return liked;
  }

  /** A user's tweets, newest first; a private account's to its followers only, nothing across a block. */
  async ofUser(viewerId: string, ownerId: string, query: PageQuery): Promise<Tweet[]> {
    const { db } = this.deps;
    const relation = await repo.findTweetAccessForOwner(db, viewerId, ownerId);
    if (!relation || relation.blocked) throw new AppError("not_found", "No such user.");
    if (!canSeeTweets(viewerId, relation)) throw new AppError("forbidden", "This account is private.");
    return this.present(await repo.findUserTweets(db, viewerId, ownerId, pageOf(query)));
  }

  /** My tweets and those of everyone I follow, newest first. */
  async homeFeed(viewerId: string, query: PageQuery): Promise<Tweet[]> {
    return this.present(await repo.findHomeFeed(this.deps.db, viewerId, pageOf(query)));
  }

  /** The first page of the home feed, as a new connection gets it (connections arriving together share the query). */
  async firstHomePage(viewerId: string): Promise<Tweet[]> {
    return this.present((await this.firstPageOf.load(viewerId)) ?? []);
  }

  /** The tweet's owner and access facts, if the viewer may see it; `not_found` otherwise. */
  async visible(viewerId: string, tweetId: string): Promise<repo.TweetAccessRow> {
    const access = await repo.findTweetAccess(this.deps.db, viewerId, tweetId);
    if (!access || !canSeeTweets(viewerId, access)) throw new AppError("not_found", "No such tweet.");
    return access;
  }

  /**
   * The tweets part of deleting an account, inside the deletion's transaction: its tweets (their likes, comments and
   * notifications go with them), its likes and its comments on others' tweets, each counter corrected. After the commit
   * the devices showing them hear, as for a delete or an unlike.
   */
  async eraseUserIn(tx: Queryable, userId: string): Promise<AfterErasure> {
    const tweets = await repo.deleteTweetsOf(tx, userId);
    const likes = await repo.deleteLikesBy(tx, userId);
    const comments = await repo.deleteCommentsBy(tx, userId);
    return () => {
      const { publisher } = this.deps;
      for (const id of tweets) publisher.toRoom([followersRoom(userId), tweetRoom(id)], "tweetDeletedFromServer", { id });
      for (const t of likes) publisher.toUsers([t.owner_id], "tweetLikedFromServer", { id: t.id, likes_count: t.likes_count, by: userId, liked: false });
      for (const c of comments) publisher.toRoom(tweetRoom(c.tweet_id), "tweetCommentDeletedFromServer", { id: c.id, tweetId: c.tweet_id });
    };
  }

  /** A page of my own tweets, newest first, before a tweet id (the export's keyset). */
  async ownPage(userId: string, before: string | undefined, limit: number): Promise<Tweet[]> {
    return this.present(await repo.findUserTweets(this.deps.db, userId, userId, { ...(before ? { before } : {}), offset: 0, limit }));
  }

  /** A page of the tweets I liked, by tweet id after a cursor (the export). */
  async ownLikes(userId: string, after: string | null, limit: number): Promise<{ tweet_id: string; liked_at: string }[]> {
    const rows = await repo.findLikesBy(this.deps.db, userId, after, limit);
    return rows.map((r) => ({ tweet_id: r.tweet_id, liked_at: r.created_at.toISOString() }));
  }

  /** A page of my comments, by id after a cursor (the export). */
  async ownComments(userId: string, after: string | null, limit: number): Promise<Comment[]> {
    const rows = await repo.findCommentsByOwner(this.deps.db, userId, after, limit);
    return rows.map((r) => presentComment(r, this.mediaUrl));
  }

  private async present(rows: readonly TweetRow[]): Promise<Tweet[]> {
    const images = await this.deps.media.refsByIds(rows.flatMap((r) => (r.image_id ? [r.image_id] : [])));
    return rows.map((row) => presentTweet(row, images, this.mediaUrl));
  }
}

function pageOf(query: PageQuery): { before?: string; offset: number; limit: number } {
  const limit = query.limit ?? TWEETS_PAGE;
  return query.before ? { before: query.before, offset: 0, limit } : { offset: ((query.page ?? 1) - 1) * limit, limit };
}
