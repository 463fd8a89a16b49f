import { batch, signal } from "@preact/signals";
import type { Comment, Tweet } from "./types.ts";

const MAX_TWEETS = 1_000;
const MAX_COMMENT_THREADS = 50;

/** Every tweet seen so far (feed, profiles, a tweet's page), by id; one copy, so a like or a delete shows everywhere. Bounded. */
export const tweets = signal<ReadonlyMap<string, Tweet>>(new Map());
/** Ids of tweets known to be deleted (or not visible to me any more): every list drops them. */
export const goneTweets = signal<ReadonlySet<string>>(new Set());
/** Comments of the tweets whose page was opened, oldest first, by tweet id. Bounded by thread. */
export const commentsByTweet = signal<ReadonlyMap<string, readonly Comment[]>>(new Map());

function sameTweet(a: Tweet, b: Tweet): boolean {
  return (
    a.context === b.context &&
    a.likes_count === b.likes_count &&
    a.comments_count === b.comments_count &&
    a.userLiked === b.userLiked &&
    a.image?.url === b.image?.url &&
    a.owner.name === b.owner.name &&
    a.owner.family === b.owner.family &&
    a.owner.username === b.owner.username &&
    a.owner.photo === b.owner.photo
  );
}

/** Stores tweets from a page or a push; unchanged ones are skipped (no new map, no re-render). */
export function upsertTweets(list: readonly Tweet[]): void {
  const current = tweets.value;
  const changed = list.filter((t) => {
    const old = current.get(t.id);
    return !old || !sameTweet(old, t);
  });
  if (changed.length === 0) return;
  const next = new Map(current);
  for (const t of changed) {
    next.delete(t.id);
    next.set(t.id, t);
  }
  while (next.size > MAX_TWEETS) next.delete(next.keys().next().value as string);
  tweets.value = next;
}

/** Changes some fields of a stored tweet in place (a like, a comment count). */
export function patchTweet(id: string, patch: Partial<Pick<Tweet, "likes_count" | "comments_count" | "userLiked">>): void {
  const old = tweets.value.get(id);
  if (!old) return;
  const updated = { ...old, ...patch };
  if (sameTweet(old, updated)) return;
  const next = new Map(tweets.value);
  next.set(id, updated);
  tweets.value = next;
}

/** A tweet was deleted (or cannot be seen): gone from the store and from every list. */
export function removeTweet(id: string): void {
  batch(() => {
    if (tweets.value.has(id)) {
      const next = new Map(tweets.value);
      next.delete(id);
      tweets.value = next;
    }
    if (!goneTweets.value.has(id)) {
      const gone = new Set(goneTweets.value);
      gone.add(id);
      while (gone.size > MAX_TWEETS) gone.delete(gone.values().next().value as string);
      goneTweets.value = gone;
    }
  });
}

/** Adds comments to a tweet's thread (merged by id, oldest first). */
export function upsertComments(tweetId: string, list: readonly Comment[]): void {
  const current = commentsByTweet.value.get(tweetId) ?? [];
  const known = new Set(current.map((c) => c.id));
  const fresh = list.filter((c) => c.tweet_id === tweetId && !known.has(c.id));
  if (fresh.length === 0 && commentsByTweet.value.has(tweetId)) return;
  const merged = [...current, ...fresh].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const next = new Map(commentsByTweet.value);
  next.delete(tweetId);
  next.set(tweetId, merged);
  while (next.size > MAX_COMMENT_THREADS) next.delete(next.keys().next().value as string);
  commentsByTweet.value = next;
}

/** Drops a comment from its thread; replies to it stay, as top-level comments (the server sets their reply_to to null). */
export function removeComment(tweetId: string, commentId: string): void {
  const current = commentsByTweet.value.get(tweetId);
  if (!current?.some((c) => c.id === commentId)) return;
  const next = new Map(commentsByTweet.value);
  next.set(
    tweetId,
    current.filter((c) => c.id !== commentId).map((c) => (c.reply_to === commentId ? { ...c, reply_to: null } : c)),
  );
  commentsByTweet.value = next;
}

/** Forgets everything (log out, another account). */
export function clearTweets(): void {
  batch(() => {
    tweets.value = new Map();
    goneTweets.value = new Set();
    commentsByTweet.value = new Map();
  });
}
