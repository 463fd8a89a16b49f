import { effect, signal } from "@preact/signals";
import type { ClientData } from "telegraph-client";
import { myId } from "./session.ts";
import type { Tweet } from "./types.ts";

/** A profile as the server sends it, relative to me (follow state, counts). */
export type Profile = ClientData<"receiveUserProfile">;

/** What the follow button shows for someone else's profile. */
export type FollowState = "follow" | "requested" | "following";

export function followState(profile: Pick<Profile, "isFollowed" | "followRequested">): FollowState {
  if (profile.isFollowed) return "following";
  if (profile.followRequested) return "requested";
  return "follow";
}

/** Whether I may see a profile's posts and lists: public, followed by me, or my own. */
export function canSeeContent(profile: Pick<Profile, "isPrivate" | "isFollowed" | "isBlocked" | "user_id">, me: string | null): boolean {
  if (profile.user_id === me) return true;
  if (profile.isBlocked) return false;
  return !profile.isPrivate || profile.isFollowed;
}

const MAX_PROFILES = 200;
const MAX_TWEET_LISTS = 20;
const MAX_TWEETS_PER_LIST = 500;

/** Profiles seen, by user id; bounded, oldest seen dropped first. */
export const profiles = signal<ReadonlyMap<string, Profile>>(new Map());
/** Profiles the server would not show me (blocked me, or no such user), by user id. */
export const unavailable = signal<ReadonlySet<string>>(new Set());
/** Usernames (lower case) resolved to user ids. */
const idsByUsername = new Map<string, string>();

function sameProfile(a: Profile, b: Profile): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Profile>;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

function bounded<K, V>(map: Map<K, V>, max: number): Map<K, V> {
  while (map.size > max) map.delete(map.keys().next().value as K);
  return map;
}

/** Stores a profile from the server; a copy equal to the stored one changes nothing. */
export function putProfile(profile: Profile): void {
  rememberUsername(profile.username, profile.user_id);
  if (unavailable.value.has(profile.user_id)) {
    const next = new Set(unavailable.value);
    next.delete(profile.user_id);
    unavailable.value = next;
  }
  const old = profiles.value.get(profile.user_id);
  if (old && sameProfile(old, profile)) return;
  const next = new Map(profiles.value);
  next.delete(profile.user_id);
  next.set(profile.user_id, profile);
  profiles.value = bounded(next, MAX_PROFILES);
}

/** Changes some fields of a stored profile in place (a follow answered, a button pressed). */
export function patchProfile(userId: string, patch: Partial<Profile>): void {
  const old = profiles.value.get(userId);
  if (!old) return;
  const updated = { ...old, ...patch };
  if (sameProfile(old, updated)) return;
  const next = new Map(profiles.value);
  next.set(userId, updated);
  profiles.value = next;
}

/** The server answers not_found: they blocked me, or there is no such user. */
export function markUnavailable(userId: string): void {
  if (!unavailable.value.has(userId)) unavailable.value = new Set([...unavailable.value, userId].slice(-MAX_PROFILES));
  if (profiles.value.has(userId)) {
    const next = new Map(profiles.value);
    next.delete(userId);
    profiles.value = next;
  }
  dropTweets(userId);
}

export function rememberUsername(username: string, userId: string): void {
  const key = username.toLowerCase();
  idsByUsername.delete(key);
  idsByUsername.set(key, userId);
  bounded(idsByUsername, MAX_PROFILES * 5);
}

export function idOfUsername(username: string): string | undefined {
  return idsByUsername.get(username.toLowerCase());
}

/** A profile's posts as far as they have been paged in, newest first. */
export interface TweetList {
  tweets: readonly Tweet[];
  /** No older posts are left. */
  end: boolean;
}

export const profileTweets = signal<ReadonlyMap<string, TweetList>>(new Map());

/** Merges a page (or a fresh first page) of a user's posts, newest first, without duplicates. */
export function mergeTweetPage(current: TweetList | undefined, page: readonly Tweet[], pageSize: number, fresh: boolean): TweetList {
  const byId = new Map<string, Tweet>();
  const base = fresh ? [] : (current?.tweets ?? []);
  for (const t of base) byId.set(t.id, t);
  for (const t of page) byId.set(t.id, t);
  const tweets = [...byId.values()].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).slice(0, MAX_TWEETS_PER_LIST);
  // A fresh first page keeps knowing the end only when it is short; an older page ends the list when it is short.
  const end = page.length < pageSize || tweets.length >= MAX_TWEETS_PER_LIST;
  return { tweets, end: fresh ? end : end || (current?.end ?? false) };
}

/** New posts (live pushes) put on top of what is paged in; whether older ones remain is unchanged. */
export function prependTweets(current: TweetList | undefined, incoming: readonly Tweet[]): TweetList {
  const merged = mergeTweetPage(current, incoming, 0, false);
  return { tweets: merged.tweets, end: current?.end ?? false };
}

export function putTweets(userId: string, list: TweetList): void {
  const next = new Map(profileTweets.value);
  next.delete(userId);
  next.set(userId, list);
  profileTweets.value = bounded(next, MAX_TWEET_LISTS);
}

export function dropTweets(userId: string): void {
  if (!profileTweets.value.has(userId)) return;
  const next = new Map(profileTweets.value);
  next.delete(userId);
  profileTweets.value = next;
}

/** Forgets everything (log out, another account). */
export function clearProfiles(): void {
  profiles.value = new Map();
  unavailable.value = new Set();
  profileTweets.value = new Map();
  idsByUsername.clear();
}

// Profiles are relative to who is signed in: another account (or none) starts from nothing.
let owner: string | null | undefined;
effect(() => {
  const id = myId.value;
  if (owner !== undefined && id !== owner) clearProfiles();
  owner = id;
});
