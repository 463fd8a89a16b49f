import type { Queryable } from "../../db/db.ts";
import { groupByUser } from "../../db/group.ts";
import type { Mention } from "../notifications/mentions.ts";

/** A tweet with its owner and the viewer's like, as every list reads it (one query per page). */
export interface TweetRow {
  id: string;
  owner_id: string;
  text: string;
  image_id: string | null;
  sent_at: Date;
  likes_count: number;
  comments_count: number;
  user_liked: boolean;
  /** The stored mentions (jsonb), checked by the presenter. */
  mentions: unknown;
  name: string;
  family: string;
  username: string;
  photo_id: string | null;
}

/** A tweet's columns as the viewer (an SQL expression) sees them. */
const tweetColumns = (viewer: string) => `t.id, t.owner_id, t.text, t.image_id, t.sent_at, t.likes_count, t.comments_count, t.mentions,
  EXISTS (SELECT 1 FROM tweet_likes l WHERE l.tweet_id = t.id AND l.user_id = ${viewer}) AS user_liked,
  u.name, u.family, u.username, u.photo_id`;
const TWEET_COLUMNS = tweetColumns("$1");

export async function insertTweet(
  db: Queryable,
  tweet: { id: string; owner_id: string; text: string; image_id: string | null; sent_at: Date; mentions: readonly Mention[] },
): Promise<void> {
  await db.query("INSERT INTO tweets (id, owner_id, text, image_id, sent_at, mentions) VALUES ($1, $2, $3, $4, $5, $6::jsonb)", [
    tweet.id,
    tweet.owner_id,
    tweet.text,
    tweet.image_id,
    tweet.sent_at,
    JSON.stringify(tweet.mentions),
  ]);
}

/** One tweet seen by `viewer`; a suspended account's tweets are hidden from everyone but itself. */
export async function findTweet(db: Queryable, viewer: string, id: string): Promise<TweetRow | undefined> {
  const rows = await db.query<TweetRow>(
    `SELECT ${TWEET_COLUMNS} FROM tweets t JOIN users u ON u.id = t.owner_id WHERE t.id = $2 AND (u.suspended_at IS NULL OR u.id = $1)`,
    [viewer, id],
  );
  return rows[0];
}

/** What deciding whether `viewer` may see a tweet depends on, with the tweet's owner. */
export interface TweetAccessRow {
  owner_id: string;
  owner_private: boolean;
  i_follow: boolean;
  blocked: boolean;
}

export async function findTweetAccess(db: Queryable, viewer: string, tweetId: string): Promise<TweetAccessRow | undefined> {
  const rows = await db.query<TweetAccessRow>(
    `SELECT t.owner_id, u.is_private AS owner_private,
            EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.followee_id = t.owner_id) AS i_follow,
            EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = $1 AND b.blocked_id = t.owner_id)
                                            OR (b.blocker_id = t.owner_id AND b.blocked_id = $1)) AS blocked
     FROM tweets t JOIN users u ON u.id = t.owner_id WHERE t.id = $2 AND (u.suspended_at IS NULL OR u.id = $1)`,
    [viewer, tweetId],
  );
  return rows[0];
}

/** A user's tweets, newest first: by keyset (`before`) or, for the first pages, by offset. Uses (owner_id, id DESC). */
export function findUserTweets(
  db: Queryable,
  viewer: string,
  owner: string,
  page: { before?: string; offset: number; limit: number },
): Promise<TweetRow[]> {
  return db.query<TweetRow>(
    `SELECT ${TWEET_COLUMNS} FROM tweets t JOIN users u ON u.id = t.owner_id
     WHERE t.owner_id = $2 AND ($3::text IS NULL OR t.id < $3)
       -- A suspended account's timeline is empty to others: decided once for the query, not per row.
       AND NOT EXISTS (SELECT 1 FROM users s WHERE s.id = $2 AND s.suspended_at IS NOT NULL AND s.id <> $1)
     ORDER BY t.id DESC LIMIT $4 OFFSET $5`,
    [viewer, owner, page.before ?? null, page.limit, page.offset],
  );
}

