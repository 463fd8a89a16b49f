import { signal } from "@preact/signals";
import type { ServerPayloads } from "telegraph-client";
import type { UserSummary } from "./types.ts";

/** One story as the server lists it (without its image). */
export type Story = ServerPayloads["newStoryFromServer"];

/** One person's active stories, oldest first. */
export interface StoryGroup {
  ownerId: string;
  owner: UserSummary;
  stories: readonly Story[];
}

const MAX_OWNERS = 500;
const MAX_PER_OWNER = 100;

/**
 * Active stories by owner. The map's order is the bar's order: the server's (owners with an unseen story first), and
 * an owner with a new story moves to the front. Groups that do not change keep their identity.
 */
export const storyGroups = signal<ReadonlyMap<string, StoryGroup>>(new Map());
/** Whether the list was loaded once since the bar appeared. */
export const storiesLoaded = signal(false);

export function hasUnseen(group: StoryGroup): boolean {
  return group.stories.some((s) => !s.seen);
}

/** Where viewing a person's stories starts: the first unseen one, or the first. */
export function startIndex(group: StoryGroup): number {
  const i = group.stories.findIndex((s) => !s.seen);
  return i < 0 ? 0 : i;
}

function sameStory(a: Story, b: Story): boolean {
  return a.id === b.id && a.seen === b.seen && a.expires_at === b.expires_at && a.added_at === b.added_at;
}

function sameOwner(a: UserSummary, b: UserSummary): boolean {
  return a.name === b.name && a.family === b.family && a.username === b.username && a.photo === b.photo;
}

function sameGroup(a: StoryGroup, b: StoryGroup): boolean {
  return sameOwner(a.owner, b.owner) && a.stories.length === b.stories.length && a.stories.every((s, i) => sameStory(s, b.stories[i]!));
}

function bound(map: Map<string, StoryGroup>): Map<string, StoryGroup> {
  while (map.size > MAX_OWNERS) {
    // Drop from the end: the owners the server ranks last.
    const last = [...map.keys()].at(-1)!;
    map.delete(last);
  }
  return map;
}

/** The whole list from the server (bootstrap push or `getFollowingStories`), grouped by owner in its order. */
export function replaceStories(list: readonly Story[], now = Date.now()): void {
  const grouped = new Map<string, StoryGroup>();
  for (const story of list) {
    if (Date.parse(story.expires_at) <= now) continue;
    const group = grouped.get(story.ownerId);
    if (group) {
      if (group.stories.length < MAX_PER_OWNER && !group.stories.some((s) => s.id === story.id)) (group.stories as Story[]).push(story);
    } else grouped.set(story.ownerId, { ownerId: story.ownerId, owner: story.owner, stories: [story] });
  }
  const current = storyGroups.value;
  const next = new Map<string, StoryGroup>();
  for (const [id, group] of grouped) {
    const old = current.get(id);
    next.set(id, old && sameGroup(old, group) ? old : group);
  }
  storiesLoaded.value = true;
  const before = [...current];
  const unchanged = next.size === current.size && [...next].every(([id, g], i) => before[i]![0] === id && before[i]![1] === g);
  if (!unchanged) storyGroups.value = bound(next);
}

/** A new story (a push, or mine just added): appended to its owner, who moves to the front. */
export function addStory(story: Story): void {
  const current = storyGroups.value;
  const old = current.get(story.ownerId);
  if (old?.stories.some((s) => s.id === story.id)) return;
  const stories = [...(old?.stories ?? []), story].slice(-MAX_PER_OWNER);
  const next = new Map<string, StoryGroup>([[story.ownerId, { ownerId: story.ownerId, owner: story.owner, stories }]]);
  for (const [id, group] of current) if (id !== story.ownerId) next.set(id, group);
  storyGroups.value = bound(next);
}

/** A story deleted (by its owner, here or elsewhere); an owner left without stories leaves the bar. */
export function removeStory(ownerId: string, storyId: string): void {
  const current = storyGroups.value;
  const old = current.get(ownerId);
  if (!old?.stories.some((s) => s.id === storyId)) return;
  const next = new Map(current);
  const stories = old.stories.filter((s) => s.id !== storyId);
  if (stories.length) next.set(ownerId, { ...old, stories });
  else next.delete(ownerId);
  storyGroups.value = next;
}

/** I viewed a story: its owner's ring may turn to "seen". */
export function markStorySeen(ownerId: string, storyId: string): void {
  const current = storyGroups.value;
  const old = current.get(ownerId);
  const story = old?.stories.find((s) => s.id === storyId);
  if (!old || !story || story.seen) return;
  const next = new Map(current);
  next.set(ownerId, { ...old, stories: old.stories.map((s) => (s.id === storyId ? { ...s, seen: true } : s)) });
  storyGroups.value = next;
}

/** Drops the stories whose time is up; returns whether any was dropped. */
export function pruneExpiredStories(now = Date.now()): boolean {
  const current = storyGroups.value;
  let changed = false;
  const next = new Map<string, StoryGroup>();
  for (const [id, group] of current) {
    const stories = group.stories.filter((s) => Date.parse(s.expires_at) > now);
    if (stories.length !== group.stories.length) changed = true;
    if (stories.length === group.stories.length) next.set(id, group);
    else if (stories.length) next.set(id, { ...group, stories });
  }
  if (changed) storyGroups.value = next;
  return changed;
}

export function clearStories(): void {
  storyGroups.value = new Map();
  storiesLoaded.value = false;
}
