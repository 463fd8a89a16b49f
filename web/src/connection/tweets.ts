import { batch, effect, signal, untracked } from "@preact/signals";
import { TelegraphError, type TelegraphClient } from "telegraph-client";
import { announce } from "../state/connection.ts";
import { addPage, feedIds, feedOwner, feedState, mergeFirstPage, placePushed, resetFeed, visiblePending } from "../state/feed.ts";
import { session } from "../state/session.ts";
import { clearTweets, commentsByTweet, patchTweet, removeComment, removeTweet, tweets, upsertComments, upsertTweets } from "../state/tweets.ts";
import type { Comment, Tweet } from "../state/types.ts";
import { onConnected, onPush } from "./pushes.ts";
import { currentClient } from "./socket.ts";

export const FEED_PAGE = 20;
export const COMMENTS_PAGE = 50;

/** The server's limits (`GET /limits`), fetched once. */
export const limits = signal<{ tweet_max_length: number; comment_max_length: number; media_max_bytes: number } | null>(null);
let limitsRequest: Promise<void> | null = null;
export function loadLimits(): Promise<void> {
  limitsRequest ??= fetch("/limits", { headers: { accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
    .then((body: { tweet_max_length: number; comment_max_length: number; media_max_bytes: number }) => {
      limits.value = { tweet_max_length: body.tweet_max_length, comment_max_length: body.comment_max_length, media_max_bytes: body.media_max_bytes };
    })
    .catch(() => {
      limitsRequest = null; // asked again next time
    });
  return limitsRequest;
}

/** An error in plain words. */
export function errorText(err: unknown, fallback: string): string {
  if (err instanceof TelegraphError) {
    switch (err.code) {
      case "not_found":
        return "This post is no longer available.";
      case "forbidden":
        return "You are not allowed to do that.";
      case "rate_limited":
        return "Too many requests — wait a moment and try again.";
      case "payload_too_large":
        return "The image is too large.";
      case "unavailable":
        return "The server is busy — try again shortly.";
      case "invalid_input":
        return err.message || fallback;
    }
  }
  return fallback;
}

const offline = "Not connected — try again when the connection is back.";

/** The client, waiting for it when the page has just loaded and the session is still starting (reads only). */
function readyClient(): Promise<TelegraphClient | null> {
  const now = currentClient();
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop();
      resolve(currentClient());
    }, 15_000);
    const stop = onConnected(() => {
      clearTimeout(timer);
      stop();
      resolve(currentClient());
    });
  });
}

/** The feed belongs to whoever is signed in: another account starts over. */
function ensureOwner(): string | null {
  const me = session.value?.userId ?? null;
  if (feedOwner.value !== me) {
    const previous = feedOwner.value;
    batch(() => {
      resetFeed(me);
      // What another account saw is not mine to show (the first owner of this page's memory keeps what it loaded).
      if (previous !== null) clearTweets();
    });
  }
  return me;
}

/**
 * Loads the newest page of the home feed and merges it with what is shown; with `hold` (a reconnect, while reading)
 * others' newer posts wait behind the "new posts" button.
 */
export async function loadFeedFirst(hold = false): Promise<void> {
  feedState.value = { ...feedState.value, loading: true, error: "" };
  const c = await readyClient();
  ensureOwner();
  if (!c) {
    feedState.value = { ...feedState.value, loading: false, error: offline };
    return;
  }
  try {
    const list = await c.api.getHomeFeed({ limit: FEED_PAGE });
    const me = session.value?.userId;
    batch(() => {
      upsertTweets(list);
      mergeFirstPage(
        list.map((t) => t.id),
        { hold, end: list.length < FEED_PAGE, mine: new Set(list.filter((t) => t.owner.user_id === me).map((t) => t.id)) },
      );
    });
  } catch (err) {
    feedState.value = { ...feedState.value, loading: false, error: errorText(err, "The feed could not be loaded.") };
  }
}