/**
 * The home feed: my tweets and those of everyone I follow, newest first. Fan-out on read: for each followed account
 * the newest `limit` tweets before the cursor come from its (owner_id, id DESC) index, and the merge keeps the newest.
 * The cost grows with the number of accounts followed, not with the size of the table.
 */
export function findHomeFeed(db: Queryable, viewer: string, page: { before?: string; offset: number; limit: number }): Promise<TweetRow[]> {
  // The page is chosen from ids alone (an index-only scan per account); the rows, owners and "did I like it" are then
  // read for the page's tweets only.
  return db.query<TweetRow>(
    `SELECT ${tweetColumns("$1")} FROM (${homeFeedIds("$1")}) p
     JOIN tweets t ON t.id = p.id JOIN users u ON u.id = t.owner_id
     ORDER BY t.id DESC`,
    [viewer, ...homeFeedParams(page)],
  );
}

/**
 * The same page of the home feed for several viewers in one query (connections arriving together), by viewer. A
 * request for one viewer uses `findHomeFeed`: its plan is the faster one for a single viewer.
 */
export async function findHomeFeedOf(
  db: Queryable,
  viewers: readonly string[],
  page: { before?: string; offset: number; limit: number },
): Promise<Map<string, TweetRow[]>> {
  const rows = await db.query<TweetRow & { for_user: string }>(
    `SELECT v.viewer AS for_user, f.* FROM unnest($1::text[]) AS v(viewer)
     CROSS JOIN LATERAL (
       SELECT ${tweetColumns("v.viewer")} FROM (${homeFeedIds("v.viewer")}) p
       JOIN tweets t ON t.id = p.id JOIN users u ON u.id = t.owner_id
     ) f
     ORDER BY v.viewer, f.id DESC`,
    [viewers, ...homeFeedParams(page)],
  );
  return groupByUser(viewers, rows);
}

/** The ids of a home-feed page for the viewer (an SQL expression); parameters $2… are `homeFeedParams`. */
const homeFeedIds = (viewer: string) => `
  SELECT t.id FROM (
    SELECT followee_id AS owner_id FROM follows
    WHERE follower_id = ${viewer}
      -- Suspended accounts are left out before their tweets are read (a probe of the small users_suspended_idx).
      AND NOT EXISTS (SELECT 1 FROM users s WHERE s.id = followee_id AND s.suspended_at IS NOT NULL)
    UNION ALL SELECT ${viewer}
  ) o
  CROSS JOIN LATERAL (
    SELECT x.id FROM tweets x
    WHERE x.owner_id = o.owner_id AND ($2::text IS NULL OR x.id < $2)
    ORDER BY x.id DESC LIMIT $5
  ) t
  ORDER BY t.id DESC LIMIT $3 OFFSET $4`;
const homeFeedParams = (page: { before?: string; offset: number; limit: number }) => [
  page.before ?? null,
  page.limit,
  page.offset,
  page.offset + page.limit, // each account's newest candidates
];

/** Deletes a tweet (its likes and comments go with it). */
export async function deleteTweet(db: Queryable, id: string): Promise<void> {
  await db.query("DELETE FROM tweets WHERE id = $1", [id]);
}

/** Deletes a tweet whoever owns it (moderation); its owner, or undefined when it was gone already. */
export async function deleteTweetReturningOwner(db: Queryable, id: string): Promise<string | undefined> {
  const rows = await db.query<{ owner_id: string }>("DELETE FROM tweets WHERE id = $1 RETURNING owner_id", [id]);
  return rows[0]?.owner_id;
}

/**
 * Toggles my like and keeps the counter exact under concurrent toggles: the counter moves only with a row that was
 * really inserted or deleted. Returns whether I like the tweet now, and the count the change left (read by the
 * statement that moved it).
 */
