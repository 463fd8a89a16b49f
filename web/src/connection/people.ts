/** Profiles, follows, follow requests and blocks: the calls to the server, and the pushes that keep them live. */
import { batch } from "@preact/signals";
import type { ClientData } from "telegraph-client";
import { dropTweets, idOfUsername, markUnavailable, mergeTweetPage, patchProfile, profiles, profileTweets, putProfile, putTweets, type Profile } from "../state/profiles.ts";
import { reloadRequests, removeRequest } from "../state/requests.ts";
import { myId } from "../state/session.ts";
import { rememberUsers } from "../state/users.ts";
import { loadStories } from "./stories.ts";
import { onPush } from "./pushes.ts";
import { call, type Failure, type Result } from "./call.ts";

export type { Failure, Result };

const TWEET_PAGE = 20;
/** The server's page size for follower and following lists. */
export const LIST_PAGE = 50;

function summaryOf(p: { user_id: string; name: string; family: string; username: string; photo: string | null }) {
  return { user_id: p.user_id, name: p.name, family: p.family, username: p.username, photo: p.photo };
}

/**
 * The user id behind a username: what is known already (a profile seen), or else the profile itself by username
 * (`receiveUserProfile({ username })`, not_found for an unknown name or across a block), which is stored too.
 */
export async function resolveUsername(username: string): Promise<Result<string>> {
  const known = idOfUsername(username);
  if (known) return { ok: true, value: known };
  if (username.length > 254) return { ok: false, error: "not_found" };
  const got = await call((c) => c.api.receiveUserProfile({ username }));
  if (!got.ok) return got;
  batch(() => {
    putProfile(got.value);
    rememberUsers([summaryOf(got.value)]);
  });
  return { ok: true, value: got.value.user_id };
}

/** Fetches a profile into the store; not_found marks it unavailable. */
export async function loadProfile(userId: string): Promise<Result<Profile>> {
  const got = await call((c) => c.api.receiveUserProfile(userId));
  if (got.ok) {
    batch(() => {
      putProfile(got.value);
      rememberUsers([summaryOf(got.value)]);
    });
  } else if (got.error === "not_found") {
    markUnavailable(userId);
  }
  return got;
}

/** Follows (a public account at once, a private one by request), then reads the counts back. */
export async function follow(userId: string): Promise<Result<"following" | "requested">> {
  const got = await call((c) => c.api.followUser(userId));
  if (got.ok) {
    patchProfile(userId, got.value.status === "following" ? { isFollowed: true, followRequested: false } : { followRequested: true });
    void loadProfile(userId);
    if (got.value.status === "following") refresh(myId.value ?? undefined);
    void loadStories();
  } else if (got.error === "not_found") {
    markUnavailable(userId);
  }
  return got.ok ? { ok: true, value: got.value.status } : got;
}

/** Unfollows, or withdraws my pending request. */
export async function unfollow(userId: string): Promise<Result<string>> {
  const got = await call((c) => c.api.unfollowUser(userId));
  if (got.ok) {
    const wasPrivate = profiles.value.get(userId)?.isPrivate;
    patchProfile(userId, { isFollowed: false, followRequested: false, mutual: false });
    if (wasPrivate) dropTweets(userId);
    void loadProfile(userId);
    if (got.value.status === "unfollowed") refresh(myId.value ?? undefined);
    void loadStories();
  }
  return got.ok ? { ok: true, value: got.value.status } : got;
}

/** Blocks or unblocks; a block ends follows and requests both ways. */
export async function toggleBlock(userId: string): Promise<Result<boolean>> {
  const got = await call((c) => c.api.toggleBlockUser(userId));
  if (!got.ok) return got;
  const blocked = got.value.blocked;
  batch(() => {
    if (blocked) {
      patchProfile(userId, { isBlocked: true, isFollowed: false, followRequested: false, mutual: false, followsMe: false });
      dropTweets(userId);
      removeRequest(userId);
    } else {
      patchProfile(userId, { isBlocked: false });
    }
  });
  void loadProfile(userId);
  const me = myId.value;
  if (me && profiles.value.has(me)) void loadProfile(me);
  return { ok: true, value: blocked };
}

/** The first page of a user's posts (fresh), or the next older page. */
export async function loadTweets(userId: string, older: boolean): Promise<Result<number>> {
  const current = profileTweets.value.get(userId);
  const before = older ? current?.tweets.at(-1)?.id : undefined;
  const got = await call((c) => c.api.getTweetsOfAnUser({ userId, limit: TWEET_PAGE, ...(before ? { before } : {}) }));
  if (!got.ok) {
    if (got.error === "not_found") markUnavailable(userId);
    return got;
  }
  putTweets(userId, mergeTweetPage(profileTweets.value.get(userId), got.value, TWEET_PAGE, !older));
  return { ok: true, value: got.value.length };
}

export type ListedUser = ClientData<"getFollowerListRequest">["followers"][number];

/** One page (1-based) of someone's followers or of whom they follow. */
export async function loadFollowList(userId: string, kind: "followers" | "following", page: number): Promise<Result<ListedUser[]>> {
  const got =
    kind === "followers"
      ? await call(async (c) => (await c.api.getFollowerListRequest(userId, page)).followers)
      : await call(async (c) => (await c.api.getFollowingListRequest(userId, page)).following);
  if (got.ok) rememberUsers(got.value.map(summaryOf));
  return got;
}

/** Accepts or rejects a follow request; the row goes either way (a request already gone is gone). */
export async function answerRequest(userId: string, accept: boolean): Promise<Result<boolean>> {
  const got = await call((c) => c.api.answerFollowRequest({ userId, accept }));
  if (got.ok || got.error === "not_found") {
    removeRequest(userId);
    if (got.ok && accept) patchProfile(userId, { followsMe: true });
    const me = myId.value;
    if (me && profiles.value.has(me)) void loadProfile(me);
    if (profiles.value.has(userId)) void loadProfile(userId);
  }
  return got.ok ? { ok: true, value: got.value.accepted } : got;
}

export { reloadRequests };

/** Reloads a stored profile (its counts and follow state changed on the server). */
function refresh(userId: string | undefined): void {
  if (userId && profiles.value.has(userId)) void loadProfile(userId);
}

/**
 * Keeps open profiles right while a screen shows them: my request answered, someone new following me, a follow
 * ended by a block. Returns the stop function (call it from the effect's cleanup).
 */
export function followPeopleLive(): () => void {
  const stops = [
    onPush("followRequestAnsweredFromServer", (p) => {
      patchProfile(p.userId, { followRequested: false, isFollowed: p.accepted });
      refresh(p.userId);
    }),
    onPush("newFollowerFromServer", (p) => {
      patchProfile(p.user_id, { followsMe: true });
      refresh(p.user_id);
      refresh(myId.value ?? undefined);
    }),
    onPush("followRemovedFromServer", (p) => {
      const me = myId.value;
      const other = p.follower_id === me ? p.followee_id : p.follower_id;
      if (p.followee_id === me) patchProfile(p.follower_id, { followsMe: false, mutual: false });
      if (p.follower_id === me) {
        patchProfile(other, { isFollowed: false, mutual: false });
        if (profiles.value.get(other)?.isPrivate) dropTweets(other);
      }
      refresh(other);
      refresh(me ?? undefined);
    }),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