/** Loads the page before the oldest tweet shown. */
export async function loadFeedOlder(): Promise<void> {
  const c = currentClient();
  const state = feedState.value;
  if (!c || state.loading || state.end || !state.loaded) return;
  const before = feedIds.value.at(-1);
  if (!before) return;
  feedState.value = { ...state, loading: true, error: "" };
  try {
    const list = await c.api.getHomeFeed({ before, limit: FEED_PAGE });
    batch(() => {
      upsertTweets(list);
      addPage(
        list.map((t) => t.id),
        { older: true, end: list.length < FEED_PAGE },
      );
    });
  } catch (err) {
    feedState.value = { ...feedState.value, loading: false, error: errorText(err, "Older posts could not be loaded.") };
  }
}

/** Posts a tweet; it goes to the top of my feed at once. Returns an error to show, or null. */
export async function postTweet(text: string, image: string | null): Promise<string | null> {
  const c = currentClient();
  if (!c?.socket.connected) return offline;
  try {
    const tweet = await c.api.addNewTweet(image ? { context: text, image } : { context: text });
    batch(() => {
      upsertTweets([tweet]);
      ensureOwner();
      placePushed(tweet.id, true);
    });
    return null;
  } catch (err) {
    return errorText(err, "The post could not be sent.");
  }
}

/** Likes or unlikes at once; the server's answer corrects it. Returns an error to show, or null. */
export async function toggleLike(id: string): Promise<string | null> {
  const c = currentClient();
  const before = tweets.value.get(id);
  if (!c?.socket.connected || !before) return offline;
  const wanted = !before.userLiked;
  patchTweet(id, { userLiked: wanted, likes_count: Math.max(0, before.likes_count + (wanted ? 1 : -1)) });
  try {
    const liked = await c.api.toggleTweetLike(id);
    const now = tweets.value.get(id);
    if (now && now.userLiked !== liked) patchTweet(id, { userLiked: liked, likes_count: Math.max(0, now.likes_count + (liked ? 1 : -1)) });
    return null;
  } catch (err) {
    const now = tweets.value.get(id);
    if (now) patchTweet(id, { userLiked: before.userLiked, likes_count: before.likes_count });
    if (err instanceof TelegraphError && err.code === "not_found") removeTweet(id);
    return errorText(err, "The like could not be saved.");
  }
}

export async function deleteTweet(id: string): Promise<string | null> {
  const c = currentClient();
  if (!c?.socket.connected) return offline;
  try {
    await c.api.deleteTweet(id);
    removeTweet(id);
    return null;
  } catch (err) {
    if (err instanceof TelegraphError && err.code === "not_found") {
      removeTweet(id);
      return null;
    }
    return errorText(err, "The post could not be deleted.");
  }
}

/** Loads one tweet (`getTweet`); "gone" when it does not exist or I may not see it. */
export async function loadTweet(id: string): Promise<"ok" | "gone" | "error"> {
  if (!/^[0-9a-f]{24}$/.test(id)) return "gone";
  const c = await readyClient();
  if (!c) return "error";
  try {
    upsertTweets([await c.api.getTweet(id)]);
    return "ok";
  } catch (err) {
    if (err instanceof TelegraphError && (err.code === "not_found" || err.code === "forbidden")) {
      removeTweet(id);
      return "gone";
    }
    return "error";
  }
}

const refreshed = new Set<string>();
/** An image that failed to load (its signed URL expires after a while): the tweet is read again once, for a fresh URL. */
export function refreshTweetOnce(id: string): void {
  if (refreshed.has(id)) return;
  refreshed.add(id);
  if (refreshed.size > 500) refreshed.delete(refreshed.values().next().value as string);
  void loadTweet(id);
}

/** Loads a tweet's comments after the last one shown. Returns how many came, or an error code. */
export async function loadComments(tweetId: string, after?: string): Promise<{ count: number } | { error: string; code: string }> {
  const c = await readyClient();
  if (!c) return { error: offline, code: "offline" };
  try {
    const page = await c.api.getComments({ tweetId, limit: COMMENTS_PAGE, ...(after ? { after } : {}) });
    upsertComments(tweetId, page.comments);
    return { count: page.comments.length };
  } catch (err) {
    if (err instanceof TelegraphError && err.code === "not_found") removeTweet(tweetId);
    return { error: errorText(err, "The comments could not be loaded."), code: err instanceof TelegraphError ? err.code : "error" };
  }
}