export async function toggleLike(db: Queryable, tweetId: string, userId: string): Promise<{ liked: boolean; likes_count: number }> {
  const removed = await db.query("DELETE FROM tweet_likes WHERE tweet_id = $1 AND user_id = $2 RETURNING 1", [tweetId, userId]);
  if (removed.length > 0) {
    const [row] = await db.query<{ likes_count: number }>("UPDATE tweets SET likes_count = likes_count - 1 WHERE id = $1 RETURNING likes_count", [tweetId]);
    return { liked: false, likes_count: row?.likes_count ?? 0 };
  }
  const added = await db.query("INSERT INTO tweet_likes (tweet_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1", [
    tweetId,
    userId,
  ]);
  const [row] =
    added.length > 0
      ? await db.query<{ likes_count: number }>("UPDATE tweets SET likes_count = likes_count + 1 WHERE id = $1 RETURNING likes_count", [tweetId])
      : await db.query<{ likes_count: number }>("SELECT likes_count FROM tweets WHERE id = $1", [tweetId]);
  return { liked: true, likes_count: row?.likes_count ?? 0 };
}

export interface CommentRow {
  id: string;
  tweet_id: string;
  owner_id: string;
  reply_to: string | null;
  text: string;
  sent_at: Date;
  /** The stored mentions (jsonb), checked by the presenter. */
  mentions: unknown;
  name: string;
  family: string;
  username: string;
  photo_id: string | null;
}

const COMMENT_COLUMNS = "c.id, c.tweet_id, c.owner_id, c.reply_to, c.text, c.sent_at, c.mentions, u.name, u.family, u.username, u.photo_id";

export async function insertComment(
  db: Queryable,
  comment: { id: string; tweet_id: string; owner_id: string; reply_to: string | null; text: string; sent_at: Date; mentions: readonly Mention[] },
): Promise<CommentRow> {
  await db.query("INSERT INTO tweet_comments (id, tweet_id, owner_id, reply_to, text, sent_at, mentions) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)", [
    comment.id,
    comment.tweet_id,
    comment.owner_id,
    comment.reply_to,
    comment.text,
    comment.sent_at,
    JSON.stringify(comment.mentions),
  ]);
  await db.query("UPDATE tweets SET comments_count = comments_count + 1 WHERE id = $1", [comment.tweet_id]);
  return (await findComment(db, comment.id))!;
}

export async function findComment(db: Queryable, id: string): Promise<CommentRow | undefined> {
  const rows = await db.query<CommentRow>(`SELECT ${COMMENT_COLUMNS} FROM tweet_comments c JOIN users u ON u.id = c.owner_id WHERE c.id = $1`, [id]);
  return rows[0];
}

/** A comment as `viewer` may see it: not by someone who blocked them, nor (unless theirs) by a suspended account. */
export async function findVisibleComment(db: Queryable, viewer: string, id: string): Promise<CommentRow | undefined> {
  const rows = await db.query<CommentRow>(
    `SELECT ${COMMENT_COLUMNS} FROM tweet_comments c JOIN users u ON u.id = c.owner_id
     WHERE c.id = $1 AND (u.suspended_at IS NULL OR u.id = $2)
       AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = c.owner_id AND b.blocked_id = $2)`,
    [id, viewer],
  );
  return rows[0];
}

/** The owner of a tweet, whoever may see it. */
export async function findTweetOwner(db: Queryable, tweetId: string): Promise<string | undefined> {
  const rows = await db.query<{ owner_id: string }>("SELECT owner_id FROM tweets WHERE id = $1", [tweetId]);
  return rows[0]?.owner_id;
}

/**
 * A tweet's comments, oldest first: by keyset (`after`) or by offset for the first pages. Uses (tweet_id, id).
 * Comments by people who blocked the viewer are left out: those people are invisible to them; so are suspended
 * accounts' comments (but to their author).
 */
export function findComments(
  db: Queryable,
  viewer: string,
  tweetId: string,
  page: { after?: string; offset: number; limit: number },
): Promise<CommentRow[]> {
  return db.query<CommentRow>(
    `SELECT ${COMMENT_COLUMNS} FROM tweet_comments c JOIN users u ON u.id = c.owner_id
     WHERE c.tweet_id = $1 AND ($2::text IS NULL OR c.id > $2) AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = c.owner_id AND b.blocked_id = $5)
       AND (u.suspended_at IS NULL OR u.id = $5)
     ORDER BY c.id LIMIT $3 OFFSET $4`,
    [tweetId, page.after ?? null, page.limit, page.offset, viewer],
  );
}

/**
 * Who must not hear of a comment live: the people its author blocked (its comments are hidden from them) and everyone
 * on either side of a block with the tweet's owner (the tweet is hidden from them).
 */
export async function findHiddenFrom(db: Queryable, author: string, owner: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT blocked_id AS id FROM blocks WHERE blocker_id = $1 OR blocker_id = $2
     UNION SELECT blocker_id FROM blocks WHERE blocked_id = $2`,
    [author, owner],
  );
  return rows.map((r) => r.id);
}

export async function deleteComment(db: Queryable, comment: { id: string; tweet_id: string }): Promise<boolean> {
  const rows = await db.query("DELETE FROM tweet_comments WHERE id = $1 RETURNING 1", [comment.id]);
  if (rows.length === 0) return false;
  await db.query("UPDATE tweets SET comments_count = comments_count - 1 WHERE id = $1", [comment.tweet_id]);
  return true;
}

/** The access facts for an account's tweets as a whole (a timeline). */
export async function findTweetAccessForOwner(db: Queryable, viewer: string, owner: string): Promise<TweetAccessRow | undefined> {
  const rows = await db.query<TweetAccessRow>(
    `SELECT u.id AS owner_id, u.is_private AS owner_private,
            EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.followee_id = u.id) AS i_follow,
            EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = $1 AND b.blocked_id = u.id)
                                            OR (b.blocker_id = u.id AND b.blocked_id = $1)) AS blocked
     FROM users u WHERE u.id = $2`,
    [viewer, owner],
  );
  return rows[0];
}

/** Deletes every tweet of an account (likes, comments and notifications about them go with them); returns their ids. */
export async function deleteTweetsOf(db: Queryable, ownerId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>("DELETE FROM tweets WHERE owner_id = $1 RETURNING id", [ownerId]);
  return rows.map((r) => r.id);
}

/** Deletes an account's likes, each tweet's counter going down by the row that went; returns the tweets and their new counts. */
export async function deleteLikesBy(db: Queryable, userId: string): Promise<{ id: string; owner_id: string; likes_count: number }[]> {
  return db.query<{ id: string; owner_id: string; likes_count: number }>(
    `WITH gone AS (DELETE FROM tweet_likes WHERE user_id = $1 RETURNING tweet_id)
     UPDATE tweets t SET likes_count = t.likes_count - 1 FROM gone WHERE t.id = gone.tweet_id
     RETURNING t.id, t.owner_id, t.likes_count`,
    [userId],
  );
}

/** Deletes an account's comments (replies to them keep standing, unlinked), correcting each tweet's counter. */
export async function deleteCommentsBy(db: Queryable, userId: string): Promise<{ id: string; tweet_id: string }[]> {
  const rows = await db.query<{ id: string; tweet_id: string }>("DELETE FROM tweet_comments WHERE owner_id = $1 RETURNING id, tweet_id", [userId]);
  await db.query(
    `UPDATE tweets t SET comments_count = t.comments_count - g.n
     FROM (SELECT tweet_id, count(*)::int AS n FROM unnest($1::text[]) AS x(tweet_id) GROUP BY tweet_id) g WHERE t.id = g.tweet_id`,
    [rows.map((r) => r.tweet_id)],
  );
  return rows;
}

/** An account's own comments, by keyset on id (the export). */
export function findCommentsByOwner(db: Queryable, ownerId: string, after: string | null, limit: number): Promise<CommentRow[]> {
  return db.query<CommentRow>(
    `SELECT ${COMMENT_COLUMNS} FROM tweet_comments c JOIN users u ON u.id = c.owner_id
     WHERE c.owner_id = $1 AND ($2::text IS NULL OR c.id > $2) ORDER BY c.owner_id, c.id LIMIT $3`,
    [ownerId, after, limit],
  );
}

/** The tweets an account liked, by keyset on the tweet id (the export). */
export function findLikesBy(db: Queryable, userId: string, after: string | null, limit: number): Promise<{ tweet_id: string; created_at: Date }[]> {
  return db.query<{ tweet_id: string; created_at: Date }>(
    `SELECT tweet_id, created_at FROM tweet_likes WHERE user_id = $1 AND ($2::text IS NULL OR tweet_id > $2)
     ORDER BY user_id, tweet_id LIMIT $3`,
    [userId, after, limit],
  );
}