function countComment(tweetId: string, delta: number): void {
  const t = tweets.value.get(tweetId);
  if (t) patchTweet(tweetId, { comments_count: Math.max(0, t.comments_count + delta) });
}

export async function addComment(tweetId: string, text: string, replyTo: string | null): Promise<string | null> {
  const c = currentClient();
  if (!c?.socket.connected) return offline;
  try {
    const comment = replyTo ? await c.api.addCommentToTweet(tweetId, text, replyTo) : await c.api.addCommentToTweet(tweetId, text);
    batch(() => {
      if (!commentsByTweet.value.get(tweetId)?.some((x) => x.id === comment.id)) countComment(tweetId, 1);
      upsertComments(tweetId, [comment]);
    });
    return null;
  } catch (err) {
    return errorText(err, "The comment could not be sent.");
  }
}

export async function deleteComment(tweetId: string, commentId: string): Promise<string | null> {
  const c = currentClient();
  if (!c?.socket.connected) return offline;
  try {
    await c.api.deleteTweetComment(commentId);
  } catch (err) {
    if (!(err instanceof TelegraphError && err.code === "not_found")) return errorText(err, "The comment could not be deleted.");
  }
  onCommentDeleted(tweetId, commentId);
  return null;
}

/**
 * Asks for a tweet's new and deleted comments live while its page is open (null: stop). The server forgets this on a
 * disconnect, so the page asks again on every connection.
 */
export function watchComments(tweetId: string | null): void {
  const c = currentClient();
  if (!c?.socket.connected) return;
  c.api.watchTweetComments(tweetId).catch(() => undefined); // not visible (any more): the page's own read says so
}

function onCommentDeleted(tweetId: string, commentId: string): void {
  batch(() => {
    if (commentsByTweet.value.get(tweetId)?.some((x) => x.id === commentId)) countComment(tweetId, -1);
    removeComment(tweetId, commentId);
  });
}

function onTweetsPushed(list: readonly Tweet[]): void {
  const me = ensureOwner();
  let waiting = 0;
  batch(() => {
    upsertTweets(list);
    for (const t of list) if (placePushed(t.id, t.owner.user_id === me) === "pending") waiting++;
  });
  const total = visiblePending.value.length;
  if (waiting > 0 && total > 0) announce(total === 1 ? "1 new post" : `${total} new posts`);
}

function onCommentPushed(comment: Comment): void {
  const thread = commentsByTweet.value.get(comment.tweet_id);
  if (thread?.some((x) => x.id === comment.id)) return;
  batch(() => {
    countComment(comment.tweet_id, 1);
    if (thread) upsertComments(comment.tweet_id, [comment]);
  });
}

let wired = false;
/** Keeps the stores following the server for as long as the app runs (called by every screen that shows tweets). */
export function wireTweetPushes(): void {
  if (wired) return;
  wired = true;
  // Logged out, or another account: what the last one saw goes at once.
  effect(() => {
    const id = session.value?.userId ?? null;
    if (feedOwner.peek() !== null && feedOwner.peek() !== id) untracked(ensureOwner);
  });
  onPush("sendTweetToClientFromServer", onTweetsPushed);
  onPush("tweetDeletedFromServer", (p) => removeTweet(p.id));
  // Someone liked my tweet, or I did on another device: the server's count replaces ours.
  onPush("tweetLikedFromServer", (p) =>
    patchTweet(p.id, p.by === session.value?.userId ? { likes_count: p.likes_count, userLiked: p.liked } : { likes_count: p.likes_count }),
  );
  onPush("newCommentFromServer", onCommentPushed);
  onPush("tweetCommentFromServer", onCommentPushed);
  onPush("tweetCommentDeletedFromServer", (p) => onCommentDeleted(p.tweetId, p.id));
  onConnected(() => {
    // After a fresh start what was missed is not replayed, so the first page is read again and merged; after a
    // resumed one too: tweets and their deletes are not in the replayed updates (only comments are).
    if (feedState.value.loaded) void loadFeedFirst(true);
  });
}
